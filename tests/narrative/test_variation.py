"""The narrative's SPC words: each kind of special cause, a special cause that runs
against the year's comparison said without "improvement" or "concern", and the
qualifier for common-cause movement."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.narrative.variation import special_cause_phrases, within_normal_variation


def facts(**columns) -> pd.DataFrame:
    base = {
        "frequency": "monthly",
        "polarity": "high",
        "change": "improving",
        "direction": "up",
        "spc_variation": "special_cause_improvement",
        "spc_latest_rules": [["shift"]],
        "spc_run": 9,
    }
    return pd.DataFrame({**base, **columns}, index=[0])


def test_each_kind_of_special_cause_in_words():
    assert special_cause_phrases(facts(spc_latest_rules=[["trend"]], spc_run=7))[0] == (
        "a sustained improvement: 7 months in a row, each higher than the one before"
    )
    two = facts(spc_latest_rules=[["two_in_three"]], frequency="quarterly", polarity="low",
                spc_variation="special_cause_concern", change="declining")  # fmt: skip
    assert special_cause_phrases(two)[0] == (
        "a special cause of concern: two of the last three quarters close to the upper "
        "process limit"
    )
    # Outside the limits is said first, whatever else flags the point.
    both = facts(spc_latest_rules=[["outside_limits", "shift"]])
    assert special_cause_phrases(both)[0] == (
        "a special cause of improvement: above the upper process limit"
    )


def test_a_special_cause_against_the_years_comparison_is_said_plainly():
    # Up on last year (declining, lower is better) but the latest point is in a run
    # below the mean: both are true; the sentence does not call it an improvement.
    against = facts(polarity="low", change="declining", direction="up")
    assert special_cause_phrases(against)[0] == "a sustained change: 9 months below the average"


def test_common_cause_movement_is_qualified():
    f = pd.concat(
        [
            facts(spc_variation="common_cause"),
            facts(spc_variation="common_cause", direction="same"),
            facts(),
        ],
        ignore_index=True,
    )
    assert within_normal_variation(f).tolist() == [True, False, False]
    assert special_cause_phrases(f).tolist()[:2] == ["", ""]
