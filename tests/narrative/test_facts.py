"""The facts behind the narrative (``narrative_facts.py``): the in-line tolerance, and a
check that no sentence contradicts the numbers.

The check reads each bullet's indicator, looks its figures up in the scorecard (built
here, for the period and for each earlier year's end), reads what the sentence claims
(its verb, "an improvement on", "the same as", above / below / in line with each
benchmark, a record, the target) and checks every claim against those figures with
rules written out here, not with the narrative's own code.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cyps_analysis import build_narrative, build_scorecard, load_dataset
from cyps_analysis.dataset.narrative_settings import NarrativeSettings
from cyps_analysis.narrative.facts import relation

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
PERIODS = ["2024-25-Q4", "2024-25-Q2", "2025-02", "2024-10", "2023-24", "2022-23-Q3"]
SETTINGS = NarrativeSettings()


@pytest.mark.parametrize(
    ("value", "benchmark", "unit", "expected"),
    [
        (86.5, 85.5, "percent", "in_line"),  # exactly 1 point
        (86.6, 85.5, "percent", "above"),
        (84.5, 85.5, "percent", "in_line"),
        (84.4, 85.5, "percent", "below"),
        (306.0, 300.0, "rate_per_10k", "in_line"),  # exactly 2%
        (306.1, 300.0, "rate_per_10k", "above"),
        (294.0, 300.0, "rate_per_10k", "in_line"),
        (293.9, 300.0, "rate_per_10k", "below"),
        (102.0, 100.0, "count", "in_line"),
        (357.0, 350.0, "days", "in_line"),
        (105.5, 105.0, "score", "in_line"),  # half a point
        (105.6, 105.0, "score", "above"),
        (85.0, np.nan, "percent", None),
    ],
)
def test_in_line_is_within_the_tolerance_inclusive(value, benchmark, unit, expected):
    assert relation([value], [benchmark], [unit], SETTINGS).tolist() == [expected]


# --- no sentence contradicts the numbers ---------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO)


@cache
def _card(month_or_period: str) -> pd.DataFrame:
    return build_scorecard(load_dataset(DEMO), month_or_period).set_index("id")


def is_month(period: str) -> bool:
    return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period) is not None


def shown(value: float, unit: str, decimals: int) -> str:
    """A number as a report shows it, written out here: 86.9%, 1,549, 417 days."""
    d = int(decimals)
    text = f"{float(value):,.{d}f}" if abs(value * 10**d - round(value * 10**d)) < 1e-6 else None
    assert text is not None, "scorecard values are rounded to their decimals"
    return text + {"percent": "%", "days": " days"}.get(unit, "")


def in_line(value: float, bench: float, unit: str) -> bool:
    allowed = {"percent": 1.0, "score": 0.5}.get(unit, 0.02 * abs(bench))
    return abs(value - bench) <= allowed + 1e-9


def claimed_benchmarks(text: str) -> dict[str, str]:
    """What the sentence says about each benchmark: above, below or in line."""
    word = r"(above|below|in line with)"
    claims: dict[str, str] = {}
    if m := re.search(rf"{word} statistical neighbour and national averages", text):
        claims = {"stat_neighbour_avg": m[1], "national_avg": m[1]}
    elif m := re.search(rf"{word} statistical neighbours but {word} the national average", text):
        claims = {"stat_neighbour_avg": m[1], "national_avg": m[2]}
    else:
        if m := re.search(rf"{word} the statistical neighbour average", text):
            claims["stat_neighbour_avg"] = m[1]
        if m := re.search(rf"(?:{word}|and) the national average", text):
            claims["national_avg"] = m[1] or claims["stat_neighbour_avg"]
    return claims


def year_end_month(label: str, year_type: str) -> str:
    first = int(label[:4])
    return {"financial": f"{first + 1}-03", "academic": f"{first + 1}-08"}.get(
        year_type, f"{first}-12"
    )


def earlier_outturns(indicator: str, year_type: str, aggregation: str, year: str) -> dict:
    """Each earlier year's outturn (label -> value) from the scorecard of its last month;
    totals with a month missing left out."""
    out = {}
    first = int(year[:4])
    for y in range(2020, first):
        label = str(y) if year_type == "calendar" else f"{y}/{(y + 1) % 100:02d}"
        row = _card(year_end_month(label, year_type)).loc[indicator]
        missing = any(f["code"] == "missing_months" for f in row["flags"])
        if pd.notna(row["outturn"]) and not (aggregation == "sum" and missing):
            out[label] = float(row["outturn"])
    return out


def check_bullet(text: str, facts: dict, card: pd.DataFrame, period: str) -> None:
    row = card.loc[facts["indicator"]]
    monthly = is_month(period)
    value = row[period if monthly else "outturn"]
    previous = row["same_month_last_year" if monthly else "previous_year_to_date"]
    unit, dec, pol = row["unit"], row["decimals"], row["polarity"]
    neutral = row["kind"] == "activity" or pol == "none"
    # The facts are the scorecard's figures.
    assert facts["value"] == pytest.approx(value)
    if pd.isna(previous):
        assert facts["comparator_value"] is None
    else:
        assert facts["comparator_value"] == pytest.approx(previous)
    assert facts["polarity"] == pol
    # The value (and last year's) are in the sentence as the report shows them.
    assert f" {shown(value, unit, dec)}" in text
    if pd.notna(previous):
        assert f" {shown(previous, unit, dec)} " in text
    # Verbs and words of change agree with the numbers and the polarity.
    up, down = value > previous, value < previous
    better = (pol == "high" and up) or (pol == "low" and down)
    worse = (pol == "high" and down) or (pol == "low" and up)
    verbs = {
        "improved to": pol == "high" and up and not neutral,
        "reduced to": pol == "low" and down and not neutral,
        "increased to": up and pol != "high",
        "fell to": down and pol == "high",
        "decreased to": down and neutral,
        "an improvement on": better and not neutral,
        "the same as": value == previous,
    }
    for phrase, true in verbs.items():
        if phrase in text:
            assert true, f"{phrase!r} contradicts {value} against {previous}: {text}"
    if worse:
        assert "improv" not in text, text
    # The section follows the headline rating.
    rag = row["rag_month" if monthly else "rag_year"]
    if rag in ("Red", "Amber"):
        assert facts["rag"] == rag
    # The target is the Green band's threshold as written.
    if m := re.search(r"\(target (?:for the year )?is ([\d,.]+)", text):
        written = re.search(r"-?\d+(?:\.\d+)?", str(row["green"]).replace(",", ""))
        assert float(m[1].replace(",", "")) == float(written[0])
    # Benchmarks: above, below and in line with agree with the scorecard's benchmarks.
    for name, claim in claimed_benchmarks(text).items():
        bench = row[name]
        assert pd.notna(bench), f"{name} claimed but missing: {text}"
        if claim == "in line with":
            assert in_line(value, bench, unit), text
        elif claim == "above":
            assert value > bench and not in_line(value, bench, unit), text
        else:
            assert value < bench and not in_line(value, bench, unit), text
    # Records: "the lowest since Y" means Y was at least as low and every year after it
    # higher; "on record" that every earlier year was higher, and there are at least 5;
    # "in the N years recorded (since Y)" that there are fewer, from Y.
    if m := re.search(
        r"the (lowest|highest) (since (\S+?)|on record|in the (\d+) years recorded \(since (\S+?)\))[,.]",
        text,
    ):
        history = earlier_outturns(
            facts["indicator"], row["year_type"], row["aggregation"], row["year"]
        )
        lowest = m[1] == "lowest"
        assert down if lowest else up
        beats = (lambda h: h > value) if lowest else (lambda h: h < value)
        if m[4] is not None:
            assert len(history) == int(m[4]) - 1 < 5 and all(beats(h) for h in history.values())
        elif m[3] is None:
            assert len(history) >= 5 and all(beats(h) for h in history.values()), history
        else:
            since = m[3]
            assert not beats(history[since]), history
            after = [h for label, h in history.items() if label > since]
            assert len(after) >= 2 and all(beats(h) for h in after), history


@pytest.mark.parametrize("period", PERIODS)
def test_no_sentence_contradicts_the_scorecard(demo, period: str):
    narrative = build_narrative(demo, period)
    card = _card(period)
    generated = narrative.bullets[
        (narrative.bullets["source"] == "generated") & narrative.bullets["indicator"].notna()
    ]
    assert len(generated) >= 10
    for text, facts in zip(generated["text"], generated["facts"], strict=True):
        check_bullet(text, facts, card, period)


@pytest.mark.parametrize("period", PERIODS)
def test_summary_counts_agree_with_the_scorecard(demo, period: str):
    narrative = build_narrative(demo, period)
    card = _card(period)
    monthly = is_month(period)
    rag = card["rag_month" if monthly else "rag_year"]
    summary = narrative.section(None, "summary")
    counts, moves, worst = summary[summary["source"] == "generated"]["facts"].tolist()
    assert counts["rated"] == rag.notna().sum()
    assert (counts["red"], counts["amber"], counts["green"]) == tuple(
        int((rag == r).sum()) for r in ("Red", "Amber", "Green")
    )
    value = card[period if monthly else "outturn"]
    previous = card["same_month_last_year" if monthly else "previous_year_to_date"]
    judged = (card["kind"] == "benchmarking") & card["polarity"].isin(["high", "low"])
    judged &= value.notna() & previous.notna()
    high = card["polarity"] == "high"
    improving = judged & ((high & (value > previous)) | (~high & (value < previous)))
    declining = judged & ((high & (value < previous)) | (~high & (value > previous)))
    assert moves == {
        "improving": int(improving.sum()),
        "declining": int(declining.sum()),
        "no_change": int((judged & (value == previous)).sum()),
    }
    assert all(rag[i] in ("Red", "Amber") for i in worst["indicators"])
    assert worst["rags"] == [rag[i] for i in worst["indicators"]]


def test_the_demo_states_a_record_a_target_and_every_kind_of_benchmark_claim(demo):
    """So that the checks above have something to check."""
    texts = " ".join(build_narrative(demo, "2024-25-Q4").bullets["text"])
    for phrase in (
        "years recorded (since 2021/22)",
        "the lowest since",
        "(target is",
        "in line with",
        "above statistical",
        "below statistical",
        "an improvement on",
        "at the same time last year",
    ):
        assert phrase in texts, phrase
