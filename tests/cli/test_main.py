"""The cyps-analysis command: formats, exit codes, messages and safe writing."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cyps_analysis.cli.main import main
from tests.conftest import observations_csv, write_dataset


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_json_has_every_documented_key_with_hand_worked_values(small_dataset: Path):
    result = run(
        "scorecard", "--data", str(small_dataset), "--period", "2024-25-Q4", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["period"], doc["authority"], doc["as_at"]) == (
        "2024-25-Q4",
        "Test Borough",
        "2025-04-10",
    )
    assert [i["id"] for i in doc["indicators"]] == ["contacts", "assess45", "cin_rate"]
    a = doc["indicators"][1]
    for key in [
        "id",
        "title",
        "service_area",
        "kind",
        "polarity",
        "unit",
        "months",
        "quarter",
        "outturn",
        "previous_year",
        "previous_year_to_date",
        "same_month_last_year",
        "dot_month",
        "dot_month_change",
        "rag_month",
        "dot_year",
        "dot_year_change",
        "rag_year",
        "rag_month_label",
        "rag_year_label",
        "bands",
        "benchmarks",
        "flags",
    ]:
        assert key in a
    # Jan-Mar 2025: 81, 82, 83 of 100 each; Q4 pooled 246/300 = 82.0%.
    assert a["months"] == {"2025-01": 81.0, "2025-02": 82.0, "2025-03": 83.0}
    assert a["quarter"] == 82.0
    # Apr-Dec 2024 numerators 84..92 (sum 792) + 81..83 (246) = 1038 of 1200 = 86.5%.
    assert a["outturn"] == 86.5
    assert a["previous_year"] == 86.5  # 2023/24 has the same monthly pattern
    assert a["same_month_last_year"] == 83.0
    # 83.0 (Mar) against 82.0 (Feb), high is good: up, improving; 83.0 is in 82%+ -> Amber.
    assert (a["dot_month"], a["dot_month_change"], a["rag_month"]) == ("up", "improving", "Amber")
    assert a["rag_month_label"] == "Yellow"  # settings call Amber "Yellow"
    assert (a["dot_year"], a["dot_year_change"], a["rag_year"]) == ("same", "no change", "Amber")
    assert a["bands"] == {
        "red": "<82%",
        "amber": "82%+",
        "green": "90%+",
        "national_standard": None,
    }
    assert a["benchmarks"]["national_avg"] == {"value": None, "year": None, "source": None}
    contacts = doc["indicators"][0]
    # Apr-Dec 104..112 = 972, Jan-Mar 101..103 = 306: 1278; counts are whole numbers.
    assert contacts["outturn"] == 1278 and isinstance(contacts["outturn"], int)
    assert contacts["rag_year"] is None and contacts["dot_month_change"] == "not applicable"
    cin = doc["indicators"][2]
    # Low is good: 220.2 -> 220.3 is up and declining, still inside <227.1 -> Green.
    assert (cin["dot_month"], cin["dot_month_change"], cin["rag_month"]) == (
        "up",
        "declining",
        "Green",
    )


def test_format_from_extension_and_period_placeholder(small_dataset: Path, tmp_path: Path):
    out = tmp_path / "out" / "{period}" / "card.csv"
    result = run("scorecard", "--data", str(small_dataset), "--period", "latest", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "2024-25-Q4" / "card.csv"
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["contacts", "assess45", "cin_rate"]
    assert rows[1]["2025-03"] == "83.0" and rows[1]["rag_year"] == "Amber"


def test_month_period_shows_one_month_and_partial_quarter(small_dataset: Path):
    result = run(
        "scorecard", "--data", str(small_dataset), "--period", "2025-02", "--format", "json"
    )
    a = json.loads(result.output)["indicators"][1]
    assert list(a["months"]) == ["2025-02"]
    assert a["quarter"] == 81.5  # (81 + 82) / 200
    assert "partial_quarter" in {f["code"] for f in a["flags"]}


def test_xlsx_has_rag_in_words_and_colour(small_dataset: Path, tmp_path: Path):
    out = tmp_path / "card.xlsx"
    result = run(
        "scorecard", "--data", str(small_dataset), "--period", "2024-25-Q4", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["Scorecard"]
    header = [c.value for c in ws[3]]
    # The service area is a section row, not a column (docs/scorecard.md, "The workbook").
    assert header[:6] == ["Indicator", "Jan-25", "Feb-25", "Mar-25", "Qtr", "YTD"]
    rag_col = header.index("RAG (yr end)") + 1
    # Rows: 4 Family Help, 5 contacts, 6 Children's Social Care, 7 assessments.
    assert ws.cell(7, 1).value == "Assessments within 45 days"
    cell = ws.cell(7, rag_col)
    assert cell.value == "Yellow"
    assert cell.fill.fgColor.rgb.endswith("FCE5CD")


def test_xlsx_needs_out(small_dataset: Path):
    result = run(
        "scorecard", "--data", str(small_dataset), "--period", "2024-25-Q4", "--format", "xlsx"
    )
    assert result.exit_code == 2
    assert "--out" in result.output


def test_bad_period_lists_the_forms(small_dataset: Path):
    result = run("scorecard", "--data", str(small_dataset), "--period", "2024-25-Q5")
    assert result.exit_code == 2
    assert "2024-25-Q4" in result.output and "2025-03" in result.output


def test_bad_data_exits_2_with_no_traceback_and_keeps_earlier_output(tmp_path: Path):
    good = write_dataset(tmp_path / "good")
    out = tmp_path / "card.csv"
    cmd = [
        sys.executable,
        "-m",
        "cyps_analysis",
        "scorecard",
        "--period",
        "2024-25-Q4",
        "--out",
        str(out),
    ]
    assert subprocess.run([*cmd, "--data", str(good)], capture_output=True).returncode == 0
    before = out.read_bytes()
    bad = write_dataset(
        tmp_path / "bad", observations=observations_csv() + "assess45,2025-13,,1,2\n"
    )
    done = subprocess.run([*cmd, "--data", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "observations.csv, row" in done.stderr and "'2025-13' is not a month" in done.stderr
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".card")] == []


def test_validate_reports_every_problem(tmp_path: Path):
    bad = write_dataset(
        tmp_path / "bad",
        targets="indicator,year,red,amber,green\nassess45,2024/25,<82%,-,90%+\nnope,2024/25,<1,-,1+\n",
    )
    result = run("validate", "--data", str(bad))
    assert result.exit_code == 2
    assert "2 problems" in result.output
    assert "leave a value of 82.0 in no band" in result.output
    assert "'nope' is not an indicator id" in result.output


@pytest.mark.parametrize("command", ["validate", "scorecard"])
def test_missing_folder(command: str, tmp_path: Path):
    args = [command, "--data", str(tmp_path / "nowhere")]
    if command == "scorecard":
        args += ["--period", "2025-03"]
    result = run(*args)
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_validate_ok(small_dataset: Path):
    result = run("validate", "--data", str(small_dataset))
    assert result.exit_code == 0
    assert "no problems found (3 indicators" in result.output
