"""Band notation and the checks bands must pass (cyps_analysis/thresholds.py), against
docs/dataset.md#targetscsv-targets-and-tolerances and docs/method.md#rag."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.rules import bands as thresholds
from cyps_analysis.rules.bands import Band, Bands, check_bands, parse_band, parse_bands

INF = math.inf


# --- notation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lo", "lo_inclusive", "hi", "hi_inclusive"),
    [
        # X+ and >=X and ≥X: at least X.
        ("90%+", 90.0, True, INF, False),
        ("90+", 90.0, True, INF, False),
        ("227.1+", 227.1, True, INF, False),
        (">=90", 90.0, True, INF, False),
        (">=90%", 90.0, True, INF, False),
        ("≥90", 90.0, True, INF, False),
        ("≥ 90 %", 90.0, True, INF, False),
        (" 90 % + ", 90.0, True, INF, False),
        # >X: more than X.
        (">90", 90.0, False, INF, False),
        ("> 90%", 90.0, False, INF, False),
        # <X: less than X.
        ("<82%", -INF, False, 82.0, False),
        ("<82", -INF, False, 82.0, False),
        ("< 227.1", -INF, False, 227.1, False),
        # <=X and ≤X: at most X.
        ("<=82", -INF, False, 82.0, True),
        ("<= 82 %", -INF, False, 82.0, True),
        ("≤82%", -INF, False, 82.0, True),
        # X-Y: X to Y inclusive.
        ("82-89.9", 82.0, True, 89.9, True),
        ("82%-89.9%", 82.0, True, 89.9, True),
        ("82 - 89.9 %", 82.0, True, 89.9, True),
        ("0-0", 0.0, True, 0.0, True),
    ],
)
def test_notation(text, lo, lo_inclusive, hi, hi_inclusive):
    band = parse_band(text)
    assert (band.lo, band.lo_inclusive, band.hi, band.hi_inclusive) == (
        lo,
        lo_inclusive,
        hi,
        hi_inclusive,
    )
    assert not band.is_empty


@pytest.mark.parametrize("text", ["-", "", "   ", " - "])
def test_dash_or_blank_is_an_empty_band(text):
    band = parse_band(text)
    assert band.is_empty
    assert not band.contains(0.0)
    assert not band.contains(50.0)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        # Exactly on each boundary, and one step of 0.1 either side.
        ("90%+", [90.0, 90.1, 100.0], [89.9]),
        (">=90", [90.0, 90.1], [89.9]),
        ("≥90", [90.0], [89.9]),
        (">90", [90.1], [90.0, 89.9]),
        ("<82%", [81.9, 0.0], [82.0, 82.1]),
        ("<=82", [82.0, 81.9], [82.1]),
        ("≤82", [82.0], [82.1]),
        ("82-89.9", [82.0, 85.0, 89.9], [81.9, 90.0]),
        ("227.1+", [227.1, 300.0], [227.0]),
        ("<227.1", [227.0], [227.1]),
    ],
)
def test_values_on_and_either_side_of_each_boundary(text, inside, outside):
    band = parse_band(text)
    assert [band.contains(v) for v in inside] == [True] * len(inside)
    assert [band.contains(v) for v in outside] == [False] * len(outside)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "90",  # a bare number says neither at least nor at most
        "90++",
        "=>90",
        "=<82",
        "<",
        "+",
        "90-",
        "89.9-82",  # a range written backwards
        "<82%+",
        "90%+ green",
        "≥",
        "1e3+",
    ],
)
def test_invalid_notation_is_refused_saying_how_to_write_it(text):
    with pytest.raises(ValueError) as err:
        parse_band(text)
    message = str(err.value)
    assert repr(text) in message
    for form in ("X+", "<X", "X-Y"):
        assert form in message


def test_parse_bands_is_vectorised_and_keeps_the_index():
    texts = pd.Series(["<82%", "82%+", "-", "abc", None, "90%+"], index=[10, 11, 12, 13, 14, 15])
    out = parse_bands(texts)
    assert out.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert out["valid"].tolist() == [True, True, True, False, True, True]
    assert out["empty"].tolist() == [False, False, True, False, True, False]
    assert out.loc[10, "hi"] == 82.0 and out.loc[15, "lo"] == 90.0
    # The same text in two places parses the same.
    again = parse_bands(pd.Series(["90%+", "90+", " 90 %+"]))
    assert again["lo"].tolist() == [90.0, 90.0, 90.0]


def test_bands_value_object_is_frozen_and_parses_its_three_columns():
    bands = Bands(red="<82%", amber="82%+", green="90%+")
    parsed = bands.parsed()
    assert set(parsed) == {"red", "amber", "green"}
    assert parsed["green"] == Band("90%+", 90.0, True, INF, False)
    with pytest.raises(AttributeError):
        bands.green = "95%+"  # type: ignore[misc]


# --- check_bands -----------------------------------------------------------------------


def check(rows: list[tuple[str, str, str, str, str, int]]) -> pd.DataFrame:
    """check_bands over rows of (red, amber, green, polarity, unit, decimals)."""
    red, amber, green, polarity, unit, decimals = (list(c) for c in zip(*rows, strict=True))
    return check_bands(
        parse_bands(pd.Series(red)),
        parse_bands(pd.Series(amber)),
        parse_bands(pd.Series(green)),
        polarity=pd.Series(polarity),
        unit=pd.Series(unit),
        decimals=pd.Series(decimals),
    )


def one(red, amber, green, polarity="high", unit="percent", decimals=1) -> dict:
    return check([(red, amber, green, polarity, unit, decimals)]).iloc[0].to_dict()


def assert_fine(result: dict) -> None:
    assert (result["no_green"], result["wrong_way"], result["gap"]) == (False, False, False)
    assert math.isnan(result["gap_at"])


@pytest.mark.parametrize(
    ("red", "amber", "green", "polarity", "unit", "decimals"),
    [
        # The two rows of DESIGN.md's table.
        ("<82%", "82%+", "90%+", "high", "percent", 1),
        ("227.1+", "-", "<227.1", "low", "rate_per_10k", 1),
        # Amber written as a range that meets both neighbours at one decimal.
        ("<82", "82-89.9", "90+", "high", "percent", 1),
        # At no decimals the same range still leaves nothing out (82..89, 90..100).
        ("<82", "82-89.9", "90+", "high", "percent", 0),
        (">=25", "15-24", "<15", "low", "percent", 0),
        ("<=81.9", ">81.9", ">=90", "high", "percent", 1),
        ("≤81.9", "-", "≥82", "high", "percent", 1),
        # Counts run from 0 without an upper limit.
        ("11+", "6-10", "<=5", "low", "count", 0),
        ("<1000", "1000+", "1200+", "high", "count", 0),
        # Scores may be negative or above 100.
        ("<0", "0-4.9", "5+", "high", "score", 1),
        # Green alone covering everything.
        ("-", "-", "0%+", "high", "percent", 1),
    ],
)
def test_sound_bands_pass(red, amber, green, polarity, unit, decimals):
    assert_fine(one(red, amber, green, polarity, unit, decimals))


@pytest.mark.parametrize(
    ("red", "amber", "green", "unit"),
    [
        ("<82%", "82%+", "-", "percent"),  # Green empty
        ("<82%", "82%+", "", "percent"),  # Green blank
        ("<82%", "82%+", "101%+", "percent"),  # Green beyond 100%
        ("<82%", "82%+", ">100", "percent"),
        ("-", "-", "<0", "count"),  # below the smallest count
    ],
)
def test_bands_that_can_never_give_green(red, amber, green, unit):
    assert one(red, amber, green, "high", unit)["no_green"]


@pytest.mark.parametrize(
    ("red", "amber", "green", "polarity", "unit"),
    [
        # High is good, but Red is above Green.
        ("90%+", "82%+", "<82%", "high", "percent"),
        ("95%+", "-", "<95%", "high", "percent"),
        # High is good, but Green stops short of the top (80 to 90 green, above that red).
        (">90", "<80", "80-90", "high", "percent"),
        # Low is good, but Red is below Green.
        ("<227.1", "-", "227.1+", "low", "rate_per_10k"),
        ("<=5", "6-10", "11+", "low", "count"),
        # Low is good, but Green starts above the bottom (10 to 20 green, below that red).
        ("<10", ">20", "10-20", "low", "count"),
    ],
)
def test_bands_that_run_the_wrong_way(red, amber, green, polarity, unit):
    result = one(red, amber, green, polarity, unit, 0)
    assert result["wrong_way"]
    assert not result["no_green"]


def test_polarity_none_has_no_right_way():
    # The same bands as the wrong-way high and low cases, for an indicator where neither
    # high nor low is good: not the wrong way, and with no gap.
    for red, amber, green, unit in [
        ("90%+", "82%+", "<82%", "percent"),
        ("<227.1", "-", "227.1+", "rate_per_10k"),
        ("<10", ">20", "10-20", "count"),
    ]:
        assert_fine(one(red, amber, green, "none", unit, 1))


def test_polarity_none_still_needs_green_and_no_gap():
    assert one("<82%", "82%+", "-", "none")["no_green"]
    result = one("<82%", "-", "90%+", "none")
    assert result["gap"] and result["gap_at"] == 82.0


def test_gap_between_red_and_green():
    # <82% then - then 90%+ at one decimal: 82.0 to 89.9 is in no band; 82.0 comes first.
    result = one("<82%", "-", "90%+")
    assert result["gap"]
    assert result["gap_at"] == 82.0
    assert not result["no_green"] and not result["wrong_way"]


def test_a_range_that_fits_one_decimal_leaves_a_gap_at_two():
    # At two decimals 89.91 to 89.99 (89.95 among them) are above 82-89.9 and below 90+.
    fine = one("<82", "82-89.9", "90+", decimals=1)
    assert_fine(fine)
    result = one("<82", "82-89.9", "90+", decimals=2)
    assert result["gap"]
    assert result["gap_at"] == pytest.approx(89.91)


def test_gap_at_the_top_and_at_the_bottom_of_the_unit_range():
    # Counts: nothing holds 11 upwards.
    low = one("-", "6-10", "<=5", "low", "count", 0)
    assert low["gap"] and low["gap_at"] == 10 + 1
    # Percent at whole numbers: 0 to 9 is in no band.
    high = one("10-49", "50-89", "90+", "high", "percent", 0)
    assert high["gap"] and high["gap_at"] == 0.0


def test_exclusive_bounds_that_meet_leave_no_gap_but_two_exclusive_ones_do():
    assert_fine(one("<82", "-", ">=82", "high", "percent", 1))
    # <82 and >82 leave out exactly 82.0.
    result = one("<82", "-", ">82", "high", "percent", 1)
    assert result["gap"] and result["gap_at"] == 82.0


def test_check_bands_rows_are_independent_and_keep_the_index():
    out = check(
        [
            ("<82%", "82%+", "90%+", "high", "percent", 1),
            ("<82%", "-", "90%+", "high", "percent", 1),
            ("90%+", "-", "<90%", "high", "percent", 1),
            ("<82%", "82%+", "-", "high", "percent", 1),
            ("227.1+", "-", "<227.1", "low", "rate_per_10k", 1),
        ]
    )
    assert out["no_green"].tolist() == [False, False, False, True, False]
    assert out["wrong_way"].tolist() == [False, False, True, False, False]
    assert out["gap"].tolist() == [False, True, False, False, False]
    assert out.index.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("<-0.5", -math.inf, -0.5),
        ("-0.5+", -0.5, math.inf),
        (">=-2%", -2.0, math.inf),
        ("-1-0", -1.0, 0.0),
        ("-1.5--0.5", -1.5, -0.5),
    ],
)
def test_negative_thresholds_for_scores(text, lo, hi):
    band = parse_band(text)
    assert (band.lo, band.hi) == (lo, hi)


def test_progress_8_style_bands_on_a_score_have_no_gap():
    # Red below -0.50, Amber -0.50 to 0.09, Green 0.10 and above, at 2 decimals: every
    # value from -inf to +inf falls in exactly one band.
    def one(t):
        return parse_bands(pd.Series([t]))

    out = check_bands(
        one("<-0.5"),
        one("-0.5-0.09"),
        one("0.1+"),
        polarity=pd.Series(["high"]),
        unit=pd.Series(["score"]),
        decimals=pd.Series([2]),
    )
    assert not out.loc[0, ["no_green", "wrong_way", "gap"]].any()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="0123456789.-+<>=% ,≥≤–", max_size=9),
            st.text(alphabet="0123456789.-+<>=%\t\n\xa0\u2009٣x", max_size=7),
            st.text(max_size=5),
            st.none(),
        ),
        max_size=15,
    )
)
def test_a_column_of_bands_parses_as_each_text_alone(texts):
    # A column is parsed once per distinct text: each row must read as its text does
    # on its own (a missing text as an empty band).
    column = thresholds.parse_bands(pd.Series(texts, dtype=object))
    for i, text in enumerate(texts):
        alone = thresholds.parse_bands(pd.Series(["" if text is None else text], dtype=object))
        for name in column.columns:
            got, want = column[name].iloc[i], alone[name].iloc[0]
            assert got == want or (np.isnan(got) and np.isnan(want)), (text, name)
