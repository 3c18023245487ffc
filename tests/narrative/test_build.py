"""The narrative (``narrative.py``, with ``narrative_facts.py`` and ``wording.py``):
sentences for hand-made cases of every rule, written out by hand; the order and number
of bullets; analysts' commentary and sign-off; a whole service area of the demo; the
JSON and Markdown forms.

Most cases use annual indicators (one value a year, recorded in March), so that each
figure in a sentence is a figure in the test's own table.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from cyps_analysis import (
    build_narrative,
    build_scorecard,
    load_dataset,
    narrative_to_dict,
    narrative_to_markdown,
)
from tests.conftest import write_dataset

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
SETTINGS = """\
authority: Test Borough
as_at: 2025-04-10
service_areas: [Area A, Area B]
"""


def annual_dataset(
    folder: Path,
    series: dict[str, tuple[str, str, str, int, dict[int, float]]],
    *,
    targets: str = "",
    benchmarks: str | None = None,
    settings: str = SETTINGS,
    commentary: str | None = None,
    signoff: str | None = None,
    kind: str = "benchmarking",
) -> Path:
    """Indicators in Area A recorded once a year in March: ``series`` maps an id to
    (title, polarity, unit, decimals, {financial year's first calendar year: value})."""
    ind = ["id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type"]
    obs = ["indicator,month,value,numerator,denominator"]
    for id_, (title, polarity, unit, decimals, values) in series.items():
        ind.append(f"{id_},{title},Area A,{kind},{polarity},{unit},{decimals},annual,annual,")
        obs += [f"{id_},{year + 1}-03,{value},," for year, value in values.items()]
    return write_dataset(
        folder,
        indicators="\n".join(ind) + "\n",
        observations="\n".join(obs) + "\n",
        targets="indicator,year,red,amber,green\n" + targets,
        benchmarks=None if benchmarks is None else full_benchmarks(benchmarks),
        settings=settings,
        commentary=commentary,
        signoff=signoff,
    )


def full_benchmarks(text: str) -> str:
    """benchmarks.csv text with the columns a test leaves out added, blank."""
    given = pd.read_csv(io.StringIO(text), dtype=str)
    columns = ["indicator", "year", "stat_neighbour_avg", "best_stat_neighbour"]
    columns += ["national_avg", "top_quartile", "regional_avg"]
    return given.reindex(columns=columns).to_csv(index=False)


def sentences(folder: Path, period: str = "2024-25") -> dict[str, str]:
    bullets = build_narrative(load_dataset(folder), period).bullets
    generated = bullets[bullets["indicator"].notna()]
    return dict(zip(generated["indicator"], generated["text"], strict=True))


def sections(folder: Path, period: str = "2024-25") -> dict[str, list[str]]:
    bullets = build_narrative(load_dataset(folder), period).bullets
    area = bullets[bullets["service_area"] == "Area A"]
    return {
        s: area.loc[area["section"] == s, "indicator"].tolist()
        for s in ("working_well", "challenges")
    }


# --- verbs: each polarity x direction ---------------------------------------------------


def test_verbs_follow_polarity_and_direction(tmp_path: Path):
    folder = annual_dataset(
        tmp_path / "d",
        {
            "hi_up": ("High up", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
            "hi_down": ("High down", "high", "percent", 1, {2023: 85.0, 2024: 80.0}),
            "lo_down": ("Low down", "low", "rate_per_10k", 1, {2023: 320.5, 2024: 300.0}),
            "lo_up": ("Low up", "low", "rate_per_10k", 1, {2023: 300.0, 2024: 320.5}),
        },
    )
    assert sentences(folder) == {
        "hi_up": "High up improved to 85.0%, compared to 80.0% in 2023/24.",
        "hi_down": "High down fell to 80.0%, compared to 85.0% in 2023/24.",
        "lo_down": "Low down reduced to 300.0, compared to 320.5 in 2023/24.",
        "lo_up": "Low up increased to 320.5, compared to 300.0 in 2023/24.",
    }
    # With no target, the direction decides the section.
    assert sections(folder) == {
        "working_well": ["lo_down", "hi_up"],  # the larger change first: 6.4% then 6.25%
        "challenges": ["lo_up", "hi_down"],
    }


def test_unchanged_at_displayed_precision_says_the_same(tmp_path: Path):
    # 80.04 and 79.96 both show as 80.0%; the benchmark decides the section.
    folder = annual_dataset(
        tmp_path / "d",
        {"same": ("Same", "high", "percent", 1, {2023: 80.04, 2024: 79.96})},
        benchmarks="indicator,year,national_avg\nsame,2023/24,75.0\n",
    )
    assert sentences(folder) == {
        "same": "Same was 80.0%, the same as 80.0% in 2023/24, above the national average."
    }
    assert sections(folder)["working_well"] == ["same"]


def test_a_rated_indicator_goes_by_its_rating_and_says_when_a_challenge_is_improving(
    tmp_path: Path,
):
    folder = annual_dataset(
        tmp_path / "d",
        {
            "green_down": ("Green down", "high", "percent", 1, {2023: 95.0, 2024: 92.5}),
            "amber_up": ("Amber up", "high", "percent", 1, {2023: 80.0, 2024: 86.0}),
            "red_up": ("Red up", "low", "percent", 1, {2023: 21.6, 2024: 19.1}),
            "red_down": ("Red down", "low", "percent", 1, {2023: 15.0, 2024: 19.1}),
        },
        targets=(
            "green_down,2024/25,<82%,82%+,90%+\n"
            "amber_up,2024/25,<82%,82%+,90%+\n"
            "red_up,2024/25,12+,10-11.9,<10\n"
            "red_down,2024/25,12+,10-11.9,<10\n"
        ),
    )
    assert sentences(folder) == {
        "green_down": "Green down fell to 92.5% (target is 90%), compared to 95.0% in 2023/24.",
        "amber_up": "Amber up was 86.0% (target is 90%), an improvement on 80.0% in 2023/24.",
        "red_up": "Red up was 19.1% (target is 10%), an improvement on 21.6% in 2023/24.",
        "red_down": "Red down increased to 19.1% (target is 10%), compared to 15.0% in 2023/24.",
    }
    # Red before Amber; the two Reds are as far from target (91%), so the larger change
    # (27% against 11.6%) goes first.
    assert sections(folder) == {
        "working_well": ["green_down"],
        "challenges": ["red_down", "red_up", "amber_up"],
    }


def test_missing_last_year_states_the_value_alone(tmp_path: Path):
    folder = annual_dataset(
        tmp_path / "d",
        {"new": ("New measure", "high", "percent", 1, {2024: 85.0})},
        targets="new,2024/25,<70,70-79.9,80+\n",
    )
    assert sentences(folder) == {"new": "New measure was 85.0% (target is 80%)."}


# --- benchmarks and the in-line tolerance -----------------------------------------------

BENCH_SERIES = {
    "pct": ("Percentage", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
    "rate": ("Rate", "low", "rate_per_10k", 1, {2023: 310.0, 2024: 306.0}),
}
# 85.0% against 84.0% is 1 point (the tolerance: in line) and against 83.9% 1.1 points;
# 306.0 against 300.0 is 2% of 300 (in line) and against 299.9 just over 2% of it.
BENCHMARKS = """\
indicator,year,stat_neighbour_avg,national_avg
pct,2023/24,84.0,83.9
rate,2023/24,300.0,299.9
"""


def test_in_line_within_the_tolerance_and_not_beyond_it(tmp_path: Path):
    folder = annual_dataset(tmp_path / "d", BENCH_SERIES, benchmarks=BENCHMARKS)
    assert sentences(folder) == {
        "pct": "Percentage improved to 85.0%, compared to 80.0% in 2023/24, "
        "in line with statistical neighbours but above the national average.",
        "rate": "Rate reduced to 306.0, compared to 310.0 in 2023/24, "
        "in line with statistical neighbours but above the national average.",
    }


def test_the_tolerance_is_a_setting(tmp_path: Path):
    settings = SETTINGS + "narrative:\n  in_line:\n    percent: 0.5\n    rate_per_10k: 0.05\n"
    folder = annual_dataset(tmp_path / "d", BENCH_SERIES, benchmarks=BENCHMARKS, settings=settings)
    assert sentences(folder) == {
        "pct": "Percentage improved to 85.0%, compared to 80.0% in 2023/24, "
        "above statistical neighbour and national averages.",
        "rate": "Rate reduced to 306.0, compared to 310.0 in 2023/24, "
        "in line with statistical neighbour and national averages.",
    }


def test_missing_benchmarks_are_left_out_and_an_old_benchmark_gives_its_year(tmp_path: Path):
    folder = annual_dataset(
        tmp_path / "d",
        {
            "none": ("No benchmarks", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
            "national": ("National only", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
            "old": ("Old neighbours", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
        },
        benchmarks=(
            "indicator,year,stat_neighbour_avg,national_avg\n"
            "national,2023/24,,88.0\n"
            "old,2022/23,88.0,\n"
            "old,2023/24,,88.0\n"
        ),
    )
    assert sentences(folder) == {
        "none": "No benchmarks improved to 85.0%, compared to 80.0% in 2023/24.",
        "national": "National only improved to 85.0%, compared to 80.0% in 2023/24, "
        "below the national average.",
        "old": "Old neighbours improved to 85.0%, compared to 80.0% in 2023/24, "
        "below the statistical neighbour average (2022/23) and the national average.",
    }


# --- records ----------------------------------------------------------------------------


def test_records_the_lowest_since_and_the_highest_on_record(tmp_path: Path):
    folder = annual_dataset(
        tmp_path / "d",
        {
            # 69.0: 2023/24 back to 2020/21 were all higher; 2019/20 was 68.0.
            "since": ("Since", "low", "rate_per_10k", 1, {2018: 70.0, 2019: 68.0, 2020: 75.0, 2021: 74.0, 2022: 73.0, 2023: 72.0, 2024: 69.0}),
            # 66.0% is above every earlier year, of which there are five (2019/20 to
            # 2023/24): enough history to say "on record".
            "highest": ("Highest", "high", "percent", 1, {2019: 58.0, 2020: 59.0, 2021: 60.0, 2022: 62.0, 2023: 64.0, 2024: 66.0}),
            # As low as 2021/22 counts: "at least as low".
            "equal": ("Equal", "low", "rate_per_10k", 1, {2021: 69.0, 2022: 72.0, 2023: 71.0, 2024: 69.0}),
            # Lower than last year only: no record.
            "one": ("One year", "low", "rate_per_10k", 1, {2022: 60.0, 2023: 70.0, 2024: 65.0}),
            # A record high of a low-is-good rate is bad news, and said.
            "bad": ("Bad high", "low", "rate_per_10k", 1, {2021: 40.0, 2022: 41.0, 2023: 42.0, 2024: 45.1}),
        },
    )  # fmt: skip
    assert sentences(folder) == {
        "since": "Since reduced to 69.0, the lowest since 2019/20, compared to 72.0 in 2023/24.",
        "highest": "Highest improved to 66.0%, the highest on record, compared to 64.0% in 2023/24.",
        "equal": "Equal reduced to 69.0, the lowest since 2021/22, compared to 71.0 in 2023/24.",
        "one": "One year reduced to 65.0, compared to 70.0 in 2023/24.",
        # Only three earlier years (2021/22 to 2023/24): not "on record" but the highest
        # of the 4 years there are.
        "bad": "Bad high increased to 45.1, the highest in the 4 years recorded (since 2021/22), "
        "compared to 42.0 in 2023/24.",
    }


# --- activity counts --------------------------------------------------------------------

ACTIVITY = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type
contacts,Contacts,Area A,activity,none,count,0,sum,,
visits,Visits,Area A,activity,none,count,0,sum,,
calls,Calls,Area A,activity,none,count,0,sum,,
"""


def activity_observations() -> str:
    """Apr-Dec each year. Contacts: 2023 59 in April then 58 a month (523), 2024 83 a
    month (747). Visits: 2023 100 a month (900), 2024 90 a month (810). Calls: 2023 100
    a month (900), 2024 102 a month (918: 2%, in line)."""
    rows = ["indicator,month,value,numerator,denominator"]
    for m in range(4, 13):
        rows += [
            f"contacts,2023-{m:02d},{59 if m == 4 else 58},,",
            f"contacts,2024-{m:02d},83,,",
            f"visits,2023-{m:02d},100,,",
            f"visits,2024-{m:02d},90,,",
            f"calls,2023-{m:02d},100,,",
            f"calls,2024-{m:02d},102,,",
        ]
    return "\n".join(rows) + "\n"


def test_activity_counts_compare_with_the_same_point_last_year(tmp_path: Path):
    folder = write_dataset(
        tmp_path / "d",
        indicators=ACTIVITY,
        observations=activity_observations(),
        targets="indicator,year,red,amber,green\n",
        settings=SETTINGS,
    )
    # SPC, April 2023 to December 2024 (18 points each). Contacts: mean 1,270 / 18 =
    # 70.6; moving ranges 1, 25 and fifteen 0s: AMR 26 / 17 = 1.53, the 25 screened out
    # (>= 5.0), AMR 1 / 16: limits 70.6 +/- 0.17, and 83 is above them. Visits: mean 95,
    # the one moving range of 10 screened out, AMR 0: limits on the mean, and 90 is
    # below. Neither has a polarity: a special cause, not an improvement or a concern.
    assert sentences(folder, "2024-25-Q3") == {
        "contacts": "Contacts increased to 747, compared to 523 at the same time last year; "
        "a special cause: above the upper process limit.",
        "visits": "Visits decreased to 810, compared to 900 at the same time last year; "
        "a special cause: below the lower process limit.",
    }  # calls moved by 2%, within the tolerance: nothing to say
    assert sections(folder, "2024-25-Q3") == {
        "working_well": [],
        "challenges": ["contacts", "visits"],  # the larger change first
    }


# --- months and quarters: the headline rating -------------------------------------------


def test_a_month_uses_the_months_rating_and_value(tmp_path: Path):
    # conftest's data: month n of the year has 80+n of 100 assessments in time. January
    # 2025 is 81.0% (Red: <82%), though the year to date is 87.3% (Amber).
    # 81 of 100 has a Wilson interval of 72.2% (Red) to 87.5% (Amber): uncertain (1 +
    # z^2/n = 1.038415, centre 0.798543, half 1.887457 x 0.040435 = 0.076320).
    # SPC, January 2023 to January 2025 (25 points): mean 2,157 / 25 = 86.28; moving
    # ranges 22 of 1 and two of 11 (screened out: 11 >= 3.267 x 44 / 24 = 5.99), AMR 1:
    # lower limit 83.62, and 81 is below it: a concern, as higher is better.
    folder = write_dataset(tmp_path / "d")
    bullets = build_narrative(load_dataset(folder), "2025-01").bullets
    row = bullets[bullets["indicator"] == "assess45"].iloc[0]
    assert row["text"] == (
        "Assessments within 45 days was 81.0% (from 100 cases; the true rate could be "
        "between 72.2% and 87.5%) (target is 90%), the same as 81.0% in January 2024; "
        "a special cause of concern: below the lower process limit."
        # Apr-24 to Jan-25: 873 of 1,000 = 87.3%, Amber at this pace; the 2 months left
        # need 0.9 x 1,200 - 873 = 207 of 200.
        " At this pace the year ends at 87.3% (Amber); the remaining 2 months need 103.5%,"
        " which is out of reach."
    )
    assert (row["section"], row["facts"]["rag"], row["facts"]["rag_basis"]) == (
        "challenges",
        "Red",
        "month",
    )


def test_a_quarter_uses_the_year_to_date_rating(tmp_path: Path):
    # Q3 2024/25: December is 92.0% (Green), the year to date 792 of 900 = 88.0% (Amber).
    folder = write_dataset(tmp_path / "d")
    card = build_scorecard(load_dataset(folder), "2024-25-Q3").set_index("id")
    assert (card.loc["assess45", "rag_month"], card.loc["assess45", "rag_year"]) == (
        "Green",
        "Amber",
    )
    bullets = build_narrative(load_dataset(folder), "2024-25-Q3").bullets
    row = bullets[bullets["indicator"] == "assess45"].iloc[0]
    # 792 of 900 has a Wilson interval of 85.7% (Amber) to 89.96%, shown as 90.0%
    # (Green): uncertain. SPC, January 2023 to December 2024: mean 86.5, the moving range
    # of 11 screened out, AMR 1, upper limit 89.16: December's 92 is above it.
    assert row["text"] == (
        "Assessments within 45 days was 88.0% (from 900 cases; the true rate could be "
        "between 85.7% and 90.0%) (target is 90%), the same as 88.0% at the same time "
        "last year; a special cause of improvement: above the upper process limit."
    )
    assert (row["section"], row["facts"]["rag"]) == ("challenges", "Amber")


# --- order and number of bullets --------------------------------------------------------


def test_red_before_amber_then_gap_to_target_then_change_and_at_most_max_bullets(
    tmp_path: Path,
):
    band = "<70,70-89.9,90+\n"
    folder = annual_dataset(
        tmp_path / "d",
        {
            "r1": ("R1", "high", "percent", 1, {2023: 60.0, 2024: 63.0}),  # gap 30%
            "r2": ("R2", "high", "percent", 1, {2023: 58.0, 2024: 54.0}),  # gap 40%
            "a1": ("A1", "high", "percent", 1, {2023: 80.0, 2024: 81.0}),  # gap 10%, change 1.25%
            "a2": ("A2", "high", "percent", 1, {2023: 75.0, 2024: 81.0}),  # gap 10%, change 8%
            "a3": ("A3", "high", "percent", 1, {2023: 85.0, 2024: 85.5}),  # gap 5%
        },
        targets="".join(f"{i},2024/25,{band}" for i in ("r1", "r2", "a1", "a2", "a3")),
        settings=SETTINGS + "narrative:\n  max_bullets: 4\n",
    )  # fmt: skip
    assert sections(folder) == {"working_well": [], "challenges": ["r2", "r1", "a2", "a1"]}


# --- the summary ------------------------------------------------------------------------


def test_summary_counts_ratings_and_directions_and_names_the_furthest_from_target(
    tmp_path: Path,
):
    band = "<70,70-89.9,90+\n"
    folder = annual_dataset(
        tmp_path / "d",
        {
            "r": ("R", "high", "percent", 1, {2023: 60.0, 2024: 63.0}),
            "a": ("A", "high", "percent", 1, {2023: 85.0, 2024: 81.0}),
            "g": ("G", "high", "percent", 1, {2023: 95.0, 2024: 95.0}),
            "u": ("Unrated", "high", "percent", 1, {2023: 50.0, 2024: 55.0}),
        },
        targets="".join(f"{i},2024/25,{band}" for i in ("r", "a", "g")),
    )
    summary = build_narrative(load_dataset(folder), "2024-25").section(None, "summary")
    assert summary["text"].tolist() == [
        "For the year to date, 1 of 3 rated indicators is Red, 1 Amber and 1 Green.",
        "Compared with last year, 2 indicators improved, 1 declined and 1 was unchanged.",
        "Furthest from target: R (Red, Area A) and A (Amber, Area A).",
    ]
    assert summary["facts"].tolist()[0] == {
        "rag_basis": "year_to_date",
        "rated": 3,
        "red": 1,
        "amber": 1,
        "green": 1,
    }


# --- analysts' words and sign-off --------------------------------------------------------

COMMENTARY = """\
indicator,period,section,text,mode
hi,2024-25,working_well,High is better than ever thanks to the new team.,replace
lo,2024-25,challenges,A review of step-downs reports in June.,add
lo,2023-24,challenges,Last year's words.,add
"""


def commentary_dataset(folder: Path, signoff: str | None = None) -> Path:
    return annual_dataset(
        folder,
        {
            "hi": ("High", "high", "percent", 1, {2023: 80.0, 2024: 85.0}),
            "lo": ("Low", "low", "rate_per_10k", 1, {2023: 300.0, 2024: 320.5}),
        },
        commentary=COMMENTARY,
        signoff=signoff,
    )


def test_commentary_replaces_and_adds_and_generated_text_is_a_draft(tmp_path: Path):
    n = build_narrative(load_dataset(commentary_dataset(tmp_path / "d")), "2024-25")
    ww = n.section("Area A", "working_well")
    ch = n.section("Area A", "challenges")
    assert ww[["text", "source", "draft"]].values.tolist() == [
        ["High is better than ever thanks to the new team.", "analyst", False]
    ]
    assert ch[["text", "source", "draft"]].values.tolist() == [
        ["Low increased to 320.5, compared to 300.0 in 2023/24.", "generated", True],
        ["A review of step-downs reports in June.", "analyst", False],
    ]
    md = narrative_to_markdown(n, service_area="Area A", level=2)
    assert "- Low increased to 320.5, compared to 300.0 in 2023/24. *(draft)*" in md
    assert "- A review of step-downs reports in June.\n" in md
    assert "Last year's words" not in md
    assert "*Draft: the generated text has not been signed off for this period.*" in md
    # Under a page title that names the area: no heading of its own, sections at level 2.
    page = narrative_to_markdown(n, service_area="Area A", level=2, area_heading=False)
    assert page.startswith("*Draft: the generated text has not been signed off")
    assert "Area A" not in page
    assert [line for line in page.splitlines() if line.startswith("#")] == [
        "## What's working well",
        "## Areas of challenge and focus",
    ]
    assert [line for line in md.splitlines() if line.startswith("#")] == [
        "## Area A",
        "### What's working well",
        "### Areas of challenge and focus",
    ]


def test_signed_off_area_is_not_a_draft(tmp_path: Path):
    signoff = "period,service_area,signed_off_by,date\n2024-25,Area A,A. Analyst,2025-04-22\n"
    n = build_narrative(load_dataset(commentary_dataset(tmp_path / "d", signoff)), "2024-25")
    area = n.bullets[n.bullets["service_area"] == "Area A"]
    assert not area["draft"].any()
    md = narrative_to_markdown(n, service_area="Area A", level=2)
    assert "*(draft)*" not in md
    assert "*Signed off by A. Analyst on 2025-04-22.*" in md
    # Area B has no bullets: the summary waits only for areas with bullets.
    assert not n.section(None, "summary")["draft"].any()
    # Signed off for another period: still a draft.
    other = "period,service_area,signed_off_by,date\n2025-03,Area A,A. Analyst,2025-04-22\n"
    n = build_narrative(load_dataset(commentary_dataset(tmp_path / "e", other)), "2024-25")
    assert n.section("Area A", "challenges")["draft"].tolist() == [True, False]


# --- a whole service area of the demo ----------------------------------------------------

# Worked from data/demo/*.csv for 2024/25 (April 2024 to March 2025):
# - fh_eh_assess45 (ratio, high): 965 of 1,111 = 86.9%; 2023/24 911 of 1,089 = 83.7%;
#   earlier years 865/1,078 = 80.2%, 875/1,038 = 84.3%: the highest of the 4 years the
#   demo records (2021/22 on; too few for "on record", which needs 5 earlier). Green
#   (82.5+): 5.3% beyond target. Benchmarks 2023/24: neighbours 87.8 (0.9 points: in
#   line), England 89.6 (below).
# - fh_eh_rereferral (rolling 12 months, low): 102 of 709 = 14.4%; to March 2024 107 of
#   728 = 14.7%; 2022/23 was 103/715 = 14.4% too, so no record. Green (<15.1%): 4.6%
#   inside. Neighbours 15.3, England 15.0: both within a point.
# - fh_eh_stepup (ratio, low): 65 of 788 = 8.2%; 2023/24 67/840 = 8.0%; earlier
#   59/831 = 7.1%, 60/816 = 7.4%: the highest of the 4 years. Red (>=7.8). Neighbours 8.8,
#   England 8.6: in line.
# - fh_eh_outcomes (ratio, high): 1,236 of 1,736 = 71.2%; 2023/24 1,326/1,807 = 73.4%;
#   earlier 79.4%, 77.1%: the lowest of the 4 years. Amber (67.6%+ but under 74.8%): 4.8%
#   short. Neighbours 72.4 and England 73.8: below (1.2 and 2.6 points).
# - fh_2yo_funded (snapshot, quarterly, academic year): March 2025 76.6%, March 2024
#   69.5% (the academic year is part way: "at the same time last year"); never recorded
#   in August, so no year outturns and no record. Amber (72.8%+ under 80.4%): 4.7%
#   short. Neighbours 71.0, England 72.4: above.
# - fh_families_engaged (activity, sum): 1,549 over 11 months (November 2024 missing)
#   against 1,629 in 2023/24: 4.9% down, beyond the 2% tolerance.
# - fh_contacts (activity, sum): 11,692 against 11,520: 1.5% up, within 2%: left out.
# SPC (the whole history, April 2021 on): the latest month of every indicator here is
# common cause ("within normal variation" where the sentence says it went up or down),
# except fh_eh_rereferral, whose rate the generator lowers every month: its last 25
# rolling values are all below the mean of its 37 (a shift). Wilson intervals (z 1.96):
# 102 of 709 = 14.4%, 12.0% to 17.2%, across Green's <15.1%; 65 of 788 = 8.2%, 6.5% to
# 10.4%, across Red's 7.8: both uncertain. 86.9% of 1,111 (84.7% to 88.7%) and 71.2% of
# 1,736 (69.0% to 73.3%) stay in their bands.
DEMO_FAMILY_HELP = {
    "working_well": [
        "Early help assessments completed within 45 days improved to 86.9% (target is "
        "82.5%), the highest in the 4 years recorded (since 2021/22), compared to 83.7% "
        "in 2023/24 (within normal variation), in line with "
        "statistical neighbours but below the national average.",
        "Re-referrals to early help within 12 months reduced to 14.4% (from 709 cases; the "
        "true rate could be between 12.0% and 17.2%) (target is 15.1%), "
        "compared to 14.7% in 2023/24, in line with statistical neighbour and national "
        "averages; a sustained improvement: 25 months below the average.",
    ],
    "challenges": [
        "Early help cases stepped up to social care increased to 8.2% (from 788 cases; the "
        "true rate could be between 6.5% and 10.4%) (target is 7.2%), "
        "the highest in the 4 years recorded (since 2021/22), compared to 8.0% in 2023/24 "
        "(within normal variation), in line with statistical "
        "neighbour and national averages."
        # 67 of 840 (2023/24) to 65 of 788 (2024/25): cases -6.2%, step-ups -3.0%; the
        # denominator's effect, 65 x (1/788 - 1/840) x 100 = +0.51, is more than half
        # of the +0.27 change.
        " The percentage rose mainly because what it is measured against shrank (-6.2%);"
        " the number counted fell by 3.0%.",
        "Early help cases closed with outcomes achieved fell to 71.2% (target is 74.8%), "
        "the lowest in the 4 years recorded (since 2021/22), compared to 73.4% in 2023/24 "
        "(within normal variation), below statistical neighbour "
        "and national averages.",
        "2-year-olds benefiting from funded early education was 76.6% (target is 80.4%), "
        "an improvement on 69.5% at the same time last year (within normal variation), "
        "above statistical neighbour and national averages."
        # Mar-24 649 of 934, Mar-25 676 of 882: children -5.6%, places +4.2%; the
        # denominator's effect 676 x (1/882 - 1/934) x 100 = +4.27 of the +7.16 change.
        " The percentage rose mainly because what it is measured against shrank (-5.6%);"
        " the number counted rose by 4.2%.",
        "Families engaged with early help decreased to 1,549 (no value for Nov-24), "
        "compared to 1,629 in 2023/24 (within normal variation).",
    ],
}


@pytest.fixture(scope="module")
def demo_narrative():
    return build_narrative(load_dataset(DEMO), "2024-25-Q4")


def test_demo_family_help_reads_as_written_by_hand(demo_narrative):
    for section, expected in DEMO_FAMILY_HELP.items():
        assert demo_narrative.section("Family Help", section)["text"].tolist() == expected


def test_json_has_the_issues_shape(demo_narrative):
    doc = narrative_to_dict(demo_narrative)
    assert list(doc) == ["period", "service_areas", "summary"]
    assert doc["period"] == "2024-25-Q4"
    assert list(doc["service_areas"]) == [
        "Family Help",
        "Children's Social Care",
        "Education",
        "Inclusion",
    ]
    for area in doc["service_areas"].values():
        assert list(area) == ["working_well", "challenges"]
        for bullet in area["working_well"] + area["challenges"]:
            assert {"indicator", "text", "facts"} <= set(bullet)
            if bullet["source"] == "analyst":
                assert bullet["facts"] == {} and not bullet["draft"]
                continue
            assert bullet["facts"]["indicator"] == bullet["indicator"]
            for key in ("value", "comparator", "comparator_value", "direction", "polarity"):
                assert key in bullet["facts"]
    first = doc["service_areas"]["Family Help"]["working_well"][0]
    assert first["facts"]["value"] == 86.9 and first["facts"]["comparator_value"] == 83.7
    assert all(b["indicator"] is None for b in doc["summary"])


def test_at_most_max_bullets_a_section(demo_narrative):
    counts = demo_narrative.bullets.groupby(["service_area", "section"]).size()
    assert counts.max() == 5  # Children's Social Care has more than five of each


def test_nothing_passed_in_is_changed(tmp_path: Path):
    ds = load_dataset(commentary_dataset(tmp_path / "d"))
    card = build_scorecard(ds, "2024-25")
    before = {t: getattr(ds, t).copy() for t in ("indicators", "observations", "commentary")}
    card_before = card.copy()
    build_narrative(ds, "2024-25", scorecard=card)
    for table, frame in before.items():
        pd.testing.assert_frame_equal(getattr(ds, table), frame)
    pd.testing.assert_frame_equal(card, card_before)


def test_markdown_of_the_whole_report(demo_narrative):
    md = narrative_to_markdown(demo_narrative)
    lines = md.splitlines()
    assert lines[0] == "# Demo Borough: narrative, 2024/25 Q4"
    headings = [line for line in lines if line.startswith("##")]
    assert headings[:4] == [
        "## Summary",
        "## Family Help",
        "### What's working well",
        "### Areas of challenge and focus",
    ]
    assert md.count("### What's working well") == 4


def test_demo_commentary_and_signoff_examples(demo_narrative):
    csc = demo_narrative.section("Children's Social Care", "challenges")
    # The analyst's words stand where the generated bullet on csc_cpp_rate stood: second,
    # after the Red indicator furthest from target (days to adoption, 14% over 365).
    assert csc["indicator"].tolist()[:2] == ["csc_days_adoption", "csc_cpp_rate"]
    assert csc["source"].tolist()[:2] == ["generated", "analyst"]
    assert csc["text"][1].startswith("The child protection plan rate rose to 45.1")
    inclusion = demo_narrative.bullets[demo_narrative.bullets["service_area"] == "Inclusion"]
    assert len(inclusion) and not inclusion["draft"].any()  # signed off for 2024-25-Q4
    assert csc["draft"][0]
    summary = demo_narrative.section(None, "summary")
    assert summary["source"].tolist() == ["generated"] * 3 + ["analyst"]


# --- totals against a whole year's target, small numbers, no data ---------------------------


def test_a_total_part_way_through_the_year_against_its_years_target(tmp_path: Path):
    # Apr-Dec: 90 a month in 2024 (810), 100 a month in 2023 (900). The year's Green band
    # <1200 becomes <900 after 9 months: 810 is Green. A part-year total is not compared
    # with a year's benchmark.
    indicators = (
        "id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type\n"
        "entrants,Entrants,Area A,benchmarking,low,count,0,sum,,\n"
    )
    rows = ["indicator,month,value,numerator,denominator"]
    rows += [f"entrants,2023-{m:02d},100,," for m in range(4, 13)]
    rows += [f"entrants,2024-{m:02d},90,," for m in range(4, 13)]
    folder = write_dataset(
        tmp_path / "d",
        indicators=indicators,
        observations="\n".join(rows) + "\n",
        targets="indicator,year,red,amber,green\nentrants,2024/25,1500+,1200-1499,<1200\n",
        benchmarks=full_benchmarks("indicator,year,national_avg\nentrants,2023/24,1000\n"),
        settings=SETTINGS,
    )
    n = build_narrative(load_dataset(folder), "2024-25-Q3")
    [bullet] = n.section("Area A", "working_well").to_dict("records")
    # SPC (18 points): mean 95, the one moving range of 10 screened out, AMR 0, limits
    # on the mean: 90 is below them, an improvement as lower is better.
    assert bullet["text"] == (
        "Entrants reduced to 810 (target for the year is 1,200), "
        "compared to 900 at the same time last year; "
        "a special cause of improvement: below the lower process limit."
    )
    assert (bullet["facts"]["rag"], bullet["facts"]["target"]) == ("Green", 1200.0)
    assert bullet["facts"]["target_relation"] == "below"
    assert bullet["facts"]["benchmarks"] == {}


def test_small_numbers_are_said(tmp_path: Path):
    # 2 of 3 cases a month: 66.7%; the month's 3 cases are under the default 10.
    indicators = (
        "id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type\n"
        "tiny,Tiny,Area A,benchmarking,high,percent,1,ratio,,\n"
    )
    rows = ["indicator,month,value,numerator,denominator", "tiny,2024-03,,1,3", "tiny,2025-03,,2,3"]
    folder = write_dataset(
        tmp_path / "d",
        indicators=indicators,
        observations="\n".join(rows) + "\n",
        targets="indicator,year,red,amber,green\n",
        settings=SETTINGS,
    )
    assert sentences(folder, "2025-03") == {
        "tiny": "Tiny improved to 66.7% (small numbers: treat with caution), "
        "compared to 33.3% in March 2024."
    }


def test_a_period_with_no_data_has_nothing_to_say(tmp_path: Path):
    n = build_narrative(load_dataset(write_dataset(tmp_path / "d")), "2027-28-Q1")
    assert n.bullets.empty
    assert narrative_to_dict(n)["service_areas"]["Family Help"] == {
        "working_well": [],
        "challenges": [],
    }
    assert "- Nothing to report this period." in narrative_to_markdown(n)


def test_bullets_are_in_report_order(demo_narrative):
    b = demo_narrative.bullets
    areas = ["Family Help", "Children's Social Care", "Education", "Inclusion"]
    blocks = list(zip(b["service_area"].fillna("(summary)"), b["section"], strict=True))
    expected = [("(summary)", "summary")] + [
        (a, s) for a in areas for s in ("working_well", "challenges")
    ]
    # Each (area, section) is one block, in report order.
    assert list(dict.fromkeys(blocks)) == expected
    assert sum(1 for i in range(1, len(blocks)) if blocks[i] != blocks[i - 1]) == 8
