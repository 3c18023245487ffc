"""SPC and intervals in the scorecard, on the small hand-made dataset (tests/conftest.py):
assessments 80 + n of 100 in month n of each calendar year (Jan 2023 to Mar 2025),
target 90%+ (Amber 82%+, Red <82%)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis import load_dataset
from cyps_analysis.cli import main
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.spc import spc_points
from tests.conftest import write_dataset

END = 2025 * 12 + 2  # March 2025
BASELINE = "indicator,month,reason\nassess45,2024-01,New duty team\n"


def test_limits_start_again_from_a_baseline_month(tmp_path: Path):
    data = load_dataset(write_dataset(tmp_path / "d", spc_baseline=BASELINE))
    points = spc_points(data, end=END)
    a = points[points["indicator"] == "assess45"].set_index("month")
    # Before January 2024: 81 .. 92, mean 86.5, eleven moving ranges of 1 (AMR 1),
    # limits 83.84 to 89.16.
    assert a.loc["2023-06", "segment"] == 0 and a.loc["2023-06", "points_used"] == 12
    assert a.loc["2023-06", ["mean", "lower", "upper"]].tolist() == pytest.approx(
        [86.5, 83.84, 89.16]
    )
    # From January 2024: 81 .. 92, 81 82 83: sum 1,284 over 15, mean 85.6. Moving ranges
    # 11 of 1, one of 11, 2 of 1: AMR 24 / 14 = 1.714; 11 >= 3.267 x 1.714 = 5.6 is
    # screened out, AMR 13 / 13 = 1: limits 82.94 to 88.26.
    assert a.loc["2024-01", "segment"] == 1 and a.loc["2025-03", "points_used"] == 15
    assert a.loc["2025-03", ["mean", "lower", "upper"]].tolist() == pytest.approx(
        [85.6, 82.94, 88.26]
    )
    # February 2025 (82) is below 82.94: outside. Jan-Dec 2024 rise eleven times: a trend.
    assert a.loc["2025-02", "rules"] == ["outside_limits"]
    assert "trend" in a.loc["2024-03", "rules"]


def test_without_a_baseline_the_whole_history_is_one_series(small_dataset: Path):
    # 27 points: sum 2 x 1,038 + 246 = 2,322, mean 86.0. Moving ranges: 24 of 1 and two
    # of 11 (December to January); AMR 46 / 26 = 1.769, the 11s screened out
    # (>= 5.78): AMR 1, limits 83.34 to 88.66.
    card = build_scorecard(load_dataset(small_dataset), "2025-03", spc=True)
    row = card.set_index("id").loc["assess45"]
    assert [row["spc_mean"], row["spc_lower"], row["spc_upper"]] == pytest.approx(
        [86.0, 83.34, 88.66]
    )
    assert row["spc_points_used"] == 27 and row["spc_reason"] is None
    # March 2025 is 83, below the lower limit (83.34): a special cause, of concern as
    # higher is better.
    assert row["spc_latest_rules"] == ["outside_limits"]
    assert row["spc_variation"] == "special_cause_concern"
    # The target (90, higher is better) is above the upper limit: consistently failed.
    assert row["spc_assurance"] == "consistent_fail"


def test_a_month_period_has_a_wilson_interval_that_crosses_a_band(small_dataset: Path):
    # March 2025: 83 of 100 = 83.0%, Amber. Wilson: 1 + z^2/n = 1.038415; centre
    # (0.83 + 0.019207) / 1.038415 = 0.817802; half 1.887457 x sqrt(0.001411 + 0.000096)
    # = 0.073271: 74.45% (Red) to 89.11% (Amber): the RAG is uncertain.
    card = build_scorecard(load_dataset(small_dataset), "2025-03", spc=True)
    row = card.set_index("id").loc["assess45"]
    assert row["rag_month"] == "Amber"
    assert [row["interval_lower"], row["interval_upper"]] == pytest.approx([74.45, 89.11], abs=0.01)
    assert row["interval_method"] == "wilson" and row["interval_level"] == 0.95
    assert row["interval_uncertain_rag"] is True
    # Contacts (a count) and the recorded CIN rate (no numerator) get no interval.
    assert card.set_index("id").loc[["contacts", "cin_rate"], "interval_method"].isna().all()


def test_a_short_history_has_no_spc_and_says_why(tmp_path: Path):
    rows = ["indicator,month,value,numerator,denominator"]
    rows += [f"assess45,2024-{m:02d},,{80 + m},100" for m in range(1, 12)]  # 11 months
    data = load_dataset(write_dataset(tmp_path / "d", observations="\n".join(rows) + "\n"))
    row = build_scorecard(data, "2024-11", spc=True).set_index("id").loc["assess45"]
    assert row["spc_reason"] == "fewer than 12 points" and row["spc_points_used"] == 11
    assert row["spc_variation"] is None and row["spc_assurance"] is None


def test_scorecard_json_has_spc_and_interval(small_dataset: Path):
    result = CliRunner().invoke(
        main, ["scorecard", "--data", str(small_dataset), "--period", "2025-03", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    item = {i["id"]: i for i in json.loads(result.output)["indicators"]}["assess45"]
    assert set(item["spc"]) == {
        "mean", "lower", "upper", "variation", "assurance", "points_used", "reason",
    }  # fmt: skip
    assert item["spc"]["mean"] == pytest.approx(86.0)  # unrounded
    assert item["spc"]["upper"] == pytest.approx(88.66)
    assert set(item["interval"]) == {"lower", "upper", "method", "level", "uncertain_rag"}
    assert item["interval"]["uncertain_rag"] is True


def test_scorecard_csv_has_variation_and_assurance_in_words(small_dataset: Path):
    result = CliRunner().invoke(
        main, ["scorecard", "--data", str(small_dataset), "--period", "2025-03", "--format", "csv"]
    )
    header, *rows = result.output.splitlines()
    columns = header.split(",")
    assert {"spc_variation", "interval_uncertain_rag", "variation", "assurance"} <= set(columns)
    assert "spc_latest_rules" not in columns and "interval_cases" not in columns
    assess = next(r for r in rows if r.startswith("assess45"))
    assert "Consistently fails the target" in assess
    assert "Special cause: concern" in assess


def test_workbook_and_table_have_variation_and_assurance_columns(small_dataset: Path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "card.xlsx"
    args = ["scorecard", "--data", str(small_dataset), "--period", "2025-03"]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Scorecard"]
    header = [c.value for c in sheet[3]]
    # The council layout: indicator names in column A, under the service areas' rows.
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(4, values_only=True)}
    assess = rows["Assessments within 45 days"]
    # March 2025 below the lower limit (above); 90 above the upper limit.
    assert assess["Variation"] == "Special cause: concern"
    assert assess["Assurance"] == "Consistently fails the target"
    # The interval 74.5% to 89.1% crosses Amber's lower bound (82%): noted.
    assert assess["Notes"].startswith("RAG uncertain: the 95% interval, 74.5% to 89.1%")
    # Contacts (an activity: no target): no assurance.
    assert rows["Contacts"]["Assurance"] == "No target"
    table = CliRunner().invoke(main, [*args, "--format", "table"]).output
    assert "Variation" in table.splitlines()[1] and "Assurance" in table.splitlines()[1]
