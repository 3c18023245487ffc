"""cyps-analysis: scorecards, benchmarking and narrative for Children and Young People's
Services performance reporting."""

from __future__ import annotations

import importlib

#: Each public name and the module it lives in (imported on first use, so that
#: importing the package stays quick).
_HOME: dict[str, str] = {
    "Band": "cyps_analysis.thresholds",
    "Bands": "cyps_analysis.thresholds",
    "CypsError": "cyps_analysis.exceptions",
    "Dataset": "cyps_analysis.dataset",
    "DatasetError": "cyps_analysis.exceptions",
    "Narrative": "cyps_analysis.narrative",
    "NarrativeSettings": "cyps_analysis.narrative_settings",
    "Period": "cyps_analysis.periods",
    "PeriodError": "cyps_analysis.exceptions",
    "Problem": "cyps_analysis.exceptions",
    "PublishedData": "cyps_analysis.published",
    "Settings": "cyps_analysis.dataset",
    "benchmark_indicators": "cyps_analysis.dataset_benchmarks",
    "build_narrative": "cyps_analysis.narrative",
    "build_scorecard": "cyps_analysis.scorecard",
    "build_scorecards": "cyps_analysis.scorecard",
    "change_given_polarity": "cyps_analysis.direction",
    "compare_authorities": "cyps_analysis.benchmarking",
    "direction_of_travel": "cyps_analysis.direction",
    "load_dataset": "cyps_analysis.dataset",
    "load_published": "cyps_analysis.published_benchmarks",
    "narrative_to_dict": "cyps_analysis.narrative",
    "narrative_to_markdown": "cyps_analysis.narrative",
    "parse_band": "cyps_analysis.thresholds",
    "parse_period": "cyps_analysis.periods",
    "rate_rag": "cyps_analysis.rag",
    "read_ees": "cyps_analysis.ees",
    "read_lait": "cyps_analysis.lait",
    "read_neighbours": "cyps_analysis.neighbours",
    "resolve_authority": "cyps_analysis.authorities",
    "round_half_up": "cyps_analysis.rounding",
}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cyps_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
