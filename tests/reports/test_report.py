"""The benchmarking report's words for a comparison follow the narrative's in-line rule."""

from __future__ import annotations

import numpy as np

from cyps_analysis.dataset.narrative_settings import NarrativeSettings
from cyps_analysis.reports.benchmarking_page import comparison_words


def test_in_line_as_the_narrative_says_it():
    # NEET 4.7% against 5.6%: 0.9 points, within the default 1-point tolerance for
    # percentages, so "in line with" (before the fix: "better (lower)"). 4.5 against 5.6
    # is 1.1 points: better (lower) for a low-is-good measure. A rate per 10,000 is in
    # line within 2% of the benchmark: 306 vs 300 is 2.0% (in line), 307 is 2.3%.
    words = comparison_words(
        np.array([4.7, 4.5, 306.0, 307.0, 80.0, np.nan]),
        np.array([5.6, 5.6, 300.0, 300.0, 90.0, 1.0]),
        np.array(["percent", "percent", "rate_per_10k", "rate_per_10k", "percent", "percent"]),
        np.array(["low", "low", "none", "none", "high", "high"]),
        NarrativeSettings(),
    )
    assert words == [
        "in line with",
        "better (lower)",
        "in line with",
        "higher",
        "worse (lower)",
        "",
    ]
