"""The ``cyps-analysis benchmark`` command: options, JSON keys, CSV tables, and exit
code 2 with one clear message for bad input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from tests.published_files import dfe_file

KEYS = [
    "la",
    "measure",
    "year",
    "value",
    "stat_neighbour_avg",
    "stat_neighbours_used",
    "best_stat_neighbour",
    "best_stat_neighbour_la",
    "rank_among_neighbours",
    "national",
    "regional",
    "quartiles",
    "band",
    "rank",
    "rank_of",
    "top_quartile_threshold",
    "neighbours",
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def files():
    return {
        "lait": dfe_file("bds_long_0.parquet"),
        "sn2025": dfe_file("sn_may_2025.xlsx"),
        "sn2021": dfe_file("New_Statistical_Neighbour_Groupings_April_2021.csv"),
        "c4": dfe_file("c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"),
        "b1": dfe_file("b1_children_in_need_2013_to_2025.csv"),
        "cla": dfe_file("cla_number_and_rate_per_10k_children.csv"),
        "ons": dfe_file("ons_mid-year_population_estimates_2012_to_2024.csv"),
    }


def test_one_authority_as_json(files):
    result = run(
        "benchmark", "--source", files["lait"], "--measure", "ReReferral", "--la", "E08000018",
        "--year", "2023/24", "--neighbours", files["sn2025"], "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert all(k in doc for k in KEYS)
    # Worked by hand in tests/test_benchmarking.py: Rotherham, ReReferral 2023/24.
    assert (doc["la"], doc["measure"], doc["year"], doc["value"]) == (
        "372",
        "ReReferral",
        "2024",
        17.7,
    )
    assert doc["stat_neighbour_avg"] == pytest.approx(19.87)
    assert (
        doc["stat_neighbours_used"],
        doc["best_stat_neighbour"],
        doc["best_stat_neighbour_la"],
    ) == (
        10,
        14.9,
        "807",
    )
    assert (doc["rank_among_neighbours"], doc["national"], doc["regional"]) == (5, 22.4, 21.7)
    assert doc["quartiles"] == [17.7, 20.6, 23.6]
    assert (doc["band"], doc["rank"], doc["rank_of"], doc["top_quartile_threshold"]) == (
        "A",
        38,
        149,
        17.7,
    )
    assert list(doc["neighbours"].items())[:2] == [("370", 22.4), ("357", 22.3)]
    assert len(doc["neighbours"]) == 10


def test_the_year_as_the_source_writes_it_and_the_la_by_name(files):
    result = run(
        "benchmark", "--source", files["lait"], "--measure", "ReReferral", "--la", "Lincolnshire",
        "--year", "2024", "--neighbours", files["sn2021"], "--json",
    )  # fmt: skip
    doc = json.loads(result.stdout)
    # April 2021 model: Cumbria is a neighbour with no 2024 figure (mean over nine).
    assert doc["stat_neighbours_used"] == 9 and doc["neighbours"]["909"] is None


def test_polarity_option_for_a_measure_without_polarity(files):
    # CIN has no polarity in LAIT: no band or rank, unless the authority says low is good.
    args = ["benchmark", "--source", files["lait"], "--measure", "CIN", "--la", "372",
            "--year", "2024", "--neighbours", files["sn2025"], "--json"]  # fmt: skip
    plain = json.loads(run(*args).stdout)
    assert plain["band"] is None and plain["rank"] is None and plain["best_stat_neighbour"] is None
    low = json.loads(run(*args, "--polarity", "low").stdout)
    # Rotherham 311.1; quartiles 288.0, 340.05, 420.875 (tests/test_published_benchmarks.py).
    assert (
        low["band"] == "B"
        and low["best_stat_neighbour"] == 316.0
        and low["best_stat_neighbour_la"] == "332"
    )


def test_text_output_lists_every_key(files):
    result = run(
        "benchmark", "--source", files["lait"], "--measure", "ReReferral", "--la", "372",
        "--year", "2024", "--neighbours", files["sn2025"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert "band: A\n" in result.stdout and "rank_of: 149\n" in result.stdout
    assert "quartiles: 17.7, 20.6, 23.6\n" in result.stdout and "\n  807: 14.9\n" in result.stdout


def test_quintiles_option(files):
    result = run(
        "benchmark", "--source", files["lait"], "--measure", "ReReferral", "--la", "372",
        "--year", "2024", "--neighbours", files["sn2025"], "--json", "--quintiles",
    )  # fmt: skip
    doc = json.loads(result.stdout)
    # 149 values: the 20% boundary at index 148 * 0.2 = 29.6, the 40% at 59.2 ...;
    # Rotherham's 17.7 lies above the first and below the second: band B (low is good).
    assert len(doc["quintiles"]) == 4 and doc["quintiles"][0] < 17.7 <= doc["quintiles"][1]
    assert doc["quintile_band"] == "B" and doc["band"] == "A"


def test_without_la_the_table_for_all_authorities_as_csv(files):
    result = run(
        "benchmark", "--source", files["c4"], "--measure", "icpc_within_15_days", "--year", "2025",
        "--neighbours", files["sn2025"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"la_code": str})
    # 153 authority rows in the 2025 c4 file.
    assert len(table) == 153 and set(table["year"]) == {2025}
    rotherham = table[table["la_code"] == "372"].iloc[0]
    assert rotherham["value"] == pytest.approx(334 / 445 * 100)
    assert rotherham["polarity"] == "high"  # the derived measure's own polarity
    # 81 authority rows of the file carry a code in one of the three columns.
    assert "81 rows of icpc_within_15_days" in result.stderr and "suppression code" in result.stderr


def test_without_year_every_year_for_one_authority(files):
    result = run(
        "benchmark", "--source", files["b1"], "--measure", "At31_episodes", "--population", files["ons"],
        "--la", "Rotherham", "--neighbours", files["sn2025"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["la_code"]) == {372}
    # 2025: 1777 / 59521 * 10,000 (see tests/test_ees.py); years 2013 to 2025.
    by_year = table.set_index("year")["value"]
    assert by_year[2025] == pytest.approx(1777 / 59521 * 10_000)
    assert len(table) == 13


def test_filter_option(files, tmp_path):
    out = tmp_path / "cla.json"
    result = run(
        "benchmark", "--source", files["cla"], "--measure", "rate_per_10000",
        "--filter", "population_type=Children looked after on 31 March each year",
        "--la", "372", "--year", "2025", "--neighbours", files["sn2025"], "--json", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["value"] == 80.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--source": "missing.parquet"}, "missing.parquet: the file does not exist"),
        (
            {"--measure": "ReRefferal"},
            "there is no measure 'ReRefferal'. Did you mean 'ReReferral'",
        ),
        (
            {"--la": "Rotheram"},
            "'Rotheram' is not an authority the kit knows. Did you mean 'Rotherham'",
        ),
        ({"--year": "1999"}, "There are no figures for the year '1999'"),
        ({"--neighbours": "nowhere.xlsx"}, "nowhere.xlsx: the file does not exist"),
        ({"--polarity": "up"}, "'up' is not one of"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(files, tmp_path, change, message):
    options = {
        "--source": files["lait"],
        "--measure": "ReReferral",
        "--la": "372",
        "--year": "2024",
        "--neighbours": files["sn2025"],
    }
    for key, value in change.items():
        options[key] = tmp_path / value if value.endswith((".parquet", ".xlsx")) else value
    args = ["benchmark", *[x for pair in options.items() for x in pair]]
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_ees_input(files, tmp_path):
    base = ["benchmark", "--neighbours", files["sn2025"], "--source", files["cla"]]
    cases = [
        ([], "give --measure"),
        (["--measure", "rate_per_10000"], "--filter COLUMN=VALUE, from: population_type"),
        (["--measure", "rate", "--filter", "population_type=Children looked after on 31 March each year"], "no column 'rate'"),
        (["--measure", "rate_per_10000", "--filter", "population_type"], "write it as COLUMN=VALUE"),
    ]  # fmt: skip
    for extra, message in cases:
        result = run(*base, *extra)
        assert result.exit_code == 2, extra
        assert message in result.output, (extra, result.output)
    not_csv = tmp_path / "notes.csv"
    not_csv.write_text("hello\n", encoding="utf-8")
    result = run(
        "benchmark", "--source", not_csv, "--measure", "x", "--neighbours", files["sn2025"]
    )
    assert result.exit_code == 2 and "not an explore-education-statistics" in result.output


def test_a_failed_run_leaves_earlier_output_intact(files, tmp_path):
    out = tmp_path / "table.csv"
    out.write_text("earlier\n", encoding="utf-8")
    result = run(
        "benchmark", "--source", files["lait"], "--measure", "Nope", "--neighbours", files["sn2025"],
        "--out", out,
    )  # fmt: skip
    assert result.exit_code == 2 and out.read_text() == "earlier\n"


def test_an_annual_measure_takes_the_financial_year(files):
    # CIN is "Annual" (at 31 March) in LAIT's dictionary: its "2024" is the year to
    # 31 March 2024, 2023/24. The raw row: CIN, 2024, Rotherham, 311.10000000000002;
    # England 331.2.
    args = ["benchmark", "--source", files["lait"], "--measure", "CIN", "--la", "372",
            "--neighbours", files["sn2025"], "--json"]  # fmt: skip
    result = run(*args, "--year", "2023/24")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["year"], doc["year_label"], doc["value"], doc["national"]) == (
        "2024",
        "2023/24",
        311.1,
        331.2,
    )
    assert json.loads(run(*args, "--year", "2024").stdout) == doc
    # Every authority's record (no --la) carries the one label.
    table = json.loads(
        run(*[a for a in args if a not in ("--la", "372")], "--year", "2023/24").stdout
    )
    assert {r["year_label"] for r in table} == {"2023/24"} and len(table) > 150


def test_the_year_hint_follows_the_year_type(files):
    base = ["benchmark", "--source", files["lait"], "--la", "372", "--neighbours", files["sn2025"]]
    # SEN_EHC_All_20wks is a "Calendar Year" measure (LAIT 2016 to 2024): 2023/24 is
    # not one of its years, and no split-year form is offered.
    result = run(*base, "--measure", "SEN_EHC_All_20wks", "--year", "2023/24")
    assert result.exit_code == 2
    assert result.output.strip().endswith("2022, 2023, 2024. Give one of these.")
    # ReReferral is a "Financial Year" measure, LAIT's last year 2025 = 2024/25.
    result = run(*base, "--measure", "ReReferral", "--year", "2030/31")
    assert result.exit_code == 2
    assert "or the same year as reports write it (2024/25 for 2025)." in result.output
