"""The targets command: proposals for next year that load as targets.csv rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from cyps_analysis import load_dataset
from cyps_analysis.cli import main

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _run(*args):
    return CliRunner().invoke(main, ["targets", *args])


def test_json_shape_and_a_proposal_worked_by_hand():
    result = _run("--data", str(DEMO), "--year", "2025/26", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["year"] == "2025/26"
    rows = {r["indicator"]: r for r in doc["targets"]}
    assert set(rows["csc_assess45"]) == {"indicator", "red", "amber", "green", "rule", "reasoning"}
    # Assessments in 45 days, 2024/25 (Apr-24 to Mar-25): 1,683 of 1,912 = 88.0%
    # (data/demo/observations.csv), higher is better. Green is at least the more
    # challenging of that and the neighbour average; Red below the less challenging of
    # it and England's average.
    row = rows["csc_assess45"]
    assert row["rule"] == "benchmarks"
    assert "2024/25's outturn of 88.0%" in row["reasoning"]
    green = float(row["green"].rstrip("%+"))
    red = float(row["red"].lstrip("<").rstrip("%"))
    assert green >= 88.0 >= red


def test_csv_is_targets_csv_with_reasoning_and_loads(tmp_path):
    result = _run("--data", str(DEMO), "--year", "2025/26", "--format", "csv")
    assert result.exit_code == 0, result.output
    out = tmp_path / "proposed.csv"
    out.write_text(result.stdout, encoding="utf-8")
    proposed = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(proposed.columns) == [
        "indicator", "year", "red", "amber", "green", "national_standard", "reasoning",
    ]  # fmt: skip
    # The proposals pass every check on bands when added to the dataset's targets.
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    usable = proposed[proposed["green"] != ""].drop(columns=["reasoning"])
    targets = pd.read_csv(data / "targets.csv", dtype=str, keep_default_na=False)
    pd.concat([targets, usable]).to_csv(data / "targets.csv", index=False)
    loaded = load_dataset(data)  # raises on any band that fails a check
    assert len(loaded.targets) == len(targets) + len(usable)
    assert len(usable) >= 30  # of the demo's 33 benchmarking indicators with a polarity


def test_a_bad_year_is_exit_2():
    result = _run("--data", str(DEMO), "--year", "2025/27")
    assert result.exit_code == 2
    assert "e.g. 2025/26" in result.output


def test_hold_rule_from_the_command(tmp_path):
    result = _run("--data", str(DEMO), "--year", "2025/26", "--format", "json", "--rule", "hold")
    rows = {r["indicator"]: r for r in json.loads(result.stdout)["targets"]}
    # data/demo/targets.csv: csc_assess45 2024/25 is <77.0 / 77.0-83.5 / >=83.6.
    assert (rows["csc_assess45"]["red"], rows["csc_assess45"]["green"]) == ("<77.0", ">=83.6")
