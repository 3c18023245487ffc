"""The narrative's settings (``narrative_settings.py``): defaults, the ``narrative:``
block of settings.yaml, its rows in a workbook's settings sheet, and problems that name
the setting and the fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.dataset.narrative_settings import NarrativeSettings
from cyps_analysis.exceptions import DatasetError
from tests.conftest import SETTINGS, write_dataset
from tests.dataset.test_load import write_workbook


def test_defaults_when_the_block_is_left_out(tmp_path: Path):
    s = load_dataset(write_dataset(tmp_path / "d")).settings.narrative
    assert s == NarrativeSettings()
    assert s.max_bullets == 5
    assert (s.tolerance("percent"), s.tolerance("rate_per_10k"), s.tolerance("count")) == (
        1.0,
        0.02,
        0.02,
    )


def test_the_block_sets_some_units_and_keeps_the_rest(tmp_path: Path):
    text = SETTINGS + "narrative:\n  max_bullets: 3\n  in_line:\n    percent: 0.5\n    days: 0.1\n"
    s = load_dataset(write_dataset(tmp_path / "d", settings=text)).settings.narrative
    assert s.max_bullets == 3
    assert (s.tolerance("percent"), s.tolerance("days"), s.tolerance("score")) == (0.5, 0.1, 0.5)


@pytest.mark.parametrize(
    ("block", "setting", "message"),
    [
        ("  max_bullets: 0\n", "narrative.max_bullets", "'0' is not a whole number of at least 1"),
        ("  max_bullets: two\n", "narrative.max_bullets", "'two' is not a whole number of at least 1"),
        ("  in_line:\n    rate_per_10k: 2\n", "narrative.in_line.rate_per_10k", "'2' is not a tolerance for rate_per_10k"),
        ("  in_line:\n    percent: -1\n", "narrative.in_line.percent", "'-1' is not a tolerance for percent"),
        ("  in_line:\n    pct: 1\n", "narrative.in_line.pct", "'pct' is not a unit"),
        ("  bullets: 4\n", "narrative.bullets", "'bullets' is not a narrative setting"),
    ],
)  # fmt: skip
def test_bad_settings_name_the_setting(tmp_path: Path, block: str, setting: str, message: str):
    folder = write_dataset(tmp_path / "d", settings=SETTINGS + "narrative:\n" + block)
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.message) == (
        "settings.yaml",
        None,
        setting,
        message,
    )
    assert f"setting {setting!r}" in str(problem)


def test_a_relative_tolerance_written_as_a_whole_percentage_says_how_to_write_it(tmp_path: Path):
    text = SETTINGS + "narrative:\n  in_line:\n    count: 5\n"
    with pytest.raises(DatasetError) as caught:
        load_dataset(write_dataset(tmp_path / "d", settings=text))
    assert "0.02 for 2%" in caught.value.problems[0].fix


def workbook_settings(*extra: tuple[str, object]) -> list[tuple[str, object]]:
    return [
        ("authority", "Test Borough"),
        ("as_at", dt.datetime(2025, 4, 14)),
        ("service_areas", "Family Help\nChildren's Social Care\nInclusion"),
        *extra,
    ]


def test_workbook_rows_narrative_dot_key(tmp_path: Path):
    settings = workbook_settings(("narrative.max_bullets", 4), ("narrative.in_line.percent", 2))
    s = load_dataset(write_workbook(tmp_path / "d.xlsx", settings)).settings.narrative
    assert (s.max_bullets, s.tolerance("percent"), s.tolerance("count")) == (4, 2.0, 0.02)


def test_workbook_problem_gives_the_settings_row(tmp_path: Path):
    settings = workbook_settings(("narrative.max_bullets", 4), ("narrative.in_line.count", 5))
    with pytest.raises(DatasetError) as caught:
        load_dataset(write_workbook(tmp_path / "d.xlsx", settings))
    [problem] = caught.value.problems
    # Row 1 is the header; the settings above take rows 2-4, max_bullets row 5.
    assert (problem.file, problem.row, problem.column) == (
        "d.xlsx [settings]",
        6,
        "narrative.in_line.count",
    )
