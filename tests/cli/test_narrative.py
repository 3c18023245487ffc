"""The ``cyps-analysis narrative`` command: Markdown and JSON, ``--period latest``, and
exit code 2 with one clear message for a bad commentary or sign-off file.

(The command's own file, beside tests/test_cli.py, so that the commands of the kit can be
tested side by side.)
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cyps_analysis.cli.main import main
from tests.conftest import write_dataset

# conftest's dataset, Q4 2024/25: assessments 1,038 of 1,200 = 86.5% in both years (Amber:
# 82%+ but under 90%); the children in need rate in March 220.3 both years (Green: <227.1);
# contacts 1,278 both years (no change: nothing to say).
# SPC over January 2023 to March 2025 (27 points): assessments have mean 86.0 and limits
# 83.34 to 88.66 (worked out in tests/scorecard/test_spc.py), March's 83 below them. The
# CIN rate (220.1 .. 221.2 each year, then 220.1 220.2 220.3): mean 5,956.2 / 27 = 220.6;
# moving ranges 24 of 0.1 and two of 1.1 (screened out: 1.1 >= 3.267 x 4.6 / 26 = 0.58),
# AMR 0.1, limits 220.334 to 220.866: March's 220.3 is below them, an improvement as
# lower is better. (86.5% of 1,200 has a Wilson interval of 84.4% to 88.3%, all Amber.)
ASSESS = (
    "Assessments within 45 days was 86.5% (target is 90%), the same as 86.5% in 2023/24; "
    "a special cause of concern: below the lower process limit."
)
CIN = (
    "Children in need rate was 220.3 (target is 227.1), the same as 220.3 in 2023/24; "
    "a special cause of improvement: below the lower process limit."
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_markdown_by_default(small_dataset: Path):
    result = run("narrative", "--data", str(small_dataset), "--period", "2024-25-Q4")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "# Test Borough: narrative, 2024/25 Q4"
    assert f"- {CIN} *(draft)*" in lines
    assert f"- {ASSESS} *(draft)*" in lines
    cin, assess = lines.index(f"- {CIN} *(draft)*"), lines.index(f"- {ASSESS} *(draft)*")
    assert lines.index("### What's working well") < cin < assess
    assert lines.index("### Areas of challenge and focus") < assess


def test_json_shape_and_latest(small_dataset: Path):
    result = run(
        "narrative", "--data", str(small_dataset), "--period", "latest", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == ["period", "service_areas", "summary"]
    assert doc["period"] == "2024-25-Q4"  # the data ends in March 2025
    areas = doc["service_areas"]
    assert list(areas) == ["Family Help", "Children's Social Care"]
    assert areas["Family Help"] == {"working_well": [], "challenges": []}
    [challenge] = areas["Children's Social Care"]["challenges"]
    assert challenge["indicator"] == "assess45"
    assert challenge["text"] == ASSESS
    facts = challenge["facts"]
    assert (facts["value"], facts["comparator"], facts["comparator_value"]) == (
        86.5,
        "last_year",
        86.5,
    )
    assert (facts["direction"], facts["polarity"], facts["rag"]) == ("same", "high", "Amber")
    assert challenge["draft"] is True
    assert doc["summary"][0]["text"] == (
        "For the year to date, 0 of 2 rated indicators are Red, 1 Yellow and 1 Green."
    )


def test_signed_off_commentary_in_json(tmp_path: Path):
    folder = write_dataset(
        tmp_path / "d",
        commentary=(
            "indicator,period,section,text,mode\n"
            "assess45,2024-25-Q4,challenges,Timeliness is the service's priority.,add\n"
        ),
        signoff=(
            "period,service_area,signed_off_by,date\n"
            "2024-25-Q4,Children's Social Care,A. Analyst,2025-04-22\n"
        ),
    )
    result = run("narrative", "--data", str(folder), "--period", "2024-25-Q4", "--format", "json")
    assert result.exit_code == 0, result.output
    challenges = json.loads(result.output)["service_areas"]["Children's Social Care"]["challenges"]
    assert [(b["text"], b["draft"], b["source"]) for b in challenges] == [
        (ASSESS, False, "generated"),
        ("Timeliness is the service's priority.", False, "analyst"),
    ]


def test_bad_commentary_file_exits_2_naming_file_row_column(tmp_path: Path):
    folder = write_dataset(
        tmp_path / "d",
        commentary=(
            "indicator,period,section,text,mode\n"
            "assess45,2024-25-Q4,challenges,Fine.,add\n"
            "assess45,2024-25-Q4,challenges,Words.,overwrite\n"
        ),
    )
    result = run("narrative", "--data", str(folder), "--period", "2024-25-Q4")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        "commentary.csv, row 3, column 'mode': 'overwrite' is not allowed. Use one of: replace, add"
    ) in result.output
    assert "# Test Borough" not in result.output  # nothing half-written


def test_bad_period_exits_2(small_dataset: Path):
    result = run("narrative", "--data", str(small_dataset), "--period", "2024/25")
    assert result.exit_code == 2
    assert "is not a reporting period" in result.output
