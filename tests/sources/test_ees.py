"""Reading explore-education-statistics CSV files: hand-made files for the rules, the
real DfE files for suppression, filters, rates from counts and derived measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.ees import read_ees
from tests.published_files import dfe_file

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,population_type,count,rate\n"
)
SMALL = HEADER + (
    "2024,Reporting year,National,E92000001,England,,,,,,A,100,50\n"
    "2024,Reporting year,Regional,E92000001,England,E12000007,London,,,,A,40,60\n"
    "2024,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,,A,20,61\n"
    "2024,Reporting year,Local authority,E92000001,England,E13000001,Inner London,202,E09000007,Camden,A,10,c\n"
    "2024,Reporting year,Local authority,E92000001,England,E13000001,Inner London,203,E09000011,Greenwich,A,12,x\n"
    "2024,Reporting year,Local authority,E92000001,England,E13000002,Outer London,301,E09000002,Barking and Dagenham,A,7,70.5\n"
    "2024,Reporting year,Local authority,E92000001,England,E13000002,Outer London,301,E09000002,Barking and Dagenham,B,8,1\n"
)


def _write(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_suppression_codes_are_missing_and_counted(tmp_path):
    data = read_ees(_write(tmp_path, SMALL), "rate", filters={"population_type": "A"})
    v = data.values.set_index(["level", "la_code"], drop=False)
    # Camden 'c' and Greenwich 'x' are missing; two cells carried a code.
    assert np.isnan(v.loc[("la", "202"), "value"]) and np.isnan(v.loc[("la", "203"), "value"])
    assert data.suppressed == {"rate": 2}
    assert v.loc[("la", "301"), "value"] == 70.5
    # Inner London (E13) is part of the London region, not a region: left out.
    regional = data.values[data.values["level"] == "regional"]
    assert regional["region"].tolist() == ["London"] and regional["value"].tolist() == [60.0]
    # A London authority's region is London, whether Inner or Outer.
    assert set(data.values.loc[data.values["level"] == "la", "region"]) == {"London"}
    # "Reporting year" 2024 is the year ending 31 March 2024: 2023/24.
    assert set(data.values["year_label"]) == {"2023/24"}


def test_several_rows_per_authority_need_a_filter(tmp_path):
    with pytest.raises(CypsError) as err:
        read_ees(_write(tmp_path, SMALL), "count")
    message = str(err.value)
    assert "file.csv" in message and "--filter" in message and "population_type (A, B)" in message


def test_bad_filter_column_or_value(tmp_path):
    path = _write(tmp_path, SMALL)
    with pytest.raises(CypsError, match="does not have"):
        read_ees(path, "count", filters={"populaton_type": "A"})
    with pytest.raises(CypsError, match="Its values are: A; B"):
        read_ees(path, "count", filters={"population_type": "C"})


def test_unknown_measure_and_text_that_is_not_a_number(tmp_path):
    path = _write(tmp_path, SMALL)
    with pytest.raises(CypsError, match="no column 'rates'"):
        read_ees(path, "rates", filters={"population_type": "A"})
    bad = _write(tmp_path, SMALL.replace(",70.5\n", ",n/a\n"), "bad.csv")
    with pytest.raises(CypsError, match=r"bad.csv, row 7, column 'rate': 'n/a'"):
        read_ees(bad, "rate", filters={"population_type": "A"})


def test_not_an_ees_file(tmp_path):
    with pytest.raises(CypsError, match="time_period"):
        read_ees(_write(tmp_path, "a,b\n1,2\n"), "a")


def test_authorities_named_only_by_ons_code(tmp_path):
    text = HEADER.replace("population_type,", "") + (
        "2024,Reporting year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,,E08000018,Rotherham,5,1\n"
    )
    assert read_ees(_write(tmp_path, text), "count").values["la_code"].tolist() == ["372"]


def test_academic_years_written_as_six_digits(tmp_path):
    text = HEADER.replace("population_type,", "") + (
        "202324,Academic year,Local authority,E92000001,England,E12000007,London,202,E09000007,Camden,5,1\n"
    )
    data = read_ees(_write(tmp_path, text), "count")
    assert data.values["year_label"].tolist() == ["2023/24"]
    assert data.values["year_end"].tolist() == [2024]


# --- the real files -----------------------------------------------------------------------


def test_real_suppressed_values_in_the_icpc_measure():
    # c4, 2025, Hartlepool (805): ICPC 304, Duration_0-10_days 'c', Duration_11-15_days 287:
    # the derived measure is missing. Over the whole file 81 authority rows carry a code
    # in ICPC, Duration_0-10_days or Duration_11-15_days (grep of the raw file).
    data = read_ees(
        dfe_file("c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"),
        "icpc_within_15_days",
    )
    v = data.values
    hartlepool = v[(v["la_code"] == "805") & (v["year"] == "2025")]
    assert len(hartlepool) == 1 and np.isnan(hartlepool["value"].iloc[0])
    assert data.suppressed == {"icpc_within_15_days": 81}


def test_derived_icpc_within_15_days_matches_lait():
    # c4, 2025, Rotherham (372): ICPC 445, 0-10 days 36, 11-15 days 298:
    # (36 + 298) / 445 = 334 / 445 = 75.056...%; LAIT's CP_conf_15days 2025: 75.1.
    data = read_ees(
        dfe_file("c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"),
        "icpc_within_15_days",
    )
    v = data.values
    r = v[(v["la_code"] == "372") & (v["year"] == "2025")]["value"].iloc[0]
    assert r == pytest.approx(334 / 445 * 100, abs=1e-12)
    assert round(r, 1) == 75.1
    assert data.measures["polarity"].tolist() == ["high"]


def test_rate_per_10000_from_counts():
    # b1 (2025 publication, counts only), Rotherham (372) At31_episodes: 2025 1777,
    # 2024 1818. ONS children aged 0-17 in Rotherham: mid-2024 59521, mid-2023 58441.
    # The DfE divides by the mid-year before 31 March:
    #   2025: 1777 / 59521 * 10,000 = 298.55...;  2024: 1818 / 58441 * 10,000 = 311.08...
    data = read_ees(
        dfe_file("b1_children_in_need_2013_to_2025.csv"),
        "At31_episodes",
        population=dfe_file("ons_mid-year_population_estimates_2012_to_2024.csv"),
    )
    v = data.values
    rotherham = v[v["la_code"] == "372"].set_index("year")["value"]
    assert rotherham["2025"] == pytest.approx(1777 / 59521 * 10_000, rel=1e-12)
    assert rotherham["2024"] == pytest.approx(1818 / 58441 * 10_000, rel=1e-12)
    assert set(v["measure"]) == {"At31_episodes_rate_per_10k"}
    # England 2025: 402400 / 12183016 * 10,000 = 330.29...
    england = v[(v["level"] == "national") & (v["year"] == "2025")]["value"].iloc[0]
    assert england == pytest.approx(402400 / 12183016 * 10_000, rel=1e-12)


def test_rate_from_counts_agrees_with_the_dfes_own_rate():
    # The looked-after file gives both: Rotherham 2025 children_count 476, population
    # 59521 (mid-2024), rate_per_10000 80. 476 / 59521 * 10,000 = 79.97 -> 80.
    path = dfe_file("cla_number_and_rate_per_10k_children.csv")
    pop = dfe_file("ons_mid-year_population_estimates_2012_to_2024.csv")
    narrow = {"population_type": "Children looked after on 31 March each year"}
    ours = read_ees(path, "children_count", filters=narrow, population=pop).values
    theirs = read_ees(path, "rate_per_10000", filters=narrow).values
    both = ours.merge(theirs, on=["year", "level", "la_code", "region"], suffixes=("", "_dfe"))
    both = both[(both["year"] == "2025") & both["value_dfe"].notna() & both["value"].notna()]
    assert both.loc[both["la_code"] == "372", "value"].iloc[0] == pytest.approx(476 / 59521 * 1e4)
    # Every 2025 rate, rounded to whole numbers as published, agrees.
    assert len(both) > 150
    assert (np.floor(both["value"] + 0.5) == both["value_dfe"]).all()


def test_filter_on_the_real_looked_after_file():
    # 20 looked-after rates are 'z' or 'c' (Cumbria, Northamptonshire, Isles of Scilly,
    # City of London ... in the raw file).
    data = read_ees(
        dfe_file("cla_number_and_rate_per_10k_children.csv"),
        "rate_per_10000",
        filters={"population_type": "Children looked after on 31 March each year"},
    )
    assert data.suppressed == {"rate_per_10000": 20}
    with pytest.raises(CypsError, match="population_type"):
        read_ees(dfe_file("cla_number_and_rate_per_10k_children.csv"), "rate_per_10000")


QUINTILE_COLUMNS = [
    ("NEET_not_known_percent", "NEET_NK_quintile", "low"),
    ("NEET_percent", "NEET_quintile", "low"),
    ("Notknown_percent", "Notknown_quintile", "low"),
    ("TOTAL_participating_in_education_and_training_percent", "Participation_ET_quintile", "high"),
    ("September_guarantee_Offer_made_percent", "Sep_guarantee_quintile", "high"),
]


@pytest.mark.parametrize(
    "file", ["UD_NEETNK_LA_dashboard_final.csv", "UD_NEETNK_LA_dashboard_2023_final.csv"]
)
@pytest.mark.parametrize(("column", "published", "polarity"), QUINTILE_COLUMNS)
def test_quintiles_against_the_dfes_published_quintiles(file, column, published, polarity):
    """See docs/benchmarking.md#quintiles. Off the boundaries the kit's quintile is the
    DfE's every time; the 2023 file numbers the high-is-good measures by value (1 =
    lowest), the 2025 file by performance (1 = best). On a boundary the DfE's band is
    the kit's or the next one up in value: the DfE banded unrounded figures, the file
    (and the kit) has them rounded to one decimal place."""
    from cyps_analysis.benchmarking.compare import compare_authorities

    path = dfe_file(file)
    data = read_ees(path, column, polarity=polarity)
    table = compare_authorities(
        data, pd.DataFrame(columns=["la_code", "position", "neighbour"]), quintiles=True
    )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[raw["geographic_level"] == "Local authority"]
    both = table.merge(raw[["old_la_code", published]], left_on="la_code", right_on="old_la_code")
    dfe = pd.to_numeric(both[published], errors="coerce").to_numpy()
    kit_best_first = both["quintile_band"].cat.codes.to_numpy() + 1.0  # A = 1
    by_value = polarity == "high" and "2023" in file
    dfe_best_first = 6 - dfe if by_value else dfe
    bounds = both[[f"quintile_{q}" for q in (20, 40, 60, 80)]].to_numpy()
    on = (np.abs(both["value"].to_numpy()[:, None] - bounds) < 1e-9).any(axis=1)
    ok = ~np.isnan(dfe)
    assert (kit_best_first[ok & ~on] == dfe_best_first[ok & ~on]).all()
    assert (ok & ~on).sum() > 100
    # On a boundary: the same band, or the next band up in value.
    step_up = -1.0 if polarity == "high" else 1.0
    diff = (dfe_best_first - kit_best_first)[ok & on]
    assert np.isin(diff, [0.0, step_up]).all()
