"""Reading a dataset (``dataset.py``): a folder of CSV files with settings.yaml, or one
workbook, in the encodings, line endings and layouts analysts' files come in.

Each test writes a small hand-made dataset into ``tmp_path``; docs/dataset.md is the
specification.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cyps_analysis.dataset.load import Dataset, Settings, load_dataset
from cyps_analysis.exceptions import DatasetError, Problem

# Three indicators: an activity count, a monthly percentage worked out from counts, and an
# annual calendar-year percentage. Titles hold characters outside ASCII ('–', 'é', '£')
# so that the encodings can be told apart.
INDICATORS = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type,national_code
contacts,Contacts – front door,Family Help,activity,none,count,0,sum,,,
assess45,Assessments within 45 days,Children's Social Care,benchmarking,high,percent,1,ratio,,,Continue_Assess_Comp
ehcp20,EHC plans within 20 weeks (café £),Inclusion,benchmarking,high,percent,1,annual,annual,calendar,
"""
TARGETS = """\
indicator,year,red,amber,green
assess45,2024/25,<82%,82%+,90%+
ehcp20,2024,<50,50-59.9,60+
"""
OBSERVATIONS = """\
indicator,month,value,numerator,denominator
contacts,2025-01,120,,
contacts,2025-02,131,,
contacts,2025-03,118,,
assess45,2025-01,,79,100
assess45,2025-02,,45,45
assess45,2025-03,,83,93
ehcp20,2024-12,58.3,,
"""
SETTINGS = """\
authority: Test Borough
la_code: "999"
region: London
as_at: 2025-04-14
service_areas:
  - Family Help
  - Children's Social Care
  - Inclusion
band_labels:
  red: Red
  amber: Yellow
  green: Green
small_denominator: 5
"""
FILES = {
    "indicators.csv": INDICATORS,
    "targets.csv": TARGETS,
    "observations.csv": OBSERVATIONS,
    "settings.yaml": SETTINGS,
}


def write_folder(folder: Path, encoding: str = "utf-8", newline: str = "\n", **files) -> Path:
    """Write the dataset into ``folder``; ``files`` replaces a file's text by its stem
    (``targets=...``), or leaves it out when ``None``."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = dict(FILES)
    for stem, text in files.items():
        contents[f"{stem}.yaml" if stem == "settings" else f"{stem}.csv"] = text
    for name, text in contents.items():
        if text is not None:
            (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))
    return folder


def _cell(text: str) -> object:
    """A CSV cell as Excel holds it once typed in: numbers are numbers."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text or None


def write_workbook(
    path: Path, settings: list[tuple[str, object]] | None = None, **sheets: str | None
) -> Path:
    """Write the dataset as one workbook, a sheet per file and a key/value settings sheet;
    ``sheets`` replaces a sheet's CSV text, or leaves it out when ``None``."""
    texts = {"indicators": INDICATORS, "targets": TARGETS, "observations": OBSERVATIONS}
    texts.update(sheets)
    book = Workbook()
    book.remove(book.active)
    for name, text in texts.items():
        if text is None:
            continue
        sheet = book.create_sheet(name)
        for record in csv.reader(io.StringIO(text)):
            sheet.append([_cell(c) for c in record])
    if settings is None:
        settings = [
            ("authority", "Test Borough"),
            ("la_code", "999"),
            ("region", "London"),
            ("as_at", dt.datetime(2025, 4, 14)),
            ("service_areas", "Family Help\nChildren's Social Care\nInclusion"),
            ("band_labels.amber", "Yellow"),
            ("small_denominator", 5),
        ]
    sheet = book.create_sheet("settings")
    sheet.append(["key", "value"])
    for key, value in settings:
        sheet.append([key, value])
    book.save(path)
    return path


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    return caught.value.problems


def assert_same_tables(a: Dataset, b: Dataset) -> None:
    for table in ("indicators", "targets", "observations", "benchmarks"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), obj=table)
    assert a.settings == b.settings


@pytest.fixture
def reference(tmp_path: Path) -> Dataset:
    return load_dataset(write_folder(tmp_path / "reference"))


# --- a valid dataset ------------------------------------------------------------------


def test_valid_folder_loads_with_typed_tables_and_settings(tmp_path: Path):
    ds = load_dataset(write_folder(tmp_path / "data"))

    ind = ds.indicators.set_index("id")
    assert list(ind.index) == ["contacts", "assess45", "ehcp20"]
    assert ind.loc["contacts", "title"] == "Contacts – front door"
    assert ind.loc["ehcp20", "title"] == "EHC plans within 20 weeks (café £)"
    assert ind["decimals"].tolist() == [0, 1, 1]
    assert str(ind["decimals"].dtype) == "Int64"
    assert ind.loc["assess45", "national_code"] == "Continue_Assess_Comp"
    assert pd.isna(ind.loc["contacts", "national_code"])
    assert ind["_row"].tolist() == [2, 3, 4]

    obs = ds.observations
    assert obs["month"].tolist()[:4] == ["2025-01", "2025-02", "2025-03", "2025-01"]
    assert obs["value"].tolist()[:3] == [120.0, 131.0, 118.0]
    assert obs.loc[obs["indicator"] == "assess45", "numerator"].tolist() == [79.0, 45.0, 83.0]
    assert obs.loc[obs["indicator"] == "assess45", "denominator"].tolist() == [100.0, 45.0, 93.0]
    assert obs["_row"].tolist() == [2, 3, 4, 5, 6, 7, 8]

    assert ds.targets[["indicator", "year", "red", "amber", "green"]].values.tolist() == [
        ["assess45", "2024/25", "<82%", "82%+", "90%+"],
        ["ehcp20", "2024", "<50", "50-59.9", "60+"],
    ]
    assert ds.benchmarks.empty  # benchmarks.csv is optional
    assert "national_avg" in ds.benchmarks.columns

    assert ds.settings == Settings(
        authority="Test Borough",
        as_at=dt.date(2025, 4, 14),
        la_code="999",
        region="London",
        service_areas=("Family Help", "Children's Social Care", "Inclusion"),
        band_labels=(("red", "Red"), ("amber", "Yellow"), ("green", "Green")),
        small_denominator=5,
    )


def test_blank_frequency_and_year_type_default_to_monthly_and_financial(reference: Dataset):
    ind = reference.indicators.set_index("id")
    assert ind.loc["contacts", ["frequency", "year_type"]].tolist() == ["monthly", "financial"]
    assert ind.loc["assess45", ["frequency", "year_type"]].tolist() == ["monthly", "financial"]
    assert ind.loc["ehcp20", ["frequency", "year_type"]].tolist() == ["annual", "calendar"]


def test_optional_columns_and_settings_may_be_left_out(tmp_path: Path):
    indicators = (
        "id,title,service_area,kind,polarity,unit,decimals,aggregation\n"
        "contacts,Contacts,Family Help,activity,none,count,0,sum\n"
    )
    ds = load_dataset(
        write_folder(
            tmp_path / "data",
            indicators=indicators,
            targets="indicator,year,red,amber,green\n",
            observations="indicator,month,value,numerator,denominator\ncontacts,2025-03,5,,\n",
            settings="authority: Test Borough\nas_at: 2025-04-14\n",
        )
    )
    row = ds.indicators.iloc[0]
    assert (row["frequency"], row["year_type"]) == ("monthly", "financial")
    assert pd.isna(row["national_code"]) and pd.isna(row["definition"])
    assert ds.targets.empty
    assert ds.settings == Settings(authority="Test Borough", as_at=dt.date(2025, 4, 14))
    assert ds.settings.small_denominator == 10
    assert [ds.settings.label(b) for b in ("red", "amber", "green")] == ["Red", "Amber", "Green"]


def test_band_labels_may_call_amber_yellow(reference: Dataset):
    assert reference.settings.label("amber") == "Yellow"
    assert reference.settings.label("Amber") == "Yellow"
    assert reference.settings.label("green") == "Green"


def test_loading_does_not_change_the_files(tmp_path: Path):
    folder = write_folder(tmp_path / "data")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_dataset(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# --- encodings, line endings, column names and blank rows ------------------------------


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        pytest.param("utf-8-sig", "\n", id="utf-8 with BOM"),
        pytest.param("cp1252", "\n", id="cp1252"),
        pytest.param("utf-8", "\r\n", id="CRLF"),
        pytest.param("cp1252", "\r\n", id="cp1252 and CRLF"),
        pytest.param("utf-8-sig", "\r\n", id="BOM and CRLF"),
    ],
)
def test_excel_encodings_and_line_endings_read_the_same(
    tmp_path: Path, reference: Dataset, encoding: str, newline: str
):
    folder = write_folder(tmp_path / "data", encoding=encoding, newline=newline)
    if encoding == "cp1252":  # the file really is in Windows-1252: '–' is one byte, 0x96
        assert b"Contacts \x96 front door" in (folder / "indicators.csv").read_bytes()
    ds = load_dataset(folder)
    assert_same_tables(ds, reference)
    assert ds.indicators["title"].iloc[2] == "EHC plans within 20 weeks (café £)"


def test_a_bom_does_not_stick_to_the_first_column_name(tmp_path: Path):
    ds = load_dataset(write_folder(tmp_path / "data", encoding="utf-8-sig"))
    assert ds.indicators.columns[0] == "id"


def test_column_names_ignore_case_and_surrounding_spaces(tmp_path: Path, reference: Dataset):
    header = INDICATORS.splitlines()[0]
    shouted = ",".join(f"  {name.upper()} " for name in header.split(","))
    targets = TARGETS.replace(
        "indicator,year,red,amber,green", "Indicator , Year,RED,Amber , Green"
    )
    observations = OBSERVATIONS.replace(
        "indicator,month,value,numerator,denominator",
        " INDICATOR,Month ,Value,Numerator , DENOMINATOR ",
    )
    ds = load_dataset(
        write_folder(
            tmp_path / "data",
            indicators=INDICATORS.replace(header, shouted),
            targets=targets,
            observations=observations,
        )
    )
    assert_same_tables(ds, reference)


def test_cells_are_trimmed_of_surrounding_spaces(tmp_path: Path, reference: Dataset):
    observations = OBSERVATIONS.replace("contacts,2025-01,120", " contacts , 2025-01 , 120 ")
    ds = load_dataset(write_folder(tmp_path / "data", observations=observations))
    assert_same_tables(ds, reference)


def test_blank_rows_are_ignored(tmp_path: Path, reference: Dataset):
    lines = OBSERVATIONS.splitlines()
    observations = "\n".join([lines[0], "", *lines[1:4], ",,,,", "", *lines[4:]]) + "\n\n"
    ds = load_dataset(write_folder(tmp_path / "data", observations=observations))
    # Same values; the rows keep their numbers in the file, for messages.
    assert ds.observations["_row"].tolist() == [3, 4, 5, 8, 9, 10, 11]
    pd.testing.assert_frame_equal(
        ds.observations.drop(columns="_row"), reference.observations.drop(columns="_row")
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_row_numbers_in_messages_count_blank_lines_as_excel_does(tmp_path: Path, newline: str):
    # Lines 1-7 of the file are Excel's rows 1-7: header, blank, two rows, a row of empty
    # cells, blank, and the bad month on line 7.
    observations = (
        "indicator,month,value,numerator,denominator\n"
        "\n"
        "contacts,2025-01,120,,\n"
        "contacts,2025-02,131,,\n"
        ",,,,\n"
        "\n"
        "contacts,2025-13,118,,\n"
    )
    folder = write_folder(tmp_path / "data", newline=newline, observations=observations)
    problems = problems_of(folder)
    assert [(p.file, p.row, p.column) for p in problems] == [("observations.csv", 7, "month")]


def test_a_cell_over_two_lines_is_one_row(tmp_path: Path):
    # A quoted title over two lines is one row in Excel: ehcp20 stays on row 4.
    indicators = INDICATORS.replace(
        "Contacts – front door", '"Contacts – front door\n(all routes)"'
    ).replace("Inclusion,benchmarking", "Inclusion,benchmark")
    problems = problems_of(write_folder(tmp_path / "data", indicators=indicators))
    assert [(p.file, p.row, p.column) for p in problems] == [("indicators.csv", 4, "kind")]


# --- workbooks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "areas",
    [
        pytest.param("Family Help\nChildren's Social Care\nInclusion", id="one a line"),
        pytest.param("Family Help; Children's Social Care;Inclusion", id="';'-separated"),
    ],
)
def test_workbook_gives_the_same_tables_as_the_folder(
    tmp_path: Path, reference: Dataset, areas: str
):
    settings = [
        ("authority", "Test Borough"),
        ("la_code", "999"),
        ("region", "London"),
        ("as_at", dt.datetime(2025, 4, 14)),
        ("service_areas", areas),
        ("band_labels.red", "Red"),
        ("band_labels.amber", "Yellow"),
        ("band_labels.green", "Green"),
        ("small_denominator", 5),
    ]
    ds = load_dataset(write_workbook(tmp_path / "data.xlsx", settings))
    assert_same_tables(ds, reference)


def test_workbook_sheet_names_and_settings_keys_ignore_case(tmp_path: Path, reference: Dataset):
    path = write_workbook(tmp_path / "data.xlsx")
    book = load_workbook(path)
    book["settings"]["A2"] = "Authority"
    for name, title in (("indicators", "Indicators"), ("settings", " Settings ")):
        book[name].title = "renamed"  # openpyxl will not rename to the same name in capitals
        book["renamed"].title = title
    book.save(path)
    assert_same_tables(load_dataset(path), reference)


def test_workbook_as_at_may_be_text(tmp_path: Path, reference: Dataset):
    path = tmp_path / "data.xlsx"
    settings = [
        ("authority", "Test Borough"),
        ("la_code", 999),
        ("region", "London"),
        ("as_at", "2025-04-14"),
        ("service_areas", "Family Help; Children's Social Care; Inclusion"),
        ("band_labels.amber", "Yellow"),
        ("small_denominator", "5"),
    ]
    assert_same_tables(load_dataset(write_workbook(path, settings)), reference)


def test_workbook_months_typed_into_excel_as_dates_read_as_months(tmp_path: Path):
    # Excel turns 2025-01 typed into a cell into the date 1 January 2025.
    path = write_workbook(tmp_path / "data.xlsx")
    book = load_workbook(path)
    sheet = book["observations"]
    sheet["B2"] = dt.datetime(2025, 1, 1)
    sheet["B3"] = dt.datetime(2025, 2, 1)
    sheet["B4"] = dt.datetime(2025, 3, 15)  # not a month: a day
    book.save(path)
    problems = problems_of(path)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("data.xlsx [observations]", 4, "month")
    ]
    assert problems[0].message == "'2025-03-15' is not a month"


def test_workbook_blank_rows_keep_excel_row_numbers(tmp_path: Path):
    path = write_workbook(tmp_path / "data.xlsx")
    book = load_workbook(path)
    sheet = book["observations"]
    sheet.insert_rows(3, amount=2)  # rows 3 and 4 left blank
    sheet["B7"] = "2025-13"  # was row 5, assess45 2025-01
    book.save(path)
    problems = problems_of(path)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("data.xlsx [observations]", 7, "month")
    ]


@pytest.mark.parametrize("sheet", ["indicators", "targets", "observations"])
def test_workbook_missing_sheet(tmp_path: Path, sheet: str):
    problems = problems_of(write_workbook(tmp_path / "data.xlsx", **{sheet: None}))
    assert problems == (
        Problem(
            "data.xlsx",
            None,
            None,
            f"the workbook has no {sheet!r} sheet",
            f"Add a sheet named {sheet}",
        ),
    )


def test_workbook_missing_settings_sheet(tmp_path: Path):
    path = write_workbook(tmp_path / "data.xlsx")
    book = load_workbook(path)
    del book["settings"]
    book.save(path)
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == ("data.xlsx", None, None)
    assert problem.message == "the workbook has no 'settings' sheet"
    assert "settings" in problem.fix and "key" in problem.fix and "value" in problem.fix


def test_workbook_settings_sheet_needs_key_and_value_columns(tmp_path: Path):
    path = write_workbook(tmp_path / "data.xlsx")
    book = load_workbook(path)
    book["settings"]["A1"] = "setting"
    book.save(path)
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == ("data.xlsx [settings]", 1, None)
    assert "'key' and 'value'" in problem.message


def test_workbook_settings_problems_give_the_settings_row(tmp_path: Path):
    settings = [
        ("authority", "Test Borough"),
        ("as_at", "14/04/2025"),
        ("colour", "blue"),
    ]
    problems = problems_of(write_workbook(tmp_path / "data.xlsx", settings))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("data.xlsx [settings]", 3, "as_at"),
        ("data.xlsx [settings]", 4, "colour"),
    ]


def test_a_file_that_is_not_a_workbook(tmp_path: Path):
    path = tmp_path / "data.xlsx"
    path.write_text("indicator,month\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == ("data.xlsx", None, None)
    assert problem.message.startswith("the file cannot be read as an Excel workbook")
    assert ".xlsx" in problem.fix


# --- missing and unreadable files -------------------------------------------------------


@pytest.mark.parametrize("stem", ["indicators", "targets", "observations"])
def test_missing_file(tmp_path: Path, stem: str):
    problems = problems_of(write_folder(tmp_path / "data", **{stem: None}))
    assert problems == (
        Problem(f"{stem}.csv", None, None, "the file is missing", f"Add {stem}.csv to data/"),
    )


def test_missing_settings_file_is_one_problem(tmp_path: Path):
    problems = problems_of(write_folder(tmp_path / "data", settings=None))
    assert problems == (
        Problem("settings.yaml", None, None, "the file is missing", "Add settings.yaml to data/"),
    )


def test_every_missing_file_is_reported_at_once(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    problems = problems_of(folder)
    assert [p.file for p in problems] == [
        "settings.yaml",
        "indicators.csv",
        "targets.csv",
        "observations.csv",
    ]
    assert {p.message for p in problems} == {"the file is missing"}


def test_benchmarks_file_is_optional_and_read_when_there(tmp_path: Path):
    benchmarks = (
        "indicator,year,stat_neighbour_avg,best_stat_neighbour,national_avg,top_quartile,regional_avg\n"
        "assess45,2023/24,85.1,95.0,82.0,90.2,84.3\n"
        "ehcp20,2023,49.2,,50.3,,\n"
    )
    ds = load_dataset(write_folder(tmp_path / "data", benchmarks=benchmarks))
    assert ds.benchmarks["national_avg"].tolist() == [82.0, 50.3]
    assert pd.isna(ds.benchmarks["top_quartile"].iloc[1])


def test_dataset_that_does_not_exist(tmp_path: Path):
    [problem] = problems_of(tmp_path / "nowhere")
    assert (problem.file, problem.row, problem.column) == ("nowhere", None, None)
    assert "does not exist" in problem.message
    assert "folder or .xlsx workbook" in problem.fix


def test_a_single_csv_file_is_not_a_dataset(tmp_path: Path):
    path = tmp_path / "observations.csv"
    path.write_text(OBSERVATIONS, encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.file, problem.message) == ("observations.csv", "this is not a dataset")
    assert "folder of CSV files" in problem.fix


@pytest.mark.parametrize("text", ["", "\n\n", "\r\n"])
def test_an_empty_file(tmp_path: Path, text: str):
    [problem] = problems_of(write_folder(tmp_path / "data", targets=text))
    assert (problem.file, problem.column) == ("targets.csv", None)
    assert problem.message == "there are no column names in row 1"
    assert "column names in row 1" in problem.fix


def test_a_header_with_no_rows_is_an_empty_table(tmp_path: Path):
    ds = load_dataset(write_folder(tmp_path / "data", targets="indicator,year,red,amber,green\n"))
    assert ds.targets.empty


def test_a_row_with_more_values_than_the_header(tmp_path: Path):
    # An unquoted comma in a title moves every later value one column right: one
    # problem for the row, not one for each value in the wrong column.
    indicators = INDICATORS.replace("Contacts – front door", "Contacts, front door")
    problems = problems_of(write_folder(tmp_path / "data", indicators=indicators))
    assert problems == (
        Problem(
            "indicators.csv",
            2,
            None,
            "the row has 12 values but the header has 11 columns",
            "Put text that contains a comma in double quotes, or remove the extra values",
        ),
    )


def test_a_comma_ending_every_row_is_not_a_problem(tmp_path: Path, reference: Dataset):
    lines = OBSERVATIONS.splitlines()
    observations = "\n".join([lines[0], *(line + "," for line in lines[1:])]) + "\n"
    assert_same_tables(
        load_dataset(write_folder(tmp_path / "data", observations=observations)), reference
    )


def test_a_short_row_reads_as_blanks(tmp_path: Path, reference: Dataset):
    observations = OBSERVATIONS.replace("contacts,2025-01,120,,", "contacts,2025-01,120")
    assert_same_tables(
        load_dataset(write_folder(tmp_path / "data", observations=observations)), reference
    )


def test_a_column_named_twice(tmp_path: Path):
    targets = "indicator,year,red,amber,green,Green\nassess45,2024/25,<82%,82%+,90%+,90%+\n"
    [problem] = problems_of(write_folder(tmp_path / "data", targets=targets))
    assert (problem.file, problem.row, problem.column) == ("targets.csv", 1, "green")
    assert problem.message == "the column appears twice (again in column F)"


def test_values_in_a_column_with_no_name(tmp_path: Path):
    targets = "indicator,year,red,amber,green,\nassess45,2024/25,<82%,82%+,90%+,note\n"
    [problem] = problems_of(write_folder(tmp_path / "data", targets=targets))
    assert (problem.file, problem.row, problem.column) == ("targets.csv", 1, None)
    assert problem.message == "column F holds values but has no name"


def test_an_empty_column_with_no_name_is_ignored(tmp_path: Path, reference: Dataset):
    targets = "".join(line + ",\n" for line in TARGETS.splitlines())
    assert_same_tables(load_dataset(write_folder(tmp_path / "data", targets=targets)), reference)


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["authority", "as_at"])
def test_missing_required_setting(tmp_path: Path, key: str):
    settings = "\n".join(line for line in SETTINGS.splitlines() if not line.startswith(key))
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.file, problem.row, problem.column) == ("settings.yaml", None, key)
    assert problem.message == f"the setting {key!r} is missing"
    assert problem.fix.startswith("Add ") and f"'{key}: " in problem.fix


def test_both_required_settings_missing_are_both_reported(tmp_path: Path):
    problems = problems_of(write_folder(tmp_path / "data", settings="region: London\n"))
    assert [p.column for p in problems] == ["authority", "as_at"]


@pytest.mark.parametrize("as_at", ["2025-14-01", "14/04/2025", "'2025-02-30'", "last Monday"])
def test_bad_as_at_date(tmp_path: Path, as_at: str):
    settings = SETTINGS.replace("as_at: 2025-04-14", f"as_at: {as_at}")
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.file, problem.row, problem.column) == ("settings.yaml", None, "as_at")
    assert problem.message == f"{as_at.strip(chr(39))!r} is not a date"
    assert "YYYY-MM-DD" in problem.fix


def test_as_at_may_be_quoted_text(tmp_path: Path, reference: Dataset):
    settings = SETTINGS.replace("as_at: 2025-04-14", 'as_at: "2025-04-14"')
    assert_same_tables(load_dataset(write_folder(tmp_path / "data", settings=settings)), reference)


def test_unknown_setting(tmp_path: Path):
    settings = SETTINGS + "authorty_name: Test Borough\n"
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.file, problem.row, problem.column) == ("settings.yaml", None, "authorty_name")
    assert problem.message == "'authorty_name' is not a setting"
    assert "as_at" in problem.fix and "service_areas" in problem.fix


def test_band_labels_for_a_band_that_does_not_exist(tmp_path: Path):
    settings = SETTINGS.replace("  amber: Yellow", "  yellow: Yellow")
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.file, problem.column) == ("settings.yaml", "band_labels")
    assert problem.message == "'yellow' is not a band"
    assert "amber: Yellow" in problem.fix


def test_band_labels_may_name_only_some_bands(tmp_path: Path):
    settings = "authority: Test Borough\nas_at: 2025-04-14\nband_labels: {amber: Yellow}\n"
    ds = load_dataset(write_folder(tmp_path / "data", settings=settings))
    assert dict(ds.settings.band_labels) == {"red": "Red", "amber": "Yellow", "green": "Green"}


@pytest.mark.parametrize("value", ["5.5", "ten", "-1"])
def test_small_denominator_must_be_a_whole_number(tmp_path: Path, value: str):
    settings = SETTINGS.replace("small_denominator: 5", f"small_denominator: {value}")
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.column, problem.message) == (
        "small_denominator",
        f"{value!r} is not a whole number",
    )


def test_settings_that_are_not_yaml(tmp_path: Path):
    settings = "authority: Test Borough\n  as_at: 2025-04-14\n service_areas: [\n"
    [problem] = problems_of(write_folder(tmp_path / "data", settings=settings))
    assert (problem.file, problem.row, problem.column) == ("settings.yaml", None, None)
    assert problem.message.startswith("the file is not valid YAML (line ")
    assert "indentation" in problem.fix


def test_settings_that_are_a_list_not_keys(tmp_path: Path):
    [problem] = problems_of(write_folder(tmp_path / "data", settings="- authority\n- as_at\n"))
    assert problem.message == "the file is not a list of settings"


def test_service_areas_may_be_one_name(tmp_path: Path):
    indicators = "\n".join(
        line for line in INDICATORS.splitlines() if "Family Help" in line or line.startswith("id")
    )
    settings = "authority: A\nas_at: 2025-04-14\nservice_areas: Family Help\n"
    ds = load_dataset(
        write_folder(
            tmp_path / "data",
            indicators=indicators + "\n",
            targets="indicator,year,red,amber,green\n",
            observations=OBSERVATIONS.split("assess45")[0],
            settings=settings,
        )
    )
    assert ds.settings.service_areas == ("Family Help",)


# --- how problems read ------------------------------------------------------------------


def test_dataset_error_lists_every_problem(tmp_path: Path):
    folder = write_folder(tmp_path / "data", targets=None, settings="region: London\n")
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    assert str(caught.value) == (
        "The dataset has 3 problems:\n"
        "- settings.yaml, setting 'authority': the setting 'authority' is missing. "
        "Add the authority's name, e.g. 'authority: Demo Borough'\n"
        "- settings.yaml, setting 'as_at': the setting 'as_at' is missing. "
        "Add the date the data was extracted, e.g. 'as_at: 2025-04-14'\n"
        "- targets.csv: the file is missing. Add targets.csv to data/"
    )
