"""The narrative's words (``wording.py``): numbers by unit, and, for any values, verbs
that agree with the numbers and the polarity (a property-based test)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.narrative.wording import (
    bullet_texts,
    format_numbers,
    format_targets,
    month_words,
)
from cyps_analysis.rules.direction import change_given_polarity, direction_of_travel


def test_numbers_by_unit():
    assert format_numbers(
        [92.45, 310.66, 345.0, 11692.0, 0.726, 105.25, np.nan],
        ["percent", "rate_per_10k", "days", "count", "rate_per_10k", "score", "percent"],
        [1, 1, 0, 0, 2, 1, 1],
    ).tolist() == ["92.5%", "310.7", "345 days", "11,692", "0.73", "105.3", ""]


def test_targets_as_written_without_trailing_zeros():
    assert format_targets([90.0, 76.0, 227.1, 1200.0, -0.5], ["percent"] * 2 + ["rate_per_10k", "count", "score"]).tolist() == [
        "90%",
        "76%",
        "227.1",
        "1,200",
        "-0.5",
    ]  # fmt: skip


def test_month_words():
    assert month_words("2024-03") == "March 2024"


def facts_frame(value, previous, polarity, section, kind="benchmarking") -> pd.DataFrame:
    direction = direction_of_travel([value], [previous], 1)
    return pd.DataFrame(
        {
            "title": ["Measure"],
            "value": [value],
            "comparator_value": [previous],
            "unit": ["percent"],
            "decimals": [1],
            "polarity": [polarity],
            "neutral": [kind == "activity"],
            "direction": direction,
            "change": change_given_polarity(direction, [polarity], [kind]),
            "section": [section],
            "target": [np.nan],
            "target_for_year": [False],
            "caution": [""],
            "record": [None],
            "record_since": [None],
            "comparator_when": ["year"],
            "comparator_year": ["2023/24"],
            "comparator_month": ["2024-03"],
            "stat_neighbour_avg_relation": [None],
            "national_avg_relation": [None],
            "stat_neighbour_avg_year": [None],
            "national_avg_year": [None],
            "stat_neighbour_avg_year_stated": [False],
            "national_avg_year_stated": [False],
        }
    )


values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1))


@settings(max_examples=300, deadline=None)
@given(
    value=values,
    previous=values,
    polarity=st.sampled_from(["high", "low"]),
    section=st.sampled_from(["working_well", "challenges"]),
    activity=st.booleans(),
)
def test_words_never_contradict_the_numbers(value, previous, polarity, section, activity):
    kind = "activity" if activity else "benchmarking"
    polarity = "none" if activity else polarity
    [text] = bullet_texts(facts_frame(value, previous, polarity, section, kind)).tolist()
    better = (polarity == "high" and value > previous) or (polarity == "low" and value < previous)
    if "improv" in text:
        assert better, text
    if "reduced to" in text or "fell to" in text or "decreased to" in text:
        assert value < previous, text
    if "increased to" in text:
        assert value > previous, text
    if "the same as" in text:
        assert value == previous, text
    assert f"{value:.1f}%" in text and f"{previous:.1f}% in 2023/24" in text
