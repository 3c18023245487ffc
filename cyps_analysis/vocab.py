"""The kit's words, each defined once: the kinds, polarities, units (and what a ratio of
each is multiplied by, and the values each can take), aggregation rules, frequencies,
year types, RAG ratings and flag codes that the dataset's files and the outputs use.
See docs/dataset.md and docs/method.md."""

from __future__ import annotations

import math

KINDS: tuple[str, ...] = ("benchmarking", "activity")
POLARITIES: tuple[str, ...] = ("high", "low", "none")
UNITS: tuple[str, ...] = ("percent", "rate_per_10k", "days", "count", "score")
#: What a numerator over a denominator is multiplied by, by unit (1 for the others).
UNIT_SCALE: dict[str, float] = {"percent": 100.0, "rate_per_10k": 10_000.0}
#: The values each unit can take: (lowest, highest).
UNIT_RANGE: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "rate_per_10k": (0.0, 10_000.0),
    "days": (0.0, math.inf),
    "count": (0.0, math.inf),
    "score": (-math.inf, math.inf),
}
AGGREGATIONS: tuple[str, ...] = ("ratio", "snapshot", "sum", "mean", "rolling12", "annual")
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "annual")
#: Months from one value to the next, by frequency.
FREQUENCY_STEP: dict[str, int] = {"monthly": 1, "quarterly": 3, "annual": 12}
YEAR_TYPES: tuple[str, ...] = ("financial", "academic", "calendar")
#: The calendar month (1-12) in which each kind of year starts.
YEAR_START_MONTH: dict[str, int] = {"financial": 4, "academic": 9, "calendar": 1}
RAG_VALUES: tuple[str, ...] = ("Red", "Amber", "Green")
BAND_NAMES: tuple[str, ...] = ("red", "amber", "green")
#: The scorecard's benchmark columns.
BENCHMARKS: tuple[str, ...] = (
    "stat_neighbour_avg",
    "best_stat_neighbour",
    "national_avg",
    "top_quartile",
    "regional_avg",
)
#: Flag codes, in the order a scorecard row lists them (docs/method.md#flags).
FLAG_CODES: tuple[str, ...] = (
    "missing_months",
    "zero_denominator",
    "small_denominator",
    "partial_quarter",
    "incomplete_rolling12",
    "no_target",
    "not_yet_published",
    "amber_improving",
)
#: Sections of analysts' commentary, and how a commentary row is used.
COMMENTARY_SECTIONS: tuple[str, ...] = ("working_well", "challenges", "summary")
COMMENTARY_MODES: tuple[str, ...] = ("replace", "add")
