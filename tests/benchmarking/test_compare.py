"""The whole comparison table: small hand-made tables, then the real LAIT data with the
expected values worked out by hand from the raw files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cyps_analysis.benchmarking.compare import compare_authorities
from cyps_analysis.sources.published import PublishedData
from tests.published_files import dfe_file


def _published(rows, polarity="low", measures=None):
    """Figures from rows of (level, la_code, region, value) for measure m, year 2024."""
    frame = pd.DataFrame(rows, columns=["level", "la_code", "region", "value"])
    frame = frame.assign(
        measure="m",
        year="2024",
        year_end=2024,
        year_label="2023/24",
        la_name=frame["la_code"].map(lambda c: None if c is None else f"LA {c}"),
    )
    if measures is None:
        measures = pd.DataFrame(
            {
                "measure": ["m"],
                "polarity": [polarity],
                "decimals": [1.0],
                "year_type": ["financial"],
                "no_quartile": [False],
            }
        )
    return PublishedData(values=frame, measures=measures, source="test")


# Five authorities in two regions; 104 is missing; 105's neighbours include 104.
SMALL = [
    ("national", None, None, 50.0),
    ("regional", None, "North East", 40.0),
    ("regional", None, "London", 60.0),
    ("la", "101", "North East", 10.0),
    ("la", "102", "North East", 20.0),
    ("la", "103", "London", 20.0),
    ("la", "104", "London", np.nan),
    ("la", "105", "London", 40.0),
]
NEIGHBOURS = pd.DataFrame(
    {
        "la_code": ["105", "105", "105", "101", "101"],
        "position": [1, 2, 3, 1, 2],
        "neighbour": ["104", "102", "103", "105", "102"],
    }
)


def _row(table, code):
    return table[table["la_code"] == code].iloc[0]


def test_small_table_low_polarity():
    table = compare_authorities(_published(SMALL), NEIGHBOURS, exclude=frozenset())
    assert len(table) == 5  # one row per authority, missing value included
    r = _row(table, "105")
    # Neighbours 104 (missing), 102 (20), 103 (20): mean of the two with a value.
    assert r["stat_neighbour_avg"] == 20.0
    assert r["stat_neighbours_used"] == 2
    # Low is good: the best is 20; on a tie the closer neighbour (102, position 2).
    assert r["best_stat_neighbour"] == 20.0
    assert r["best_stat_neighbour_la"] == "102"
    # 105 (40) against 20 and 20: both better -> third.
    assert r["rank_among_neighbours"] == 3
    assert r["national"] == 50.0 and r["regional"] == 60.0
    # Values 10, 20, 20, 40: 25% at index 0.75 -> 17.5; 50% at 1.5 -> 20; 75% at 2.25 -> 25.
    assert [r["quartile_25"], r["quartile_50"], r["quartile_75"]] == [17.5, 20.0, 25.0]
    assert r["band"] == "D" and r["rank"] == 4 and r["rank_of"] == 4
    assert r["top_quartile_threshold"] == 17.5  # low is good: band A lies below 17.5
    # 102 and 103 tie at 20 (rank 2); 20 is on the median, so band B.
    assert _row(table, "102")["rank"] == 2 and _row(table, "103")["rank"] == 2
    assert _row(table, "103")["band"] == "B"
    assert _row(table, "101")["band"] == "A" and _row(table, "101")["regional"] == 40.0
    missing = _row(table, "104")
    assert np.isnan(missing["value"]) and pd.isna(missing["band"]) and np.isnan(missing["rank"])
    assert list(_row(table, "105")[["neighbour_1", "neighbour_2", "neighbour_3"]]) == [
        "104",
        "102",
        "103",
    ]


def test_small_table_high_polarity_and_none():
    high = compare_authorities(_published(SMALL, "high"), NEIGHBOURS, exclude=frozenset())
    r = _row(high, "105")
    assert r["band"] == "A" and r["rank"] == 1 and r["rank_among_neighbours"] == 1
    assert r["top_quartile_threshold"] == 25.0  # high is good: band A lies above 25
    # 102 and 103 at 20 are on the median: (25%, 50%] is the third band when high is good.
    assert _row(high, "103")["band"] == "C"
    none = compare_authorities(_published(SMALL, "none"), NEIGHBOURS, exclude=frozenset())
    r = _row(none, "105")
    assert pd.isna(r["band"]) and np.isnan(r["rank"]) and pd.isna(r["best_stat_neighbour_la"])
    assert np.isnan(r["top_quartile_threshold"]) and r["stat_neighbour_avg"] == 20.0


def test_polarity_override_and_excluded_authorities():
    table = compare_authorities(
        _published(SMALL, "none"), NEIGHBOURS, polarity={"m": "high"}, exclude=frozenset({"101"})
    )
    # 101 is left out of quartiles and ranks: 20, 20, 40 -> 25% = 20, 75% = 30.
    r = _row(table, "105")
    assert r["rank_of"] == 3 and r["quartile_25"] == 20.0 and r["quartile_75"] == 30.0
    assert np.isnan(_row(table, "101")["rank"]) and pd.isna(_row(table, "101")["band"])
    # ... but it still has its own neighbour figures (105: 40, 102: 20).
    assert _row(table, "101")["stat_neighbour_avg"] == 30.0


def test_no_quartile_measures_get_no_band_but_a_rank():
    measures = pd.DataFrame(
        {
            "measure": ["m"],
            "polarity": ["low"],
            "decimals": [1.0],
            "year_type": ["financial"],
            "no_quartile": [True],
        }
    )
    table = compare_authorities(
        _published(SMALL, measures=measures), NEIGHBOURS, exclude=frozenset()
    )
    assert table["band"].isna().all() and _row(table, "101")["rank"] == 1


def test_quintiles():
    # Ten authorities 1..10, high is good: 20% at index 1.8 -> 2.8, 40% 4.6, 60% 6.4, 80% 8.2.
    rows = [("la", str(200 + i), "London", float(i)) for i in range(1, 11)]
    table = compare_authorities(
        _published(rows, "high"), NEIGHBOURS.iloc[:0], quintiles=True, exclude=frozenset()
    )
    r = _row(table, "209")
    assert [round(r[f"quintile_{q}"], 10) for q in (20, 40, 60, 80)] == [2.8, 4.6, 6.4, 8.2]
    bands = table.sort_values("value")["quintile_band"].tolist()
    assert bands == ["E", "E", "D", "D", "C", "C", "B", "B", "A", "A"]


def test_input_is_not_changed():
    data = _published(SMALL)
    before = data.values.copy()
    compare_authorities(data, NEIGHBOURS)
    pd.testing.assert_frame_equal(data.values, before)


# --- the real LAIT data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lait():
    from cyps_analysis.sources.lait import read_lait

    return read_lait(dfe_file("bds_long_0.parquet"), dfe_file("lait_data_dictionary.csv"))


@pytest.fixture(scope="module")
def table_2025(lait):
    from cyps_analysis.sources.neighbours import read_neighbours

    return compare_authorities(lait, read_neighbours(dfe_file("sn_may_2025.xlsx")))


def _one(table, measure, year, la):
    hit = table[
        (table["measure"] == measure).to_numpy()
        & (table["year"] == year).to_numpy()
        & (table["la_code"] == la).to_numpy()
    ]
    assert len(hit) == 1
    return hit.iloc[0]


def test_neighbour_average_over_ten(table_2025):
    # ReReferral (low is good), 2024 (2023/24), Rotherham (372), May 2025 model.
    # Its neighbours and their values in bds_long_0.parquet:
    #   370 Barnsley 22.4, 357 Tameside 22.3, 371 Doncaster 30.3, 384 Wakefield 16.7,
    #   894 Telford and Wrekin 19.1, 332 Dudley 20.0, 807 Redcar and Cleveland 14.9,
    #   394 Sunderland 19.4, 390 Gateshead 16.6, 840 County Durham 17.0
    #   sum 198.7, mean 198.7 / 10 = 19.87; best (lowest) 14.9, Redcar and Cleveland.
    # Rotherham has 17.7: 16.7, 14.9, 16.6 and 17.0 are lower, so it is 5th of 11.
    r = _one(table_2025, "ReReferral", "2024", "372")
    assert r["value"] == 17.7
    assert r["stat_neighbour_avg"] == pytest.approx(19.87, abs=1e-9)
    assert r["stat_neighbours_used"] == 10
    assert r["best_stat_neighbour"] == 14.9 and r["best_stat_neighbour_la"] == "807"
    assert r["rank_among_neighbours"] == 5
    # England (LA Number 970) 22.4; Yorkshire and the Humber (982) 21.7.
    assert r["national"] == 22.4 and r["regional"] == 21.7


def test_value_on_a_quartile_boundary_low_polarity_and_a_tie_in_rank(table_2025):
    # ReReferral 2024: 149 current authorities have a value (153 less four '-').
    # 37 are below 17.7 and three are exactly 17.7 (Ealing 307, Rotherham 372,
    # South Gloucestershire 803). numpy's 25th percentile of 149 values is at index
    # 148 * 0.25 = 37, the 38th smallest: 17.7. So the boundary is 17.7 and Rotherham,
    # on it, is in band A (LAIT: value <= 25% is A when low is good).
    # Ties: the three share rank 38 (37 better), of 149.
    r = _one(table_2025, "ReReferral", "2024", "372")
    assert r["quartile_25"] == 17.7 and r["value"] == r["quartile_25"]
    assert r["band"] == "A" and r["top_quartile_threshold"] == 17.7
    assert r["quartile_50"] == 20.6 and r["quartile_75"] == 23.6
    for la in ("307", "372", "803"):
        tied = _one(table_2025, "ReReferral", "2024", la)
        assert (tied["rank"], tied["rank_of"]) == (38, 149)


def test_high_polarity_bands(table_2025):
    # LACHealth% (high is good), 2025: 151 authorities with a value; 105 below 96,
    # 18 at 96, 28 above. The 75th percentile is at index 150 * 0.75 = 112.5, between
    # the 113th and 114th smallest, both 96: the boundary is 96. Bedford Borough (822)
    # has 96, on the boundary of band A: LAIT puts (50%, 75%] in B when high is good.
    r = _one(table_2025, "LACHealth%", "2025", "822")
    assert (r["quartile_25"], r["quartile_50"], r["quartile_75"]) == (89.0, 93.0, 96.0)
    assert r["band"] == "B" and r["rank"] == 29 and r["rank_of"] == 151
    assert r["top_quartile_threshold"] == 96.0
    # England 90, East of England 91.
    assert r["national"] == 90.0 and r["regional"] == 91.0
    # Continue_Assess_Comp (high), 2024: Rotherham 82.2, quartiles 78.45, 83.5, 90.45:
    # (25%, 50%] is band C when high is good.
    c = _one(table_2025, "Continue_Assess_Comp", "2024", "372")
    assert c["value"] == 82.2 and c["band"] == "C"


def test_neighbour_average_over_nine_with_abolished_cumbria(lait):
    from cyps_analysis.sources.neighbours import read_neighbours

    table = compare_authorities(
        lait, read_neighbours(dfe_file("New_Statistical_Neighbour_Groupings_April_2021.csv"))
    )
    # Lincolnshire (925), April 2021 model, ReReferral 2024 (low is good):
    #   926 Norfolk 19, 909 Cumbria '-' (abolished 2023), 830 Derbyshire 29.9,
    #   891 Nottinghamshire 25.8, 935 Suffolk 19.1, 813 North Lincolnshire 14.5,
    #   940 North Northamptonshire 26.5, 908 Cornwall 25.3, 860 Staffordshire 14.1,
    #   885 Worcestershire 20.9
    #   nine values, sum 195.1, mean 195.1 / 9 = 21.6777...; best 14.1 Staffordshire.
    # Lincolnshire has 22.9: 19, 19.1, 14.5, 14.1 and 20.9 are lower -> 6th.
    r = _one(table, "ReReferral", "2024", "925")
    assert r["stat_neighbours_used"] == 9
    assert r["stat_neighbour_avg"] == pytest.approx(195.1 / 9, abs=1e-9)
    assert r["best_stat_neighbour"] == 14.1 and r["best_stat_neighbour_la"] == "860"
    assert r["rank_among_neighbours"] == 6
    assert r["neighbour_2"] == "909" and np.isnan(r["neighbour_2_value"])
    # Cumberland (942) has no neighbours in the 2021 model.
    cumberland = _one(table, "ReReferral", "2024", "942")
    assert cumberland["stat_neighbours_used"] == 0 and np.isnan(cumberland["stat_neighbour_avg"])


def test_abolished_authorities_count_only_until_replaced(table_2025):
    # Cumbria (909, abolished April 2023) shows 0 for Chlamydia_Diagnosis 2024, where
    # Cumberland (942) 1616.7 and Westmorland and Furness (943) 1628.0 report: it is
    # left out of the quartiles and ranks there. For Level3Age19 2024 only Cumbria has
    # a figure (48.25; the cohort is counted by the old authority), so it counts.
    replaced = _one(table_2025, "Chlamydia_Diagnosis", "2024", "909")
    assert replaced["value"] == 0.0 and np.isnan(replaced["rank"]) and pd.isna(replaced["band"])
    alone = _one(table_2025, "Level3Age19", "2024", "909")
    assert alone["value"] == 48.25 and alone["rank"] >= 1
    others = table_2025[
        (table_2025["measure"] == "Level3Age19").to_numpy()
        & (table_2025["year"] == "2024").to_numpy()
    ]
    assert alone["rank_of"] == others["value"].notna().sum()
