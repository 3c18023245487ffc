"""Benchmarks from the published files in a dataset's scorecard and for the notebook:
a small dataset whose settings name Rotherham (372) and the real DfE files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from cyps_analysis.benchmarking.to_neighbours import benchmark_indicators, compare_to_neighbours
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.exceptions import DatasetError
from cyps_analysis.scorecard.build import build_scorecard
from tests.conftest import observations_csv, write_dataset
from tests.published_files import dfe_file

INDICATORS = """\
id,title,service_area,kind,polarity,unit,decimals,aggregation,frequency,year_type,national_code
assess45,Assessments within 45 days,Children's Social Care,benchmarking,high,percent,1,ratio,,,Continue_Assess_Comp
cin_rate,Children in need rate,Children's Social Care,benchmarking,low,rate_per_10k,1,snapshot,monthly,financial,CIN
cpp_rate,Child protection plan rate,Children's Social Care,benchmarking,none,rate_per_10k,1,snapshot,monthly,financial,CPP_rate
contacts,Contacts,Family Help,activity,none,count,0,sum,,,
"""
BENCHMARKS = """\
indicator,year,stat_neighbour_avg,best_stat_neighbour,national_avg,top_quartile,regional_avg
cin_rate,2023/24,1.0,2.0,3.0,4.0,5.0
cpp_rate,2022/23,11.0,12.0,13.0,14.0,15.0
"""


def _dataset(tmp_path: Path, **settings_extra: str) -> Path:
    folder = tmp_path / "rotherham"
    folder.mkdir()
    lait = os.path.relpath(dfe_file("bds_long_0.parquet"), folder)
    dictionary = os.path.relpath(dfe_file("lait_data_dictionary.csv"), folder)
    neighbours = os.path.relpath(dfe_file("sn_may_2025.xlsx"), folder)
    settings = (
        "authority: Rotherham\n"
        "la_code: E08000018\n"
        "as_at: 2025-04-10\n"  # the data runs to Mar-25
        "service_areas: [Family Help, Children's Social Care]\n"
        "benchmarking:\n"
        f"  lait: {settings_extra.get('lait', lait)}\n"
        f"  lait_dictionary: {dictionary}\n"
        f"  neighbours: {neighbours}\n"
    )
    obs = observations_csv().replace("cin_rate,", "cpp_rate,")  # a rate series for cpp_rate
    obs += "\n".join(
        line.replace("cpp_rate,", "cin_rate,") for line in obs.splitlines() if "cpp_rate" in line
    )
    return write_dataset(
        folder,
        indicators=INDICATORS,
        targets="indicator,year,red,amber,green\n",
        observations=obs + "\n",
        benchmarks=BENCHMARKS,
        settings=settings,
    )


def test_scorecard_benchmarks_come_from_the_published_data(tmp_path):
    card = build_scorecard(load_dataset(_dataset(tmp_path)), "2023-24-Q4").set_index("id")
    source = "DfE LAIT (bds_long_0.parquet)"
    # assess45 = Continue_Assess_Comp (high is good), 2024 = 2023/24, Rotherham 82.2.
    # Neighbours (May 2025 model): Barnsley 85.8, Tameside 83.0, Doncaster 81.0,
    # Wakefield 84.7, Telford and Wrekin 92.5, Dudley 70.1, Redcar and Cleveland 86.8,
    # Sunderland 82.3, Gateshead 82.6, Durham 82.1: sum 830.9, mean 83.09 -> 83.1;
    # best 92.5. England 84.5; Yorkshire and the Humber 80.8. 152 authorities:
    # 75th percentile 90.45 -> 90.5 at one decimal place, half up.
    a = card.loc["assess45"]
    assert (a["stat_neighbour_avg"], a["best_stat_neighbour"]) == (83.1, 92.5)
    assert (a["national_avg"], a["regional_avg"], a["top_quartile"]) == (84.5, 80.8, 90.5)
    assert a["stat_neighbour_avg_year"] == "2023/24" and a["top_quartile_source"] == source
    # cin_rate = CIN, which LAIT gives no polarity; the dataset says low is good.
    # Neighbours: 352.7, 478.1, 338.6, 322.4, 347.6, 316.0, 594.1, 414.2, 397.5, 411.0:
    # sum 3972.2, mean 397.22 -> 397.2; best (lowest) 316.0 Dudley. England 331.2;
    # the region 339.4; 25th percentile of 152 authorities 288.0 (band A lies below).
    # The typed-in benchmarks.csv row for 2023/24 is not used: the published data has it all.
    c = card.loc["cin_rate"]
    assert (c["stat_neighbour_avg"], c["best_stat_neighbour"], c["top_quartile"]) == (
        397.2,
        316.0,
        288.0,
    )
    assert (c["national_avg"], c["regional_avg"]) == (331.2, 339.4)
    assert c["best_stat_neighbour_source"] == source


def test_typed_benchmarks_fill_only_what_the_published_data_lacks(tmp_path):
    card = build_scorecard(load_dataset(_dataset(tmp_path)), "2023-24-Q4").set_index("id")
    # cpp_rate (CPP_rate) has polarity none: no best neighbour and no top quartile in
    # the published comparisons, so benchmarks.csv's 2022/23 values fill those two.
    p = card.loc["cpp_rate"]
    assert (p["best_stat_neighbour"], p["best_stat_neighbour_year"]) == (12.0, "2022/23")
    assert p["best_stat_neighbour_source"] == "benchmarks.csv"
    assert (p["top_quartile"], p["top_quartile_source"]) == (14.0, "benchmarks.csv")
    assert p["stat_neighbour_avg_source"].startswith("DfE LAIT")
    assert p["stat_neighbour_avg"] != 11.0 and p["stat_neighbour_avg_year"] == "2023/24"
    # contacts has no national_code: nothing published, nothing typed.
    assert np.isnan(card.loc["contacts", "national_avg"])


def test_the_benchmark_year_never_passes_the_reporting_year(tmp_path):
    # In 2022-23 the latest published year for a financial indicator is 2022/23 ("2023").
    card = build_scorecard(load_dataset(_dataset(tmp_path)), "2022-23-Q4").set_index("id")
    assert card.loc["assess45", "national_avg_year"] == "2022/23"


def test_missing_published_file_is_a_settings_problem(tmp_path):
    dataset = load_dataset(_dataset(tmp_path, lait="../nowhere/bds_long_0.parquet"))
    with pytest.raises(DatasetError) as err:
        build_scorecard(dataset, "2023-24-Q4")
    message = str(err.value)
    assert "settings.yaml, setting 'benchmarking.lait'" in message
    assert "'bds_long_0.parquet' does not exist" in message


def test_unknown_benchmarking_setting(tmp_path):
    folder = write_dataset(
        tmp_path / "x",
        settings="authority: X\nas_at: 2025-04-10\nservice_areas: [Family Help, Children's Social Care]\n"
        "benchmarking:\n  neighbors: sn.xlsx\n",
    )
    with pytest.raises(DatasetError, match="'neighbors' is not a benchmarking file"):
        load_dataset(folder)


def test_notebook_table(tmp_path):
    table = compare_to_neighbours(load_dataset(_dataset(tmp_path)), "2023-24-Q4")
    assert benchmark_indicators is compare_to_neighbours  # the first name still works
    a = table[table["indicator"] == "assess45"]
    # One row for Rotherham, then its ten neighbours in order.
    assert a["role"].tolist() == ["authority"] + ["neighbour"] * 10
    assert a["la_code"].tolist()[:3] == ["372", "370", "357"]
    assert a["la_name"].tolist()[:2] == ["Rotherham", "Barnsley"]
    assert a["value"].tolist()[:3] == [82.2, 85.8, 83.0]
    assert set(a["band"]) == {"C"} and set(a["year_label"]) == {"2023/24"}
    first = a.iloc[0]
    assert first["stat_neighbour_avg"] == pytest.approx(83.09)
    assert (first["quartile_25"], first["quartile_50"], first["quartile_75"]) == (
        78.45,
        83.5,
        90.45,
    )
    assert first["rank_of"] == 152
    assert table["indicator"].unique().tolist() == ["assess45", "cin_rate", "cpp_rate"]


def test_benchmarking_settings_from_a_workbook_sheet():
    from cyps_analysis.dataset.settings import parse_settings as _parse_settings

    raw = {
        "authority": "Rotherham",
        "as_at": "2025-04-10",
        "benchmarking.lait": "dfe/bds_long_0.parquet",
        "benchmarking.neighbours": "dfe/sn_may_2025.xlsx",
    }
    settings, problems = _parse_settings(raw, "book.xlsx [settings]", {"benchmarking.lait": 4})
    assert problems == []
    assert dict(settings.benchmarking) == {
        "lait": "dfe/bds_long_0.parquet",
        "neighbours": "dfe/sn_may_2025.xlsx",
    }
    _, problems = _parse_settings({**raw, "benchmarking.lit": "x"}, "book.xlsx [settings]", {})
    assert ["'lit' is not a benchmarking file" in p.message for p in problems] == [True]
