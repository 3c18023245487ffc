"""The scorecard: one row per indicator for a reporting period, and its exports."""

from cyps_analysis.scorecard.build import (
    BENCHMARKS,
    INDICATOR_COLUMNS,
    VALUE_COLUMNS,
    build_scorecard,
    build_scorecards,
)

__all__ = [
    "BENCHMARKS",
    "INDICATOR_COLUMNS",
    "VALUE_COLUMNS",
    "build_scorecard",
    "build_scorecards",
]
