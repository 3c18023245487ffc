"""The benchmarking report's sections: where each indicator stands against its
statistical neighbours, England and the region, its quartile, and each neighbour's
value, from the published files the dataset's settings name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.reports.report import Report


def comparison_words(ours, theirs, unit, polarity, settings) -> list[str]:
    """How each value compares with a benchmark, in the narrative's words and by its
    rule (:func:`cyps_analysis.narrative.facts.relation`, the same in-line tolerance):
    "in line with" within the tolerance; else "better (higher)", "worse (lower)" ...
    given polarity, or "higher" / "lower" where polarity is none; empty where either
    is missing."""
    from cyps_analysis.narrative.facts import relation
    from cyps_analysis.narrative.wording import RELATION_WORDS

    rel = relation(ours, theirs, unit, settings)
    pol = np.asarray(polarity, dtype=object)
    higher = rel == "above"
    better = higher == (pol == "high")
    side = np.where(higher, "higher", "lower")
    judged = np.where(better, "better (", "worse (") + side + ")"
    words = np.where(pol == "none", side, judged)
    return np.select(
        [pd.isna(rel), rel == "in_line"], ["", RELATION_WORDS["in_line"]], words
    ).tolist()


def benchmark_position(report: Report):
    """How the authority compares: for each benchmarking indicator with benchmarks, its
    value for the benchmarks' year beside statistical neighbours, England, the region
    and the top quartile, and whether it is better or worse given polarity."""
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.rules.disclosure import MARKER
    from cyps_analysis.scorecard.layout import BENCHMARK_HEADINGS, format_values, hidden

    card = report.scorecard
    card = card[(card["kind"] == "benchmarking") & card["national_avg"].notna()]
    unit, dec = card["unit"], card["decimals"]
    year = card["national_avg_year"]
    # Ours for the benchmarks' year: last year's outturn when they lag a year.
    ours = card["outturn"].where(year == card["year"], card["previous_year"])
    table = pd.DataFrame(
        {
            "Indicator": card["title"].to_numpy(),
            "Service area": card["service_area"].to_numpy(),
            "Year": year.to_numpy(),
            "Good perf is": card["polarity"].map({"high": "High", "low": "Low", "none": "-"}),
            report.authority: format_values(ours, unit, dec),
        }
    )
    for key in ("stat_neighbour_avg", "national_avg", "regional_avg", "top_quartile"):
        table[BENCHMARK_HEADINGS[key]] = format_values(card[key], unit, dec)
        table[f"vs {BENCHMARK_HEADINGS[key]}"] = comparison_words(
            ours.to_numpy(dtype="float64"),
            card[key].to_numpy(dtype="float64"),
            unit.to_numpy(dtype=object),
            card["polarity"].to_numpy(dtype=object),
            report.dataset.settings.narrative,
        )
    # A published report: our figure, where hidden, is [c] (and compared with nothing).
    this_year = (year == card["year"]).to_numpy()
    gone = np.where(this_year, hidden(card, "outturn"), hidden(card, "previous_year"))
    table[report.authority] = np.where(gone, MARKER, table[report.authority].to_numpy(object))
    return html_table(
        table,
        title="How do we compare?",
        subtitle="Our value for the year the benchmarks refer to, beside each benchmark",
        empty="No benchmarking indicator has benchmarks for this period.",
    )


def published_comparisons(report: Report) -> pd.DataFrame:
    """The published comparisons of every indicator mapped to a national measure
    (``national_code``) when ``settings.yaml`` names the DfE files; else empty."""
    return report.comparisons


def quartile_position(report: Report, comparisons: pd.DataFrame):
    """Each mapped indicator's place among all authorities: its value, the quartile
    boundaries, its band (A best) and rank, and its rank among its neighbours."""
    from cyps_analysis.reports.safe_html import Html
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.scorecard.layout import format_values

    if comparisons.empty:
        return Html(
            "<p>No indicator in this pack is compared with the Department for Education's "
            "published data, so there is no statistical neighbour or quartile "
            "comparison.</p>"
        )
    own = comparisons[comparisons["role"] == "authority"]
    ind = report.dataset.indicators.set_index("id").loc[own["indicator"]]
    unit, dec = ind["unit"].reset_index(drop=True), ind["decimals"].reset_index(drop=True)

    def fmt(column: str) -> list[str]:
        return format_values(own[column].to_numpy(dtype="float64"), unit, dec)

    table = pd.DataFrame(
        {
            "Indicator": own["title"].to_numpy(),
            "Year": own["year_label"].to_numpy(),
            report.authority: fmt("value"),
            "Stat neighbours": fmt("stat_neighbour_avg"),
            "England": fmt("national"),
            "Region": fmt("regional"),
            "Lower quartile": fmt("quartile_25"),
            "Median": fmt("quartile_50"),
            "Upper quartile": fmt("quartile_75"),
            "Band (A best)": own["band"].astype(object).fillna("-").to_numpy(),
            "Rank (1 best)": [
                f"{int(r)} of {int(n)}" if not pd.isna(r) else "-"
                for r, n in zip(own["rank"], own["rank_of"], strict=True)
            ],
            "Rank among neighbours": [
                f"{int(r)} of {int(u) + 1}" if not pd.isna(r) else "-"
                for r, u in zip(
                    own["rank_among_neighbours"], own["stat_neighbours_used"], strict=True
                )
            ],
        }
    )
    return html_table(
        table,
        title="Position among all authorities (published data)",
        subtitle=f"Source: {own['source'].iloc[0]}",
    )


def neighbour_charts(report: Report, comparisons: pd.DataFrame) -> list:
    """A bar chart per mapped indicator: the authority beside its neighbours."""
    from cyps_analysis.reports.plots import neighbours_chart

    if comparisons.empty:
        return []
    ind = report.dataset.indicators.set_index("id")
    return [
        neighbours_chart(
            rows,
            title=rows["title"].iloc[0],
            unit=ind.loc[key, "unit"],
            decimals=int(ind.loc[key, "decimals"]),
        )
        for key, rows in comparisons.groupby("indicator", sort=False)
    ]
