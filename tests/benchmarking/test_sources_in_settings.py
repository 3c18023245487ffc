"""A dataset's benchmarks from an EES file named in settings.yaml, and ``year_lag`` with
typed-in benchmarks.csv values.

Rotherham (372) and its ten neighbours in the May 2025 model (Barnsley 370, Tameside
357, Doncaster 371, Wakefield 384, Telford and Wrekin 894, Dudley 332, Redcar and
Cleveland 807, Sunderland 394, Gateshead 390, County Durham 840). Raw rows of
c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, ``rereferral_percent``
("Reporting year": 2025 is the year to 31 March 2025, 2024/25):

    time_period 2025: Rotherham 19.6; Barnsley 25.5, Tameside 27.7, Doncaster 29.4,
      Wakefield 18.5, Telford and Wrekin 15.8, Dudley 22.5, Redcar and Cleveland 14.6,
      Sunderland 18.5, Gateshead 13.9, County Durham 18.7; National 22.6;
      Regional Yorkshire and The Humber 21.7
    time_period 2024: Barnsley 22.4, Tameside 22.3, Doncaster 30.3, Wakefield 16.7,
      Telford and Wrekin 19.1, Dudley 20, Redcar and Cleveland 14.9, Sunderland 19.4,
      Gateshead 16.6, County Durham 17; National 22.4; Yorkshire and The Humber 21.7

2024/25: neighbours' sum 205.1, mean 20.51 -> 20.5; best (lowest) 13.9, Gateshead.
The 153 authorities' 2025 values sorted: the 25th percentile sits at position
0.25 x 152 = 38 (from 0), the 39th value, 16.9: the top quartile for low-is-good.
2023/24: sum 198.7, mean 19.87 -> 19.9; best 14.9, Redcar and Cleveland.
"""

from __future__ import annotations

import os
from pathlib import Path

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.scorecard.build import build_scorecard
from tests.conftest import write_dataset
from tests.published_files import dfe_file

C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
INDICATORS = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type,national_code
rerefs,Re-referrals within 12 months,Children's Social Care,benchmarking,low,percent,1,snapshot,monthly,financial,rerefs_ees
visits,Visits on time,Children's Social Care,benchmarking,high,percent,1,snapshot,monthly,financial,
"""
# Typed in for visits, which maps to no published measure.
BENCHMARKS = """\
indicator,year,stat_neighbour_avg,best_stat_neighbour,national_avg,top_quartile,regional_avg
visits,2022/23,61.0,62.0,63.0,64.0,65.0
visits,2023/24,71.0,72.0,73.0,74.0,75.0
visits,2024/25,81.0,82.0,83.0,84.0,85.0
"""


def _observations() -> str:
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    months = [m for m in months if "2023-04" <= m <= "2025-03"]
    rows = ["indicator,month,value,numerator,denominator"]
    rows += [f"rerefs,{m},19.6,," for m in months] + [f"visits,{m},80.0,," for m in months]
    return "\n".join(rows) + "\n"


def _dataset(tmp_path: Path, benchmarking: str) -> Path:
    folder = tmp_path / "rotherham"
    folder.mkdir()
    settings = (
        "authority: Rotherham\nla_code: '372'\nas_at: 2025-04-10\n"
        "service_areas: [Children's Social Care]\n" + benchmarking
    )
    return write_dataset(
        folder,
        indicators=INDICATORS,
        targets="indicator,year,red,amber,green\n",
        observations=_observations(),
        benchmarks=BENCHMARKS,
        settings=settings,
    )


def _ees_settings(folder: Path, lag: int) -> str:
    def rel(name: str) -> str:
        return os.path.relpath(dfe_file(name), folder / "rotherham")

    # No lait: at all: no indicator maps to LAIT, so none is needed.
    return (
        "benchmarking:\n"
        f"  neighbours: {rel('sn_may_2025.xlsx')}\n"
        f"  year_lag: {lag}\n"
        "  ees:\n"
        "    rerefs_ees:\n"
        f"      file: {rel(C1)}\n"
        "      measure: rereferral_percent\n"
        "      polarity: low\n"
    )


def test_an_ees_source_fills_the_scorecards_benchmarks(tmp_path):
    data = _dataset(tmp_path, _ees_settings(tmp_path, 0))
    r = build_scorecard(load_dataset(data), "2024-25-Q4").set_index("id").loc["rerefs"]
    assert (r["stat_neighbour_avg"], r["best_stat_neighbour"]) == (20.5, 13.9)
    assert (r["national_avg"], r["regional_avg"], r["top_quartile"]) == (22.6, 21.7, 16.9)
    assert r["national_avg_year"] == "2024/25" and r["stat_neighbour_avg_year"] == "2024/25"
    assert r["national_avg_source"] == f"DfE explore education statistics ({C1})"


def test_an_ees_source_with_year_lag_shows_the_year_before(tmp_path):
    data = _dataset(tmp_path, _ees_settings(tmp_path, 1))
    r = build_scorecard(load_dataset(data), "2024-25-Q4").set_index("id").loc["rerefs"]
    assert (r["stat_neighbour_avg"], r["best_stat_neighbour"]) == (19.9, 14.9)
    assert (r["national_avg"], r["regional_avg"]) == (22.4, 21.7)
    assert r["national_avg_year"] == "2023/24"


def test_year_lag_applies_to_typed_benchmarks(tmp_path):
    # Typed-in rows only (no published file): in 2024/25 the latest row up to 2024/25 is
    # 2024/25's (81 ... 85); with year_lag 1, the latest up to 2023/24 is 2023/24's.
    def visits(lag_setting: str):
        folder = tmp_path / f"lag{len(lag_setting)}"
        folder.mkdir()
        data = _dataset(folder, lag_setting)
        return build_scorecard(load_dataset(data), "2024-25-Q4").set_index("id").loc["visits"]

    now = visits("")
    assert (now["stat_neighbour_avg"], now["national_avg"], now["regional_avg"]) == (
        81.0,
        83.0,
        85.0,
    )
    assert now["national_avg_year"] == "2024/25"
    lagged = visits("benchmarking:\n  year_lag: 1\n")
    assert (lagged["stat_neighbour_avg"], lagged["best_stat_neighbour"]) == (71.0, 72.0)
    assert (lagged["national_avg"], lagged["top_quartile"], lagged["regional_avg"]) == (
        73.0,
        74.0,
        75.0,
    )
    assert lagged["national_avg_year"] == "2023/24"
    assert lagged["national_avg_source"] == "benchmarks.csv"


def test_year_lag_with_typed_benchmarks_beside_published_ones(tmp_path):
    # The same lag for both kinds in one dataset: rerefs from the EES file, visits typed.
    card = build_scorecard(
        load_dataset(_dataset(tmp_path, _ees_settings(tmp_path, 2))), "2024-25-Q4"
    )
    card = card.set_index("id")
    # 2024/25 less two years: 2022/23 for both. England's time_period 2023 row: 22.4.
    assert card.loc["visits", "national_avg"] == 63.0
    assert card.loc["visits", "national_avg_year"] == "2022/23"
    assert card.loc["rerefs", "national_avg_year"] == "2022/23"
    assert card.loc["rerefs", "national_avg"] == 22.4
