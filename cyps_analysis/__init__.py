"""cyps-analysis: scorecards, benchmarking and narrative for Children and Young People's
Services performance reporting."""

from cyps_analysis.dataset import Dataset, Settings, load_dataset
from cyps_analysis.direction import change_given_polarity, direction_of_travel
from cyps_analysis.exceptions import CypsError, DatasetError, PeriodError, Problem
from cyps_analysis.narrative import (
    Narrative,
    build_narrative,
    narrative_to_dict,
    narrative_to_markdown,
)
from cyps_analysis.narrative_settings import NarrativeSettings
from cyps_analysis.periods import Period, parse_period
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
    "Settings",
    "build_narrative",
    "build_scorecard",
    "build_scorecards",
    "change_given_polarity",
    "direction_of_travel",
    "load_dataset",
    "narrative_to_dict",
    "narrative_to_markdown",
    "parse_band",
    "parse_period",
    "rate_rag",
    "round_half_up",
]
