"""Monthly records into month, quarter, year-to-date and last-year values
(cyps_analysis/aggregate.py), tested through ``build_scorecard`` on tiny datasets written
by hand; expected values are worked out from docs/method.md#aggregation, #windows and
#flags, with the arithmetic in comments."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from cyps_analysis import build_scorecard, load_dataset

SETTINGS = """\
authority: Test Borough
as_at: 2025-04-10
service_areas: [Area]
"""
TARGET_COLUMNS = ("indicator", "year", "red", "amber", "green")
HIGH_PERCENT = ("<82%", "82%+", "90%+")


def months(first: str, last: str) -> list[str]:
    """``YYYY-MM`` months from ``first`` to ``last`` inclusive."""
    y, m = (int(p) for p in first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def indicator(
    id: str,
    *,
    kind: str = "benchmarking",
    polarity: str = "high",
    unit: str = "percent",
    decimals: int = 1,
    aggregation: str = "ratio",
    frequency: str = "monthly",
    year_type: str = "financial",
) -> dict:
    return {
        "id": id,
        "title": id.replace("_", " ").title(),
        "service_area": "Area",
        "kind": kind,
        "polarity": polarity,
        "unit": unit,
        "decimals": decimals,
        "aggregation": aggregation,
        "frequency": frequency,
        "year_type": year_type,
    }


def values(id: str, by_month: dict[str, float]) -> list[dict]:
    return [{"indicator": id, "month": m, "value": v} for m, v in by_month.items()]


def ratios(id: str, by_month: dict[str, tuple[int, int]]) -> list[dict]:
    return [
        {"indicator": id, "month": m, "numerator": n, "denominator": d}
        for m, (n, d) in by_month.items()
    ]


def each(first: str, last: str, x):
    """The same value (or numerator, denominator) in every month from first to last."""
    return dict.fromkeys(months(first, last), x)


def write_csv(path: Path, columns, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), restval="")
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(
    folder: Path,
    indicators: list[dict],
    observations: list[dict],
    targets: list[tuple] = (),
    settings: str = SETTINGS,
) -> Path:
    """A dataset folder: ``targets`` as (indicator, year, red, amber, green) tuples."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "indicators.csv", indicators[0].keys(), indicators)
    write_csv(
        folder / "observations.csv",
        ("indicator", "month", "value", "numerator", "denominator"),
        observations,
    )
    write_csv(
        folder / "targets.csv",
        TARGET_COLUMNS,
        [dict(zip(TARGET_COLUMNS, t, strict=True)) for t in targets],
    )
    (folder / "settings.yaml").write_text(settings, encoding="utf-8")
    return folder


@pytest.fixture
def scorecard(tmp_path):
    """Write a dataset, load it and build its scorecard for a period, indexed by id."""
    counter = iter(range(1000))

    def make(period, indicators, observations, targets=(), settings=SETTINGS) -> pd.DataFrame:
        folder = write_dataset(
            tmp_path / f"ds{next(counter)}", indicators, observations, targets, settings
        )
        return build_scorecard(load_dataset(folder), period).set_index("id")

    return make


def num(card: pd.DataFrame, id: str, column: str) -> float:
    value = card.loc[id, column]
    return math.nan if value is None or pd.isna(value) else float(value)


def codes(card: pd.DataFrame, id: str) -> set[str]:
    return {f["code"] for f in card.loc[id, "flags"]}


def message(card: pd.DataFrame, id: str, code: str) -> str:
    (found,) = [f["message"] for f in card.loc[id, "flags"] if f["code"] == code]
    return found


# --- ratio -----------------------------------------------------------------------------

# Assessments within 45 days: Apr-Dec 9 of 10 each month, then
# Jan 27/34 = 79.41 -> 79.4; Feb 40/40 = 100.0; Mar 33/37 = 89.19 -> 89.2.
A45 = ratios(
    "a45",
    {**each("2024-04", "2024-12", (9, 10)), "2025-01": (27, 34), "2025-02": (40, 40),
     "2025-03": (33, 37)},
)  # fmt: skip


def test_ratio_quarter_and_outturn_pool_numerators_and_denominators(scorecard):
    card = scorecard("2024-25-Q4", [indicator("a45")], A45, [("a45", "2024/25", *HIGH_PERCENT)])
    assert [num(card, "a45", m) for m in ("2025-01", "2025-02", "2025-03")] == [79.4, 100.0, 89.2]
    # Q4 = (27+40+33)/(34+40+37) = 100/111 = 90.09 -> 90.1, not the mean of the monthly
    # percentages (79.41+100+89.19)/3 = 89.53 -> 89.5.
    assert num(card, "a45", "quarter") == 90.1
    # Year = (9*9 + 100)/(9*10 + 111) = 181/201 = 90.05 -> 90.0.
    assert num(card, "a45", "outturn") == 90.0
    # Mar 89.2 is Amber (82%+ but not 90%+); the year's 90.0 meets 90%+.
    assert card.loc["a45", "rag_month"] == "Amber"
    assert card.loc["a45", "rag_year"] == "Green"
    # The month: Mar 89.2 against Feb 100.0 is down, and for high polarity declining.
    assert num(card, "a45", "previous_month") == 100.0
    assert (card.loc["a45", "dot_month"], card.loc["a45", "dot_month_change"]) == (
        "down",
        "declining",
    )
    # No records last year: no previous year and no direction year on year.
    assert math.isnan(num(card, "a45", "previous_year"))
    assert card.loc["a45", "dot_year"] is None or pd.isna(card.loc["a45", "dot_year"])
    assert codes(card, "a45") == set()


def test_ratio_rate_per_10k_pools_counts(scorecard):
    cpp = indicator("cpp", polarity="low", unit="rate_per_10k")
    observed = ratios(
        "cpp", {"2025-01": (45, 20000), "2025-02": (46, 20000), "2025-03": (47, 20100)}
    )
    card = scorecard("2024-25-Q4", [cpp], observed, [("cpp", "2024/25", "30+", "25-29.9", "<25")])
    # Jan 45/20000 x 10,000 = 22.5; Feb 23.0; Mar 47/20100 x 10,000 = 23.38 -> 23.4.
    assert [num(card, "cpp", m) for m in ("2025-01", "2025-02", "2025-03")] == [22.5, 23.0, 23.4]
    # Q4 = 138/60100 x 10,000 = 22.96 -> 23.0.
    assert num(card, "cpp", "quarter") == 23.0
    assert card.loc["cpp", "rag_year"] == "Green"


def test_ratio_month_period_shows_the_quarter_to_date(scorecard):
    card = scorecard("2025-03", [indicator("a45")], A45, [("a45", "2024/25", *HIGH_PERCENT)])
    assert num(card, "a45", "2025-03") == 89.2
    assert "2025-02" not in card.columns
    assert num(card, "a45", "quarter") == 90.1  # 100/111, as above


# --- snapshot --------------------------------------------------------------------------

CIN = indicator("cin", polarity="low", unit="rate_per_10k", aggregation="snapshot")
CIN_TARGET = ("cin", "2024/25", "227.1+", "-", "<227.1")
# Last year 230.0 every month; this year 215.0 Apr-Dec, then Jan 219.0, Feb 220.0,
# Mar 221.2.
CIN_VALUES = {
    **each("2023-04", "2024-03", 230.0),
    **each("2024-04", "2024-12", 215.0),
    "2025-01": 219.0,
    "2025-02": 220.0,
    "2025-03": 221.2,
}


def test_snapshot_is_the_value_at_the_end_of_the_window(scorecard):
    card = scorecard("2024-25-Q4", [CIN], values("cin", CIN_VALUES), [CIN_TARGET])
    assert num(card, "cin", "quarter") == 221.2
    assert num(card, "cin", "outturn") == 221.2
    assert num(card, "cin", "previous_year") == 230.0
    assert num(card, "cin", "previous_year_to_date") == 230.0  # Mar-24
    # Low is good: 220.0 -> 221.2 is up and declining; 230.0 -> 221.2 down and improving.
    assert (card.loc["cin", "dot_month"], card.loc["cin", "dot_month_change"]) == (
        "up",
        "declining",
    )
    assert (card.loc["cin", "dot_year"], card.loc["cin", "dot_year_change"]) == (
        "down",
        "improving",
    )
    # 221.2 is below 227.1: Green.
    assert card.loc["cin", "rag_month"] == card.loc["cin", "rag_year"] == "Green"


def test_snapshot_missing_end_month_gives_no_value_not_the_month_before(scorecard):
    observed = {m: v for m, v in CIN_VALUES.items() if m != "2025-03"}
    card = scorecard("2024-25-Q4", [CIN], values("cin", observed), [CIN_TARGET])
    assert math.isnan(num(card, "cin", "2025-03"))
    assert num(card, "cin", "2025-02") == 220.0
    assert math.isnan(num(card, "cin", "quarter"))  # not 220.0 carried forward
    assert math.isnan(num(card, "cin", "outturn"))
    assert card.loc["cin", "rag_year"] is None or pd.isna(card.loc["cin", "rag_year"])
    assert "missing_months" in codes(card, "cin")
    assert "Mar-25" in message(card, "cin", "missing_months")


# --- sum and mean ----------------------------------------------------------------------


def test_sum_adds_the_months_of_the_window(scorecard):
    # This year month k of the financial year (Apr = 1 .. Mar = 12) has 10k contacts;
    # last year 50 every month.
    this_year = dict(zip(months("2024-04", "2025-03"), range(10, 130, 10), strict=True))
    card = scorecard(
        "2024-25-Q4",
        [indicator("contacts", kind="activity", polarity="none", unit="count", decimals=0,
                   aggregation="sum")],
        values("contacts", {**each("2023-04", "2024-03", 50), **this_year}),
    )  # fmt: skip
    assert num(card, "contacts", "2025-03") == 120
    assert num(card, "contacts", "quarter") == 100 + 110 + 120  # 330
    assert num(card, "contacts", "outturn") == 10 * (
        1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12
    )
    assert num(card, "contacts", "previous_year") == 12 * 50  # 600
    assert num(card, "contacts", "previous_year_to_date") == 600  # the year is complete
    # Activity: neutral arrows, never rated, and no "no target" flag.
    assert (card.loc["contacts", "dot_year"], card.loc["contacts", "dot_year_change"]) == (
        "up",
        "not applicable",
    )
    assert card.loc["contacts", "dot_month_change"] == "not applicable"
    assert card.loc["contacts", "rag_year"] is None or pd.isna(card.loc["contacts", "rag_year"])
    assert codes(card, "contacts") == set()


def test_mean_of_the_months_values(scorecard):
    score = indicator("score", kind="activity", polarity="none", unit="score",
                      aggregation="mean")  # fmt: skip
    observed = {**each("2024-04", "2024-12", 5.0), "2025-01": 3.0, "2025-02": 4.0, "2025-03": 6.0}
    card = scorecard("2024-25-Q4", [score], values("score", observed))
    # Q4 = (3 + 4 + 6)/3 = 4.333 -> 4.3; year = (9*5 + 13)/12 = 58/12 = 4.833 -> 4.8.
    assert num(card, "score", "quarter") == 4.3
    assert num(card, "score", "outturn") == 4.8


def test_mean_rounds_half_up(scorecard):
    score = indicator("score", kind="activity", polarity="none", unit="score",
                      aggregation="mean")  # fmt: skip
    card = scorecard("2025-02", [score], values("score", {"2025-01": 4.3, "2025-02": 4.4}))
    # (4.3 + 4.4)/2 = 4.35 (stored as 4.3499999...) -> 4.4 half up.
    assert num(card, "score", "quarter") == 4.4


# --- rolling twelve months -------------------------------------------------------------

RR = indicator("rr", polarity="low", aggregation="rolling12")
RR_TARGET = ("rr", "2024/25", ">=25", "20-24.9", "<20")
# Mar-24 1 of 10; Apr-24 .. Feb-25 2 of 10 each; Mar-25 8 of 10.
RR_OBS = ratios(
    "rr", {"2024-03": (1, 10), **each("2024-04", "2025-02", (2, 10)), "2025-03": (8, 10)}
)


def test_rolling12_percent_pools_twelve_months(scorecard):
    card = scorecard("2025-03", [RR], RR_OBS, [RR_TARGET])
    # Apr-24..Mar-25: (11*2 + 8)/(12*10) = 30/120 = 25.0.
    assert num(card, "rr", "2025-03") == 25.0
    assert num(card, "rr", "quarter") == 25.0
    assert num(card, "rr", "outturn") == 25.0
    # Mar-24..Feb-25: (1 + 11*2)/120 = 23/120 = 19.17 -> 19.2.
    assert num(card, "rr", "previous_month") == 19.2
    # Low is good: up is declining. 25.0 meets >=25: Red.
    assert (card.loc["rr", "dot_month"], card.loc["rr", "dot_month_change"]) == (
        "up",
        "declining",
    )
    assert card.loc["rr", "rag_month"] == "Red"
    # Last year's Mar-24 has only one month of history: no value.
    assert math.isnan(num(card, "rr", "previous_year"))
    assert codes(card, "rr") == set()


def test_rolling12_with_fewer_than_twelve_months_has_no_value_and_a_flag(scorecard):
    # Jan-25 needs Feb-24..Jan-25; Feb-24 has no record, so 11 months: no value.
    card = scorecard("2025-01", [RR], RR_OBS, [RR_TARGET])
    assert math.isnan(num(card, "rr", "2025-01"))
    assert math.isnan(num(card, "rr", "outturn"))
    assert card.loc["rr", "rag_month"] is None or pd.isna(card.loc["rr", "rag_month"])
    assert "incomplete_rolling12" in codes(card, "rr")


def test_rolling12_count_sums_twelve_months(scorecard):
    rc = indicator("rc", kind="activity", polarity="none", unit="count", decimals=0,
                   aggregation="rolling12")  # fmt: skip
    short = indicator("short", kind="activity", polarity="none", unit="count", decimals=0,
                      aggregation="rolling12")  # fmt: skip
    observed = values("rc", {**each("2024-04", "2025-02", 10), "2025-03": 16}) + values(
        "short", each("2024-06", "2025-03", 10)
    )
    card = scorecard("2025-03", [rc, short], observed)
    # Apr-24..Mar-25: 11*10 + 16 = 126.
    assert num(card, "rc", "2025-03") == 126
    assert num(card, "rc", "outturn") == 126
    assert "incomplete_rolling12" not in codes(card, "rc")
    # Jun-24..Mar-25 is ten months: no value (not 100), and flagged.
    assert math.isnan(num(card, "short", "2025-03"))
    assert math.isnan(num(card, "short", "outturn"))
    assert "incomplete_rolling12" in codes(card, "short")


# --- annual ----------------------------------------------------------------------------

KS = indicator("ks", aggregation="annual", frequency="annual")
KS_TARGET = ("ks", "2024/25", "<50", "50+", "58+")


def test_annual_value_stands_for_the_year(scorecard):
    card = scorecard("2024-25", [KS], values("ks", {"2024-03": 55.0, "2025-03": 60.0}), [KS_TARGET])
    assert num(card, "ks", "outturn") == 60.0
    assert num(card, "ks", "previous_year") == 55.0
    assert num(card, "ks", "previous_year_to_date") == 55.0
    # For an annual indicator the "month before" is the year before: 55.0 -> 60.0.
    assert num(card, "ks", "previous_month") == 55.0
    assert card.loc["ks", "dot_month"] == "up"
    assert (card.loc["ks", "dot_year"], card.loc["ks", "dot_year_change"]) == ("up", "improving")
    assert card.loc["ks", "rag_year"] == "Green"  # 60.0 meets 58+
    assert codes(card, "ks") == set()


def test_annual_not_yet_published(scorecard):
    observed = values("ks", {"2024-03": 55.0})
    # Mid-year (Q3 ends Dec-24) the 2024/25 value is not due until Mar-25.
    card = scorecard("2024-25-Q3", [KS], observed, [KS_TARGET])
    assert math.isnan(num(card, "ks", "outturn"))
    assert num(card, "ks", "previous_year") == 55.0
    assert "not_yet_published" in codes(card, "ks")
    assert "missing_months" not in codes(card, "ks")
    # At the year end it is due, and missing.
    card = scorecard("2024-25", [KS], observed, [KS_TARGET])
    assert math.isnan(num(card, "ks", "outturn"))
    assert {"not_yet_published", "missing_months"} <= codes(card, "ks")
    assert card.loc["ks", "rag_year"] is None or pd.isna(card.loc["ks", "rag_year"])


# --- quarterly indicators --------------------------------------------------------------

ICPC = indicator("icpc", frequency="quarterly")
ICPC_TARGET = ("icpc", "2024/25", "<80", "80+", "90+")
# Recorded at each quarter's last month: Jun 18/20 = 90.0, Sep 9/10 = 90.0,
# Dec 14/20 = 70.0, Mar 19/20 = 95.0.
ICPC_OBS = {"2024-06": (18, 20), "2024-09": (9, 10), "2024-12": (14, 20), "2025-03": (19, 20)}


def test_quarterly_indicator(scorecard):
    card = scorecard("2024-25-Q4", [ICPC], ratios("icpc", ICPC_OBS), [ICPC_TARGET])
    assert math.isnan(num(card, "icpc", "2025-01"))
    assert math.isnan(num(card, "icpc", "2025-02"))
    assert num(card, "icpc", "2025-03") == 95.0
    assert num(card, "icpc", "quarter") == 95.0
    # Year = (18+9+14+19)/(20+10+20+20) = 60/70 = 85.71 -> 85.7.
    assert num(card, "icpc", "outturn") == 85.7
    # Against the quarter before (Dec 70.0): up and improving.
    assert num(card, "icpc", "previous_month") == 70.0
    assert (card.loc["icpc", "dot_month"], card.loc["icpc", "dot_month_change"]) == (
        "up",
        "improving",
    )
    assert card.loc["icpc", "rag_month"] == "Green"  # 95.0
    assert card.loc["icpc", "rag_year"] == "Amber"  # 85.7
    # Jan and Feb are not due for a quarterly indicator: nothing is missing.
    assert codes(card, "icpc") == set()


def test_quarterly_missing_quarter_is_flagged_by_its_quarter_end(scorecard):
    observed = {m: v for m, v in ICPC_OBS.items() if m != "2024-09"}
    card = scorecard("2024-25-Q4", [ICPC], ratios("icpc", observed), [ICPC_TARGET])
    # Year = (18+14+19)/(20+20+20) = 51/60 = 85.0.
    assert num(card, "icpc", "outturn") == 85.0
    text = message(card, "icpc", "missing_months")
    assert "Sep-24" in text
    assert "Jan-25" not in text and "Feb-25" not in text


# --- windows: year to date, last year, other kinds of year ----------------------------


def test_year_to_date_against_previous_year_to_date_mid_year(scorecard):
    # Period 2024-25-Q2 ends Sep-24. Ratio: Apr-Sep-23 8/10, Oct-23..Mar-24 7/10,
    # Apr-Sep-24 9/10. Sum: 5 a month last year, 7 a month this year.
    observed = ratios(
        "mid",
        {**each("2023-04", "2023-09", (8, 10)), **each("2023-10", "2024-03", (7, 10)),
         **each("2024-04", "2024-09", (9, 10))},
    ) + values("cnt", {**each("2023-04", "2024-03", 5), **each("2024-04", "2024-09", 7)})  # fmt: skip
    card = scorecard(
        "2024-25-Q2",
        [indicator("mid"), indicator("cnt", kind="activity", polarity="none", unit="count",
                                     decimals=0, aggregation="sum")],
        observed,
        [("mid", "2024/25", *HIGH_PERCENT)],
    )  # fmt: skip
    assert card.loc["mid", "year"] == "2024/25"
    assert num(card, "mid", "quarter") == 90.0  # Jul-Sep: 27/30
    assert num(card, "mid", "outturn") == 90.0  # Apr-Sep: 54/60
    assert num(card, "mid", "previous_year_to_date") == 80.0  # Apr-Sep-23: 48/60
    assert num(card, "mid", "previous_year") == 75.0  # Apr-23..Mar-24: (48+42)/120 = 90/120
    assert num(card, "mid", "same_month_last_year") == 80.0  # Sep-23: 8/10
    assert (card.loc["mid", "dot_year"], card.loc["mid", "dot_year_change"]) == (
        "up",
        "improving",
    )
    assert num(card, "cnt", "outturn") == 6 * 7  # 42
    assert num(card, "cnt", "previous_year_to_date") == 6 * 5  # 30
    assert num(card, "cnt", "previous_year") == 12 * 5  # 60
    assert "partial_quarter" not in codes(card, "mid")


def test_academic_and_calendar_years_at_march(scorecard):
    # At 2025-03 the academic year runs from Sep-24 and the calendar year from Jan-25.
    # Months outside the year hold 1000, so that counting them would show.
    acad = indicator("acad", unit="count", decimals=0, aggregation="sum", year_type="academic")
    cal = indicator("cal", unit="count", decimals=0, aggregation="sum", year_type="calendar")
    observed = values(
        "acad",
        {**each("2023-09", "2024-03", 5), **each("2024-04", "2024-08", 1000),
         **each("2024-09", "2025-03", 10)},
    ) + values(
        "cal",
        {**each("2024-01", "2024-03", 5), **each("2024-04", "2024-12", 1000),
         **each("2025-01", "2025-03", 10)},
    )  # fmt: skip
    targets = [
        ("acad", "2024/25", "<60", "60+", "120+"),
        ("cal", "2025", "<60", "60+", "120+"),
        # Last calendar year's target would rate 30 Red: it must not be used.
        ("cal", "2024", "<100000", "-", "100000+"),
    ]
    card = scorecard("2025-03", [acad, cal], observed, targets)

    assert card.loc["acad", "year"] == "2024/25"
    assert num(card, "acad", "outturn") == 7 * 10  # Sep-24..Mar-25
    assert num(card, "acad", "previous_year_to_date") == 7 * 5  # Sep-23..Mar-24
    assert num(card, "acad", "previous_year") == 7 * 5 + 5 * 1000  # Sep-23..Aug-24: 5035
    assert card.loc["cal", "year"] == "2025"
    assert num(card, "cal", "outturn") == 3 * 10  # Jan-25..Mar-25
    assert num(card, "cal", "previous_year_to_date") == 3 * 5  # Jan-24..Mar-24
    assert num(card, "cal", "previous_year") == 3 * 5 + 9 * 1000  # 2024: 9015

    # Pro rata by the months of the indicator's own year: academic 7 months in, green
    # 120 * 7/12 = 70+, so 70 is Green (at 12/12 it would be Amber); calendar 3 months
    # in, green 120 * 3/12 = 30+, so 30 is Green. Each month: 10 against 120/12 = 10+.
    assert card.loc["acad", "rag_year"] == "Green"
    assert card.loc["cal", "rag_year"] == "Green"
    assert card.loc["acad", "rag_month"] == card.loc["cal", "rag_month"] == "Green"
    assert card.loc["cal", "green"] == "120+"
    assert codes(card, "acad") == codes(card, "cal") == set()


def test_missing_months_are_flagged_and_sums_use_the_months_present(scorecard):
    observed = {m: 10 for m in months("2024-04", "2025-03") if m != "2024-11"}
    contacts = indicator("contacts", kind="activity", polarity="none", unit="count",
                         decimals=0, aggregation="sum")  # fmt: skip
    card = scorecard("2024-25-Q4", [contacts], values("contacts", observed))
    assert num(card, "contacts", "outturn") == 11 * 10  # Nov-24 is missing, not filled in
    assert num(card, "contacts", "quarter") == 30
    assert "Nov-24" in message(card, "contacts", "missing_months")


# --- zero and small denominators -------------------------------------------------------


def test_zero_denominator_month_has_no_value_and_is_flagged(scorecard):
    observed = ratios(
        "z1",
        {**each("2024-04", "2024-12", (9, 10)), "2025-01": (27, 34), "2025-02": (0, 0),
         "2025-03": (33, 37)},
    ) + ratios("z3", {**each("2024-04", "2024-12", (9, 10)), **each("2025-01", "2025-03", (0, 0))})  # fmt: skip
    targets = [("z1", "2024/25", *HIGH_PERCENT), ("z3", "2024/25", *HIGH_PERCENT)]
    inds = [indicator("z1"), indicator("z3")]

    card = scorecard("2025-02", inds, observed, targets)
    assert math.isnan(num(card, "z1", "2025-02"))  # 0 of 0: neither 0% nor 100%
    assert num(card, "z1", "quarter") == 79.4  # Jan-Feb: (27+0)/(34+0) = 79.41
    assert card.loc["z1", "rag_month"] is None or pd.isna(card.loc["z1", "rag_month"])
    assert "zero_denominator" in codes(card, "z1")

    card = scorecard("2024-25-Q4", inds, observed, targets)
    assert math.isnan(num(card, "z1", "2025-02"))
    # Q4 = (27+33)/(34+37) = 60/71 = 84.51 -> 84.5; the year (81+60)/(90+71) = 141/161
    # = 87.58 -> 87.6.
    assert num(card, "z1", "quarter") == 84.5
    assert num(card, "z1", "outturn") == 87.6
    # z3 has no cases all quarter: no quarter value; the year is Apr-Dec's 81/90 = 90.0.
    assert math.isnan(num(card, "z3", "quarter"))
    assert num(card, "z3", "outturn") == 90.0
    assert "zero_denominator" in codes(card, "z3")


def test_small_denominators_are_flagged(scorecard):
    # "sd": 9 of 10 every month, then Mar-25 3 of 3 (100% of 3 cases);
    # "ten": 9 of 10 every month: 10 cases is not fewer than 10.
    observed = ratios("sd", {**each("2024-04", "2025-02", (9, 10)), "2025-03": (3, 3)}) + ratios(
        "ten", each("2024-04", "2025-03", (9, 10))
    )
    targets = [("sd", "2024/25", *HIGH_PERCENT), ("ten", "2024/25", *HIGH_PERCENT)]
    inds = [indicator("sd"), indicator("ten")]
    card = scorecard("2025-03", inds, observed, targets)
    assert num(card, "sd", "2025-03") == 100.0
    assert "small_denominator" in codes(card, "sd")
    assert "3" in message(card, "sd", "small_denominator")
    assert "small_denominator" not in codes(card, "ten")
    # The threshold is a setting: below 2, three cases are enough.
    card = scorecard("2025-03", inds, observed, targets, SETTINGS + "small_denominator: 2\n")
    assert "small_denominator" not in codes(card, "sd")


# --- partial quarters, pro rata targets, missing targets -------------------------------


def test_partial_quarter_for_a_month_before_the_quarter_end(scorecard):
    targets = [("a45", "2024/25", *HIGH_PERCENT)]
    card = scorecard("2025-02", [indicator("a45")], A45, targets)
    assert "partial_quarter" in codes(card, "a45")
    # Jan-Feb to date: (27+40)/(34+40) = 67/74 = 90.54 -> 90.5.
    assert num(card, "a45", "quarter") == 90.5
    assert "partial_quarter" in codes(scorecard("2025-01", [indicator("a45")], A45, targets), "a45")
    for period in ("2025-03", "2024-25-Q4", "2024-25"):
        card = scorecard(period, [indicator("a45")], A45, targets)
        assert "partial_quarter" not in codes(card, "a45")


def test_pro_rata_rag_for_a_sum_with_a_whole_year_target(scorecard):
    # A whole-year target of 1200+ (amber 1000+, red <1000), at the end of Q1 (3 months):
    # year to date against 300+ green, 250+ amber; each month against 1200/12 = 100+
    # green, 1000/12 = 83.3+ amber.
    inds = [
        indicator(i, unit="count", decimals=0, aggregation="sum") for i in ("f100", "f85", "f80")
    ]
    observed = [
        row
        for i, v in (("f100", 100), ("f85", 85), ("f80", 80))
        for row in values(i, each("2024-04", "2024-06", v))
    ]
    targets = [(i, "2024/25", "<1000", "1000+", "1200+") for i in ("f100", "f85", "f80")]
    card = scorecard("2024-25-Q1", inds, observed, targets)
    # 3*100 = 300: Green; 3*85 = 255: Amber; 3*80 = 240: Red.
    assert card["rag_year"].tolist() == ["Green", "Amber", "Red"]
    # 100 >= 100: Green; 85 >= 83.3: Amber; 80 < 83.3: Red.
    assert card["rag_month"].tolist() == ["Green", "Amber", "Red"]
    # The bands are shown as written, not scaled.
    assert card.loc["f100", "green"] == "1200+"


def test_pro_rata_rag_for_a_quarterly_sum(scorecard):
    # Recorded each quarter: the quarter's value is rated against 3/12 of the year's
    # bands (green 1200+ -> 300+, amber 1000+ -> 250+), the year to date against
    # months elapsed / 12.
    qsum = indicator("qsum", unit="count", decimals=0, aggregation="sum", frequency="quarterly")
    observed = values("qsum", {"2024-06": 300, "2024-09": 290})
    target = [("qsum", "2024/25", "<1000", "1000+", "1200+")]
    card = scorecard("2024-25-Q1", [qsum], observed, target)
    assert (card.loc["qsum", "rag_month"], card.loc["qsum", "rag_year"]) == ("Green", "Green")
    card = scorecard("2024-25-Q2", [qsum], observed, target)
    # Sep: 290 against 300+ green, 250+ amber: Amber. Year to date 300 + 290 = 590
    # against 1200 * 6/12 = 600+ green, 1000 * 6/12 = 500+ amber: Amber.
    assert num(card, "qsum", "outturn") == 590
    assert (card.loc["qsum", "rag_month"], card.loc["qsum", "rag_year"]) == ("Amber", "Amber")


def test_no_target_is_not_rated_and_flagged(scorecard):
    inds = [
        indicator("a45"),
        indicator("old"),  # a target for last year only
        indicator("act", kind="activity", polarity="none", unit="count", decimals=0,
                  aggregation="sum"),
    ]  # fmt: skip
    observed = (
        A45
        + ratios("old", each("2024-04", "2025-03", (9, 10)))
        + values("act", each("2024-04", "2025-03", 5))
    )
    card = scorecard("2024-25", inds, observed, [("old", "2023/24", *HIGH_PERCENT)])
    for i in ("a45", "old"):
        assert card.loc[i, "rag_month"] is None or pd.isna(card.loc[i, "rag_month"])
        assert card.loc[i, "rag_year"] is None or pd.isna(card.loc[i, "rag_year"])
        assert "no_target" in codes(card, i)
        assert "2024/25" in message(card, i, "no_target")
    assert "no_target" not in codes(card, "act")


def test_rag_labels_use_the_authority_s_words(scorecard):
    settings = SETTINGS + "band_labels: {red: Red, amber: Yellow, green: Green}\n"
    card = scorecard(
        "2024-25-Q4", [indicator("a45")], A45, [("a45", "2024/25", *HIGH_PERCENT)], settings
    )
    assert (card.loc["a45", "rag_month"], card.loc["a45", "rag_month_label"]) == (
        "Amber",
        "Yellow",
    )
    assert card.loc["a45", "rag_year_label"] == "Green"
