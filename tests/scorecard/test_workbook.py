"""The council workbook: opened with openpyxl, as Excel would see it. Expected figures
are worked out by hand from the small dataset of tests/conftest.py (month n of a year:
contacts 100+n; assessments 80+n of 100; CIN rate 220 + n/10)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.rules.periods import parse_period
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.export import write_scorecard
from tests.conftest import write_dataset

BENCHMARKS_CSV = """\
indicator,year,stat_neighbour_avg,best_stat_neighbour,national_avg,top_quartile,regional_avg
assess45,2023/24,85.5,,,,
cin_rate,2023/24,,,310.25,,
"""
DEMO = Path(__file__).parents[2] / "data" / "demo"


@pytest.fixture
def sheet(tmp_path: Path):
    data = write_dataset(tmp_path / "d", benchmarks=BENCHMARKS_CSV)
    card = build_scorecard(load_dataset(data), parse_period("2024-25-Q4"))
    path = tmp_path / "card.xlsx"
    write_scorecard(card, path, "xlsx")
    return load_workbook(path)


def _row(ws, title: str) -> dict:
    """The cells of an indicator's row, by column heading (row 3)."""
    headings = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == title)
    return dict(zip(headings, row, strict=True))


def test_sheets_and_header_rows(sheet) -> None:
    assert sheet.sheetnames == ["Scorecard", "Data", "About"]
    ws = sheet["Scorecard"]
    assert ws["A1"].value == "Test Borough scorecard, 2024/25 Q4 (data as at 2025-04-10)"
    headings = [c.value for c in ws[3]]
    assert headings[:7] == ["Indicator", "Jan-25", "Feb-25", "Mar-25", "Qtr", "YTD", "Good perf is"]
    # Columns: A indicator, B-D months, E Qtr, F YTD, G-K polarity/DOT/RAG, L-N bands,
    # O-P last year and trend, Q-R forecast, S-W the five benchmarks, X notes.
    assert headings[11:14] == ["Red", "Amber", "Green (target)"]
    assert headings[16:18] == ["Forecast (yr end)", "Needed (rest of yr)"]
    assert headings[-1] == "Notes" and len(headings) == 24
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:X1", "B2:D2", "L2:N2", "O2:P2", "Q2:R2", "S2:W2"}
    assert [ws[c].value for c in ("B2", "L2", "O2", "Q2", "S2")] == [
        "2024/25 Q4",
        "Target & tolerances",
        "Yr on yr performance",
        "Forecast",
        "Latest benchmarking",
    ]


def test_section_rows_one_per_service_area(sheet) -> None:
    ws = sheet["Scorecard"]
    first = [r[0].value for r in ws.iter_rows(min_row=4)]
    assert first == [
        "Family Help",
        "Contacts",
        "Children's Social Care",
        "Assessments within 45 days",
        "Children in need rate",
    ]
    # A section row has its name only, bold, and is shaded across the sheet.
    section = list(ws[4])
    assert all(c.value is None for c in section[1:])
    assert section[0].font.b and {c.fill.fgColor.rgb for c in section} == {"00D9D9D9"}


def test_values_are_numbers_formatted_by_unit(sheet) -> None:
    ws = sheet["Scorecard"]
    contacts = _row(ws, "Contacts")
    # Counts: Jan-25 101; Qtr 101+102+103 = 306; YTD Apr-Dec 104..112 (972) + 306 = 1278.
    assert [contacts[h].value for h in ("Jan-25", "Qtr", "YTD")] == [101, 306, 1278]
    assert contacts["YTD"].data_type == "n" and contacts["YTD"].number_format == "#,##0"
    assess = _row(ws, "Assessments within 45 days")
    # Percent stored as a fraction: Mar-25 83 of 100 = 83.0% -> 0.83; the year to date
    # (84..92 = 792, + 81+82+83) = 1038 of 1200 = 86.5% -> 0.865.
    assert assess["Mar-25"].value == pytest.approx(0.83)
    assert assess["YTD"].value == pytest.approx(0.865)
    assert assess["YTD"].number_format == "0.0%"
    rate = _row(ws, "Children in need rate")
    assert rate["Mar-25"].value == pytest.approx(220.3) and rate["Mar-25"].number_format == "0.0"


def test_benchmarks_are_numbers_that_show_their_year(sheet) -> None:
    ws = sheet["Scorecard"]
    assess = _row(ws, "Assessments within 45 days")
    assert assess["Stat neighbours"].value == pytest.approx(0.855)
    assert assess["Stat neighbours"].number_format == '0.0%" (2023/24)"'
    assert assess["England"].value is None
    # 310.25 at one decimal, rounded half up: 310.3.
    rate = _row(ws, "Children in need rate")
    assert rate["England"].value == pytest.approx(310.3)
    assert rate["England"].number_format == '0.0" (2023/24)"'


def test_bands_stay_text(sheet) -> None:
    rate = _row(sheet["Scorecard"], "Children in need rate")
    assert [rate[h].value for h in ("Red", "Amber", "Green (target)")] == ["227.1+", "-", "<227.1"]
    assert all(rate[h].data_type == "s" for h in ("Red", "Amber", "Green (target)"))


def test_rag_cells_are_filled_and_say_the_rating(sheet) -> None:
    ws = sheet["Scorecard"]
    # Mar-25 83.0%: not 90%+, but 82%+: the amber band, which this authority calls Yellow.
    assess = _row(ws, "Assessments within 45 days")
    assert assess["RAG (month)"].value == "Yellow"
    assert assess["RAG (month)"].fill.fgColor.rgb == "00FCE5CD"
    # The CIN rate 220.3 is <227.1: Green.
    rate = _row(ws, "Children in need rate")
    assert rate["RAG (yr end)"].value == "Green"
    assert rate["RAG (yr end)"].fill.fgColor.rgb == "00D9EAD3"
    # Activity has no RAG and no fill.
    contacts = _row(ws, "Contacts")
    assert contacts["RAG (month)"].value == "Activity"
    assert contacts["RAG (month)"].fill.fill_type is None


def test_direction_cells_hold_arrow_and_word(sheet) -> None:
    ws = sheet["Scorecard"]
    # 82.0% -> 83.0%, high is good: up and improving. CIN 220.2 -> 220.3, low is good:
    # up and declining.
    assert _row(ws, "Assessments within 45 days")["DOT (month)"].value == "↑ improving"
    assert _row(ws, "Children in need rate")["DOT (month)"].value == "↑ declining"
    assert _row(ws, "Children in need rate")["DOT (month)"].font.color.rgb == "00B71C1C"


def test_freeze_filter_and_print_set_up(sheet) -> None:
    ws = sheet["Scorecard"]
    assert ws.freeze_panes == "B4"
    assert ws.auto_filter.ref == "A3:X8"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper sizes
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$3"
    assert ws.oddHeader.center.text.startswith("Test Borough scorecard")
    assert "&P" in ws.oddFooter.center.text
    # Widths fit: the indicator column is as wide as its longest title (26 characters)
    # and some; a band column is narrower.
    assert ws.column_dimensions["A"].width >= 26
    assert ws.column_dimensions["L"].width < ws.column_dimensions["A"].width


def test_data_sheet_keeps_the_csv_columns_as_numbers(sheet) -> None:
    ws = sheet["Data"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["id", "title", "service_area"]
    rows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert rows["assess45"]["outturn"] == pytest.approx(86.5)
    assert rows["contacts"]["outturn"] == 1278


def test_about_sheet(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")  # 2025-01-02 00:00 UTC
    card = build_scorecard(load_dataset(write_dataset(tmp_path / "d")), "2024-25-Q4")
    write_scorecard(card, tmp_path / "c.xlsx", "xlsx")
    about = {
        r[0]: r[1] for r in load_workbook(tmp_path / "c.xlsx")["About"].iter_rows(values_only=True)
    }
    assert about["Data as at"] == "2025-04-10"
    assert about["Run date"] == "2025-01-02"
    assert about["Made by"].startswith("cyps-analysis ")
    assert "RAG (yr end)" in about and "Latest benchmarking" not in about


def test_demo_sections_list_benchmarking_before_activity(tmp_path: Path) -> None:
    card = build_scorecard(load_dataset(DEMO), "2024-25-Q4")
    write_scorecard(card, tmp_path / "demo.xlsx", "xlsx")
    kinds = pd.read_csv(DEMO / "indicators.csv").set_index("title")["kind"]
    areas = pd.read_csv(DEMO / "indicators.csv")["service_area"].unique()
    ws = load_workbook(tmp_path / "demo.xlsx")["Scorecard"]
    seen: dict[str, list[str]] = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] in areas and all(v is None for v in row[1:]):
            area = row[0]
            seen[area] = []
        else:
            seen[area].append(kinds[row[0]])
    assert set(seen) == set(areas)
    for found in seen.values():
        # Never an activity indicator before a benchmarking one.
        assert found == sorted(found, key=lambda kind: kind == "activity")
        assert "benchmarking" in found and "activity" in found


def test_a_month_scorecard_has_one_month_column(tmp_path: Path) -> None:
    card = build_scorecard(load_dataset(write_dataset(tmp_path / "d")), "2025-03")
    write_scorecard(card, tmp_path / "m.xlsx", "xlsx")
    ws = load_workbook(tmp_path / "m.xlsx")["Scorecard"]
    assert [c.value for c in ws[3]][:3] == ["Indicator", "Mar-25", "Qtr"]
    assert ws["B2"].value == "Mar-25"
    assert "B2:B2" not in {str(r) for r in ws.merged_cells.ranges}
