"""Exports safe to open: free text that a spreadsheet would run as a formula is written
as text (OWASP's CSV-injection guidance); band notation and numbers stay as written."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.rules.periods import parse_period
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.export import render_scorecard, write_scorecard
from tests.conftest import INDICATORS, write_dataset

EVIL_TITLE = '=HYPERLINK("https://evil.example","x")'
EVIL_AREA_ID = "@SUM(1+1)"


def _card(tmp_path: Path):
    indicators = INDICATORS.replace(
        "Assessments within 45 days", EVIL_TITLE.replace('"', '""').join('""')
    ).replace("Contacts,Family Help", "+cmd|' /C calc'!A0,Family Help")
    data = write_dataset(tmp_path / "d", indicators=indicators)
    return build_scorecard(load_dataset(data), parse_period("2024-25-Q4"))


def test_csv_prefixes_formula_text_but_not_bands_or_numbers(tmp_path: Path) -> None:
    card = _card(tmp_path)
    rows = list(csv.DictReader(io.StringIO(render_scorecard(card, "csv"))))
    by_id = {r["id"]: r for r in rows}
    # The titles start with "=" and "+": each gets one leading apostrophe.
    assert by_id["assess45"]["title"] == "'" + EVIL_TITLE
    assert by_id["contacts"]["title"] == "'+cmd|' /C calc'!A0"
    # The amber band of cin_rate is written "-" (empty band) and stays so; numbers too.
    assert by_id["cin_rate"]["amber"] == "-"
    assert by_id["cin_rate"]["red"] == "227.1+"
    assert not any(v.startswith("'") for v in by_id["cin_rate"].values())


def test_xlsx_stores_formula_text_as_strings(tmp_path: Path) -> None:
    card = _card(tmp_path)
    path = tmp_path / "card.xlsx"
    write_scorecard(card, path, "xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    # No cell of either sheet holds a formula (<f> element).
    assert "<f>" not in sheets and "<f " not in sheets
    wb = load_workbook(path)
    titles = [c.value for c in wb["Scorecard"]["A"]] + [c.value for c in wb["Scorecard"]["B"]]
    assert EVIL_TITLE in titles
    cell = next(c for row in wb["Scorecard"].iter_rows() for c in row if c.value == EVIL_TITLE)
    assert cell.data_type == "s"
