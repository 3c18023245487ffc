"""What the notebooks show of statistical process control: an indicator's XmR chart,
its variation and assurance in words (with the interval of its headline value and any
baseline months), and a service area's XmR charts."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.reports.report import Report, _rows


def _target_steps(report: Report, row: pd.Series, points: pd.DataFrame) -> pd.DataFrame | None:
    """The Green threshold for each point's year; a sum's scaled to one point (the
    annual target x months per point / 12), as assurance compares it."""
    from cyps_analysis.reports.plots import _target_steps as steps_of
    from cyps_analysis.vocab import FREQUENCY_STEP

    if row["kind"] != "benchmarking":
        return None
    targets = report.dataset.targets
    steps = steps_of(points, targets[targets["indicator"] == row["id"]])
    if row["aggregation"] == "sum":
        steps = steps.assign(
            threshold=steps["threshold"] * FREQUENCY_STEP.get(row["frequency"], 1) / 12
        )
    return steps


def xmr_chart(report: Report, indicator: str, *, months: int | None = None):
    """The indicator's XmR chart: its whole history (or the last ``months`` months,
    limits still from the whole series), mean, limits, target and special causes."""
    from cyps_analysis.reports.investigate import indicator_row
    from cyps_analysis.reports.investigation import baselines, indicator_points
    from cyps_analysis.reports.spc_chart import xmr_chart as draw

    row = indicator_row(report, indicator)
    points = indicator_points(report, indicator)
    if months is not None:
        points = points[points["month_number"] > report.period.end - months]
    shown = [b for b in baselines(report, indicator) if b["month"] in set(points["month"])]
    return draw(points, row, target=_target_steps(report, row, points), baselines=shown)


def xmr_charts(report: Report, service_area: str, *, months: int = 36) -> list:
    """An XmR chart for each of the service area's indicators, over the last ``months``
    months to the period's end."""
    return [xmr_chart(report, i, months=months) for i in _rows(report, service_area)["id"]]


def spc_summary(report: Report, indicator: str):
    """The indicator's variation and assurance in words, how sure its headline figure
    is (the 95% interval) and why its limits start again, as Markdown."""
    from html import escape

    from IPython.display import Markdown

    from cyps_analysis.reports.investigate import indicator_row
    from cyps_analysis.reports.investigation import baselines
    from cyps_analysis.scorecard.layout import ASSURANCE_WORDS, VARIATION_WORDS, format_values

    row = indicator_row(report, indicator)
    unit, dec = pd.Series([row["unit"]]), pd.Series([int(row["decimals"])])
    shown = pd.Series([int(row["decimals"]) + 1])
    if isinstance(row["spc_variation"], str):
        mean, lower, upper = format_values(
            [row["spc_mean"], row["spc_lower"], row["spc_upper"]],
            pd.Series([row["unit"]] * 3),
            pd.concat([shown] * 3, ignore_index=True),
        )
        lines = [
            f"- **Variation:** {VARIATION_WORDS[row['spc_variation']]} (latest point)",
            f"- Mean {mean}; process limits {lower} to {upper}, from "
            f"{row['spc_points_used']} points",
        ]
    else:
        lines = [
            f"- **Variation:** no SPC: {row['spc_reason']} ({row['spc_points_used']} recorded)"
        ]
    assurance = row["spc_assurance"]
    lines.append(
        f"- **Assurance:** {ASSURANCE_WORDS[assurance]}"
        if isinstance(assurance, str)
        else "- **Assurance:** none (no target, or no limits)"
    )
    if isinstance(row["interval_method"], str):
        lo, hi = format_values([row["interval_lower"], row["interval_upper"]],
                               pd.concat([unit] * 2), pd.concat([dec] * 2))  # fmt: skip
        method = {"wilson": "Wilson score", "poisson_exact": "exact Poisson"}[
            row["interval_method"]
        ]
        sure = (
            "; it crosses a band boundary, so the RAG rating is **uncertain**"
            if row["interval_uncertain_rag"] is True
            else ""
        )
        lines.append(f"- **95% interval** ({method}): {lo} to {hi}{sure}")
    for b in baselines(report, indicator):
        lines.append(f"- Limits start again in {b['month']}: {escape(str(b['reason']))}")
    return Markdown("\n".join(lines))
