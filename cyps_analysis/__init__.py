"""cyps-analysis: scorecards, benchmarking and narrative for Children and Young People's
Services performance reporting."""

from __future__ import annotations

import importlib

#: Each public name and the module it lives in (imported on first use, so that
#: importing the package stays quick).
_HOME: dict[str, str] = {
    "Band": "cyps_analysis.rules.bands",
    "Bands": "cyps_analysis.rules.bands",
    "CypsError": "cyps_analysis.exceptions",
    "Dataset": "cyps_analysis.dataset.load",
    "DatasetError": "cyps_analysis.exceptions",
    "Narrative": "cyps_analysis.narrative.build",
    "NarrativeSettings": "cyps_analysis.dataset.narrative_settings",
    "Period": "cyps_analysis.rules.periods",
    "PeriodError": "cyps_analysis.exceptions",
    "Problem": "cyps_analysis.exceptions",
    "PublishedData": "cyps_analysis.sources.published",
    "Settings": "cyps_analysis.dataset.load",
    "benchmark_indicators": "cyps_analysis.benchmarking.to_neighbours",
    "compare_to_neighbours": "cyps_analysis.benchmarking.to_neighbours",
    "run_pack": "cyps_analysis.reports.pack",
    "build_narrative": "cyps_analysis.narrative.build",
    "build_scorecard": "cyps_analysis.scorecard.build",
    "build_scorecards": "cyps_analysis.scorecard.build",
    "change_given_polarity": "cyps_analysis.rules.direction",
    "compare_authorities": "cyps_analysis.benchmarking.compare",
    "direction_of_travel": "cyps_analysis.rules.direction",
    "load_dataset": "cyps_analysis.dataset.load",
    "load_published": "cyps_analysis.sources.load",
    "narrative_to_dict": "cyps_analysis.narrative.build",
    "narrative_to_markdown": "cyps_analysis.narrative.build",
    "parse_band": "cyps_analysis.rules.bands",
    "parse_period": "cyps_analysis.rules.periods",
    "rate_rag": "cyps_analysis.rules.rag",
    "read_ees": "cyps_analysis.sources.ees",
    "read_lait": "cyps_analysis.sources.lait",
    "read_neighbours": "cyps_analysis.sources.neighbours",
    "resolve_authority": "cyps_analysis.sources.authorities",
    "round_half_up": "cyps_analysis.rules.rounding",
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
