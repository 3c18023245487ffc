"""Years as files write them and as reports do."""

from __future__ import annotations

import pandas as pd
import pytest

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.published import match_year, year_ends, year_labels


def test_year_ends():
    years = pd.Series(
        ["2024", "2023-24", "2023/24", "202324", "2014-16", "2016-17 (OT)", "1999-00"]
    )
    assert year_ends(years).tolist() == [2024, 2024, 2024, 2024, 2016, 2017, 2000]


def test_year_labels_follow_the_year_type():
    years = pd.Series(["2024", "2024", "2024", "2023-24", "2014-16", "2018 (Rev)"])
    types = pd.Series(["financial", "reporting", "calendar", "academic", "financial", "calendar"])
    assert year_labels(years, types).tolist() == [
        "2023/24",
        "2023/24",
        "2024",
        "2023/24",
        "2014-16",
        "2018 (Rev)",
    ]


def test_match_year_as_written_or_as_reported():
    values = pd.DataFrame({"year": ["2024", "2025"], "year_label": ["2023/24", "2024/25"]})
    assert match_year(values, "2024")["year"].tolist() == ["2024"]
    assert match_year(values, "2023/24")["year"].tolist() == ["2024"]
    assert match_year(values, "2024-25")["year"].tolist() == ["2025"]
    with pytest.raises(CypsError, match="The years in the file are: 2024, 2025"):
        match_year(values, "2019")
