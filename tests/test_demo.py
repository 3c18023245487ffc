"""The embedded demo dataset: it loads cleanly, covers what the kit must show, and is
exactly what its generator makes."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from cyps_analysis import build_scorecard, load_dataset

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
LATEST = "2024-25-Q4"
# Measures named in DESIGN.md and in the measures table of ../shared/data/dfe/README.md,
# by their national (LAIT) code.
NATIONAL_CODES = {
    "ReReferral", "Continue_Assess_Comp", "CIN", "CPP_rate", "LAC", "PrevRegCPR",
    "CP_conf_15days", "LAC_LongStable%", "LACStable_2016on", "LACHealth%", "LACDental%",
    "LACVaccinations%", "SEN_EHC_Excpt_20wks", "SEN_EHC_All_20wks", "16-17_not known_NEET",
    "TotAbs", "TotPerAbNew", "%_2yr_olds", "ReoffYO15-17", "FirstYJS", "%_of LAC Adopted",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO)


@pytest.fixture(scope="module")
def card(demo):
    return build_scorecard(demo, LATEST)


def test_catalogue_covers_every_kind_rule_and_year(demo):
    ind = demo.indicators
    assert len(ind) >= 36
    assert set(ind["service_area"]) == {
        "Family Help",
        "Children's Social Care",
        "Education",
        "Inclusion",
    }
    assert set(ind["kind"]) == {"benchmarking", "activity"}
    assert set(ind["aggregation"]) == {"ratio", "snapshot", "sum", "mean", "rolling12", "annual"}
    assert set(ind["frequency"]) == {"monthly", "quarterly", "annual"}
    assert set(ind["year_type"]) == {"financial", "academic", "calendar"}
    assert {"high", "low", "none"} <= set(ind["polarity"])
    assert set(ind["unit"]) == {"percent", "rate_per_10k", "days", "count", "score"}
    assert NATIONAL_CODES.issubset(set(ind["national_code"].dropna()))


def test_four_financial_years_of_monthly_data_with_counts(demo):
    obs = demo.observations
    assert obs["month"].min() == "2021-04" and obs["month"].max() == "2025-03"
    ratio_ids = demo.indicators.loc[demo.indicators["aggregation"] == "ratio", "id"]
    ratio = obs[obs["indicator"].isin(ratio_ids)]
    assert ratio[["numerator", "denominator"]].notna().all().all()


def test_values_in_plausible_ranges(demo):
    obs = demo.observations.merge(demo.indicators, left_on="indicator", right_on="id")
    value = obs["value"].where(
        obs["value"].notna(),
        obs["numerator"]
        / obs["denominator"]
        * obs["unit"].map({"percent": 100, "rate_per_10k": 10_000}),
    )
    percent = value[obs["unit"] == "percent"]
    assert percent.between(0, 100).all()
    rate = value[obs["unit"] == "rate_per_10k"]
    assert rate.between(0, 2_000).all()  # no authority has a fifth of its children on a rate
    assert (value[obs["unit"].isin(["count", "days"])] >= 0).all()


def test_latest_quarter_has_red_amber_and_green_in_every_service_area(card):
    rated = card[card["rag_year"].notna()]
    for area, group in rated.groupby("service_area"):
        assert {"Red", "Amber", "Green"} <= set(group["rag_year"]), area


def test_latest_quarter_shows_what_a_report_must_handle(demo, card):
    assert (card["rag_year"] == "Red").any()
    assert ((card["rag_year"] == "Amber") & (card["dot_year_change"] == "declining")).any()
    assert (card["kind"] == "activity").any()
    codes = card["flags"].map(lambda flags: {f["code"] for f in flags})
    assert codes.map(lambda c: "missing_months" in c).any()


def test_a_record_low(demo):
    """Some indicator's March 2025 value is below every earlier month's, worked out from
    the observations file directly."""
    obs = demo.observations.merge(
        demo.indicators[["id", "unit", "aggregation"]], left_on="indicator", right_on="id"
    )
    ratio = obs["aggregation"] == "ratio"
    scale = obs["unit"].map({"percent": 100, "rate_per_10k": 10_000})
    obs["v"] = obs["value"].where(~ratio, obs["numerator"] / obs["denominator"] * scale)
    latest = obs[obs["month"] == "2025-03"].set_index("indicator")["v"]
    earlier = obs[obs["month"] < "2025-03"].groupby("indicator")["v"].min()
    lows = (latest < earlier.reindex(latest.index)).fillna(False)
    assert lows.any()


def test_generator_reproduces_the_committed_files(tmp_path: Path):
    script = DEMO.parent / "generate_demo.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    names = sorted(p.name for p in DEMO.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    _, mismatch, errors = filecmp.cmpfiles(DEMO, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_demo_says_it_is_invented(demo):
    text = (DEMO / "settings.yaml").read_text(encoding="utf-8").lower()
    assert "invented" in text or "fictional" in text
    assert demo.settings.authority == "Demo Borough"


def test_quarter_values_agree_with_pooled_counts(demo, card):
    """Q4 2024/25 of every ratio indicator equals its Jan-Mar counts pooled by hand."""
    obs = demo.observations
    ind = demo.indicators.set_index("id")
    q4 = obs[obs["month"].isin(["2025-01", "2025-02", "2025-03"])]
    pooled = q4.groupby("indicator")[["numerator", "denominator"]].sum()
    for row in card[card["aggregation"] == "ratio"].itertuples():
        scale = 100 if ind.loc[row.id, "unit"] == "percent" else 10_000
        num, den = pooled.loc[row.id]
        exact = Decimal(int(num) * scale) / Decimal(int(den))
        expected = float(exact.quantize(Decimal(1).scaleb(-int(row.decimals)), ROUND_HALF_UP))
        assert row.quarter == pytest.approx(expected, abs=1e-9), row.id


def test_demo_scorecard_is_fast_enough_to_build_for_every_period(demo):
    periods = ["2025-03", "2024-25-Q1", "2024-25-Q2", "2024-25-Q3", LATEST, "2024-25", "2022-23"]
    for period in periods:
        card = build_scorecard(demo, period)
        assert len(card) == len(demo.indicators)
        assert pd.Series(card.attrs["months"]).is_monotonic_increasing


def test_changing_a_scorecard_leaves_its_dataset_alone(demo):
    # The demo's indicators are in scorecard order already, so the scorecard reads them
    # where they are: its columns must still be its own.
    before = demo.indicators.copy(deep=True)
    card = build_scorecard(demo, LATEST)
    card.loc[0, ["title", "decimals", "unit"]] = ["Changed", 9, "days"]
    pd.testing.assert_frame_equal(demo.indicators, before)


def test_each_kind_of_special_cause_is_shown(demo):
    """The indicators data/generate_demo.py names in SPECIAL_CAUSES show their kind of
    special cause in the 2024/25 Q4 pack (the XmR charts of the whole history)."""
    from cyps_analysis.scorecard.spc import spc_points

    sys.path.insert(0, str(DEMO.parent))
    try:
        from generate_demo import SPECIAL_CAUSES, TREND
    finally:
        sys.path.remove(str(DEMO.parent))
    points = spc_points(demo, end=2025 * 12 + 2)
    for rule, indicator in SPECIAL_CAUSES.items():
        mine = points[points["indicator"] == indicator]
        assert mine[rule].any(), (rule, indicator)
    # Adoption days fall for eight months in a row from July 2021 (set by the generator):
    # all eight are in the trend.
    days = points[points["indicator"] == TREND[0]].set_index("month")
    months = pd.period_range(TREND[1], periods=TREND[2], freq="M").strftime("%Y-%m")
    assert days.loc[months, "trend"].all()
    assert (days.loc[months, "trend_direction"] == -1).all()
    # The latest point of the first three is itself the special cause named.
    latest = points.groupby("indicator").tail(1).set_index("indicator")
    for rule in ("outside_limits", "shift", "two_in_three"):
        assert latest.loc[SPECIAL_CAUSES[rule], rule], rule
