"""The XmR chart says in words what it draws, and the icons carry their meaning in
their text alternatives."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.reports.icons import assurance_icon, variation_icon
from cyps_analysis.reports.spc_chart import point_kinds, xmr_chart
from cyps_analysis.rules.spc import xmr


def points() -> pd.DataFrame:
    # 9 11 x 6 then 20: the 20 is above the upper limit (16.09; tests/rules/test_spc.py).
    values = [9, 11] * 6 + [20]
    months = pd.period_range("2024-01", periods=len(values), freq="M")
    frame = pd.DataFrame(
        {
            "series": "a",
            "value": values,
            "segment": 0,
            "month": months.strftime("%Y-%m"),
            "label": months.strftime("%b-%y"),
            "month_number": months.year * 12 + months.month - 1,
        }
    )
    return xmr(frame)


def indicator(polarity: str) -> pd.Series:
    return pd.Series(
        {
            "title": "Visits",
            "unit": "count",
            "decimals": 0,
            "polarity": polarity,
            "year_type": "calendar",
            "green": None,
            "spc_variation": "special_cause_concern",
            "spc_assurance": None,
            "spc_reason": None,
        }
    )


def test_points_are_kinds_by_polarity():
    p = points()
    assert point_kinds(p, "low").tolist() == ["common"] * 12 + ["concern"]
    assert point_kinds(p, "high").tolist()[-1] == "improvement"
    assert point_kinds(p, "none").tolist()[-1] == "high"


def test_alt_text_names_the_limits_and_the_special_cause_by_colour_and_shape():
    chart = xmr_chart(points(), indicator("low"))
    assert chart.svg.lstrip().startswith(("<?xml", "<svg"))
    # Mean 140 / 13 = 10.77 and limits 5.45 to 16.09, shown at decimals + 1.
    assert "mean 10.8, process limits 5.4 to 16.1" in chart.alt
    assert "special cause of concern (orange triangles down) at 1 points (Jan-25)" in chart.alt
    assert "latest point: special cause: concern" in chart.alt


def test_icons_say_what_they_show():
    assert "alt='Variation icon: special cause of concern, high'" in variation_icon(
        "special_cause_concern", "low"
    )
    assert "alt='Variation icon: common cause'" in variation_icon("common_cause", "high")
    assert "alt='Assurance icon: consistent fail'" in assurance_icon("consistent_fail")
    assert variation_icon(None, "high") == "" and assurance_icon(None) == ""
