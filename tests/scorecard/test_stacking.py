"""Many authorities' tables as whole-number keys (cyps_analysis/stacking.py): the
catalogue's order, records and target rows found by indicator and month, and years read
from text exactly as the dataset checks read them. Month numbers are
``year * 12 + month - 1`` (2025-03 is 2025 * 12 + 2 = 24302)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cyps_analysis.dataset.load import Dataset, Settings
from cyps_analysis.scorecard._stacking import (
    coded_year_starts,
    frame_of,
    records_by_authority,
    stack_catalogues,
    stacked_codes,
    stacked_text,
    table_rows,
    texts_at,
)

MAR_25 = 2025 * 12 + 2


def dataset(name: str, areas: tuple[str, ...], catalogue: list[tuple[str, str]], obs, targets):
    indicators = pd.DataFrame(catalogue, columns=["id", "service_area"]).astype("str")
    return Dataset(
        indicators=indicators,
        targets=pd.DataFrame(targets, columns=["indicator", "year", "red"]).astype("str"),
        observations=pd.DataFrame(
            obs, columns=["indicator", "month", "value", "numerator", "denominator"]
        ).astype({"indicator": "str", "month": "str"}),
        benchmarks=pd.DataFrame(columns=["indicator", "year"]),
        settings=Settings(authority=name, as_at=dt.date(2025, 4, 1), service_areas=areas),
    )


@pytest.fixture
def two():
    a = dataset(
        "A",
        ("X", "Y"),
        [("a1", "Y"), ("a2", "Z"), ("a3", "X"), ("a4", "Y")],
        [
            ("a3", "2025-03", 1.0, None, None),
            ("a9", "2025-03", 2.0, None, None),  # not in A's catalogue
            ("a1", "2022-03", 3.0, None, None),  # before the months asked for
            ("a1", "2025-02", 4.0, 1.0, 2.0),
        ],
        [("a4", "2024/25", "<5"), ("zz", "2024/25", "<6"), ("a1", "2023/24", "<7")],
    )
    b = dataset(
        "B",
        ("Y",),
        [("b1", "X"), ("b2", "Y")],
        [("b1", "2025-01", 5.0, None, None)],
        [("b2", "2025", "<8")],
    )
    return {"A": a, "B": b}


def test_catalogue_in_order_of_authority_then_listed_area_then_file(two):
    cat = stack_catalogues(two)
    # A lists X then Y, so a3 (X), a1 and a4 (Y, in file order), then a2 (Z, not
    # listed); B lists only Y, so b2 before b1.
    assert cat.indicators["id"].tolist() == ["a3", "a1", "a4", "a2", "b2", "b1"]
    assert cat.authority.tolist() == [0, 0, 0, 0, 1, 1]
    assert cat.names == ("A", "B")
    # Where each file row went: a1 to 1, a2 to 3, a3 to 0, a4 to 2; b1 to 5, b2 to 4.
    assert [r.tolist() for r in cat.rows] == [[1, 3, 0, 2], [5, 4]]


def test_records_keep_the_months_asked_for_and_known_indicators(two):
    cat = stack_catalogues(two)
    a, b = records_by_authority(two, cat, MAR_25 - 35, MAR_25)
    # A: a3 Mar-25 (row 0), a1 Feb-25 (row 1); a9 is unknown and a1's Mar-22 is
    # before the three years to Mar-25. B: b1 Jan-25 (row 5).
    assert a.keys.tolist() == [0, 1]
    assert a.months.tolist() == [MAR_25, MAR_25 - 1]
    assert a.values["value"].tolist() == [1.0, 4.0]
    assert a.values["denominator"][1] == 2.0
    assert np.isnan(a.values["numerator"][0])
    assert (b.keys.tolist(), b.months.tolist()) == ([5], [MAR_25 - 2])
    assert b.values["value"].tolist() == [5.0]


def test_records_of_every_month_come_in_order_of_month_and_slice_by_period(two):
    cat = stack_catalogues(two)
    a, b = records_by_authority(two, cat)
    # A: a1 Mar-22 (row 1), a1 Feb-25 (row 1), a3 Mar-25 (row 0); a9 is unknown.
    assert a.months.tolist() == [MAR_25 - 36, MAR_25 - 1, MAR_25]
    assert a.keys.tolist() == [1, 1, 0]
    assert a.values["value"].tolist() == [3.0, 4.0, 1.0]
    # The three years to Mar-25 leave out Mar-22; the months to Feb-25, Mar-25 too.
    keys, months, values = a.between(MAR_25 - 35, MAR_25)
    assert (keys.tolist(), months.tolist(), values["value"].tolist()) == (
        [1, 0],
        [MAR_25 - 1, MAR_25],
        [4.0, 1.0],
    )
    assert a.between(MAR_25 - 36, MAR_25 - 1)[1].tolist() == [MAR_25 - 36, MAR_25 - 1]
    assert b.between(MAR_25, MAR_25)[0].tolist() == []  # B's one record is Jan-25


def test_table_rows_and_texts_at(two):
    cat = stack_catalogues(two)
    # Targets stacked: A's three rows (a4, zz, a1), then B's one (b2).
    assert table_rows(two, cat, "targets").tolist() == [2, -1, 1, 4]
    # a1 (row 1) takes A's third target row, b2 (row 4) B's only row (4th stacked).
    at = np.array([-1, 2, -1, -1, 3, -1])
    got = texts_at(two, "targets", ("red", "missing"), at)
    assert got["red"].to_pylist() == [None, "<7", None, None, "<8", None]
    assert got["missing"].to_pylist() == [None] * 6


def test_stacked_text_and_codes(two):
    text = stacked_text(two, "targets", "year")
    assert text.to_pylist() == ["2024/25", "2024/25", "2023/24", "2025"]
    codes, texts = stacked_codes(two, "targets", "year")
    assert [texts[c] for c in codes] == ["2024/25", "2024/25", "2023/24", "2025"]
    # Tables without the column: all missing.
    assert stacked_text(two, "targets", "national_standard").to_pylist() == [None] * 4


def test_coded_year_starts():
    texts = np.array(["2024/25", "2024-25", "2025", " 2024/25 ", "2024/26"], dtype=object)
    types = np.array(["financial", "academic", "calendar"], dtype=object)
    codes = np.array([0, 0, 1, 2, 2, 3, 4, -1, 0])
    type_codes = np.array([0, 1, 0, 2, 0, 0, 0, 0, -1])
    got = coded_year_starts(codes, texts, type_codes, types)
    # 2024/25: April 2024 (financial), September 2024 (academic); 2025 is a calendar
    # year only; spaces around are ignored; 2024/26 is no year; no text or no type: -1.
    april, september, january = 2024 * 12 + 3, 2024 * 12 + 8, 2025 * 12
    assert got.tolist() == [april, september, april, january, -1, april, -1, -1, -1]


def test_frame_of_keeps_each_column_as_given():
    text = pd.array(["a", None, "c"], dtype="str")
    flags = np.empty(3, dtype=object)
    flags[:] = [[], [{"code": "x"}], []]
    columns = {
        "n": np.array([1.5, np.nan, 3.0]),
        "k": pd.Series([1, 2, 3]).array,  # numpy-backed pandas array: stored as numpy
        "t": text,
        "years": np.array(["2024/25", None, "2023/24"], dtype=object),
        "flags": flags,
        "c": pd.Categorical.from_codes([1, 0, 1], categories=["A", "B"]),
    }
    got = frame_of(columns)
    assert got.columns.tolist() == ["n", "k", "t", "years", "flags", "c"]
    assert got.index.equals(pd.RangeIndex(3))
    assert [str(t) for t in got.dtypes] == [
        "float64",
        "int64",
        "str",
        "object",
        "object",
        "category",
    ]
    # Object columns stay objects: the years are not read as text, the lists stay lists.
    assert got["years"].tolist() == ["2024/25", None, "2023/24"]
    assert got["flags"].tolist() == [[], [{"code": "x"}], []]
    assert got["t"].isna().tolist() == [False, True, False]
    assert got["k"].sum() == 6 and got["c"].tolist() == ["B", "A", "B"]
    # The frame's columns are its own: changing it leaves what it was made from alone.
    got.loc[0, ["n", "k", "t", "years"]] = [9.0, 9, "z", "2020/21"]
    assert columns["n"][0] == 1.5 and columns["k"][0] == 1
    assert columns["t"][0] == "a" and columns["years"][0] == "2024/25"


def test_frame_of_takes_pandas_general_route_for_anything_else():
    # A list (as an empty scorecard's year column is) goes through pd.DataFrame, which
    # makes an empty list float64; an object array alongside it still stays objects.
    got = frame_of({"year": [], "source": np.array([], dtype=object)})
    assert [str(t) for t in got.dtypes] == ["float64", "object"]
    with pytest.raises(ValueError):
        frame_of({"a": np.zeros(2), "b": [1, 2, 3]})
