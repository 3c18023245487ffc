"""``cyps-analysis investigate`` on the small hand-made dataset (tests/conftest.py) with a
baseline month: assessments 80 + n of 100 in month n of each year, Jan 2023 to Mar 2025;
limits start again in January 2024 (worked out in tests/scorecard/test_spc.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli import main
from tests.conftest import write_dataset

BASELINE = "indicator,month,reason\nassess45,2024-01,New duty team\n"


def run(data: Path, *extra: str):
    return CliRunner().invoke(
        main, ["investigate", "--data", str(data), "--period", "2025-03", *extra]
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "d", spc_baseline=BASELINE)


def test_json_has_every_point_with_its_limits_and_rules(data: Path):
    result = run(data, "--indicator", "assess45", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    spc = record["spc"]
    assert len(spc["points"]) == 27  # every month from January 2023 to March 2025
    first, feb25 = spc["points"][0], spc["points"][-2]
    assert set(first) == {"month", "value", "mean", "lower", "upper", "special_cause", "rules"}
    # January 2023: 81, before the baseline: limits of 2023 (mean 86.5, 83.84 to 89.16);
    # 81 is below 83.84 and starts the year's rise of eleven months: outside and trend.
    assert first["month"] == "2023-01" and first["value"] == pytest.approx(81.0)
    assert [first["mean"], first["lower"], first["upper"]] == pytest.approx([86.5, 83.84, 89.16])
    assert first["rules"] == ["outside_limits", "trend"] and first["special_cause"] is True
    # February 2025: 82, below the new lower limit 82.94.
    assert feb25["month"] == "2025-02" and feb25["rules"] == ["outside_limits"]
    assert spc["baselines"] == [{"month": "2024-01", "reason": "New duty team"}]
    # The summary is the scorecard's: the latest segment (15 points, mean 85.6).
    assert spc["points_used"] == 15 and spc["mean"] == pytest.approx(85.6)
    assert spc["variation"] == "common_cause" and spc["assurance"] == "consistent_fail"
    assert record["interval"]["method"] == "wilson"
    assert record["indicator"]["id"] == "assess45"


def test_markdown_says_it_in_words(data: Path):
    result = run(data, "--indicator", "assess45")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "- Variation: Common cause: no significant change" in text
    assert "- Mean 85.60, process limits 82.94 to 88.26 (15 points)" in text
    assert "- Limits start again in 2024-01: New duty team" in text
    assert "| 2025-02 | 82.0% | 85.60 | 82.94 | 88.26 | outside limits |" in text


def test_an_unknown_indicator_is_a_clear_error(data: Path):
    result = run(data, "--indicator", "nosuch")
    assert result.exit_code == 2
    assert "No indicator 'nosuch'" in result.output
