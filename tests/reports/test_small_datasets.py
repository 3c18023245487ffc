"""Packs for small datasets: no benchmarking indicators, no activity indicators, a
service area with one indicator. ``run`` builds every report; where a table or chart has
nothing to show, the page says so in a short sentence instead."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.reports.benchmarking_page import benchmark_position
from cyps_analysis.reports.report import open_report
from tests.conftest import observations_csv, write_dataset

# From the conftest catalogue: contacts alone in Family Help (activity); assess45 alone
# (benchmarking, Amber: 86.5% against <82 / 82+ / 90+, no deep dive).
ACTIVITY_ONLY = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type
contacts,Contacts,Family Help,activity,none,count,0,sum,,
referrals,Referrals,Children's Social Care,activity,none,count,0,sum,,
"""
BENCHMARKING_ONLY = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type
assess45,Assessments within 45 days,Family Help,benchmarking,high,percent,1,ratio,,
"""


def _activity_only(folder: Path) -> Path:
    obs = observations_csv()
    keep = [line for line in obs.splitlines() if not line.startswith(("assess45", "cin_rate"))]
    keep += [
        line.replace("contacts,", "referrals,") for line in keep if line.startswith("contacts")
    ]
    return write_dataset(
        folder,
        indicators=ACTIVITY_ONLY,
        targets="indicator,year,red,amber,green\n",
        observations="\n".join(keep) + "\n",
    )


def _benchmarking_only(folder: Path) -> Path:
    obs = observations_csv()
    keep = [line for line in obs.splitlines() if not line.startswith(("contacts", "cin_rate"))]
    return write_dataset(
        folder,
        indicators=BENCHMARKING_ONLY,
        targets="indicator,year,red,amber,green\nassess45,2024/25,<82%,82%+,90%+\n",
        observations="\n".join(keep) + "\n",
        settings="authority: Test Borough\nas_at: 2025-04-10\nservice_areas: [Family Help]\n",
    )


def _text(page: Path) -> str:
    """A page's words, tags removed and entities read."""
    words = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(words))


@pytest.mark.parametrize(
    "make, sentences, areas",
    [
        (
            _activity_only,
            {
                "scorecard.html": ["No benchmarking indicators in this dataset."],
                "benchmarking.html": [
                    "No benchmarking indicator has benchmarks for this period.",
                    "No indicator in this pack is compared with the Department for Education's published data",
                ],
            },
            {"family-help": 1, "childrens-social-care": 1},
        ),
        (
            _benchmarking_only,
            {
                "scorecard.html": ["No activity indicators in this dataset."],
                "benchmarking.html": ["No benchmarking indicator has benchmarks for this period."],
            },
            {"family-help": 1},
        ),
    ],
    ids=["no benchmarking indicators", "no activity indicators, one indicator"],
)
def test_the_pack_builds_and_says_what_is_empty(tmp_path, make, sentences, areas):
    data = make(tmp_path / "data")
    result = CliRunner().invoke(
        main,
        ["run", "--data", str(data), "--period", "2024-25-Q4", "--out", str(tmp_path / "out"),
         "--jobs", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pack = tmp_path / "out" / "2024-25-Q4"
    for page, expected in sentences.items():
        text = _text(pack / page)
        for sentence in expected:
            assert sentence in text, (page, sentence)
    for area, charts in areas.items():
        # Each service area with one indicator: its one trend chart and its table.
        page = (pack / f"service-area-{area}.html").read_text(encoding="utf-8")
        assert page.count("<img") == charts
        assert "monthly values" in _text(pack / f"service-area-{area}.html")


def test_benchmark_position_without_benchmarks_is_a_sentence(tmp_path):
    report = open_report(_activity_only(tmp_path / "data"), "2024-25-Q4")
    assert benchmark_position(report).html == (
        "<p>No benchmarking indicator has benchmarks for this period.</p>"
    )
