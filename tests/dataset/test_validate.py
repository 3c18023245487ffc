"""The checks a dataset must pass (``validate.py`` for meaning, ``schemas.py`` for shape):
one test per check, each naming the exact file, row and column, and a message and fix
that tell an analyst what is wrong and how to put it right.

The base dataset is valid; each test adds or changes a row or two. Row numbers are
worked out from the files below (the header is row 1).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.exceptions import DatasetError, Problem
from cyps_analysis.rules.bands import NOTATION_HELP
from cyps_analysis.rules.periods import month_numbers, year_starts
from cyps_analysis.rules.rounding import round_half_up

INDICATOR_COLUMNS = (
    "id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type"
)
# Rows 2-6 of indicators.csv.
INDICATOR_ROWS = {
    "contacts": "contacts,Contacts,Family Help,activity,none,count,0,sum,,",
    "assess45": "assess45,Assessments within 45 days,Children's Social Care,benchmarking,high,percent,1,ratio,,",
    "cin_rate": "cin_rate,Children in need rate,Children's Social Care,benchmarking,low,rate_per_10k,1,snapshot,,",
    "audits": "audits,Audits rated good,Children's Social Care,benchmarking,high,percent,0,snapshot,quarterly,",
    "ehcp20": "ehcp20,EHC plans within 20 weeks,Inclusion,benchmarking,high,percent,1,annual,annual,calendar",
}
# Rows 2-5 of targets.csv.
TARGETS = """\
indicator,year,red,amber,green
assess45,2024/25,<82%,82-89.9%,90%+
cin_rate,2024/25,227.1+,-,<227.1
audits,2024/25,<60,60-79,80+
ehcp20,2024,<50,50-59.9,60+
"""
# Rows 2-3 of benchmarks.csv.
BENCHMARKS = """\
indicator,year,stat_neighbour_avg,best_stat_neighbour,national_avg,top_quartile,regional_avg
assess45,2023/24,85.1,95.0,82.0,90.2,84.3
ehcp20,2023,49.2,,50.3,,
"""
# Rows 2-10 of observations.csv; a row added by a test is row 11.
OBSERVATIONS = """\
indicator,month,value,numerator,denominator
contacts,2025-01,120,,
contacts,2025-02,131,,
contacts,2025-03,118,,
assess45,2025-01,,79,100
assess45,2025-02,,45,45
assess45,2025-03,,83,93
cin_rate,2025-03,225.4,,
audits,2025-03,75,,
ehcp20,2024-12,58.3,,
"""
SETTINGS = """\
authority: Test Borough
as_at: 2025-04-14
service_areas: [Family Help, Children's Social Care, Education, Inclusion]
"""


def indicators_csv(**changes: dict[str, str]) -> str:
    """indicators.csv with some cells changed: ``indicators_csv(audits={"kind": "x"})``."""
    names = INDICATOR_COLUMNS.split(",")
    lines = [INDICATOR_COLUMNS]
    for key, line in INDICATOR_ROWS.items():
        cells = dict(zip(names, line.split(","), strict=True))
        cells.update(changes.get(key, {}))
        lines.append(",".join(cells.values()))
    return "\n".join(lines) + "\n"


def write(folder: Path, **files: str | None) -> Path:
    """Write the base dataset into ``folder``, a file replaced by its stem
    (``targets=...``) or left out when ``None``."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "indicators": indicators_csv(),
        "targets": TARGETS,
        "benchmarks": BENCHMARKS,
        "observations": OBSERVATIONS,
        "settings": SETTINGS,
    }
    contents.update(files)
    for stem, text in contents.items():
        if text is not None:
            name = f"{stem}.yaml" if stem == "settings" else f"{stem}.csv"
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return caught.value.problems


def only_problem(tmp_path: Path, **files: str | None) -> Problem:
    """The one problem in the base dataset with ``files`` changed (and that there is
    exactly one: each mistake is reported once)."""
    problems = problems_of(write(tmp_path / "data", **files))
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def where(problem: Problem) -> tuple[str, int | None, str | None]:
    return problem.file, problem.row, problem.column


def with_observation(*rows: str) -> dict[str, str]:
    return {"observations": OBSERVATIONS + "".join(r + "\n" for r in rows)}


def with_target(*rows: str) -> dict[str, str]:
    return {"targets": TARGETS + "".join(r + "\n" for r in rows)}


def with_targets_for(indicator: str, year: str, red: str, amber: str, green: str) -> dict:
    """targets.csv with the row for ``indicator`` replaced (its row number unchanged)."""
    lines = [
        f"{indicator},{year},{red},{amber},{green}" if line.startswith(f"{indicator},") else line
        for line in TARGETS.splitlines()
    ]
    return {"targets": "\n".join(lines) + "\n"}


def test_base_dataset_is_valid(tmp_path: Path):
    ds = load_dataset(write(tmp_path / "data"))
    assert len(ds.indicators) == 5 and len(ds.observations) == 9 and len(ds.benchmarks) == 2


# --- unknown and duplicate ids ------------------------------------------------------------


def test_unknown_indicator_in_observations(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("assess_45,2025-03,,80,100"))
    assert where(p) == ("observations.csv", 11, "indicator")
    assert p.message == "'assess_45' is not an indicator id"
    assert p.fix == "Use an id from indicators.csv, or add the indicator there"


def test_unknown_indicator_in_targets(tmp_path: Path):
    p = only_problem(tmp_path, **with_target("timeliness,2024/25,<1,-,1+"))
    assert where(p) == ("targets.csv", 6, "indicator")
    assert p.message == "'timeliness' is not an indicator id"
    assert "indicators.csv" in p.fix


def test_unknown_indicator_in_benchmarks(tmp_path: Path):
    p = only_problem(tmp_path, benchmarks=BENCHMARKS + "cin,2023/24,300,,320,,\n")
    assert where(p) == ("benchmarks.csv", 4, "indicator")
    assert p.message == "'cin' is not an indicator id"
    assert "indicators.csv" in p.fix


def test_duplicate_indicator_id(tmp_path: Path):
    again = "audits,Audits rated good or better,Children's Social Care,benchmarking,high,percent,0,snapshot,quarterly,"
    p = only_problem(tmp_path, indicators=indicators_csv() + again + "\n")
    assert where(p) == ("indicators.csv", 7, "id")
    assert p.message == "the id 'audits' is already used on row 5"
    assert p.fix == "Give each indicator its own id"


def test_indicator_id_with_a_space(tmp_path: Path):
    problems = problems_of(
        write(tmp_path / "data", indicators=indicators_csv(contacts={"id": "contacts all"}))
    )
    p = problems[0]
    assert where(p) == ("indicators.csv", 2, "id")
    assert p.message == "'contacts all' is not a valid identifier"
    assert p.fix == "Use only letters, digits, _ and - (no spaces)"
    # the observations name an id that is no longer there
    assert [where(p) for p in problems[1:]] == [
        ("observations.csv", 2, "indicator"),
        ("observations.csv", 3, "indicator"),
        ("observations.csv", 4, "indicator"),
    ]


# --- observations -------------------------------------------------------------------------


def test_duplicate_indicator_month(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("contacts,2025-02,129,,"))
    assert where(p) == ("observations.csv", 11, "month")
    assert p.message == "contacts already has a row for 2025-02 (row 3)"
    assert p.fix == "Keep one row per indicator and month"


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "2025/03", "Mar-25", "2025-3", "202503"])
def test_month_that_is_not_a_month(tmp_path: Path, month: str):
    p = only_problem(tmp_path, **with_observation(f"contacts,{month},120,,"))
    assert where(p) == ("observations.csv", 11, "month")
    assert p.message == f"'{month}' is not a month"
    assert p.fix == "Write months as YYYY-MM, e.g. 2025-03"


def test_problem_reads_as_a_sentence_for_an_analyst(tmp_path: Path):
    lines = OBSERVATIONS.splitlines()
    lines[6] = "assess45,2025-13,,83,93"  # row 7
    p = only_problem(tmp_path, observations="\n".join(lines) + "\n")
    assert str(p) == (
        "observations.csv, row 7, column 'month': '2025-13' is not a month. "
        "Write months as YYYY-MM, e.g. 2025-03"
    )


def test_numerator_above_denominator_for_a_percentage(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("assess45,2024-12,,46,45"))
    assert where(p) == ("observations.csv", 11, "numerator")
    assert p.message == "the numerator 46 is above the denominator 45"
    assert "check both" in p.fix


def test_numerator_equal_to_denominator_is_fine(tmp_path: Path):
    load_dataset(write(tmp_path / "data", **with_observation("assess45,2024-12,,45,45")))


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("assess45,2024-12,,-1,45", "numerator", "-1 is below 0"),
        ("assess45,2024-12,,1,-45", "denominator", "-45 is below 0"),
        ("cin_rate,2024-12,220.4,-3,10000", "numerator", "-3 is below 0"),
    ],
)
def test_negative_numerator_or_denominator(tmp_path: Path, row: str, column: str, message: str):
    p = only_problem(tmp_path, **with_observation(row))
    assert where(p) == ("observations.csv", 11, column)
    assert p.message == message
    assert p.fix == "Use a value of at least 0"


def test_negative_count(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("contacts,2024-12,-5,,"))
    assert where(p) == ("observations.csv", 11, "value")
    assert p.message == "-5 is outside the range of a count"
    assert p.fix == "Correct the value: a count is 0 or more"


@pytest.mark.parametrize(
    ("row", "message", "fix"),
    [
        (
            "audits,2024-12,101,,",
            "101 is outside the range of a percent",
            "Correct the value: percentages are 0 to 100 (write 85.2 for 85.2%)",
        ),
        (
            "audits,2024-12,-0.5,,",
            "-0.5 is outside the range of a percent",
            "Correct the value: percentages are 0 to 100 (write 85.2 for 85.2%)",
        ),
        (
            "cin_rate,2024-12,10000.1,,",
            "10000.1 is outside the range of a rate per 10,000",
            "Correct the value: rates per 10,000 are 0 to 10,000",
        ),
    ],
)
def test_value_outside_the_units_range(tmp_path: Path, row: str, message: str, fix: str):
    p = only_problem(tmp_path, **with_observation(row))
    assert where(p) == ("observations.csv", 11, "value")
    assert (p.message, p.fix) == (message, fix)


@pytest.mark.parametrize("row", ["audits,2024-12,100,,", "audits,2024-12,0,,"])
def test_values_on_the_ends_of_the_range_are_fine(tmp_path: Path, row: str):
    load_dataset(write(tmp_path / "data", **with_observation(row)))


@pytest.mark.parametrize(
    "row", ["assess45,2024-12,,3,0", "assess45,2024-12,50,0,0", "assess45,2024-12,0,0,0"]
)
def test_zero_denominator_with_a_numerator_or_value(tmp_path: Path, row: str):
    p = only_problem(tmp_path, **with_observation(row))
    assert where(p) == ("observations.csv", 11, "denominator")
    assert p.message == "the denominator is zero but a numerator or value is given"
    assert "numerator 0, denominator 0 and no value" in p.fix


def test_no_cases_in_a_month_is_accepted(tmp_path: Path):
    ds = load_dataset(write(tmp_path / "data", **with_observation("assess45,2024-12,,0,0")))
    row = ds.observations.iloc[-1]
    assert (row["numerator"], row["denominator"]) == (0, 0) and pd.isna(row["value"])


@pytest.mark.parametrize("aggregation", ["ratio", "rolling12"])
@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("assess45,2024-12,80,,", "numerator"),
        ("assess45,2024-12,,,45", "numerator"),
        ("assess45,2024-12,,40,", "denominator"),
    ],
)
def test_pooled_indicator_missing_numerator_or_denominator(
    tmp_path: Path, aggregation: str, row: str, column: str
):
    indicators = indicators_csv(assess45={"aggregation": aggregation})
    p = only_problem(tmp_path, indicators=indicators, **with_observation(row))
    assert where(p) == ("observations.csv", 11, column)
    assert p.message == (
        f"the {column} is missing: assess45 is worked out from its numerator and denominator"
    )
    assert p.fix.startswith("Give both")
    assert "remove the row so that the month shows as missing" in p.fix


@pytest.mark.parametrize(
    "row", ["contacts,2024-12,,,", "cin_rate,2024-12,,2254,100000", "audits,2024-12,,3,4"]
)
def test_other_indicators_missing_their_value(tmp_path: Path, row: str):
    p = only_problem(tmp_path, **with_observation(row))
    assert where(p) == ("observations.csv", 11, "value")
    assert p.message == "the value is missing"
    assert "Give the value" in p.fix


def test_other_indicators_may_keep_numerator_and_denominator_for_the_record(tmp_path: Path):
    load_dataset(write(tmp_path / "data", **with_observation("cin_rate,2024-12,225.4,2254,100000")))


def test_rolling12_count_needs_its_value_not_counts(tmp_path: Path):
    indicators = indicators_csv(contacts={"aggregation": "rolling12"})
    p = only_problem(tmp_path, indicators=indicators, **with_observation("contacts,2024-12,,4,5"))
    assert where(p) == ("observations.csv", 11, "value")


def test_value_disagreeing_with_numerator_and_denominator(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("assess45,2024-12,80.0,81,100"))
    assert where(p) == ("observations.csv", 11, "value")
    assert p.message == "the value 80 disagrees with numerator / denominator: 81 / 100 gives 81.0"
    assert p.fix == "Correct the figures, or leave the value blank: it is worked out from them"


# Two thirds is 66.666...%: at one decimal 66.7. Half a unit of the displayed precision
# (0.05) either side of the worked-out figure is rounding; beyond it is a mistake.
@pytest.mark.parametrize(
    ("value", "numerator", "denominator"),
    [
        ("81.0", 81, 100),
        ("81", 81, 100),
        ("66.7", 2, 3),
        ("66.67", 2, 3),
        ("66.6667", 2, 3),
        ("80.1", 1601, 2000),  # 80.05 rounded half up, as Excel does
        ("80.0", 1601, 2000),  # 80.05 rounded half to even, as some systems do
        ("100", 45, 45),
    ],
)
def test_value_agreeing_within_rounding_is_fine(
    tmp_path: Path, value: str, numerator: int, denominator: int
):
    row = f"assess45,2024-12,{value},{numerator},{denominator}"
    load_dataset(write(tmp_path / "data", **with_observation(row)))


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "gives"),
    [("66.6", 2, 3, "66.7"), ("66.8", 2, 3, "66.7"), ("80.2", 1601, 2000, "80.1")],
)
def test_value_just_beyond_rounding_disagrees(
    tmp_path: Path, value: str, numerator: int, denominator: int, gives: str
):
    row = f"assess45,2024-12,{value},{numerator},{denominator}"
    p = only_problem(tmp_path, **with_observation(row))
    assert p.message.endswith(f"{numerator} / {denominator} gives {gives}")


@settings(max_examples=25, deadline=None)
@given(
    figures=st.lists(
        st.integers(1, 5000).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))),
        min_size=1,
        max_size=12,
    ),
    decimals=st.integers(0, 3),
)
def test_the_value_a_spreadsheet_shows_always_agrees(
    tmp_path_factory: pytest.TempPathFactory, figures: list[tuple[int, int]], decimals: int
):
    # Whatever the counts, the percentage typed in at the indicator's displayed
    # precision (Excel's ROUND) is accepted; one displayed unit off is not.
    indicators = indicators_csv(assess45={"decimals": str(decimals)})
    targets = TARGETS.replace("82-89.9%", "82-89.9999%")  # no gap at 3 decimals
    shown = [round_half_up(100 * n / d, decimals) for n, d in figures]
    rows = [
        f"assess45,{2000 + i // 12}-{i % 12 + 1:02d},{v:.{decimals}f},{n},{d}"
        for i, ((n, d), v) in enumerate(zip(figures, shown, strict=True))
    ]
    # The fixed rows moved out of the way of the generated ones (2000 onwards), to a
    # year before them (a year after as_at would be refused).
    observations = OBSERVATIONS.replace("assess45,2025", "assess45,1999")
    folder = write(
        tmp_path_factory.mktemp("data"),
        indicators=indicators,
        targets=targets,
        observations=observations + "\n".join(rows) + "\n",
    )
    load_dataset(folder)

    unit = 10.0**-decimals
    off = [v + unit if v + unit <= 100 else v - 2 * unit for v in shown]
    rows = [
        f"assess45,{2000 + i // 12}-{i % 12 + 1:02d},{v:.{decimals}f},{n},{d}"
        for i, ((n, d), v) in enumerate(zip(figures, off, strict=True))
    ]
    folder.joinpath("observations.csv").write_text(observations + "\n".join(rows) + "\n")
    problems = problems_of(folder)
    assert [p.row for p in problems] == list(range(11, 11 + len(figures)))
    assert {p.column for p in problems} == {"value"}


def test_quarterly_indicator_recorded_mid_quarter(tmp_path: Path):
    p = only_problem(tmp_path, **with_observation("audits,2025-02,70,,"))
    assert where(p) == ("observations.csv", 11, "month")
    assert p.message == "2025-02 is not the last month of a quarter, and audits is quarterly"
    assert "Jun, Sep, Dec or Mar" in p.fix


@pytest.mark.parametrize("month", ["2024-06", "2024-09", "2024-12"])
def test_quarterly_indicator_at_quarter_ends_is_fine(tmp_path: Path, month: str):
    load_dataset(write(tmp_path / "data", **with_observation(f"audits,{month},70,,")))


@pytest.mark.parametrize(
    ("year_type", "year", "good", "bad", "end"),
    [
        ("financial", "2024/25", "2024-03", "2024-12", "March"),
        ("academic", "2024/25", "2024-08", "2024-07", "August"),
        ("calendar", "2024", "2023-12", "2024-03", "December"),
    ],
)
def test_annual_indicator_recorded_at_the_wrong_month(
    tmp_path: Path, year_type: str, year: str, good: str, bad: str, end: str
):
    indicators = indicators_csv(ehcp20={"year_type": year_type})
    targets = with_targets_for("ehcp20", year, "<50", "50-59.9", "60+")
    benchmarks = BENCHMARKS.replace("ehcp20,2023,", f"ehcp20,{year},")
    observations = OBSERVATIONS.replace("ehcp20,2024-12,", f"ehcp20,{good},")
    files = dict(indicators=indicators, benchmarks=benchmarks, **targets)
    load_dataset(write(tmp_path / "good", observations=observations, **files))
    observations = OBSERVATIONS.replace("ehcp20,2024-12,", f"ehcp20,{bad},")
    p = only_problem(tmp_path, observations=observations, **files)
    assert where(p) == ("observations.csv", 10, "month")
    assert p.message == f"{bad} is not the last month of a {year_type} year, and ehcp20 is annual"
    assert p.fix.endswith(f"{end} for a {year_type} year")


# --- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "bands", "text"),
    [
        ("red", ("below 82", "82-89.9", "90+"), "below 82"),
        ("amber", ("<82", "82 to 89.9", "90+"), "82 to 89.9"),
        ("green", ("<82", "82-89.9", "=>90"), "=>90"),
        ("green", ("<82", "82-89.9", "90-"), "90-"),
        ("amber", ("<82", "89.9-82", "90+"), "89.9-82"),
    ],
)
def test_band_notation_that_does_not_parse(tmp_path: Path, column: str, bands, text: str):
    p = only_problem(tmp_path, **with_targets_for("assess45", "2024/25", *bands))
    assert where(p) == ("targets.csv", 2, column)
    assert p.message == f"{text!r} is not band notation"
    assert p.fix == NOTATION_HELP


def test_national_standard_notation_is_checked_too(tmp_path: Path):
    targets = TARGETS.replace("green\n", "green,national_standard\n").replace(
        "90%+\n", "90%+,at least 80\n"
    )
    p = only_problem(tmp_path, targets=targets)
    assert where(p) == ("targets.csv", 2, "national_standard")
    assert p.message == "'at least 80' is not band notation"


@pytest.mark.parametrize(
    "spacing",
    [("< 82 %", "82 - 89.9", "90 %+"), ("<82", "82–89.9", "≥90"), ("<=81.9", "-", ">81.9")],
)
def test_band_notation_as_analysts_write_it(tmp_path: Path, spacing):
    load_dataset(write(tmp_path / "data", **with_targets_for("assess45", "2024/25", *spacing)))


@pytest.mark.parametrize(
    "bands",
    [("<82%", "82%+", "-"), ("<82%", "82%+", ""), ("<82%", "82-100", "101+"), ("-", "-", "-")],
)
def test_bands_that_can_never_give_green(tmp_path: Path, bands):
    p = only_problem(tmp_path, **with_targets_for("assess45", "2024/25", *bands))
    assert where(p) == ("targets.csv", 2, "green")
    shown = ", ".join(
        f"{n} {b or '-'}" for n, b in zip(("red", "amber", "green"), bands, strict=True)
    )
    assert p.message == f"the bands ({shown}) can never give Green"
    assert p.fix == "Give a Green band (the target) inside the unit's range"


def test_bands_the_wrong_way_for_high_polarity(tmp_path: Path):
    p = only_problem(tmp_path, **with_targets_for("assess45", "2024/25", "90+", "82-89.9", "<82"))
    assert where(p) == ("targets.csv", 2, "green")
    assert p.message == (
        "the bands (red 90+, amber 82-89.9, green <82) run the wrong way for polarity high"
    )
    assert p.fix.startswith("Good performance is high, so Green must lie above Red")


def test_bands_the_wrong_way_for_low_polarity(tmp_path: Path):
    p = only_problem(tmp_path, **with_targets_for("cin_rate", "2024/25", "<227.1", "-", "227.1+"))
    assert where(p) == ("targets.csv", 3, "green")
    assert p.message == (
        "the bands (red <227.1, amber -, green 227.1+) run the wrong way for polarity low"
    )
    assert p.fix.startswith("Good performance is low, so Green must lie below Red")


@pytest.mark.parametrize(
    ("indicator", "bands", "gap"),
    [
        ("assess45", ("<82%", "-", "90%+"), "82.0"),  # the docs' example
        ("assess45", ("<82", "82-89.8", "90+"), "89.9"),  # one step of displayed precision
        ("audits", ("<60", "61-79", "80+"), "60"),  # whole numbers
        ("cin_rate", ("250+", "227.1-249", "<227.1"), "249.1"),
    ],
)
def test_bands_with_a_gap(tmp_path: Path, indicator: str, bands, gap: str):
    p = only_problem(tmp_path, **with_targets_for(indicator, "2024/25", *bands))
    row = {"assess45": 2, "cin_rate": 3, "audits": 4}[indicator]
    assert where(p) == ("targets.csv", row, "amber")
    assert p.message.endswith(f"leave a value of {gap} in no band")
    assert p.fix.startswith("Close the gap")


def test_bands_that_meet_at_displayed_precision_have_no_gap(tmp_path: Path):
    # At one decimal 89.9 is the last value below 90: '82-89.9' leaves nothing out.
    load_dataset(
        write(tmp_path / "data", **with_targets_for("assess45", "2024/25", "<82", "82-89.9", "90+"))
    )


@pytest.mark.parametrize(
    ("indicator", "year", "year_type"),
    [
        ("assess45", "2025", "financial"),
        ("assess45", "2024/26", "financial"),
        ("assess45", "24/25", "financial"),
        ("assess45", "FY2024/25", "financial"),
        ("ehcp20", "2024/25", "calendar"),
    ],
)
def test_target_year_not_of_the_indicators_year_type(
    tmp_path: Path, indicator: str, year: str, year_type: str
):
    p = only_problem(tmp_path, **with_target(f"{indicator},{year},<82,82-89.9,90+"))
    assert where(p) == ("targets.csv", 6, "year")
    assert p.message == (
        f"{year!r} is not a {year_type} year, and {indicator} is reported on {year_type} years"
    )
    example = "2025" if year_type == "calendar" else "2024/25"
    assert p.fix == f"Write {year_type} years as {example}"


def test_duplicate_target_rows(tmp_path: Path):
    p = only_problem(tmp_path, **with_target("cin_rate,2024/25,230+,-,<230"))
    assert where(p) == ("targets.csv", 6, "year")
    assert p.message == "cin_rate already has targets for 2024/25 (row 3)"
    assert p.fix == "Keep one row of targets per indicator and year"


def test_a_year_written_both_ways_is_still_a_duplicate(tmp_path: Path):
    p = only_problem(tmp_path, **with_target("cin_rate,2024-25,230+,-,<230"))
    assert where(p) == ("targets.csv", 6, "year")
    assert p.message == "cin_rate already has targets for 2024-25 (row 3)"


def test_target_on_an_activity_indicator(tmp_path: Path):
    p = only_problem(tmp_path, **with_target("contacts,2024/25,<100,100-199,200+"))
    assert where(p) == ("targets.csv", 6, "indicator")
    assert p.message == "contacts is an activity indicator, which is not rated"
    assert "Remove the target" in p.fix and "benchmarking" in p.fix


# --- benchmarks ---------------------------------------------------------------------------


def test_benchmark_year_not_of_the_indicators_year_type(tmp_path: Path):
    p = only_problem(tmp_path, benchmarks=BENCHMARKS.replace("ehcp20,2023,", "ehcp20,2023/24,"))
    assert where(p) == ("benchmarks.csv", 3, "year")
    assert p.message.startswith("'2023/24' is not a calendar year")


def test_duplicate_benchmark_rows(tmp_path: Path):
    p = only_problem(tmp_path, benchmarks=BENCHMARKS + "assess45,2023-24,85,,,,\n")
    assert where(p) == ("benchmarks.csv", 4, "year")
    assert p.message == "assess45 already has benchmarks for 2023-24 (row 2)"


def test_benchmark_outside_the_units_range(tmp_path: Path):
    p = only_problem(tmp_path, benchmarks=BENCHMARKS.replace("95.0", "950"))
    assert where(p) == ("benchmarks.csv", 2, "best_stat_neighbour")
    assert p.message == "950 is outside the range of a percent"
    assert p.fix.startswith("Correct the value: percentages are 0 to 100")


# --- the catalogue ------------------------------------------------------------------------


def test_service_area_not_in_settings(tmp_path: Path):
    settings = SETTINGS.replace(", Inclusion]", "]")
    p = only_problem(tmp_path, settings=settings)
    assert where(p) == ("indicators.csv", 6, "service_area")
    assert p.message == "the service area 'Inclusion' is not in the settings' service_areas"
    assert p.fix == (
        "Use one of: Family Help, Children's Social Care, Education; "
        "or add it to service_areas in the settings"
    )


def test_service_area_differing_only_in_case_is_unknown(tmp_path: Path):
    p = only_problem(tmp_path, indicators=indicators_csv(contacts={"service_area": "Family help"}))
    assert where(p) == ("indicators.csv", 2, "service_area")


@pytest.mark.parametrize(
    ("column", "bad", "allowed"),
    [
        ("kind", "Benchmarking", "benchmarking, activity"),
        ("kind", "volume", "benchmarking, activity"),
        ("polarity", "up", "high, low, none"),
        ("unit", "percentage", "percent, rate_per_10k, days, count, score"),
        ("aggregation", "average", "ratio, snapshot, sum, mean, rolling12, annual"),
        ("frequency", "weekly", "monthly, quarterly, annual"),
        ("year_type", "school", "financial, academic, calendar"),
    ],
)
def test_bad_catalogue_value(tmp_path: Path, column: str, bad: str, allowed: str):
    p = only_problem(tmp_path, indicators=indicators_csv(contacts={column: bad}))
    assert where(p) == ("indicators.csv", 2, column)
    assert p.message == f"{bad!r} is not allowed"
    assert p.fix == f"Use one of: {allowed}"


@pytest.mark.parametrize(
    ("decimals", "message", "fix"),
    [
        ("1.5", "'1.5' is not a whole number", "Write a whole number, e.g. 1"),
        ("one", "'one' is not a whole number", "Write a whole number, e.g. 1"),
        ("5", "5 is above 4", "Use a value of at most 4"),
        ("-1", "-1 is below 0", "Use a value of at least 0"),
        ("", "a value is required here", "Fill it in"),
    ],
)
def test_decimals_not_a_whole_number_from_0_to_4(tmp_path: Path, decimals, message, fix):
    p = only_problem(tmp_path, indicators=indicators_csv(contacts={"decimals": decimals}))
    assert where(p) == ("indicators.csv", 2, "decimals")
    assert (p.message, p.fix) == (message, fix)


def test_decimals_written_as_a_whole_number_with_a_point_is_fine(tmp_path: Path):
    ds = load_dataset(
        write(tmp_path / "data", indicators=indicators_csv(contacts={"decimals": "0.0"}))
    )
    assert ds.indicators["decimals"].iloc[0] == 0


def test_ratio_indicator_that_is_not_a_percentage_or_rate(tmp_path: Path):
    indicators = indicators_csv(cin_rate={"unit": "count", "aggregation": "ratio"})
    rows = OBSERVATIONS.replace("cin_rate,2025-03,225.4,,", "cin_rate,2025-03,,5,7")
    p = only_problem(tmp_path, indicators=indicators, observations=rows)
    assert where(p) == ("indicators.csv", 4, "unit")
    assert p.message == "a ratio indicator has unit 'count'"
    assert "use unit percent or rate_per_10k, or another aggregation" in p.fix


def test_unexpected_column(tmp_path: Path):
    indicators = "".join(
        line + (",colour\n" if i == 0 else ",red\n")
        for i, line in enumerate(indicators_csv().splitlines())
    )
    p = only_problem(tmp_path, indicators=indicators)
    assert where(p) == ("indicators.csv", None, "colour")
    assert p.message == "there is no such column"
    assert p.fix.startswith("Remove it or correct its name; the columns are: id, title,")


def test_misspelt_column_is_unexpected_and_its_column_missing(tmp_path: Path):
    observations = OBSERVATIONS.replace("numerator,denominator", "numerator,denominater")
    problems = problems_of(write(tmp_path / "data", observations=observations))
    assert [where(p) for p in problems] == [
        ("observations.csv", None, "denominater"),
        ("observations.csv", None, "denominator"),
    ]
    assert problems[0].message == "there is no such column (did you mean 'denominator'?)"
    assert problems[1].message == "this required column is missing"
    assert problems[1].fix == "Add a 'denominator' column"


@pytest.mark.parametrize(
    ("stem", "column"),
    [
        ("observations", "month"),
        ("indicators", "kind"),
        ("targets", "green"),
        ("benchmarks", "year"),
    ],
)
def test_missing_required_column_is_one_problem(tmp_path: Path, stem: str, column: str):
    text = {
        "observations": OBSERVATIONS,
        "indicators": indicators_csv(),
        "targets": TARGETS,
        "benchmarks": BENCHMARKS,
    }[stem]
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    p = only_problem(tmp_path, **{stem: frame.drop(columns=column).to_csv(index=False)})
    assert where(p) == (f"{stem}.csv", None, column)
    assert p.message == "this required column is missing"
    assert p.fix == f"Add a {column!r} column"


@pytest.mark.parametrize(("stem", "column"), [("indicators", "id"), ("observations", "month")])
def test_blank_required_cell(tmp_path: Path, stem: str, column: str):
    if stem == "indicators":
        files = {
            "indicators": indicators_csv() + ",Untitled,Family Help,activity,none,count,0,sum,,\n"
        }
        row = 7
    else:
        files = with_observation("contacts,,120,,")
        row = 11
    p = only_problem(tmp_path, **files)
    assert where(p) == (f"{stem}.csv", row, column)
    assert (p.message, p.fix) == ("a value is required here", "Fill it in")


@pytest.mark.parametrize("value", ["85%", "n/a", "1,200"])
def test_value_that_is_not_a_number(tmp_path: Path, value: str):
    p = only_problem(tmp_path, **with_observation(f'audits,2024-12,"{value}",,'))
    assert where(p) == ("observations.csv", 11, "value")
    assert p.message == f"{value!r} is not a number"
    assert "plain number" in p.fix


# --- every problem at once ----------------------------------------------------------------


def test_all_problems_in_three_files_are_reported_at_once(tmp_path: Path):
    # Five mistakes of different kinds: two found by the shape checks, three by the
    # meaning checks, none hiding another.
    indicators = indicators_csv(audits={"polarity": "up"})  # indicators row 5
    observations = OBSERVATIONS.replace("contacts,2025-02,", "contacts,2025-13,").replace(
        "assess45,2025-02,,45,45", "assess45,2025-02,,-45,45"
    )  # rows 3 and 6
    targets = TARGETS.replace(
        "cin_rate,2024/25,227.1+,-,<227.1", "cin_rate,2024/25,<227.1,-,227.1+"
    )
    targets += "timeliness,2024/25,<1,-,1+\n"  # rows 3 and 6
    problems = problems_of(
        write(tmp_path / "data", indicators=indicators, observations=observations, targets=targets)
    )
    assert [where(p) for p in problems] == [
        ("indicators.csv", 5, "polarity"),
        ("targets.csv", 3, "green"),
        ("targets.csv", 6, "indicator"),
        ("observations.csv", 3, "month"),
        ("observations.csv", 6, "numerator"),
    ]
    assert [p.message for p in problems] == [
        "'up' is not allowed",
        "the bands (red <227.1, amber -, green 227.1+) run the wrong way for polarity low",
        "'timeliness' is not an indicator id",
        "'2025-13' is not a month",
        "-45 is below 0",
    ]


def test_settings_problems_do_not_hide_table_problems(tmp_path: Path):
    problems = problems_of(
        write(tmp_path / "data", settings="authority: A\n", **with_observation("x,2025-03,1,,"))
    )
    assert [where(p) for p in problems] == [
        ("settings.yaml", None, "as_at"),
        ("observations.csv", 11, "indicator"),
    ]


def test_a_bad_indicator_row_does_not_make_its_observations_unknown(tmp_path: Path):
    # audits has a bad unit: its observations and targets are not checked against it, and
    # are not reported as belonging to an unknown indicator.
    indicators = indicators_csv(audits={"unit": "percentage"})
    problems = problems_of(
        write(tmp_path / "data", indicators=indicators, **with_observation("audits,2025-02,101,,"))
    )
    assert [where(p) for p in problems] == [("indicators.csv", 5, "unit")]


def test_problems_in_a_workbook_name_the_sheet(tmp_path: Path):
    from openpyxl import Workbook

    folder = write(tmp_path / "data", **with_observation("contacts,2025-13,1,,"))
    book = Workbook()
    book.remove(book.active)
    for stem in ("indicators", "targets", "observations", "benchmarks"):
        sheet = book.create_sheet(stem)
        frame = pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
    settings = book.create_sheet("settings")
    for row in (
        ("key", "value"),
        ("authority", "A"),
        ("as_at", "2025-04-14"),
        ("service_areas", "Family Help; Children's Social Care; Inclusion"),
    ):
        settings.append(row)
    book.save(tmp_path / "data.xlsx")
    p = only_problem_in(tmp_path / "data.xlsx")
    # Row 11 of the sheet, the month in column B.
    assert str(p) == (
        "data.xlsx, observations!B11 (column 'month'): '2025-13' is not a month. "
        "Write months as YYYY-MM, e.g. 2025-03"
    )


def only_problem_in(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# --- the rules behind the checks, for any input -------------------------------------------


@given(year=st.integers(1900, 2100), month=st.integers(-5, 20))
def test_a_month_is_a_real_yyyy_mm_month(year: int, month: int):
    text = f"{year}-{month:02d}" if month >= 0 else f"{year}-{month}"
    number = month_numbers(pd.Series([text])).iloc[0]
    if 1 <= month <= 12:
        assert number == year * 12 + month - 1
    else:
        assert pd.isna(number)


@pytest.mark.parametrize(
    ("year", "year_type", "start"),
    [
        ("2024/25", "financial", "2024-04"),
        ("2024-25", "financial", "2024-04"),
        ("2024/25", "academic", "2024-09"),
        ("2025", "calendar", "2025-01"),
        ("1999/00", "financial", "1999-04"),
        ("2025", "financial", None),
        ("2024/26", "academic", None),
        ("2024/25", "calendar", None),
        ("2024/2025", "financial", None),
    ],
)
def test_year_starts(year: str, year_type: str, start: str | None):
    got = year_starts(pd.Series([year]), pd.Series([year_type])).iloc[0]
    if start is None:
        assert pd.isna(got)
    else:
        assert got == month_numbers(pd.Series([start])).iloc[0]


def test_checks_do_not_change_the_loaded_tables(tmp_path: Path):
    ds = load_dataset(write(tmp_path / "data"))
    assert ds.observations["value"].dtype == np.float64
    assert list(ds.observations.columns) == [
        "indicator",
        "month",
        "value",
        "numerator",
        "denominator",
        "_row",
        "month_number",  # added by loading: 2025-03 is 2025 * 12 + 2
    ]
