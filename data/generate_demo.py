"""Make the embedded demo dataset: "Demo Borough", an invented authority.

    python data/generate_demo.py [--out DIR]      # DIR defaults to data/demo

Every figure is invented, from a seeded random generator: the same files every run. The
data covers what the kit must show: every service area with Red, Amber and Green
indicators in 2024/25 Q4, both kinds, every aggregation rule, frequency and year type,
both polarities, a declining Amber, a record low, a missing month and each kind of
special cause (SPC). Targets are set
around each indicator's 2024/25 year-to-date value (worked out here from the same
counts) so that each indicator gets the rating its ``role`` asks for.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent / "demo"
FIRST, LAST = (2021, 4), (2025, 3)  # April 2021 to March 2025: four financial years
MONTHS = pd.period_range(f"{FIRST[0]}-{FIRST[1]:02d}", f"{LAST[0]}-{LAST[1]:02d}", freq="M")
YEAR_START = {"financial": 4, "academic": 9, "calendar": 1}
POPULATION = 62_000  # children aged 0-17 (invented)
SETTINGS = """\
# Demo Borough is an invented authority: every figure in this dataset is invented and
# describes no real local authority. Made by data/generate_demo.py.
authority: Demo Borough
la_code: "999"
region: North West
as_at: 2025-04-14
service_areas:
  - Family Help
  - Children's Social Care
  - Education
  - Inclusion
band_labels:
  red: Red
  amber: Amber
  green: Green
small_denominator: 10
"""

# Analysts' own words for the narrative (docs/narrative.md): optional files, shown here
# once each way: a replacement, an addition, a summary line and one signed-off area.
COMMENTARY = """\
indicator,period,section,text,mode
csc_cpp_rate,2024-25-Q4,challenges,"The child protection plan rate rose to 45.1 per 10,000 (target 39.5); a review of plans open longer than 18 months reports in June.",replace
edu_persistent,2024-25-Q4,challenges,Attendance officers now visit every pupil missing one day in ten within a week.,add
,2024-25-Q4,summary,Demo Borough's figures are invented: this narrative shows what the kit writes.,add
"""
SIGNOFF = """\
period,service_area,signed_off_by,date
2024-25-Q4,Inclusion,Demo Analyst,2025-04-22
"""


@dataclass(frozen=True)
class Spec:
    """One demo indicator: catalogue entry, how its series is made, the rating wanted."""

    id: str
    title: str
    area: str
    kind: str
    polarity: str
    unit: str
    decimals: int
    aggregation: str
    frequency: str = "monthly"
    year_type: str = "financial"
    national_code: str = ""
    level: float = 0.0  # starting level (percent, rate, count a month, days, score)
    trend: float = 0.0  # change a month, in the direction of better performance
    noise: float = 0.0  # month-to-month noise (percent / rate / days / score)
    cases: int = 0  # denominator a month for percentages
    role: str = ""  # green, amber, red: the 2024/25 Q4 year-to-date rating wanted


FH, CSC, EDU, INC = "Family Help", "Children's Social Care", "Education", "Inclusion"
B, A = "benchmarking", "activity"
SPECS: tuple[Spec, ...] = (
    Spec("fh_contacts", "Contacts to the children's front door", FH, A, "none", "count", 0, "sum", level=900, trend=2, noise=60),
    Spec("fh_families_engaged", "Families engaged with early help", FH, A, "none", "count", 0, "sum", level=120, trend=0.5, noise=12),
    Spec("fh_eh_assess45", "Early help assessments completed within 45 days", FH, B, "high", "percent", 1, "ratio", level=80, trend=0.15, cases=90, role="green"),
    Spec("fh_eh_outcomes", "Early help cases closed with outcomes achieved", FH, B, "high", "percent", 1, "ratio", level=82, trend=-0.25, cases=150, role="amber"),
    Spec("fh_eh_stepup", "Early help cases stepped up to social care", FH, B, "low", "percent", 1, "ratio", level=8, trend=-0.02, cases=70, role="red"),
    Spec("fh_eh_rereferral", "Re-referrals to early help within 12 months", FH, B, "low", "percent", 1, "rolling12", level=16, trend=0.05, cases=60, role="green"),
    Spec("fh_2yo_funded", "2-year-olds benefiting from funded early education", FH, B, "high", "percent", 1, "snapshot", "quarterly", "academic", "%_2yr_olds", level=70, trend=0.1, cases=900, role="amber"),
    Spec("csc_referrals", "Referrals to children's social care", CSC, A, "none", "count", 0, "sum", level=180, trend=0.4, noise=20),
    Spec("csc_s47", "Section 47 enquiries started", CSC, A, "none", "count", 0, "sum", national_code="Section_47", level=60, trend=0.2, noise=8),
    Spec("csc_rereferral", "Re-referrals within 12 months", CSC, B, "low", "percent", 1, "rolling12", national_code="ReReferral", level=23, trend=0.04, cases=170, role="amber"),
    Spec("csc_assess45", "Assessments completed within 45 working days", CSC, B, "high", "percent", 1, "ratio", national_code="Continue_Assess_Comp", level=84, trend=0.12, cases=160, role="green"),
    Spec("csc_cin_rate", "Children in need rate per 10,000", CSC, B, "low", "rate_per_10k", 1, "snapshot", national_code="CIN", level=335, trend=0.5, noise=2.5, role="green"),
    Spec("csc_cpp_rate", "Child protection plan rate per 10,000", CSC, B, "low", "rate_per_10k", 1, "snapshot", national_code="CPP_rate", level=40, trend=-0.12, noise=0.8, role="red"),
    Spec("csc_cla_rate", "Children looked after rate per 10,000", CSC, B, "low", "rate_per_10k", 1, "snapshot", national_code="LAC", level=78, trend=0.15, noise=0.4, role="green"),
    Spec("csc_cpp_second", "Child protection plans for a second or subsequent time", CSC, B, "low", "percent", 1, "ratio", national_code="PrevRegCPR", level=20, trend=-0.08, cases=25, role="red"),
    Spec("csc_icpc15", "Initial child protection conferences within 15 working days", CSC, B, "high", "percent", 1, "ratio", national_code="CP_conf_15days", level=88, trend=-0.2, cases=6, role="amber"),
    Spec("csc_cla_3plus", "Children looked after with 3 or more placements in the year", CSC, B, "low", "percent", 1, "ratio", "quarterly", national_code="LACStable_2016on", level=11, trend=0.03, cases=480, role="green"),
    Spec("csc_cla_longstable", "Long-term placement stability", CSC, B, "high", "percent", 1, "snapshot", "quarterly", national_code="LAC_LongStable%", level=66, trend=0.05, cases=160, role="amber"),
    Spec("csc_cla_health", "Children looked after with an up-to-date health assessment", CSC, B, "high", "percent", 1, "ratio", national_code="LACHealth%", level=86, trend=0.1, cases=40, role="green"),
    Spec("csc_cla_dental", "Children looked after with a dental check", CSC, B, "high", "percent", 1, "annual", "annual", national_code="LACDental%", level=70, trend=0.1, cases=330, role="red"),
    Spec("csc_cla_vacc", "Children looked after with immunisations up to date", CSC, B, "high", "percent", 1, "annual", "annual", national_code="LACVaccinations%", level=84, trend=0.05, cases=330, role="amber"),
    Spec("csc_cla_adopted", "Children who ceased to be looked after who were adopted", CSC, B, "high", "percent", 1, "annual", "annual", national_code="%_of LAC Adopted", level=9, trend=0.03, cases=170, role="green"),
    Spec("csc_days_adoption", "Average days from entering care to moving in with adoptive family", CSC, B, "low", "days", 0, "mean", level=450, trend=0.6, noise=25, role="red"),
    Spec("csc_sw_caseload", "Average caseload of children's social workers", CSC, B, "low", "count", 1, "mean", national_code="Work_Force_AvgNumCase_SW", level=19, trend=0.04, noise=0.6, role="amber"),
    Spec("csc_sw_vacancy", "Social worker vacancy rate", CSC, B, "low", "percent", 1, "snapshot", "quarterly", national_code="Work_Force_Vac_Rate", level=22, trend=0.12, cases=240, role="green"),
    Spec("csc_sw_turnover", "Social worker turnover rate", CSC, B, "low", "percent", 1, "annual", "annual", national_code="Work_Force_TO_Rate", level=18, trend=0.05, cases=240, role="amber"),
    Spec("csc_leaver_eet", "Care leavers aged 19-21 in education, employment or training", CSC, B, "high", "percent", 1, "ratio", national_code="CareLeaverEET", level=52, trend=0.1, cases=120, role="green"),
    Spec("csc_leaver_acc", "Care leavers aged 19-21 in suitable accommodation", CSC, B, "high", "percent", 1, "ratio", national_code="CareLeaverAcc", level=86, trend=0.02, cases=120, role="amber"),
    Spec("edu_absence", "Overall absence", EDU, B, "low", "percent", 1, "mean", year_type="academic", national_code="TotAbs", level=7.6, trend=0.02, noise=0.25, role="green"),
    Spec("edu_persistent", "Persistent absence", EDU, B, "low", "percent", 1, "mean", year_type="academic", national_code="TotPerAbNew", level=22, trend=0.05, noise=0.7, role="red"),
    Spec("edu_neet", "16-17 year olds not in education, employment or training, or not known", EDU, B, "low", "percent", 1, "snapshot", national_code="16-17_not known_NEET", level=6.2, trend=0.01, cases=7400, role="amber"),
    Spec("edu_suspensions", "Suspensions from school", EDU, A, "none", "count", 0, "sum", year_type="academic", level=140, trend=0.6, noise=18),
    Spec("edu_exclusion_rate", "Permanent exclusions per 10,000 pupils", EDU, B, "low", "rate_per_10k", 2, "ratio", year_type="academic", level=0.9, trend=0.004, cases=41_000, role="green"),
    Spec("edu_ks2_score", "Key stage 2 average scaled score, reading", EDU, B, "high", "score", 1, "annual", "annual", "academic", level=104.5, trend=0.02, noise=0.3, role="green"),
    Spec("inc_ehc_excl", "New EHC plans issued within 20 weeks, excluding exceptions", INC, B, "high", "percent", 1, "ratio", year_type="calendar", national_code="SEN_EHC_Excpt_20wks", level=58, trend=-0.05, cases=45, role="amber"),
    Spec("inc_ehc_all", "New EHC plans issued within 20 weeks, including exceptions", INC, B, "high", "percent", 1, "ratio", year_type="calendar", national_code="SEN_EHC_All_20wks", level=52, trend=-0.05, cases=50, role="red"),
    Spec("inc_ehc_requests", "Requests for an EHC needs assessment", INC, A, "none", "count", 0, "sum", year_type="calendar", level=55, trend=0.3, noise=8),
    Spec("inc_reoffending", "Young people aged 15-17 who re-offend", INC, B, "low", "percent", 1, "rolling12", year_type="calendar", national_code="ReoffYO15-17", level=34, trend=-0.06, cases=9, role="green"),
    Spec("inc_fte", "First-time entrants to the youth justice system", INC, B, "low", "count", 0, "rolling12", year_type="calendar", national_code="FirstYJS", level=3.2, trend=-0.01, role="amber"),
)  # fmt: skip
#: Indicators given special treatment: one month dropped, a record low at the end.
MISSING_MONTH = ("fh_families_engaged", "2024-11")
RECORD_LOW = "csc_cla_rate"
#: An indicator-year with no target (shown as not rated).
NO_TARGET = ("edu_ks2_score", "2024/25")
NATIONAL_STANDARD = ("csc_icpc15", ">=85%")
#: An indicator whose XmR chart shows each kind of special cause (docs/method.md), as
#: tests/test_demo.py checks: the looked-after rate's record low (above) falls below its
#: lower process limit; re-referrals to early help fall month by month (their spec's
#: trend), so their latest values are a long run below the average; the child
#: protection plan rate's rise leaves its latest months close to the upper limit, two of
#: three at a time; and adoption days fall for eight months in a row in 2021/22 (TREND).
SPECIAL_CAUSES = {
    "outside_limits": "csc_cla_rate",
    "shift": "fh_eh_rereferral",
    "two_in_three": "csc_cpp_rate",
    "trend": "csc_days_adoption",
}
#: (indicator, first month, months, first value, step): values set to fall steadily.
TREND = ("csc_days_adoption", "2021-07", 8, 520, -14)


def month_numbers() -> np.ndarray:
    return np.arange(len(MONTHS))


def recorded_months(spec: Spec) -> np.ndarray:
    """Positions in MONTHS at which the indicator is recorded."""
    month = MONTHS.month.to_numpy()
    if spec.frequency == "quarterly":
        return np.flatnonzero(month % 3 == 0)
    if spec.frequency == "annual":
        return np.flatnonzero(month == (YEAR_START[spec.year_type] + 10) % 12 + 1)
    return month_numbers()


def make_series(spec: Spec, rng: np.random.Generator) -> pd.DataFrame:
    """The indicator's rows: month, value, numerator, denominator."""
    at = recorded_months(spec)
    t = at.astype(float)
    better = 1.0 if spec.polarity != "low" else -1.0
    level = spec.level + better * spec.trend * t
    season = 1 + 0.08 * np.cos(2 * np.pi * (MONTHS.month.to_numpy()[at] - 1) / 12)
    rows = pd.DataFrame({"month": MONTHS[at].strftime("%Y-%m")})
    if spec.unit == "percent" and spec.cases:
        cases = np.maximum(rng.poisson(spec.cases, len(at)), 1)
        share = np.clip(level / 100, 0.01, 0.99)
        rows["numerator"] = rng.binomial(cases, share)
        rows["denominator"] = cases
        value = rows["numerator"] / rows["denominator"] * 100
        rows["value"] = (
            value.round(spec.decimals) if spec.aggregation not in ("ratio", "rolling12") else np.nan
        )
    elif spec.unit == "rate_per_10k" and spec.aggregation == "ratio":
        cases = spec.cases + (t * 5).astype(int)
        rows["numerator"] = rng.poisson(level * cases / 10_000)
        rows["denominator"] = cases
        rows["value"] = np.nan
    elif spec.unit == "rate_per_10k":
        population = POPULATION + (t * 12).astype(int)
        children = np.round((level + rng.normal(0, spec.noise, len(at))) * population / 10_000)
        rows["numerator"] = children.astype(int)
        rows["denominator"] = population
        rows["value"] = (children / population * 10_000).round(spec.decimals)
    elif spec.unit == "count" and spec.aggregation in ("sum", "rolling12"):
        rows["value"] = rng.poisson(np.maximum(level * season, 0.1))
    else:
        rows["value"] = (level + rng.normal(0, spec.noise, len(at))).round(spec.decimals)
    rows.insert(0, "indicator", spec.id)
    if spec.id == TREND[0]:
        first = int(np.flatnonzero(rows["month"] == TREND[1])[0])
        at = rows.index[first : first + TREND[2]]
        rows.loc[at, "value"] = TREND[3] + TREND[4] * np.arange(TREND[2])
    if spec.id == RECORD_LOW:
        earlier = rows["value"].iloc[:-1].min()
        rows.loc[rows.index[-1], "value"] = round(earlier - 0.6, spec.decimals)
        rows.loc[rows.index[-1], "numerator"] = round(
            rows["value"].iloc[-1] * rows["denominator"].iloc[-1] / 10_000
        )
        rows.loc[rows.index[-1], "value"] = round(
            rows["numerator"].iloc[-1] / rows["denominator"].iloc[-1] * 10_000, spec.decimals
        )
    return rows


def year_to_date(spec: Spec, rows: pd.DataFrame) -> float:
    """The 2024/25 Q4 year-to-date value (to March 2025) by the indicator's rule."""
    start = pd.Period(
        f"{2024 if spec.year_type != 'calendar' else 2025}-{YEAR_START[spec.year_type]:02d}", "M"
    )
    months = pd.PeriodIndex(rows["month"], freq="M")
    if spec.aggregation == "rolling12":
        window = rows[months > pd.Period("2024-03", "M")]
    else:
        window = rows[months >= start]
    if spec.aggregation in ("ratio", "rolling12") and spec.unit != "count":
        scale = 100 if spec.unit == "percent" else 10_000
        return window["numerator"].sum() / window["denominator"].sum() * scale
    if spec.aggregation in ("sum", "rolling12"):
        return float(window["value"].sum())
    if spec.aggregation == "mean":
        return float(window["value"].mean())
    return float(window["value"].iloc[-1]) if len(window) else float(rows["value"].iloc[-1])


def _num(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}" if decimals else f"{round(x):d}"


def bands(spec: Spec, value: float, variant: int) -> tuple[str, str, str]:
    """Red, amber and green in spreadsheet notation putting ``value`` in the wanted band.

    Thresholds sit a clear margin from the value (so rounding cannot tip the rating) and
    vary in notation from indicator to indicator, as analysts' spreadsheets do.
    """
    d = spec.decimals
    step = 10.0**-d
    margin = max(abs(value) * 0.05, 3 * step)
    if spec.unit == "count" and spec.aggregation == "rolling12":
        margin = max(value * 0.15, 3)  # few cases a year: wide bands
    offset = {"green": (-1.0, -2.5), "amber": (1.0, -1.0), "red": (2.5, 1.0)}[spec.role]
    pct = "%" if spec.unit == "percent" else ""
    if spec.polarity == "high":
        green = float(np.round(value + offset[0] * margin, d))
        red = float(np.round(value + offset[1] * margin, d))
        g, r = _num(green, d), _num(red, d)
        if variant % 3 == 0:
            return f"<{r}{pct}", f"{r}{pct}+", f"{g}{pct}+"
        if variant % 3 == 1:
            return f"<{r}", f"{r}-{_num(green - step, d)}", f">={g}"
        return f"<{r}{pct}", f">={r}{pct}", f"{g}+"
    green = float(np.round(value - offset[0] * margin, d))
    red = float(np.round(value - offset[1] * margin, d))
    g, r = _num(green, d), _num(red, d)
    if variant % 3 == 0:
        return f"{r}{pct}+", f"{g}-{_num(red - step, d)}", f"<{g}{pct}"
    if variant % 3 == 1:
        return f">={r}", f"<{r}", f"<{g}"
    return f"{r}+", f"{g}{pct}+", f"<{g}{pct}"


def years_touched(spec: Spec) -> list[str]:
    """The indicator's years that the data's months fall in, as targets write them."""
    first = {m.year - (m.month < YEAR_START[spec.year_type]) for m in MONTHS}
    if spec.year_type == "calendar":
        return [str(y) for y in sorted(first)]
    return [f"{y}/{(y + 1) % 100:02d}" for y in sorted(first)]


def make_dataset(out: Path) -> None:
    rng = np.random.default_rng(20250414)
    catalogue, observations, targets, benchmarks = [], [], [], []
    for i, spec in enumerate(SPECS):
        rows = make_series(spec, rng)
        if spec.id == MISSING_MONTH[0]:
            rows = rows[rows["month"] != MISSING_MONTH[1]]
        observations.append(rows)
        catalogue.append(
            {
                "id": spec.id,
                "title": spec.title,
                "service_area": spec.area,
                "kind": spec.kind,
                "polarity": spec.polarity,
                "unit": spec.unit,
                "decimals": spec.decimals,
                "aggregation": spec.aggregation,
                "frequency": spec.frequency,
                "year_type": spec.year_type,
                "national_code": spec.national_code,
                "definition": f"{spec.title} ({spec.unit.replace('_', ' ')}).",
                "source": "Case management system (invented demo data)",
            }
        )
        if spec.kind != B:
            continue
        value = year_to_date(spec, rows)
        red, amber, green = bands(spec, value, i)
        for year in years_touched(spec):
            if (spec.id, year) == NO_TARGET:
                continue
            standard = NATIONAL_STANDARD[1] if spec.id == NATIONAL_STANDARD[0] else ""
            targets.append((spec.id, year, red, amber, green, standard))
        scale = {"percent": 100, "rate_per_10k": 10_000}.get(spec.unit, 1)
        for k, year in enumerate(years_touched(spec)[-4:-1]):
            national = value * (1 + rng.normal(0, 0.05))
            if spec.unit == "percent":
                national = min(national, 99.0)
            figures = np.array([0.98, 1.0 if spec.polarity == "high" else 0.9, 1.0, 1.08, 1.02])
            if spec.polarity == "low":
                figures = np.array([1.02, 0.9, 1.0, 0.92, 0.98])
            values = np.minimum(national * figures, scale if spec.unit == "percent" else np.inf)
            row = [spec.id, year, *(_num(v, spec.decimals) for v in values)]
            if (i + k) % 7 == 0:
                row[5] = ""  # not every benchmark is published every year
            benchmarks.append(row)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(catalogue).to_csv(out / "indicators.csv", index=False, lineterminator="\n")
    pd.DataFrame(
        targets, columns=["indicator", "year", "red", "amber", "green", "national_standard"]
    ).to_csv(out / "targets.csv", index=False, lineterminator="\n")
    obs = pd.concat(observations, ignore_index=True).sort_values(["indicator", "month"])
    obs["numerator"] = obs["numerator"].astype("Int64")
    obs["denominator"] = obs["denominator"].astype("Int64")
    obs[["indicator", "month", "value", "numerator", "denominator"]].to_csv(
        out / "observations.csv", index=False, lineterminator="\n"
    )
    pd.DataFrame(
        benchmarks,
        columns=[
            "indicator",
            "year",
            "stat_neighbour_avg",
            "best_stat_neighbour",
            "national_avg",
            "top_quartile",
            "regional_avg",
        ],
    ).to_csv(out / "benchmarks.csv", index=False, lineterminator="\n")
    (out / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    (out / "commentary.csv").write_text(COMMENTARY, encoding="utf-8")
    (out / "signoff.csv").write_text(SIGNOFF, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (data/demo)")
    make_dataset(parser.parse_args().out)


if __name__ == "__main__":
    main()
