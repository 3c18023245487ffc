"""The narrative's sentences on where the year is heading and why a rate moved."""

from __future__ import annotations

from cyps_analysis import build_narrative, build_scorecard, load_dataset
from cyps_analysis.narrative.facts import indicator_facts
from cyps_analysis.narrative.whats_next import whats_next_sentences
from cyps_analysis.rules.periods import parse_period
from tests.conftest import INDICATORS, write_dataset


def _sentences(dataset, period):
    p = parse_period(period)
    card = build_scorecard(dataset, p)
    facts = indicator_facts(dataset, card, p, dataset.settings.narrative)
    return dict(zip(card["id"], whats_next_sentences(card, facts, p), strict=True))


def test_a_month_whose_year_heads_elsewhere(tmp_path):
    # conftest: assessments in month n are 80+n of 100. January 2025 (n = 1) is 81%:
    # Red (<82%). The year to date, Apr-24 to Jan-25, is 792 + 81 = 873 of 1,000 =
    # 87.3%: Amber for the year at this pace. For 90% the 2 months left (100 cases
    # each) need 0.9 x 1,200 - 873 = 207 of 200: 103.5%, out of reach.
    dataset = load_dataset(write_dataset(tmp_path / "d"))
    got = _sentences(dataset, "2025-01")
    assert got["assess45"] == (
        " At this pace the year ends at 87.3% (Amber); the remaining 2 months need 103.5%,"
        " which is out of reach."
    )
    narrative = build_narrative(dataset, "2025-01")
    texts = " ".join(narrative.bullets["text"])
    assert "At this pace the year ends at 87.3% (Amber)" in texts


def test_no_forecast_sentence_where_the_rating_stays(tmp_path):
    # December 2024: the month is 92% (Green) and the year to date 88.0% (Amber): they
    # differ, so a sentence; in Q4 no month is left: none.
    dataset = load_dataset(write_dataset(tmp_path / "d"))
    assert _sentences(dataset, "2024-25-Q4")["assess45"] == ""


def test_a_rate_that_moved_with_its_denominator(tmp_path):
    # Dec-23 640 of 20,000 (320.0 per 10,000), Dec-24 650 of 21,000 (309.5): the change
    # -10.48 is -15.48 from the denominator (more than half) and +5.0 from the
    # numerator. The population grew 5.0% (21,000 / 20,000); the children counted rose
    # 1.6% (650 / 640 = 1.0156).
    indicators = INDICATORS + (
        "cin_n,CIN from counts,Children's Social Care,benchmarking,low,rate_per_10k,1,"
        "snapshot,monthly,financial\n"
    )
    obs = "indicator,month,value,numerator,denominator\n"
    obs += "cin_n,2023-12,320.0,640,20000\ncin_n,2024-12,309.5,650,21000\n"
    dataset = load_dataset(write_dataset(tmp_path / "d", indicators=indicators, observations=obs))
    got = _sentences(dataset, "2024-25-Q3")["cin_n"]
    assert got == (
        " The rate fell mainly because what it is measured against grew (+5.0%);"
        " the number counted rose by 1.6%."
    )
