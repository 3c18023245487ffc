"""Two runs on the same inputs give the same bytes: with ``SOURCE_DATE_EPOCH`` set,
every file of the pack outside ``_internal/`` (the workbook's zip entries included);
without it, everything but the two run-date lines in each report (its opening line and
its footer) and the workbook's own timestamps."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cyps_analysis.cli.main import main
from tests.reports.test_safe_html import NOTEBOOK_DIR, payload_dataset

# 14 April 2025, 00:00 UTC.
EPOCH = "1744588800"


def _run(data: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        main,
        ["run", "--data", str(data), "--period", "2024-25-Q4", "--out", str(out), "--jobs", "2"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return out / "2024-25-Q4"


def _files(pack: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(pack)): p.read_bytes()
        for p in sorted(pack.rglob("*"))
        if p.is_file() and p.relative_to(pack).parts[0] != "_internal"
    }


@pytest.mark.skipif(not NOTEBOOK_DIR.is_dir(), reason="notebooks/ not found")
def test_two_runs_give_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    # The payload dataset: every free-text field in use, a deep dive and commentary.
    data = payload_dataset(tmp_path / "data")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _files(_run(data, tmp_path / "a"))
    second = _files(_run(data, tmp_path / "b"))
    assert sorted(first) == sorted(second)
    assert {"index.html", "scorecard.csv", "scorecard.xlsx", "scorecard.html"} <= set(first)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    # The reports say they were run on the epoch's day.
    assert "report run 14 April 2025" in first["scorecard.html"].decode()
    assert "pack made 14 April 2025" in first["index.html"].decode()

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    third = _files(_run(data, tmp_path / "c"))
    for name, content in first.items():
        if name.endswith(".xlsx"):
            books = [tmp_path / run / "2024-25-Q4" / name for run in ("a", "c")]
            # The About sheet says when the workbook was made: its run date may differ.
            sheets = load_workbook(books[0]).sheetnames
            about = f"xl/worksheets/sheet{sheets.index('About') + 1}.xml"
            with zipfile.ZipFile(books[0]) as a, zipfile.ZipFile(books[1]) as c:
                assert a.namelist() == c.namelist()
                for entry in a.namelist():
                    if entry not in ("docProps/core.xml", about):  # the timestamps
                        assert a.read(entry) == c.read(entry), entry
            rows = [list(load_workbook(b)["About"].iter_rows(values_only=True)) for b in books]
            changed = [(o, n) for o, n in zip(*rows, strict=True) if o != n]
            assert [(o[0], o[1]) for o, _ in changed] in ([], [("Run date", "2025-04-14")])
            continue
        old, new = content.decode().splitlines(), third[name].decode().splitlines()
        assert len(old) == len(new), name
        changed = [(o, n) for o, n in zip(old, new, strict=True) if o != n]
        if name.endswith(".html"):
            # Two lines: the opening line and the footer, each saying when it was run.
            assert len(changed) == 2, (name, changed[:3])
            assert all("run 14 April 2025" in o or "made 14 April 2025" in o for o, _ in changed)
        else:
            assert changed == [], name
