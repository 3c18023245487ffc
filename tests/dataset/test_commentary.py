"""Analysts' commentary and sign-offs (``commentary.py``): the two optional files read
from folders and workbooks, their checks (file, row, column, fix), and how an analyst's
bullets replace or add to the generated ones.

The generated bullets here are hand-made; the sentences the narrative writes are tested
in tests/test_narrative.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.exceptions import DatasetError
from cyps_analysis.narrative.commentary import apply_commentary
from tests.conftest import write_dataset
from tests.dataset.test_load import write_workbook

COMMENTARY = """\
indicator,period,section,text,mode
assess45,2024-25-Q4,challenges,Timeliness dipped in January while the team was short-staffed.,add
cin_rate,2024-25-Q4,working_well,Fewer children need a plan after the new front door.,replace
,2024-25-Q4,summary,A steady quarter.,add
"""
SIGNOFF = """\
period,service_area,signed_off_by,date
2024-25-Q4,Children's Social Care,A. Analyst,2025-04-22
"""


def problems(folder: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return [(p.file, p.row, p.column, p.message) for p in caught.value.problems]


def test_both_files_are_optional(tmp_path: Path):
    ds = load_dataset(write_dataset(tmp_path / "d"))
    assert ds.commentary.empty and ds.signoff.empty
    assert list(ds.commentary.columns) == ["indicator", "period", "section", "text", "mode", "_row"]
    assert list(ds.signoff.columns) == ["period", "service_area", "signed_off_by", "date", "_row"]


def test_both_files_are_read_with_their_row_numbers(tmp_path: Path):
    ds = load_dataset(write_dataset(tmp_path / "d", commentary=COMMENTARY, signoff=SIGNOFF))
    c = ds.commentary
    assert c["indicator"].tolist()[:2] == ["assess45", "cin_rate"]
    assert pd.isna(c["indicator"].iloc[2])
    assert c["mode"].tolist() == ["add", "replace", "add"]
    assert c["_row"].tolist() == [2, 3, 4]
    s = ds.signoff.iloc[0]
    assert (s["period"], s["service_area"], s["signed_off_by"], s["date"]) == (
        "2024-25-Q4",
        "Children's Social Care",
        "A. Analyst",
        "2025-04-22",
    )


def test_commentary_problems_name_file_row_column(tmp_path: Path):
    text = """\
indicator,period,section,text,mode
nosuch,2024-25-Q4,challenges,Words.,add
assess45,2024/25,challenges,Words.,add
assess45,2024-25-Q4,headline,Words.,add
assess45,2024-25-Q4,challenges,,add
assess45,2024-25-Q4,challenges,Words.,swap
,2024-25-Q4,working_well,Words.,add
cin_rate,2025-03,challenges,First.,replace
cin_rate,2025-03,working_well,Second.,replace
"""
    found = problems(write_dataset(tmp_path / "d", commentary=text))
    assert found == [
        ("commentary.csv", 2, "indicator", "'nosuch' is not an indicator id"),
        ("commentary.csv", 3, "period", "'2024/25' is not a reporting period"),
        ("commentary.csv", 4, "section", "'headline' is not allowed"),
        ("commentary.csv", 5, "text", "a value is required here"),
        ("commentary.csv", 6, "mode", "'swap' is not allowed"),
        (
            "commentary.csv",
            7,
            "indicator",
            "a bullet in working_well needs the indicator it is about",
        ),
        ("commentary.csv", 9, "mode", "cin_rate already has a replacement for 2025-03 (row 8)"),
    ]


def test_signoff_problems_name_file_row_column(tmp_path: Path):
    text = """\
period,service_area,signed_off_by,date
2024-25-Q4,Education,A. Analyst,2025-04-22
2024-25-Q5,Family Help,A. Analyst,2025-04-22
2024-25-Q4,Family Help,,2025-04-22
2024-25-Q4,Children's Social Care,A. Analyst,22/04/2025
2024-25-Q4,Family Help,B. Analyst,2025-04-23
"""
    found = problems(write_dataset(tmp_path / "d", signoff=text))
    assert found == [
        ("signoff.csv", 2, "service_area", "'Education' is not a service area"),
        ("signoff.csv", 3, "period", "'2024-25-Q5' is not a reporting period"),
        ("signoff.csv", 4, "signed_off_by", "a value is required here"),
        ("signoff.csv", 5, "date", "'22/04/2025' is not a date"),
    ]


def test_a_second_signoff_for_the_same_area_and_period(tmp_path: Path):
    text = """\
period,service_area,signed_off_by,date
2024-25-Q4,Family Help,A. Analyst,2025-04-22
2024-25-Q4,Family Help,B. Analyst,2025-04-23
2024-25-Q3,Family Help,B. Analyst,2025-01-23
"""
    assert problems(write_dataset(tmp_path / "d", signoff=text)) == [
        (
            "signoff.csv",
            3,
            "service_area",
            "Family Help is already signed off for 2024-25-Q4 (row 2)",
        )
    ]


def test_a_misspelt_column_is_reported_with_the_nearest_name(tmp_path: Path):
    text = "indicator,period,section,txt,mode\nassess45,2025-03,challenges,Words.,add\n"
    found = problems(write_dataset(tmp_path / "d", commentary=text))
    assert (
        "commentary.csv",
        None,
        "txt",
        "there is no such column (did you mean 'text'?)",
    ) in found
    assert ("commentary.csv", None, "text", "this required column is missing") in found


WORKBOOK_COMMENTARY = """\
indicator,period,section,text,mode
assess45,2025-03,challenges,Words from the workbook.,add
"""
WORKBOOK_SIGNOFF = """\
period,service_area,signed_off_by,date
2024-25-Q4,Inclusion,A. Analyst,2025-04-22
"""


def test_workbook_sheets_are_read_and_a_month_typed_as_a_date_is_a_month(tmp_path: Path):
    path = write_workbook(
        tmp_path / "data.xlsx", commentary=WORKBOOK_COMMENTARY, signoff=WORKBOOK_SIGNOFF
    )
    book = load_workbook(path)
    book["commentary"]["B2"] = dt.datetime(2025, 3, 1)  # Excel's reading of 2025-03
    book["signoff"]["D2"] = dt.datetime(2025, 4, 22)
    book.save(path)
    ds = load_dataset(path)
    assert ds.commentary["period"].tolist() == ["2025-03"]
    assert ds.signoff[["service_area", "date"]].values.tolist() == [["Inclusion", "2025-04-22"]]


def test_workbook_problems_name_the_sheet(tmp_path: Path):
    bad = WORKBOOK_SIGNOFF.replace("Inclusion", "Education")
    path = write_workbook(tmp_path / "data.xlsx", signoff=bad)
    assert problems(path) == [
        ("data.xlsx [signoff]", 2, "service_area", "'Education' is not a service area")
    ]


# --- putting analysts' bullets among the generated ones ---------------------------------

INDICATORS = pd.DataFrame(
    {"id": ["a", "b", "c"], "service_area": ["Area 1", "Area 1", "Area 2"]}, dtype=object
)


def generated() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service_area": [None, "Area 1", "Area 1", "Area 1", "Area 2"],
            "section": ["summary", "working_well", "working_well", "challenges", "challenges"],
            "indicator": [None, "a", "b", "c_not_here", "c"],
            "text": ["Summary.", "A is good.", "B is good.", "Other.", "C is poor."],
            "facts": [{}, {"indicator": "a"}, {"indicator": "b"}, {}, {"indicator": "c"}],
        }
    )


def commentary(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "period", "section", "text", "mode"])


def test_replace_takes_the_generated_bullets_place():
    out = apply_commentary(
        generated(),
        commentary([("a", "2025-03", "working_well", "A, in the analyst's words.", "replace")]),
        INDICATORS,
        "2025-03",
        set(),
    )
    ww = out[out["section"] == "working_well"]
    assert ww["text"].tolist() == ["A, in the analyst's words.", "B is good."]
    assert ww["source"].tolist() == ["analyst", "generated"]
    assert ww["draft"].tolist() == [False, True]  # an analyst's words are never a draft


def test_add_follows_the_indicators_bullet_and_other_periods_are_ignored():
    out = apply_commentary(
        generated(),
        commentary(
            [
                ("a", "2025-03", "working_well", "More on A.", "add"),
                ("b", "2025-02", "working_well", "Last month's words.", "replace"),
            ]
        ),
        INDICATORS,
        "2025-03",
        set(),
    )
    ww = out[out["section"] == "working_well"]
    assert ww["text"].tolist() == ["A is good.", "More on A.", "B is good."]


def test_replace_into_another_section_moves_the_bullet_to_the_end_of_that_section():
    out = apply_commentary(
        generated(),
        commentary([("b", "2025-03", "challenges", "B needs attention.", "replace")]),
        INDICATORS,
        "2025-03",
        set(),
    )
    area1 = out[out["service_area"] == "Area 1"]
    assert area1[area1["section"] == "working_well"]["text"].tolist() == ["A is good."]
    assert area1[area1["section"] == "challenges"]["text"].tolist() == [
        "Other.",
        "B needs attention.",
    ]


def test_summary_lines_add_or_replace_the_generated_summary():
    added = apply_commentary(
        generated(),
        commentary([(None, "2025-03", "summary", "A steady month.", "add")]),
        INDICATORS,
        "2025-03",
        set(),
    )
    assert added[added["section"] == "summary"]["text"].tolist() == ["Summary.", "A steady month."]
    replaced = apply_commentary(
        generated(),
        commentary([(None, "2025-03", "summary", "Our summary.", "replace")]),
        INDICATORS,
        "2025-03",
        set(),
    )
    assert replaced[replaced["section"] == "summary"]["text"].tolist() == ["Our summary."]


def test_signed_off_areas_are_not_drafts_and_the_summary_needs_every_area():
    one = apply_commentary(generated(), commentary([]), INDICATORS, "2025-03", {"Area 1"})
    draft = dict(zip(one["text"], one["draft"], strict=True))
    assert draft == {
        "Summary.": True,
        "A is good.": False,
        "B is good.": False,
        "Other.": False,
        "C is poor.": True,
    }
    both = apply_commentary(
        generated(), commentary([]), INDICATORS, "2025-03", {"Area 1", "Area 2"}
    )
    assert not both["draft"].any()


def test_the_inputs_are_not_changed():
    bullets, notes = generated(), commentary([("a", "2025-03", "working_well", "X.", "replace")])
    before = (bullets.copy(), notes.copy())
    apply_commentary(bullets, notes, INDICATORS, "2025-03", {"Area 1"})
    pd.testing.assert_frame_equal(bullets, before[0])
    pd.testing.assert_frame_equal(notes, before[1])
