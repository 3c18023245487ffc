"""The scorecard's forecast and attribution, on small datasets worked by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cyps_analysis import build_scorecard, load_dataset
from cyps_analysis.cli import main
from tests.conftest import INDICATORS, SETTINGS, write_dataset


@pytest.fixture
def small(tmp_path):
    return load_dataset(write_dataset(tmp_path / "small"))


def test_forecast_in_year(small):
    # conftest: assessments in month n of the year are 80+n of 100. Apr-Dec 2024
    # (n = 4..12): 792 of 900 = 88.0%, Amber against 90%+ (82%+ Amber). At this pace
    # the year ends at 88.0% (Amber); the 3 months left (100 cases each) need
    # 0.9 x 1,200 - 792 = 288 of 300: 96.0%.
    row = build_scorecard(small, "2024-12").set_index("id").loc["assess45"]
    assert row["forecast_projected_outturn"] == 88.0
    assert row["forecast_projected_rag"] == "Amber"
    assert row["forecast_needed"] == 96.0
    assert row["forecast_possible"] is True
    assert row["forecast_months_left"] == 3
    # The CIN rate (a snapshot, lower is better, Green below 227.1) is 221.2 in
    # December (220 + 12/10): it stands; what the months left need is the threshold.
    cin = build_scorecard(small, "2024-12").set_index("id").loc["cin_rate"]
    assert (cin["forecast_projected_outturn"], cin["forecast_projected_rag"]) == (221.2, "Green")
    assert cin["forecast_needed"] == 227.1


def test_no_forecast_without_months_left_or_a_target(small):
    card = build_scorecard(small, "2024-25-Q4").set_index("id")  # the year's last month
    assert card["forecast_months_left"].isna().all()
    assert card["forecast_projected_outturn"].isna().all()
    q3 = build_scorecard(small, "2024-25-Q3").set_index("id")
    assert pd.isna(q3.loc["contacts", "forecast_projected_rag"])  # activity: no target


def test_attribution_of_a_snapshot_rate(tmp_path):
    # A rate per 10,000 with numerator and denominator: Dec-23 640 of 20,000 (320.0),
    # Dec-24 650 of 21,000 (309.52). Change -10.48: +5.0 from more children in need,
    # -15.48 from the larger population.
    indicators = INDICATORS + (
        "cin_n,CIN from counts,Children's Social Care,benchmarking,low,rate_per_10k,1,"
        "snapshot,monthly,financial\n"
    )
    obs = "indicator,month,value,numerator,denominator\n"
    obs += "cin_n,2023-12,320.0,640,20000\ncin_n,2024-12,309.5,650,21000\n"
    data = write_dataset(tmp_path / "d", indicators=indicators, observations=obs)
    row = build_scorecard(load_dataset(data), "2024-12").set_index("id").loc["cin_n"]
    assert row["attribution_change"] == pytest.approx(-10.476190, abs=1e-6)
    assert row["attribution_numerator_effect"] == pytest.approx(5.0)
    assert row["attribution_denominator_effect"] == pytest.approx(-15.476190, abs=1e-6)


def test_json_keys(tmp_path):
    data = write_dataset(tmp_path / "small", settings=SETTINGS)
    result = CliRunner().invoke(
        main, ["scorecard", "--data", str(data), "--period", "2024-12", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {i["id"]: i for i in json.loads(result.stdout)["indicators"]}
    assert rows["assess45"]["forecast"] == {
        "projected_outturn": 88.0,
        "projected_rag": "Amber",
        "needed": 96.0,
        "possible": True,
        "months_left": 3,
    }
    # Apr-Dec 2023 and 2024 are the same 792 of 900: nothing changed.
    assert rows["assess45"]["attribution"] == {
        "change": 0.0,
        "numerator_effect": 0.0,
        "denominator_effect": 0.0,
    }
    assert rows["contacts"]["attribution"] == {
        "change": None,
        "numerator_effect": None,
        "denominator_effect": None,
    }


def test_investigate_gives_forecast_and_attribution(tmp_path):
    # As test_json_keys: Apr-Dec 2024 792 of 900 (88.0%, Amber at this pace); the 3
    # months left need 288 of 300 = 96.0% for 90%.
    data = write_dataset(tmp_path / "small", settings=SETTINGS)
    args = ["investigate", "--data", str(data), "--period", "2024-12", "--indicator", "assess45"]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["forecast"]["needed"] == 96.0
    assert record["forecast"]["projected_rag"] == "Amber"
    assert record["attribution"]["change"] == 0.0
    words = CliRunner().invoke(main, [*args, "--format", "markdown"]).stdout
    assert (
        "At this pace the year ends at 88.0% (Amber); the remaining 3 months need 96.0% "
        "to reach the target (90%+)." in words
    )
