"""load_published: LAIT without its dictionary is an error, not polarity none."""

from __future__ import annotations

import shutil

import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.load import load_published
from tests.published_files import dfe_file


def test_a_missing_dictionary_is_an_error_naming_the_file(tmp_path):
    # Before the fix: exit 0 with polarity none, year_label 2024, no band.
    parquet = tmp_path / "bds_long_0.parquet"
    shutil.copy(dfe_file("bds_long_0.parquet"), parquet)
    with pytest.raises(
        CypsError, match=r"lait_data_dictionary\.csv: LAIT's data dictionary does not exist"
    ):
        load_published(parquet, measure="CIN")


def test_annual_measures_read_as_the_financial_year_ending_that_march():
    # CIN is "Annual" (at 31 March) in the dictionary: LAIT's 2024 is 2023/24.
    data = load_published(dfe_file("bds_long_0.parquet"), measure="CIN")
    years = data.values.drop_duplicates("year").set_index("year")["year_label"].astype(str)
    assert years["2024"] == "2023/24"
