"""Reading LAIT's long data and dictionary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.lait import read_dictionary, read_lait
from tests.published_files import dfe_file


def _small_parquet(tmp_path):
    frame = pd.DataFrame(
        {
            "Short Desc": ["M", "M", "M", "M", "M"],
            "Data item": ["x"] * 5,
            "Years": ["2024"] * 5,
            "LA and Regions": ["England", "London", "London (Inner)", "Camden", "Barnet"],
            "Values": ["10.5", "11", "12", "-", "9.3000000000000007"],
            "LA Number": [970.0, 986.0, 987.0, 202.0, 302.0],
            "Region": ["NA", "NA", "NA", "Inner London", "Outer London"],
        }
    )
    path = tmp_path / "bds.parquet"
    frame.to_parquet(path)
    return path


def test_small_file(tmp_path):
    dictionary = tmp_path / "dict.csv"
    dictionary.write_text(
        "Measure_short,Polarity,dps,Year_Type,No_Quartile\nM,Low,1,Financial Year,\n"
        "M,-,NA,Financial Year,N\n",
        encoding="utf-8",
    )
    data = read_lait(_small_parquet(tmp_path), dictionary)
    v = data.values
    # London (Inner), LA number 987, is part of a region: left out.
    assert v["level"].astype(str).tolist() == ["national", "regional", "la", "la"]
    assert v["value"].tolist()[:2] == [10.5, 11.0]
    assert np.isnan(v["value"].iloc[2]) and v["value"].iloc[3] == 9.3
    assert v["la_code"].astype(object).tolist()[2:] == ["202", "302"]
    assert v["region"].astype(object).tolist()[1:] == ["London", "London", "London"]
    assert set(v["year_label"]) == {"2023/24"}
    m = data.measures.set_index("measure").loc["M"]
    # Listed twice: the first polarity, decimals and year type; no quartiles if any says N.
    assert (m["polarity"], m["decimals"], m["year_type"], m["no_quartile"]) == (
        "low",
        1.0,
        "financial",
        True,
    )


def test_without_a_dictionary_polarity_is_none(tmp_path):
    data = read_lait(_small_parquet(tmp_path))
    assert data.measures["polarity"].tolist() == ["none"]


def test_not_lait_data(tmp_path):
    wrong = tmp_path / "wrong.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(wrong)
    with pytest.raises(CypsError, match="column 'Short Desc' is missing"):
        read_lait(wrong)
    text = tmp_path / "text.parquet"
    text.write_text("not parquet", encoding="utf-8")
    with pytest.raises(CypsError, match="cannot be read as LAIT's parquet"):
        read_lait(text)


def test_real_dictionary():
    # ReReferral: Low, Financial Year; CIN: '-' (no polarity), Annual;
    # CINPermExclusion is listed twice, once with No_Quartile N.
    m = read_dictionary(dfe_file("lait_data_dictionary.csv")).set_index("measure")
    assert (m.loc["ReReferral", "polarity"], m.loc["ReReferral", "year_type"]) == (
        "low",
        "financial",
    )
    assert m.loc["CIN", "polarity"] == "none"
    assert m.loc["CP_conf_15days", "polarity"] == "high"
    assert bool(m.loc["CINPermExclusion", "no_quartile"])


def test_real_data():
    data = read_lait(dfe_file("bds_long_0.parquet"), dfe_file("lait_data_dictionary.csv"))
    v = data.values
    # 434 measures; LA numbers 970 (England) and 980-990 (regions, less 987 and 988).
    assert v["measure"].nunique() == 434
    r = v[(v["measure"] == "ReReferral").to_numpy() & (v["year"] == "2024").to_numpy()]
    # The raw file has 153 current + 5 legacy authorities, England and 11 regions.
    assert (r["level"] == "la").sum() == 158 and (r["level"] == "regional").sum() == 9
    # Values such as '19.100000000000001' are 19.1; '-' is missing.
    suffolk = r[r["la_code"] == "935"]["value"].iloc[0]
    assert suffolk == 19.1
    assert np.isnan(r[r["la_code"] == "909"]["value"].iloc[0])
    assert set(r["year_label"]) == {"2023/24"}


def test_spaces_around_a_number_and_rows_without_a_year(tmp_path):
    frame = pd.DataFrame(
        {
            "Short Desc": ["M", "M", "M"],
            "Data item": ["x"] * 3,
            "Years": ["2024", None, "2024"],
            "LA and Regions": ["Camden", "Barnet", "Barnet"],
            "Values": [" 4 ", "7", "9.5"],
            "LA Number": [202.0, 302.0, 302.0],
            "Region": ["Inner London", "Outer London", "Outer London"],
        }
    )
    path = tmp_path / "bds.parquet"
    frame.to_parquet(path)
    v = read_lait(path).values
    # " 4 " is the number 4; Barnet's row with no year belongs to no year: left out.
    assert v[["la_name", "year", "value"]].astype(object).values.tolist() == [
        ["Camden", "2024", 4.0],
        ["Barnet", "2024", 9.5],
    ]
