"""Next year's targets proposed for a dataset: each indicator's evidence (its last full
year's outturn and benchmarks, its earlier outturns, this year's bands) gathered from
scorecards and put to :func:`cyps_analysis.rules.targets.propose`. See
docs/method.md#proposed-targets and the ``targets`` command."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.exceptions import CypsError
from cyps_analysis.rules.bands import parse_bands
from cyps_analysis.rules.periods import month_key, parse_period, year_label, year_start
from cyps_analysis.rules.targets import Evidence, propose
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.history import year_outturns

#: The columns of a proposal table: those of targets.csv, then why.
COLUMNS: tuple[str, ...] = (
    "indicator", "year", "red", "amber", "green", "national_standard", "rule", "reasoning",
)  # fmt: skip
_YEAR = re.compile(r"^\s*(\d{4})[/-](\d{2})\s*$")


def propose_targets(dataset: Dataset, year: str, *, rule: str | None = None) -> pd.DataFrame:
    """Proposed Red, Amber and Green bands for ``year`` (``2025/26``) of every
    benchmarking indicator with a polarity, with the rule used and the reasoning.

    ``rule`` overrides the settings' ``targets: {rule: ...}``. Each indicator's bands
    are for its own year that holds ``year``'s last month (academic 2025/26, calendar
    2026 for ``2025/26``). Its evidence is its last full year ending before ``year``
    starts (2024/25 for a financial indicator, the academic year to August 2024, the
    calendar year 2024), as that year's last month's scorecard gives it.

    Examples
    --------
    >>> from pathlib import Path
    >>> import cyps_analysis
    >>> demo = cyps_analysis.load_dataset(Path(cyps_analysis.__file__).parents[1] / "data" / "demo")
    >>> table = propose_targets(demo, "2025/26")
    >>> list(table.columns)[:5]
    ['indicator', 'year', 'red', 'amber', 'green']
    """
    first = _first_month(year)
    rule = rule or dataset.settings.target_rule
    ind = dataset.indicators
    chosen = ind[(ind["kind"] == "benchmarking") & ind["polarity"].isin(["high", "low"])]
    year_type = chosen["year_type"].to_numpy(dtype=object)
    # The year each indicator's last full year ends in: the year holding the month
    # before ``year`` starts, if it ends there; else the one before it.
    before = np.full(len(chosen), first - 1)
    starts = year_start(before, year_type) if len(chosen) else before
    ends = np.where(starts + 11 == before, before, starts - 1)
    rows = []
    for end in sorted(set(ends.tolist())):
        ids = chosen["id"].to_numpy()[ends == end]
        card = build_scorecard(dataset, month_key(end)).set_index("id").loc[ids].reset_index()
        history = year_outturns(dataset, card, parse_period(month_key(end + 1)))
        for i, row in card.iterrows():
            earlier = history.iloc[i].to_numpy(dtype="float64")
            evidence = _evidence(row, end, earlier)
            proposal = propose(evidence, rule=rule)
            rows.append(
                {
                    "indicator": row["id"],
                    "year": year_label(
                        int(year_start(first + 11, row["year_type"])), row["year_type"]
                    ),
                    "red": proposal.red,
                    "amber": proposal.amber,
                    "green": proposal.green,
                    "national_standard": None,
                    "rule": proposal.rule,
                    "reasoning": proposal.reasoning,
                }
            )
    order = {i: k for k, i in enumerate(chosen["id"])}
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def _first_month(year: str) -> int:
    """The first month of the financial year written ``2025/26`` (or ``2025-26``)."""
    m = _YEAR.match(str(year))
    if not m or int(m[2]) != (int(m[1]) + 1) % 100:
        raise CypsError(f"{year!r} is not a year: write the year to propose for as e.g. 2025/26")
    return int(m[1]) * 12 + 3


def _evidence(row: pd.Series, end: int, earlier: np.ndarray) -> Evidence:
    """One scorecard row (of its last full year) as the evidence for a proposal."""
    decimals = int(row["decimals"])
    ys = int(year_start(end, row["year_type"]))
    bands = None
    width = math.nan
    if isinstance(row["green"], str):
        bands = (row["red"] or "-", row["amber"] or "-", row["green"])
        parsed = {k: parse_bands(pd.Series([row[k] or "-"])).iloc[0] for k in ("red", "green")}
        if row["polarity"] == "high":
            width = parsed["green"]["lo"] - parsed["red"]["hi"]
        else:
            width = parsed["red"]["lo"] - parsed["green"]["hi"]
        width = width if np.isfinite(width) else math.nan
    return Evidence(
        polarity=row["polarity"],
        unit=row["unit"],
        decimals=decimals,
        last=_number(row["outturn"]),
        last_year=year_label(ys, row["year_type"]),
        stat_neighbour_avg=_number(row["stat_neighbour_avg"]),
        national_avg=_number(row["national_avg"]),
        top_quartile=_number(row["top_quartile"]),
        benchmark_year=str(row["stat_neighbour_avg_year"] or row["national_avg_year"] or ""),
        history=tuple(x for x in earlier[:-1].tolist() if not math.isnan(x)),
        width=width,
        bands=bands,
    )


def _number(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)
