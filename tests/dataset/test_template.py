"""The template workbook analysts fill in: its sheets, instructions and drop-downs, and a
round trip (template from the demo, the demo's observations typed in, the same
scorecard as the demo's CSV folder)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cyps_analysis.cli.main import main
from cyps_analysis.dataset._schemas import SCHEMAS
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.export import render_scorecard
from cyps_analysis.vocab import AGGREGATIONS, FREQUENCIES, KINDS, POLARITIES, UNITS, YEAR_TYPES

DEMO = Path(__file__).parents[2] / "data" / "demo"
TABLE_SHEETS = ["indicators", "targets", "observations", "benchmarks", "commentary", "signoff"]


def _template(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def _csv_rows(name: str) -> list[dict]:
    with open(DEMO / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_one_sheet_per_table_with_its_columns(tmp_path: Path) -> None:
    book = load_workbook(_template(tmp_path))
    assert book.sheetnames[:2] == ["Instructions", "settings"]
    assert set(TABLE_SHEETS) <= set(book.sheetnames)
    for table in TABLE_SHEETS:
        assert [c.value for c in book[table][1]] == list(SCHEMAS[table])
    assert [c.value for c in book["settings"][1]] == ["key", "value"]


def test_the_demo_indicators_are_the_examples(tmp_path: Path) -> None:
    book = load_workbook(_template(tmp_path))
    ids = [r[0] for r in book["indicators"].iter_rows(min_row=2, values_only=True)]
    assert ids == [r["id"] for r in _csv_rows("indicators.csv")]
    # Without --from, no targets or observations: the examples are the catalogue.
    assert book["targets"].max_row == 1 and book["observations"].max_row == 1


def test_instructions_explain_every_column_with_an_example(tmp_path: Path) -> None:
    guide = load_workbook(_template(tmp_path))["Instructions"]
    rows = list(guide.iter_rows(values_only=True))
    start = rows.index(("sheet", "column", "required", "values", "meaning", "example"))
    explained = {(r[0], r[1]): r for r in rows[start + 1 :]}
    for table in TABLE_SHEETS:
        for column, spec in SCHEMAS[table].items():
            required, allowed, meaning, example = explained[(table, column)][2:]
            assert meaning and example
            assert allowed == (", ".join(spec.allowed) if spec.allowed else None)
            # A column that must be there but may have blank cells (value, numerator)
            # says so; one that may be left out says no.
            if not spec.required:
                assert required == "no"
            else:
                assert required == ("yes, may be blank" if spec.nullable else "yes")
    assert explained[("indicators", "polarity")][3] == "high, low, none"
    assert ("settings", "as_at") in explained
    assert explained[("observations", "value")][2] == "yes, may be blank"
    assert explained[("indicators", "id")][2] == "yes"
    assert explained[("indicators", "frequency")][2] == "no"


def test_drop_downs_list_the_vocabulary(tmp_path: Path) -> None:
    book = load_workbook(_template(tmp_path))
    lists = book["Lists"]
    by_column = {
        col[0].value: [c.value for c in col[1:] if c.value is not None] for col in lists.iter_cols()
    }
    assert by_column["polarity"] == list(POLARITIES)
    assert by_column["kind"] == list(KINDS) and by_column["unit"] == list(UNITS)
    assert by_column["aggregation"] == list(AGGREGATIONS)
    assert by_column["frequency"] == list(FREQUENCIES)
    assert by_column["year_type"] == list(YEAR_TYPES)
    assert by_column["service_area"] == [
        "Family Help", "Children's Social Care", "Education", "Inclusion",
    ]  # fmt: skip
    ws = book["indicators"]
    header = [c.value for c in ws[1]]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    for column in (
        "kind",
        "polarity",
        "unit",
        "aggregation",
        "frequency",
        "year_type",
        "service_area",
    ):
        letter = "ABCDEFGHIJKLM"[header.index(column)]
        rule = rules[f"{letter}2:{letter}2000"]
        assert rule.type == "list"
        # The rule's range on the Lists sheet holds exactly that column's words.
        ref = rule.formula1.split("!")[1].replace("$", "")
        cells = [c.value for row in lists[ref] for c in row]
        assert cells == by_column[column]
    # The observations' indicator column takes an id from the indicators sheet.
    obs = book["observations"].data_validations.dataValidation
    assert [(str(v.sqref), v.formula1) for v in obs] == [("A2:A2000", "indicators!$A$2:$A$2000")]


def test_from_a_dataset_brings_its_catalogue_targets_benchmarks_and_settings(tmp_path: Path):
    book = load_workbook(_template(tmp_path, "--from", str(DEMO)))
    targets = list(book["targets"].iter_rows(min_row=2, values_only=True))
    assert len(targets) == len(_csv_rows("targets.csv"))
    first = _csv_rows("targets.csv")[0]
    assert targets[0][:5] == (
        first["indicator"],
        first["year"],
        first["red"],
        first["amber"],
        first["green"],
    )
    bench = list(book["benchmarks"].iter_rows(min_row=2, values_only=True))
    assert len(bench) == len(_csv_rows("benchmarks.csv"))
    assert bench[0][2] == float(_csv_rows("benchmarks.csv")[0]["stat_neighbour_avg"])
    settings = dict(book["settings"].iter_rows(min_row=2, values_only=True))
    assert settings["authority"] == "Demo Borough" and settings["as_at"] == "2025-04-14"
    assert settings["band_labels.amber"] == "Amber"
    assert book["observations"].max_row == 1  # ready for new months


def test_filled_in_template_gives_the_same_scorecard_as_the_folder(tmp_path: Path) -> None:
    path = _template(tmp_path, "--from", str(DEMO))
    book = load_workbook(path)
    ws = book["observations"]
    for row in _csv_rows("observations.csv"):
        # As an analyst types them: numbers as numbers, blanks left empty.
        ws.append(
            [row["indicator"], row["month"]]
            + [float(row[c]) if row[c] else None for c in ("value", "numerator", "denominator")]
        )
    book.save(path)
    result = CliRunner().invoke(main, ["validate", "--data", str(path)])
    assert result.exit_code == 0, result.output
    for period in ("2024-25-Q4", "2025-03", "2023-24"):
        from_book = build_scorecard(load_dataset(path), period)
        from_folder = build_scorecard(load_dataset(DEMO), period)
        assert render_scorecard(from_book, "csv") == render_scorecard(from_folder, "csv")
        assert render_scorecard(from_book, "json") == render_scorecard(from_folder, "json")


def test_from_a_bad_dataset_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["template", "--out", str(tmp_path / "t.xlsx"), "--from", str(tmp_path / "none")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "t.xlsx").exists()
    # An earlier template stays as it was.
    (tmp_path / "t.xlsx").write_bytes(b"earlier")
    CliRunner().invoke(
        main, ["template", "--out", str(tmp_path / "t.xlsx"), "--from", str(tmp_path / "none")]
    )
    assert (tmp_path / "t.xlsx").read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]  # no temporary file left


@pytest.mark.parametrize("name", ["=cmd()", "+1", "@SUM(A1)"])
def test_formula_like_text_stays_text(tmp_path: Path, name: str) -> None:
    from tests.conftest import write_dataset

    data = write_dataset(tmp_path / "d")
    text = (
        (data / "indicators.csv").read_text().replace("Contacts,Family Help", f"{name},Family Help")
    )
    (data / "indicators.csv").write_text(text)
    book = load_workbook(_template(tmp_path, "--from", str(data)))
    cell = next(c for r in book["indicators"].iter_rows() for c in r if c.value == name)
    assert cell.data_type == "s"


def test_a_workbook_sets_the_publish_threshold_by_the_row_its_instructions_name(tmp_path):
    path = _template(tmp_path, "--from", str(DEMO))
    book = load_workbook(path)
    guide = {
        r[1]: r for r in book["Instructions"].iter_rows(values_only=True) if r[0] == "settings"
    }
    assert "[c]" in guide["publish.min_count"][4] and guide["publish.min_count"][5] == "5"
    for row in _csv_rows("observations.csv"):
        book["observations"].append(
            [row["indicator"], row["month"]]
            + [float(row[c]) if row[c] else None for c in ("value", "numerator", "denominator")]
        )
    book.save(path)
    # The demo sets no threshold: the default, 5. A row of 8 makes it 8.
    assert load_dataset(path).settings.min_count == 5
    book["settings"].append(["publish.min_count", 8])
    book.save(path)
    assert load_dataset(path).settings.min_count == 8
