"""The vectorised scorecard against a plain, indicator-by-indicator reading of
docs/method.md (``tests/oracle.py``), on synthetic datasets, on the demo data and on
many authorities at once.

The oracle is checked first against figures worked out by hand, and the comparison is
shown to catch a wrong figure, so that agreement means something.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cyps_analysis import build_scorecard, build_scorecards, load_dataset
from tests import oracle, synthetic
from tests.conftest import write_dataset

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
# Months, quarters (the last, and mid-year ones) and years; months at the edges of the
# three kinds of year (March, August, September, December, January).
PERIODS = (
    "2024-25-Q4",
    "2024-25-Q2",
    "2024-25-Q3",
    "2023-24-Q1",
    "2024-25",
    "2023-24",
    "2025-03",
    "2025-02",
    "2025-01",
    "2024-12",
    "2024-09",
    "2024-08",
    "2024-05",
)


def _assert_agrees(card, dataset, period):
    problems = oracle.differences(card, oracle.expected_scorecard(dataset, period))
    assert problems == [], "\n".join(problems)


# --- the oracle itself, against figures worked out by hand -----------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load_dataset(write_dataset(tmp_path_factory.mktemp("small") / "small"))


def test_oracle_matches_hand_worked_figures(small):
    # conftest: month n of the year has contacts 100+n, assessments 80+n of 100 and a
    # CIN rate of 220 + n/10. Q4 2024/25 is Jan-Mar 2025 (n = 1..3); the year to date
    # is Apr 2024 (n = 4) to Mar 2025.
    rows = {r["id"]: r for r in oracle.expected_scorecard(small, "2024-25-Q4")}
    contacts, assess, cin = rows["contacts"], rows["assess45"], rows["cin_rate"]
    assert contacts["months"] == {"2025-01": 101.0, "2025-02": 102.0, "2025-03": 103.0}
    assert contacts["quarter"] == 306.0  # 101 + 102 + 103
    assert contacts["outturn"] == 1278.0  # 12 * 100 + (1 + ... + 12)
    assert contacts["rag_year"] is None and contacts["dot_month_change"] == "not applicable"
    assert assess["quarter"] == 82.0  # 246 / 300
    assert assess["outturn"] == 86.5  # (9 * 80 + 72 + 246) / 1200
    assert assess["rag_year"] == "Amber" and assess["rag_year_label"] == "Yellow"
    assert assess["rag_month"] == "Amber"  # 83.0: 82%+ but not 90%+
    assert (assess["dot_month"], assess["dot_month_change"]) == ("up", "improving")
    assert cin["outturn"] == 220.3  # the March snapshot
    assert cin["previous_month"] == 220.2
    # Low is good: a rate going up is declining.
    assert (cin["dot_month"], cin["dot_month_change"]) == ("up", "declining")
    assert cin["rag_year"] == "Green"  # 220.3 < 227.1
    assert (cin["dot_year"], cin["dot_year_change"]) == ("same", "no change")
    assert all(r["flags"] == set() for r in rows.values())
    feb = {r["id"]: r for r in oracle.expected_scorecard(small, "2025-02")}
    assert feb["assess45"]["flags"] == {"partial_quarter"}
    assert feb["assess45"]["quarter"] == 81.5  # (81 + 82) / 200
    assert feb["contacts"]["outturn"] == 1278.0 - 103.0


def test_oracle_rounds_half_up_and_reads_band_notation():
    d = oracle.to_decimal
    assert oracle.round_half_up(d(81.95), 1) == d(82.0)
    assert oracle.round_half_up(d(-2.25), 1) == d(-2.3)
    assert oracle.round_half_up(d(89.94), 1) == d(89.9)
    assert oracle.parse_band("-") is None and oracle.parse_band("") is None
    band = oracle.parse_band("82%+")
    assert band.holds(82, 1) and not band.holds(81.9, 1)
    assert not oracle.parse_band("<227.1").holds(oracle.Fraction("227.1"), 1)
    assert oracle.parse_band("≤ 5").holds(5, 1) and not oracle.parse_band(">5").holds(5, 1)
    closed = oracle.parse_band("82-89.9")
    assert closed.holds(82, 1) and closed.holds(oracle.Fraction("89.9"), 1)
    assert not closed.holds(90, 1)
    # A whole-year 1200+ band is 300+ three months in.
    assert oracle.parse_band("1200+").holds(300, oracle.Fraction(3, 12))
    assert not oracle.parse_band("1200+").holds(299, oracle.Fraction(3, 12))


def test_comparison_catches_a_wrong_figure(small):
    card = build_scorecard(small, "2024-25-Q4")
    expected = oracle.expected_scorecard(small, "2024-25-Q4")
    assert oracle.differences(card, expected) == []
    wrong = card.copy()
    row = wrong.index[wrong["id"] == "assess45"][0]
    wrong.loc[row, "outturn"] = 86.4
    wrong.loc[row, "2025-02"] = float("nan")
    wrong.loc[row, "rag_month"] = "Green"
    wrong.at[row, "flags"] = [{"code": "no_target", "message": "made up"}]
    found = oracle.differences(wrong, expected)
    assert len(found) == 4
    assert {f.split()[1].rstrip(":") for f in found} == {"outturn", "2025-02", "rag_month", "flags"}


# --- synthetic datasets ----------------------------------------------------------------


@pytest.fixture(scope="module", params=[0, 1, 2])
def synthetic_dataset(request):
    return synthetic.make_dataset(68, 4, seed=request.param)


@pytest.mark.parametrize("period", PERIODS)
def test_scorecard_agrees_with_oracle_on_synthetic_data(synthetic_dataset, period):
    _assert_agrees(build_scorecard(synthetic_dataset, period), synthetic_dataset, period)


def test_scorecard_agrees_with_oracle_over_ten_years():
    dataset = synthetic.make_dataset(200, 10, seed=7)
    for period in ("2024-25-Q4", "2019-20-Q1", "2016-17", "2020-02"):
        _assert_agrees(build_scorecard(dataset, period), dataset, period)


def _periods():
    """Any month, quarter or financial year from April 2017 to March 2025."""
    end = st.integers(2017 * 12 + 3, 2025 * 12 + 2)

    def as_period(kind_end):
        kind, m = kind_end
        year, month = divmod(m, 12)
        fy = year if month >= 3 else year - 1
        if kind == "month":
            return f"{year}-{month + 1:02d}"
        if kind == "quarter":
            return f"{fy}-{(fy + 1) % 100:02d}-Q{(m - (fy * 12 + 3)) // 3 + 1}"
        return f"{fy}-{(fy + 1) % 100:02d}"

    return st.tuples(st.sampled_from(["month", "quarter", "year"]), end).map(as_period)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), period=_periods())
@example(seed=24270, period="2021-22")  # a total exactly on its pro rata target
def test_scorecard_agrees_with_oracle_for_any_seed_and_period(seed, period):
    dataset = synthetic.make_dataset(34, 9, seed=seed)
    _assert_agrees(build_scorecard(dataset, period), dataset, period)


def _edge_cases():
    base = synthetic.make_dataset(68, 4, seed=4)
    gone = set(base.indicators["id"][::5])
    return {
        "no targets or benchmarks": dataclasses.replace(
            base, targets=base.targets.iloc[0:0], benchmarks=base.benchmarks.iloc[0:0]
        ),
        "indicators with no records": dataclasses.replace(
            base,
            observations=base.observations[~base.observations["indicator"].isin(gone)],
        ),
        "every denominator small": dataclasses.replace(
            base, settings=dataclasses.replace(base.settings, small_denominator=100_000)
        ),
        "periods beyond the data": base,
    }


@pytest.mark.parametrize("case", list(_edge_cases()))
def test_scorecard_agrees_with_oracle_at_the_edges(case):
    dataset = _edge_cases()[case]
    periods = ("2024-25-Q4", "2025-01", "2024-25")
    if case == "periods beyond the data":  # the data runs from April 2021 to March 2025
        periods = ("2019-20", "2020-21-Q4", "2021-04", "2025-26-Q1", "2025-06")
    for period in periods:
        _assert_agrees(build_scorecard(dataset, period), dataset, period)


def test_synthetic_data_passes_the_kits_checks_and_agrees_once_loaded(tmp_path):
    dataset = synthetic.make_dataset(68, 4, seed=3)
    loaded = load_dataset(synthetic.write_dataset(dataset, tmp_path / "synthetic"))
    assert len(loaded.observations) == len(dataset.observations)
    for period in ("2024-25-Q4", "2025-01"):
        _assert_agrees(build_scorecard(loaded, period), loaded, period)


def test_synthetic_data_has_what_the_comparison_needs():
    """The comparison is only as good as the cases the data holds."""
    dataset = synthetic.make_dataset(68, 4, seed=0)
    ind = dataset.indicators
    assert set(ind["aggregation"]) == {"ratio", "snapshot", "sum", "mean", "rolling12", "annual"}
    assert set(ind["frequency"]) == {"monthly", "quarterly", "annual"}
    assert set(ind["year_type"]) == {"financial", "academic", "calendar"}
    assert set(ind["unit"]) == {"percent", "rate_per_10k", "days", "count", "score"}
    assert set(ind["polarity"]) == {"high", "low", "none"}
    seen: dict[str, set] = {}
    for period in ("2024-25-Q4", "2025-02", "2024-25", "2024-25-Q2"):
        for row in oracle.expected_scorecard(dataset, period):
            for key in ("rag_month", "rag_year", "dot_month_change", "dot_year_change"):
                seen.setdefault(key, set()).add(row[key])
            seen.setdefault("flags", set()).update(row["flags"])
    assert {"Red", "Amber", "Green", None} <= seen["rag_month"]
    assert {"Red", "Amber", "Green", None} <= seen["rag_year"]
    changes = {"improving", "declining", "no change", "not applicable", None}
    assert changes <= seen["dot_month_change"] and changes <= seen["dot_year_change"]
    assert seen["flags"] == {
        "missing_months",
        "zero_denominator",
        "small_denominator",
        "partial_quarter",
        "incomplete_rolling12",
        "no_target",
        "not_yet_published",
    }


# --- the demo data and many authorities at once ----------------------------------------


@pytest.mark.skipif(not (DEMO / "indicators.csv").exists(), reason="no demo data")
@pytest.mark.parametrize("period", ["2024-25-Q4", "2024-25-Q3", "2024-25", "2025-03", "2025-01"])
def test_scorecard_agrees_with_oracle_on_demo_data(period):
    demo = load_dataset(DEMO)
    _assert_agrees(build_scorecard(demo, period), demo, period)


@pytest.mark.parametrize("period", ["2024-25-Q4", "2024-11"])
def test_many_authorities_at_once_agree_with_oracle_for_each(period):
    datasets = synthetic.make_authorities(3, 51, 4, seed=5)
    cards = build_scorecards(datasets, period)
    assert list(cards["authority"].unique()) == list(datasets)
    for name, dataset in datasets.items():
        card = cards[cards["authority"] == name].reset_index(drop=True)
        assert len(card) == len(dataset.indicators)
        _assert_agrees(card, dataset, period)
