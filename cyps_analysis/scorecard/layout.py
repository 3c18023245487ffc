"""The scorecard laid out as the council report shows it: headings, formatted numbers,
arrows and RAG words (for the text table, the CSV, the workbook and the HTML)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.rules.direction import ARROWS
from cyps_analysis.rules.disclosure import MARKER

POLARITY_TEXT: dict[str, str] = {"high": "High", "low": "Low", "none": "-"}
#: Fill colours for RAG cells (text is always shown as well as colour).
RAG_COLOURS: dict[str, str] = {"Red": "F4CCCC", "Amber": "FCE5CD", "Green": "D9EAD3"}
#: The latest point's variation and the assurance against the target, in words
#: (NHS England "Making Data Count"; docs/method.md#statistical-process-control).
VARIATION_WORDS: dict[str, str] = {
    "common_cause": "Common cause: no significant change",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_high": "Special cause: higher than usual",
    "special_cause_low": "Special cause: lower than usual",
}
ASSURANCE_WORDS: dict[str, str] = {
    "consistent_pass": "Consistently passes the target",
    "hit_and_miss": "Hit and miss: may pass or fail the target",
    "consistent_fail": "Consistently fails the target",
}
#: Text colours for direction of travel: improvement green, decline red (both with
#: at least 4.5:1 contrast on white; the words say it as well).
CHANGE_COLOURS: dict[str, str] = {"improving": "#1b5e20", "declining": "#b71c1c"}
BENCHMARK_HEADINGS: dict[str, str] = {
    "stat_neighbour_avg": "Stat neighbours",
    "best_stat_neighbour": "Best stat neighbour",
    "national_avg": "England",
    "top_quartile": "Top quartile",
    "regional_avg": "Region",
}
#: The report's grouped column headings: each group's heading and the columns it spans.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {
    "Target & tolerances": ("Red", "Amber", "Green (target)"),
    "Yr on yr performance": ("Last yr", "Yr on yr trend"),
    "Forecast": ("Forecast (yr end)", "Needed (rest of yr)"),
    "Latest benchmarking": tuple(BENCHMARK_HEADINGS.values()),
}


#: The report table's columns that show a scorecard figure (besides the months).
SHOWN_AS: dict[str, str] = {
    "quarter": "Qtr",
    "outturn": "YTD",
    "previous_year": "Last yr",
    "rag_month": "RAG (month)",
    "rag_year": "RAG (yr end)",
    "forecast_projected_outturn": "Forecast (yr end)",
    "forecast_needed": "Needed (rest of yr)",
}


def format_values(values, unit: pd.Series, decimals: pd.Series) -> list[str]:
    """Numbers as reports write them: ``90.1%``, ``220.3``, ``1,278``; blank if missing.

    Examples
    --------
    >>> format_values([90.05, 1278.0, None], pd.Series(["percent", "count", "days"]),
    ...               pd.Series([1, 0, 0]))
    ['90.1%', '1,278', '']
    """
    from cyps_analysis.rules.rounding import round_half_up

    v = round_half_up(np.asarray(values, dtype="float64"), decimals.to_numpy())
    out = []
    for x, u, d in zip(v, unit, decimals, strict=True):
        if np.isnan(x):
            out.append("")
        else:
            out.append(f"{x:,.{int(d)}f}" + ("%" if u == "percent" else ""))
    return out


def hidden(scorecard: pd.DataFrame, key: str) -> np.ndarray:
    """Whether each row's ``key`` column is hidden in a published pack (its
    ``suppressed`` column, :func:`cyps_analysis.scorecard.build.build_scorecard`);
    nothing is hidden in a scorecard made without ``publish``."""
    if "suppressed" not in scorecard:
        return np.zeros(len(scorecard), dtype=bool)
    return np.array([key in keys for keys in scorecard["suppressed"]], dtype=bool)


def show_hidden(table: pd.DataFrame, scorecard: pd.DataFrame, columns: dict[str, str]) -> None:
    """Write ``[c]`` in ``table``'s cells whose scorecard figure is hidden; ``columns``
    maps each scorecard column to the table's column that shows it."""
    for key, heading in columns.items():
        rows = hidden(scorecard, key)
        if heading in table and rows.any():
            table[heading] = table[heading].astype(object)
            table.loc[rows, heading] = MARKER


def spc_words(scorecard: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each row's variation and assurance in words: the reason where there is no SPC
    ("Fewer than 12 points"), "No target" where there is no assurance."""
    reason = scorecard["spc_reason"].fillna("").str.capitalize()
    variation = scorecard["spc_variation"].map(VARIATION_WORDS).fillna(reason)
    assurance = scorecard["spc_assurance"].map(ASSURANCE_WORDS)
    assurance = assurance.fillna(reason.where(reason != "", "No target"))
    return variation.tolist(), assurance.tolist()


def uncertain_notes(scorecard: pd.DataFrame) -> list[str]:
    """A note for each row whose headline RAG is uncertain: its interval crosses a band."""
    unit, dec = scorecard["unit"], scorecard["decimals"]
    lo = format_values(scorecard["interval_lower"], unit, dec)
    hi = format_values(scorecard["interval_upper"], unit, dec)
    flag = scorecard["interval_uncertain_rag"].to_numpy(dtype=object)
    return [
        f"RAG uncertain: the 95% interval, {a} to {b}, crosses a band" if f is True else ""
        for a, b, f in zip(lo, hi, flag, strict=True)
    ]


def report_table(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard with the report's headings and formatted cells (with ``Variation``
    and ``Assurance`` where the scorecard has SPC columns)."""
    s = scorecard
    unit, dec = s["unit"], s["decimals"]
    months = dict(zip(s.attrs["months"], s.attrs["month_labels"], strict=True))
    table = pd.DataFrame(
        {
            "Service area": s["service_area"],
            "Indicator": s["title"],
            **{label: format_values(s[key], unit, dec) for key, label in months.items()},
            "Qtr": format_values(s["quarter"], unit, dec),
            "YTD": format_values(s["outturn"], unit, dec),
            "Good perf is": s["polarity"].map(POLARITY_TEXT),
            "DOT (month)": _arrows(s["dot_month"], s["dot_month_change"]),
            "RAG (month)": s["rag_month_label"].fillna("Not rated"),
            "DOT (yr on yr)": _arrows(s["dot_year"], s["dot_year_change"]),
            "RAG (yr end)": s["rag_year_label"].fillna("Not rated"),
            "Red": s["red"].fillna(""),
            "Amber": s["amber"].fillna(""),
            "Green (target)": s["green"].fillna(""),
            "Last yr": format_values(s["previous_year"], unit, dec),
            "Yr on yr trend": s["dot_year_change"].fillna(""),
        },
        index=s.index,
    )
    # What the rest of the year holds (periods before the year's last month only).
    projected = format_values(s["forecast_projected_outturn"], unit, dec)
    rag = (
        s["forecast_projected_rag"].astype(object).where(s["forecast_projected_rag"].notna(), None)
    )
    table["Forecast (yr end)"] = [
        f"{v} ({r})" if v and r else v for v, r in zip(projected, rag, strict=True)
    ]
    needed = format_values(s["forecast_needed"], unit, dec)
    table["Needed (rest of yr)"] = [
        f"{v} (out of reach)" if v and p is False else v
        for v, p in zip(needed, s["forecast_possible"], strict=True)
    ]
    for key, heading in BENCHMARK_HEADINGS.items():
        values = format_values(s[key], unit, dec)
        years = s[f"{key}_year"].fillna("")
        table[heading] = [f"{v} ({y})" if v else "" for v, y in zip(values, years, strict=True)]
    if "spc_variation" in s:
        table["Variation"], table["Assurance"] = spc_words(s)
    notes = [[f["message"] for f in flags] for flags in s["flags"]]
    if "interval_uncertain_rag" in s:
        notes = [[u, *n] if u else n for u, n in zip(uncertain_notes(s), notes, strict=True)]
    table["Notes"] = ["; ".join(n) for n in notes]
    if "activity" in set(s["kind"]):
        activity = (s["kind"] == "activity").to_numpy()
        for col in ("RAG (month)", "RAG (yr end)"):
            table.loc[activity, col] = "Activity"
    show_hidden(table, s, {**months, **SHOWN_AS})
    return table


def _arrows(direction: pd.Series, change: pd.Series) -> list[str]:
    return [
        ""
        if not isinstance(d, str)
        else f"{ARROWS[d]} {c}"
        if c not in ("not applicable",)
        else ARROWS[d]
        for d, c in zip(direction, change, strict=True)
    ]
