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


def test_a_special_cause_of_concern_gets_a_deep_dive():
    import pandas as pd

    from cyps_analysis.reports.report import needs_deep_dive

    # A quarter: the headline is the year to date's RAG and change. Green and improving
    # but a special cause of concern at the latest point: a deep dive; Amber and
    # improving with common cause: none; Red: always; an improvement: none.
    card = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "service_area": "Area A",
            "kind": "benchmarking",
            "rag_year": ["Green", "Amber", "Red", "Green"],
            "dot_year_change": ["improving", "improving", "improving", "declining"],
            "spc_variation": [
                "special_cause_concern",
                "common_cause",
                None,
                "special_cause_improvement",
            ],
        }
    )
    card.attrs["months"] = ["2025-01", "2025-02", "2025-03"]
    assert needs_deep_dive(card).tolist() == [True, False, True, False]


def test_a_prepared_report_is_read_instead_of_the_data(tmp_path):
    import shutil

    import pandas as pd

    from cyps_analysis.reports.report import open_report, save_prepared
    from tests.conftest import write_dataset

    data = write_dataset(tmp_path / "data")
    opened = open_report(data, "2024-25-Q4")
    save_prepared(opened, tmp_path / "report.pickle")
    shutil.rmtree(data)
    read = open_report(data, "2024-25-Q4", prepared=tmp_path / "report.pickle")
    pd.testing.assert_frame_equal(read.scorecard, opened.scorecard)
    assert read.period == opened.period and read.authority == "Test Borough"
    # What the notebooks all use was worked out before saving, not again in each.
    assert {"history", "spc_points", "comparisons"} <= set(vars(read))
    pd.testing.assert_frame_equal(read.history, opened.history)


def test_a_prepared_file_no_longer_there_loads_the_data(tmp_path):
    from cyps_analysis.reports.report import open_report
    from tests.conftest import write_dataset

    data = write_dataset(tmp_path / "data")
    gone = tmp_path / "run-over" / "report.pickle"
    report = open_report(data, "2024-25-Q4", prepared=gone)
    assert report.authority == "Test Borough" and report.period.label == "2024-25-Q4"
