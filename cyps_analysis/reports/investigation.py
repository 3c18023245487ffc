"""Everything the deep dive knows about one indicator, as data: its scorecard line,
its SPC chart point by point with the rules that flag each point, the summary
(variation, assurance) and the interval of its headline value. The
``cyps-analysis investigate`` command writes it as JSON or Markdown (keys in
docs/investigate.md)."""

from __future__ import annotations

import math

import pandas as pd

from cyps_analysis.reports.report import Report
from cyps_analysis.scorecard.layout import ASSURANCE_WORDS, VARIATION_WORDS

#: The keys of each point of ``spc.points``.
POINT_KEYS: tuple[str, ...] = ("month", "value", "mean", "lower", "upper", "special_cause", "rules")


def _number(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def indicator_points(report: Report, indicator: str) -> pd.DataFrame:
    """The indicator's SPC points up to the period's end (one per recorded value)."""
    points = report.spc_points
    return points[points["indicator"] == indicator].reset_index(drop=True)


def baselines(report: Report, indicator: str) -> list[dict]:
    """The indicator's baseline months (``spc_baseline.csv``) up to the period's end."""
    base = report.dataset.spc_baseline
    rows = base[(base["indicator"] == indicator) & (base["month_number"] <= report.period.end)]
    rows = rows.sort_values("month_number")
    return [{"month": m, "reason": r} for m, r in zip(rows["month"], rows["reason"], strict=True)]


def investigation(report: Report, indicator: str) -> dict:
    """The indicator's investigation as a JSON-ready dict: ``period``, ``authority``,
    ``as_at``, ``indicator`` (its scorecard object, as ``scorecard --format json``
    gives it), ``spc`` (the summary, ``baselines`` and ``points``), ``interval``,
    ``forecast`` and ``attribution`` (as in the scorecard's JSON)."""
    from cyps_analysis.reports.investigate import indicator_row
    from cyps_analysis.scorecard.export import scorecard_records

    row = indicator_row(report, indicator)
    card = report.scorecard.loc[[row.name]]
    card.attrs = report.scorecard.attrs
    document = scorecard_records(card)
    item = document["indicators"][0]
    points = indicator_points(report, indicator)
    spc = dict(item["spc"])
    spc["baselines"] = baselines(report, indicator)
    spc["points"] = [
        {
            "month": p["month"],
            "value": _number(p["value"]),
            "mean": _number(p["mean"]),
            "lower": _number(p["lower"]),
            "upper": _number(p["upper"]),
            "special_cause": bool(p["special_cause"]),
            "rules": list(p["rules"]),
        }
        for p in points.to_dict("records")
    ]
    return {
        "period": document["period"],
        "authority": document["authority"],
        "as_at": document["as_at"],
        "indicator": item,
        "spc": spc,
        "interval": item["interval"],
        "forecast": item["forecast"],
        "attribution": item["attribution"],
    }


def _fmt(value, decimals: int, unit: str = "") -> str:
    if value is None:
        return "-"
    from cyps_analysis.rules.rounding import round_half_up

    text = f"{round_half_up(value, decimals):,.{decimals}f}"
    return text + ("%" if unit == "percent" else "")


def investigation_markdown(record: dict) -> str:
    """:func:`investigation` as Markdown for reading: the headline, the SPC summary in
    words, the interval, the baselines and a table of the points (mean and limits at the
    indicator's decimals plus one)."""
    from html import escape as markdown_text  # data text is escaped: Markdown may be shown as HTML

    item, spc, interval = record["indicator"], record["spc"], record["interval"]
    dec, unit = int(item["decimals"]), item["unit"]
    month = len(item["months"]) == 1
    value = next(iter(item["months"].values())) if month else item["outturn"]
    rag = item["rag_month" if month else "rag_year"] or "not rated"
    lines = [
        f"# {markdown_text(item['title'])}: {record['period']}",
        "",
        f"{markdown_text(record['authority'] or '')}, data as at {record['as_at']}.",
        "",
        f"- Headline value: {_fmt(value, dec, unit)}; RAG: {rag}",
    ]
    if spc["variation"] is None:
        lines.append(f"- Variation: no SPC ({spc['reason']}; {spc['points_used']} points)")
    else:
        lines.append(f"- Variation: {VARIATION_WORDS[spc['variation']]}")
        lines.append(
            f"- Mean {_fmt(spc['mean'], dec + 1)}, process limits {_fmt(spc['lower'], dec + 1)}"
            f" to {_fmt(spc['upper'], dec + 1)} ({spc['points_used']} points)"
        )
    assurance = spc["assurance"]
    lines.append(f"- Assurance: {ASSURANCE_WORDS[assurance] if assurance else 'none (no target)'}")
    if interval["method"]:
        lines.append(
            f"- 95% interval ({interval['method'].replace('_', ' ')}): "
            f"{_fmt(interval['lower'], dec, unit)} to {_fmt(interval['upper'], dec, unit)}"
            + ("; the RAG is uncertain" if interval["uncertain_rag"] else "")
        )
    from cyps_analysis.reports.whats_next import attribution_words, forecast_words

    for words in (forecast_words(item), attribution_words(item)):
        if words:
            lines.append(f"- {markdown_text(words)}")
    for b in spc["baselines"]:
        lines.append(f"- Limits start again in {b['month']}: {markdown_text(b['reason'])}")
    lines += [
        "",
        "| Month | Value | Mean | Lower | Upper | Special cause |",
        "|---|---|---|---|---|---|",
    ]
    for p in spc["points"]:
        lines.append(
            f"| {p['month']} | {_fmt(p['value'], dec, unit)} | {_fmt(p['mean'], dec + 1)} | "
            f"{_fmt(p['lower'], dec + 1)} | {_fmt(p['upper'], dec + 1)} | "
            f"{', '.join(r.replace('_', ' ') for r in p['rules'])} |"
        )
    return "\n".join(lines) + "\n"
