"""RAG rating (cyps_analysis/rag.py), against docs/method.md#rag: the rounded value is
Green if in the Green band, else Red if in the Red band, else Amber if in the Amber
band; no value or no target is not rated (None)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cyps_analysis import Bands, build_scorecard, load_dataset, rate_rag
from cyps_analysis.exceptions import DatasetError
from cyps_analysis.rules.bands import parse_bands
from cyps_analysis.rules.rag import rag_ratings, rate_rows
from cyps_analysis.vocab import RAG_VALUES
from tests.conftest import SETTINGS, write_dataset

HIGH = Bands(red="<82%", amber="82%+", green="90%+")  # 82%+ amber beside 90%+ green
LOW = Bands(red="227.1+", amber="-", green="<227.1")
RANGE_HIGH = Bands(red="<82", amber="82-89.9", green="90+")


def parsed(bands: list[tuple[str, str, str]]) -> dict[str, pd.DataFrame]:
    """Parsed red/amber/green frames, one row per (red, amber, green)."""
    red, amber, green = (list(c) for c in zip(*bands, strict=True))
    return {
        "red": parse_bands(pd.Series(red)),
        "amber": parse_bands(pd.Series(amber)),
        "green": parse_bands(pd.Series(green)),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, "Green"),
        (90.0, "Green"),  # exactly on the target
        (89.9, "Amber"),  # the overlap: 82%+ minus 90%+
        (85.0, "Amber"),
        (82.0, "Amber"),  # exactly on the amber threshold
        (81.9, "Red"),
        (0.0, "Red"),
        # Rounded half up to one decimal before rating.
        (89.95, "Green"),  # shown as 90.0, meets 90%+
        (89.96, "Green"),
        (89.949, "Amber"),  # shown as 89.9
        (81.95, "Amber"),  # shown as 82.0, so not Red against <82%
        (81.949, "Red"),  # shown as 81.9
    ],
)
def test_high_is_good_with_overlapping_bands(value, expected):
    assert rate_rag(value, HIGH, decimals=1) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (220.0, "Green"),
        (227.0, "Green"),
        (227.04, "Green"),  # shown as 227.0
        (227.05, "Red"),  # shown as 227.1: on the red threshold
        (227.1, "Red"),
        (300.0, "Red"),
    ],
)
def test_low_is_good(value, expected):
    assert rate_rag(value, LOW, decimals=1) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (89.9, 1, "Amber"),
        (89.95, 1, "Green"),  # 90.0
        (81.99, 1, "Amber"),  # 82.0
        (89.5, 0, "Green"),  # shown as 90
        (89.49, 0, "Amber"),  # shown as 89
        (81.5, 0, "Amber"),  # shown as 82
        (81.49, 0, "Red"),  # shown as 81
    ],
)
def test_closed_range_amber_at_the_displayed_precision(value, decimals, expected):
    assert rate_rag(value, RANGE_HIGH, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Neither high nor low is good: a target range, with Amber either side of it.
        (15.0, "Green"),
        (10.0, "Green"),
        (20.0, "Green"),
        (20.1, "Amber"),
        (9.9, "Amber"),
        (5.0, "Amber"),
        (4.9, "Red"),
    ],
)
def test_polarity_none_target_range(value, expected):
    assert rate_rag(value, Bands(red="<5", amber="5+", green="10-20"), decimals=1) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (90.1, "Green"),
        (90.0, "Amber"),  # not more than 90, not at most 82: amber 82-90
        (82.1, "Amber"),
        (82.0, "Red"),  # at most 82 is Red, and Red comes before Amber
    ],
)
def test_exclusive_and_inclusive_bounds(value, expected):
    assert rate_rag(value, Bands(red="<=82", amber="82-90", green=">90"), decimals=1) == expected


def test_green_wins_over_red_where_they_overlap():
    # Checked in the order Green, Red, Amber, whatever the bands say.
    bands = Bands(red="<95", amber="-", green="90+")
    assert rate_rag(92.0, bands, decimals=1) == "Green"
    assert rate_rag(89.9, bands, decimals=1) == "Red"


@pytest.mark.parametrize("value", [None, float("nan"), np.nan])
def test_missing_value_is_not_rated(value):
    assert rate_rag(value, HIGH, decimals=1) is None


def test_no_target_is_not_rated_never_green():
    assert rate_rag(95.0, None, decimals=1) is None


def test_rag_ratings_vectorised_rows_with_their_own_bands():
    bands = parsed([("<82%", "82%+", "90%+")] * 3 + [("227.1+", "-", "<227.1")] * 2)
    out = rag_ratings([90.0, 82.0, 81.9, 227.0, 227.1], bands)
    assert out.tolist() == ["Green", "Amber", "Red", "Green", "Red"]


def test_rag_ratings_missing_values_and_missing_bands():
    # Row 0: no value; row 1: no target (the bands are all missing); row 2: rated.
    bands = parsed([("<82%", "82%+", "90%+"), (None, None, None), ("<82%", "82%+", "90%+")])
    out = rag_ratings([np.nan, 95.0, 95.0], bands)
    assert out.tolist() == [None, None, "Green"]


def test_pro_rata_scale_for_a_whole_year_target():
    # A whole-year target of 1200+ (amber 1000+, red <1000) three months in is
    # 1200 * 3/12 = 300+ green, 1000 * 3/12 = 250+ amber, below 250 red.
    bands = parsed([("<1000", "1000+", "1200+")] * 4)
    out = rag_ratings([300.0, 299.0, 250.0, 249.0], bands, scale=3 / 12)
    assert out.tolist() == ["Green", "Amber", "Amber", "Red"]


def test_pro_rata_scale_per_row():
    # 300 against 1200+ scaled by 3/12 (300+), 6/12 (600+) and 12/12 (1200+):
    # Green, then Red (below 1000 * 6/12 = 500), then Red (below 1000).
    # 1100 at 12/12 is Amber (1000+, not 1200+).
    bands = parsed([("<1000", "1000+", "1200+")] * 4)
    out = rag_ratings([300.0, 300.0, 300.0, 1100.0], bands, scale=np.array([0.25, 0.5, 1, 1]))
    assert out.tolist() == ["Green", "Red", "Red", "Amber"]


def test_empty_amber_written_blank():
    bands = Bands(red="<82%", amber="", green="82%+")
    assert rate_rag(82.0, bands, decimals=1) == "Green"
    assert rate_rag(81.9, bands, decimals=1) == "Red"


def test_total_exactly_on_its_pro_rata_target_meets_it():
    # A whole-year target of 3,372 after 7 of 12 months is 3372 * 7 / 12 = 1,967
    # exactly; in floating point 3372 * (7 / 12) is a hair off it. Amber starts at
    # 3270 * 7 / 12 = 1,907.5.
    bands = {k: parse_bands(pd.Series([t, t, t])) for k, t in
             {"red": "<3270", "amber": "3270+", "green": "3372+"}.items()}  # fmt: skip
    got = rag_ratings([1967.0, 1966.0, 1907.0], bands, scale=(7, 12)).tolist()
    assert got == ["Green", "Amber", "Red"]


# --- Amber if off target but improving (rag: {rule: improving}) -------------------------

BANDS_82_90 = {
    k: parse_bands(pd.Series([t] * 5))
    for k, t in {"red": "<82%", "amber": "82%+", "green": "90%+"}.items()
}


def test_improving_rule_lifts_only_red_rows_that_improve():
    # 81.9 is Red under <82% / 82%+ / 90%+. Improving lifts it to Amber; declining, no
    # change and an unknown direction leave it Red. 85.0 (Amber) and 95.0 (Green) stay.
    values = [81.9, 81.9, 81.9, 81.9, 85.0]
    change = ["improving", "declining", "no change", None, "improving"]
    codes, notes = rate_rows(values, BANDS_82_90, change=change, rule=["improving"] * 5)
    assert [RAG_VALUES[c] for c in codes] == ["Amber", "Red", "Red", "Red", "Amber"]
    assert notes.tolist() == ["amber_improving", None, None, None, None]


def test_tolerance_rule_rates_by_the_bands_alone():
    codes, notes = rate_rows(
        [81.9, 95.0], {k: v.iloc[:2] for k, v in BANDS_82_90.items()},
        change=["improving", "improving"], rule=["tolerance", "tolerance"],
    )  # fmt: skip
    assert [RAG_VALUES[c] for c in codes] == ["Red", "Green"]
    assert notes.tolist() == [None, None]


def test_each_row_by_its_own_rule():
    codes, _ = rate_rows(
        [81.9, 81.9], {k: v.iloc[:2] for k, v in BANDS_82_90.items()},
        change=["improving", "improving"], rule=["tolerance", "improving"],
    )  # fmt: skip
    assert [RAG_VALUES[c] for c in codes] == ["Red", "Amber"]


def test_improving_rule_in_the_scorecard(tmp_path):
    # conftest: assessments in month n of the year are 80+n of 100. With Red <88%, the
    # month of Mar-25 (83.0%) is Red by its bands, and better than Feb-25 (82.0%):
    # Amber under the improving rule, with its flag. The year to date (Apr-24 to
    # Mar-25, 1,038 of 1,200 = 86.5%) is Red and unchanged on last year's 86.5%: Red.
    targets = "indicator,year,red,amber,green\nassess45,2024/25,<88%,88%+,90%+\n"
    improving = SETTINGS + "rag: {rule: improving}\n"
    plain = load_dataset(write_dataset(tmp_path / "plain", targets=targets))
    lifted = load_dataset(write_dataset(tmp_path / "lifted", targets=targets, settings=improving))
    before = build_scorecard(plain, "2025-03").set_index("id").loc["assess45"]
    after = build_scorecard(lifted, "2025-03").set_index("id").loc["assess45"]
    assert (before["rag_month"], before["rag_year"]) == ("Red", "Red")
    assert (after["rag_month"], after["rag_year"]) == ("Amber", "Red")
    assert after["rag_month_label"] == "Yellow"  # conftest's word for Amber
    assert [f["code"] for f in after["flags"]] == ["amber_improving"]
    assert "better than the month before" in after["flags"][0]["message"]
    assert "amber_improving" not in [f["code"] for f in before["flags"]]


def test_an_unknown_rag_rule_is_a_settings_problem(tmp_path):
    settings = SETTINGS + "rag: {rule: kindly}\n"
    with pytest.raises(DatasetError, match="rag") as err:
        load_dataset(write_dataset(tmp_path / "d", settings=settings))
    assert "tolerance, improving" in str(err.value)
