"""cyps-analysis: scorecards, benchmarking and narrative for Children and Young People's
Services performance reporting."""

from cyps_analysis.authorities import resolve_authority
from cyps_analysis.benchmarking import compare_authorities
from cyps_analysis.dataset import Dataset, Settings, load_dataset
from cyps_analysis.dataset_benchmarks import benchmark_indicators
from cyps_analysis.direction import change_given_polarity, direction_of_travel
from cyps_analysis.ees import read_ees
from cyps_analysis.exceptions import CypsError, DatasetError, PeriodError, Problem
from cyps_analysis.lait import read_lait
from cyps_analysis.narrative import (
    Narrative,
    build_narrative,
    narrative_to_dict,
    narrative_to_markdown,
)
from cyps_analysis.narrative_settings import NarrativeSettings
from cyps_analysis.neighbours import read_neighbours
from cyps_analysis.periods import Period, parse_period
from cyps_analysis.published import PublishedData
from cyps_analysis.published_benchmarks import load_published
from cyps_analysis.rag import rate_rag
from cyps_analysis.rounding import round_half_up
from cyps_analysis.scorecard import build_scorecard, build_scorecards
from cyps_analysis.thresholds import Band, Bands, parse_band

__all__ = [
    "Band",
    "Bands",
    "CypsError",
    "Dataset",
    "DatasetError",
    "Narrative",
    "NarrativeSettings",
    "Period",
    "PeriodError",
    "Problem",
    "PublishedData",
    "Settings",
    "benchmark_indicators",
    "build_narrative",
    "build_scorecard",
    "build_scorecards",
    "change_given_polarity",
    "compare_authorities",
    "direction_of_travel",
    "load_dataset",
    "load_published",
    "narrative_to_dict",
    "narrative_to_markdown",
    "parse_band",
    "parse_period",
    "rate_rag",
    "read_ees",
    "read_lait",
    "read_neighbours",
    "resolve_authority",
    "round_half_up",
]
