"""What counts as a revision (cyps_analysis/rules/revisions.py), against
docs/reports.md#revisions: a month's value as shown, compared up to the last pack's
final month, for the indicators both packs hold."""

from __future__ import annotations

import math

import pandas as pd

from cyps_analysis.rules.revisions import revised_months


def _figures(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "month_number", "value"])


DECIMALS = pd.Series({"assess": 1, "contacts": 0})


def test_a_value_is_revised_when_the_figure_shown_changes():
    # 144/158 = 91.139% shown 91.1%; 40/158 = 25.316% shown 25.3%: revised.
    # 91.139% against 91.149% (145.8/160, say) both show 91.1%: not revised.
    # Contacts 900 against 900.4 both show 900 (no decimals): not revised; 901: revised.
    old = _figures([("assess", 10, 144 / 158 * 100), ("assess", 11, 91.139), ("contacts", 10, 900)])
    new = _figures(
        [("assess", 10, 40 / 158 * 100), ("assess", 11, 91.149), ("contacts", 10, 900.4)]
    )
    out = revised_months(old, new, DECIMALS, last=11)
    assert out[["indicator", "month_number"]].values.tolist() == [["assess", 10]]
    assert round(out["old"].iloc[0], 3) == 91.139 and round(out["new"].iloc[0], 3) == 25.316
    new.loc[2, "value"] = 901
    assert revised_months(old, new, DECIMALS, last=11)["indicator"].tolist() == [
        "assess",
        "contacts",
    ]


def test_months_recorded_late_or_taken_out_are_revisions():
    old = _figures([("contacts", 10, 900), ("contacts", 11, 905)])
    new = _figures([("contacts", 9, 880), ("contacts", 10, 900)])
    out = revised_months(old, new, DECIMALS, last=11)
    # Month 9 was not in the last pack (now 880); month 11 was (905) and is gone.
    assert out["month_number"].tolist() == [9, 11]
    assert math.isnan(out["old"].iloc[0]) and out["new"].iloc[0] == 880
    assert out["old"].iloc[1] == 905 and math.isnan(out["new"].iloc[1])


def test_months_after_the_last_pack_and_indicators_in_one_pack_only_are_not_compared():
    # The last pack ended in month 10: month 11 is new, not revised. An indicator
    # added to the catalogue since (only in the new figures) has no revisions, and one
    # taken out (only in the old) neither.
    old = _figures([("assess", 10, 80.0), ("gone", 10, 5.0)])
    new = _figures([("assess", 10, 80.0), ("assess", 11, 70.0), ("contacts", 10, 1.0)])
    decimals = pd.Series({"assess": 1, "contacts": 0, "gone": 0})
    assert revised_months(old, new, decimals, last=10).empty


def test_revisions_come_in_report_order_then_by_month():
    old = _figures([("contacts", 2, 1), ("assess", 3, 1), ("assess", 1, 1)])
    new = _figures([("contacts", 2, 2), ("assess", 3, 2), ("assess", 1, 2)])
    out = revised_months(old, new, DECIMALS, last=3)
    assert list(zip(out["indicator"], out["month_number"], strict=True)) == [
        ("assess", 1),
        ("assess", 3),
        ("contacts", 2),
    ]
