"""The Python shown in docs/api.md runs as typed, from the project folder."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _blocks(doc: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "docs" / doc).read_text(), re.S)


def test_api_session_runs_as_typed(monkeypatch: pytest.MonkeyPatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    blocks = _blocks("api.md")
    assert len(blocks) >= 5
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    card = namespace["card"]
    # Assessments within 45 days, Apr-24 to Mar-25: 1,683 of 1,912 = 88.0%, Green
    # against >=83.6 (data/demo/observations.csv and targets.csv).
    row = card.set_index("id").loc["csc_assess45"]
    assert (row["outturn"], row["rag_year"]) == (88.0, "Green")
    assert card.attrs["month_labels"] == ["Jan-25", "Feb-25", "Mar-25"]
