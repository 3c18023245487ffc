"""Flags (cyps_analysis/flags.py): the codes and messages a row carries, in their order,
through ``build_scorecard`` on the small hand-made dataset of conftest.py. Expected
messages are written out from docs/method.md#flags."""

from __future__ import annotations

from pathlib import Path

from cyps_analysis import build_scorecard, load_dataset
from tests.conftest import observations_csv, write_dataset


def without_months(*months: str) -> str:
    """conftest's observations less the contacts and CIN rate rows of ``months``."""
    lines = observations_csv().splitlines()
    kept = [
        line
        for line in lines
        if not (line.split(",")[0] in ("contacts", "cin_rate") and line.split(",")[1] in months)
    ]
    return "\n".join(kept) + "\n"


def flags_by_id(card) -> dict[str, list[dict]]:
    return dict(zip(card["id"], card["flags"], strict=True))


def test_rows_missing_the_same_months_share_one_message(tmp_path: Path):
    data = write_dataset(tmp_path / "d", observations=without_months("2024-11", "2025-01"))
    flags = flags_by_id(build_scorecard(load_dataset(data), "2024-25-Q4"))
    # Year to date Apr-24 to Mar-25: November and January have no row, in month order.
    expected = [{"code": "missing_months", "message": "No value for Nov-24, Jan-25"}]
    assert flags["contacts"] == expected
    assert flags["cin_rate"] == expected
    assert flags["assess45"] == []


def test_flags_keep_their_order_and_each_row_has_its_own_list(tmp_path: Path):
    data = write_dataset(tmp_path / "d", observations=without_months("2024-11"))
    card = build_scorecard(load_dataset(data), "2025-02")
    flags = flags_by_id(card)
    # February is the second month of the quarter Jan-Mar: every row says so, after
    # any missing months.
    partial = {"code": "partial_quarter", "message": "The quarter is to date: 2 of its 3 months"}
    assert flags["contacts"] == [
        {"code": "missing_months", "message": "No value for Nov-24"},
        partial,
    ]
    assert flags["assess45"] == [partial]
    flags["assess45"].append({"code": "x", "message": "y"})
    assert flags["cin_rate"][-1] == partial
    assert len(flags["contacts"]) == 2
