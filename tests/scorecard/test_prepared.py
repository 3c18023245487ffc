"""A dataset is read for scorecards once and kept with it: the next scorecard reuses
that, and a table changed in place in between is read again.

Demo Borough's children in need rate (csc_cin_rate, lower is better, one decimal, a
snapshot: each month's value as recorded) is 307.7 in Mar-25 and 306.6 in Feb-25; its
2024/25 bands are red 346.2+, amber 323.1+, green <323.1, so it is Green.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import cyps_analysis.scorecard._prepared as prepared_module
from cyps_analysis import build_scorecard, load_dataset

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
ID = "csc_cin_rate"


@pytest.fixture
def demo():
    return load_dataset(DEMO)


def cin(dataset, period="2024-25-Q4"):
    card = build_scorecard(dataset, period)
    return card.loc[card["id"] == ID].iloc[0]


@pytest.fixture
def reads(monkeypatch):
    """How many times datasets are read for scorecards."""
    calls = []
    real = prepared_module.prepare

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepared_module, "prepare", counted)
    return calls


def test_the_next_scorecard_of_a_dataset_reuses_what_the_first_read(demo, reads):
    assert cin(demo)["2025-03"] == 307.7
    assert cin(demo, "2025-02")["2025-02"] == 306.6
    assert cin(demo, "2024-25")["rag_year"] == "Green"
    assert len(reads) == 1
    # A copy of the dataset is another dataset: read on its own.
    assert cin(dataclasses.replace(demo))["2025-03"] == 307.7
    assert len(reads) == 2


def test_a_value_changed_in_place_is_read_again(demo, reads):
    assert cin(demo)["rag_month"] == "Green"
    obs = demo.observations
    march = (obs["indicator"] == ID) & (obs["month"] == "2025-03")
    obs.loc[march, "value"] = 335.66
    row = cin(demo)
    # Shown 335.7: at least 323.1 and under 346.2, Amber.
    assert row["2025-03"] == 335.7
    assert row["rag_month"] == "Amber"
    assert len(reads) == 2


def test_a_band_changed_in_place_is_read_again(demo):
    assert cin(demo)["rag_month"] == "Green"
    targets = demo.targets
    year = (targets["indicator"] == ID) & (targets["year"] == "2024/25")
    targets.loc[year, "amber"] = "300+"
    targets.loc[year, "green"] = "<300"
    row = cin(demo)
    assert row["green"] == "<300"
    assert row["rag_month"] == "Amber"  # 307.7 is 300 or more


def test_a_month_changed_in_place_is_read_again(demo):
    obs = demo.observations
    march = (obs["indicator"] == ID) & (obs["month"] == "2025-03")
    assert cin(demo)["2025-03"] == 307.7
    obs.loc[march, "month"] = "2025-04"
    row = cin(demo)
    assert np.isnan(row["2025-03"])
    assert "Mar-25" in next(f["message"] for f in row["flags"] if f["code"] == "missing_months")


def test_a_column_replaced_or_a_row_added_is_read_again(demo):
    assert cin(demo)["2025-03"] == 307.7
    demo.observations["value"] = demo.observations["value"] * 2
    assert cin(demo)["2025-03"] == 615.4
    obs = demo.observations
    obs.loc[len(obs)] = {
        **obs.iloc[0].to_dict(),
        "indicator": ID,
        "month": "2025-04",
        "numerator": 1930.0,
        "denominator": 62600.0,
        "value": 308.31,
    }
    assert cin(demo, "2025-04")["2025-04"] == 308.3
