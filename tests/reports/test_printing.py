"""Printing a pack to PDF: finding Chromium, the print rules, and ``run --pdf`` without
it (exit 2, the HTML pack still made). Printing itself is tested with the browser tests
(``test_browser.py``), on the demo's pack, and ``.ci/run`` runs ``run --pdf``."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.reports.page import css_string, print_css
from cyps_analysis.reports.printing import find_chromium
from tests.conftest import write_dataset
from tests.reports.test_pack import NOTEBOOK_DIR, RED_TARGETS


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_find_chromium_tries_the_three_names_in_order(tmp_path, monkeypatch):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    monkeypatch.setenv("PATH", str(bin_))
    assert find_chromium() is None
    _executable(bin_ / "google-chrome")
    assert find_chromium() == str(bin_ / "google-chrome")
    _executable(bin_ / "chromium-browser")
    assert find_chromium() == str(bin_ / "chromium-browser")
    _executable(bin_ / "chromium")
    assert find_chromium() == str(bin_ / "chromium")


def test_find_chromium_given_a_path(tmp_path):
    given = _executable(tmp_path / "my-chrome")
    assert find_chromium(given) == str(given)
    assert find_chromium(tmp_path / "missing") is None


def test_print_rules_quote_the_title_safely():
    css = print_css('A "quoted" </style><script>', landscape=True, paper="A3")
    assert "size: A3 landscape" in css
    assert "</style>" not in css and "<script>" not in css
    # Each of " < is written as a CSS escape: \22 and \3c followed by a space.
    assert css_string('"<') == '"\\22 \\3c "'
    assert 'counter(page) " of " counter(pages)' in css


def _run(*args: str):
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


@pytest.mark.skipif(not NOTEBOOK_DIR.is_dir(), reason="notebooks/ not found")
def test_pdf_without_chromium_says_how_to_install_it_and_exits_2(tmp_path):
    data = write_dataset(tmp_path / "data", targets=RED_TARGETS)
    out = tmp_path / "out"
    result = _run(
        "--data", str(data), "--period", "2024-25-Q4", "--out", str(out), "--jobs", "2",
        "--pdf", "--chromium", str(tmp_path / "no-chromium-here"),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "apt-get install chromium" in result.output and "--chromium PATH" in result.output
    pack = out / "2024-25-Q4"
    assert (pack / "index.html").is_file() and (pack / "scorecard.html").is_file()
    assert list(pack.glob("*.pdf")) == []
