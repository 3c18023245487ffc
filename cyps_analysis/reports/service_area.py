"""The service-area report's own sections: each indicator's trend chart (the plain
chart; the report shows XmR charts, :func:`cyps_analysis.reports.variation.xmr_charts`)
and the table of monthly values."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.reports.report import Report, _rows


def trend_charts(report: Report, service_area: str) -> list:
    """A trend chart for each of the service area's indicators (three years to the
    period's end), with its target and latest benchmarks drawn in."""
    from cyps_analysis.reports.plots import trend_chart

    rows = _rows(report, service_area)
    history = report.history
    history = history[history["month_number"] > report.period.end - 36]
    targets = report.dataset.targets
    return [
        trend_chart(
            history[history["indicator"] == row["id"]].reset_index(drop=True),
            row,
            targets[targets["indicator"] == row["id"]] if row["kind"] == "benchmarking" else None,
        )
        for _, row in rows.iterrows()
    ]


def monthly_table(report: Report, service_area: str, *, months: int = 13):
    """The service area's monthly values for the last ``months`` months to the period's
    end: one row per indicator, one column per month."""
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.rules.periods import month_label
    from cyps_analysis.scorecard.layout import format_values

    rows = _rows(report, service_area)
    history = report.history
    end = report.period.end
    recent = history[history["month_number"] > end - months]
    wide = recent.pivot(index="indicator", columns="month_number", values="value")
    wide = wide.reindex(index=rows["id"], columns=range(end - months + 1, end + 1))
    table = pd.DataFrame({"Indicator": rows["title"].to_numpy()})
    for m in wide.columns:
        table[month_label(m)] = format_values(wide[m].to_numpy(), rows["unit"], rows["decimals"])
    return html_table(
        table,
        title=f"{service_area}: monthly values",
        subtitle="Blank where no figure was recorded for the month",
    )
