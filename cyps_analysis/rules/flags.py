"""Flags: what a reader must know about a scorecard row's figures (missing months, no
cases, small numbers, a quarter to date, an incomplete rolling year, no target, not yet
published). See ``docs/method.md#flags``.

Each rule is a mask over all rows at once; messages are written once per distinct
pattern (of months, say) rather than once per row.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.rules.aggregation import MonthGrid, WindowValues, unit_scale
from cyps_analysis.rules.disclosure import small
from cyps_analysis.rules.periods import Period, month_label

#: What a note of the RAG rule (rules.rag.rate_rows) tells a reader, by RAG column.
RAG_NOTES: dict[str, dict[str, str]] = {
    "amber_improving": {
        "rag_month": "Amber, not Red: the month is off target but better than the month before",
        "rag_year": "Amber, not Red: the year to date is off target but better than last year",
    },
}


def _listing(mask: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> list[str]:
    """For each of ``rows``, the ``labels`` of its columns set in ``mask``, joined by
    commas; each distinct set of columns is written once."""
    if not len(rows):
        return []
    distinct, inverse = np.unique(mask[rows], axis=0, return_inverse=True)
    texts = [", ".join(labels[d]) for d in distinct]
    return [texts[i] for i in inverse.reshape(-1)]


def flag_rows(
    grid: MonthGrid,
    ind: pd.DataFrame | Mapping[str, np.ndarray],
    period: Period,
    ys: np.ndarray,
    windows: dict[str, WindowValues],
    *,
    has_target: np.ndarray,
    small_at: np.ndarray,
    year_text: np.ndarray,
    rag_notes: Mapping[str, np.ndarray] | None = None,
    min_count: int | None = None,
) -> np.ndarray:
    """Each row's flags, as a list of ``{"code", "message"}`` dicts in a fixed order of
    codes (an object array of lists).

    ``ind`` holds the rows' ``frequency``, ``aggregation``, ``unit`` and ``kind`` (a
    frame, or arrays by name: fixed-width text compares fastest); ``grid`` and
    ``windows`` hold the rows' months and windows (``quarter``, ``outturn``); ``ys`` each row's first month of its year; ``has_target`` whether
    the year has bands; ``small_at`` the authority's small-denominator threshold;
    ``year_text`` each row's year as written; ``rag_notes`` the notes of
    :func:`~cyps_analysis.rules.rag.rate_rows` by RAG column (``rag_month``,
    ``rag_year``), each flagged in the words of ``RAG_NOTES``; ``min_count`` (in a
    published pack) hides a number of cases below it as "fewer than N".
    """
    n = len(ys)
    end = period.end
    cols = np.arange(grid.present.shape[1])
    months = grid.start + cols
    freq = np.asarray(ind["frequency"])[:, None]
    aggregation = np.asarray(ind["aggregation"])
    unit = np.asarray(ind["unit"])
    # The months a value is expected in, by frequency: every month; a quarter's last
    # month; the last month of the indicator's year (one pattern for each of the twelve
    # months a year can end in).
    patterns = np.vstack(
        [np.ones(len(months), dtype=bool), months % 3 == 2, months % 12 == np.arange(12)[:, None]]
    )
    year_end_month = (ys % 12 + 11) % 12
    pattern = np.where(
        freq[:, 0] == "quarterly", 1, np.where(freq[:, 0] == "annual", 2 + year_end_month, 0)
    )
    in_period = (months >= period.start) & (months <= end)
    in_scope = (months >= ys[:, None]) | in_period
    missing = patterns[pattern] & in_scope & ~grid.present
    found: list[tuple[str, np.ndarray, object]] = []

    labels = np.array([month_label(m) for m in months])
    rows = np.flatnonzero(missing.any(axis=1))
    found.append(
        ("missing_months", rows, ["No value for " + t for t in _listing(missing, labels, rows)])
    )

    rolling = aggregation == "rolling12"
    pooled = (aggregation == "ratio") | (rolling & (unit_scale(unit) != 1.0))
    # A window of the period (each of its months, the quarter, the year to date) whose
    # denominators sum to zero, so that it has no value; a month of 0 cases inside a
    # window with cases leaves that window's value standing (docs/method.md#flags).
    own = grid.column(list(period.months))
    rolling_pooled = pooled & rolling
    every = np.arange(n)[:, None]
    rolled_count = grid.rolled_at("count", every, own)  # each of the period's months
    month_zero = np.where(
        rolling_pooled[:, None],
        (rolled_count > 0) & (grid.rolled_at("denominator", every, own) == 0),
        pooled[:, None] & grid.present[:, own] & (grid.denominator[:, own] == 0),
    )
    ratio = pooled & ~rolling_pooled
    zero_den = np.concatenate(
        [
            month_zero,
            (ratio & (windows["quarter"].denominator == 0))[:, None],
            (ratio & (windows["outturn"].denominator == 0))[:, None],
        ],
        axis=1,
    )
    zero_labels = np.array([*labels[own], "the quarter", "the year to date"])
    rows = np.flatnonzero(zero_den.any(axis=1))
    found.append(
        (
            "zero_denominator",
            rows,
            ["No cases (denominator 0) in " + t for t in _listing(zero_den, zero_labels, rows)],
        )
    )

    last = grid.present.shape[1] - 1
    den_month = np.where(
        rolling, grid.rolled_at("denominator", every[:, 0], last), grid.denominator[:, -1]
    )
    parts = {
        "the month": den_month,
        "the quarter": windows["quarter"].denominator,
        "the year to date": windows["outturn"].denominator,
    }
    is_small = {label: pooled & (den > 0) & (den < small_at) for label, den in parts.items()}
    rows = np.flatnonzero(np.logical_or.reduce(list(is_small.values())))

    def cases(count: float) -> str:
        if min_count is not None and small([count], min_count)[0]:
            return f"fewer than {min_count} cases"
        return f"{count:g} cases"

    texts = [
        "; ".join(f"{label}: {cases(parts[label][i])}" for label in parts if is_small[label][i])
        for i in rows
    ]
    found.append(
        (
            "small_denominator",
            rows,
            [
                f"Small numbers ({t}; fewer than {small_at[i]}): treat percentages with caution"
                for t, i in zip(texts, rows, strict=True)
            ],
        )
    )

    if period.kind == "month" and end % 3 != 2:
        found.append(
            (
                "partial_quarter",
                np.arange(n),
                f"The quarter is to date: {end % 3 + 1} of its 3 months",
            )
        )
    # Any of the period's months, not just the last: each is shown, blank if incomplete.
    incomplete = rolling & (grid.present[:, own] & (rolled_count < 12)).any(axis=1)
    found.append(
        (
            "incomplete_rolling12",
            np.flatnonzero(incomplete),
            "Fewer than 12 months recorded: no rolling twelve-month value",
        )
    )
    rows = np.flatnonzero((np.asarray(ind["kind"]) == "benchmarking") & ~has_target)
    found.append(("no_target", rows, [f"No target for {y}: not rated" for y in year_text[rows]]))
    rows = np.flatnonzero((aggregation == "annual") & np.isnan(windows["outturn"].value))
    found.append(("not_yet_published", rows, [f"No value yet for {y}" for y in year_text[rows]]))

    for column, notes in (rag_notes or {}).items():
        for code, words in RAG_NOTES.items():
            rows = np.flatnonzero(np.asarray(notes, dtype=object) == code)
            found.append((code, rows, words[column]))

    flags: list[list[dict[str, str]]] = [[] for _ in range(n)]
    for code, rows, messages in found:
        if isinstance(messages, str):
            for i in rows.tolist():
                flags[i].append({"code": code, "message": messages})
        else:
            for i, message in zip(rows.tolist(), messages, strict=True):
                flags[i].append({"code": code, "message": message})
    return np.fromiter(flags, dtype=object, count=n)
