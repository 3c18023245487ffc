"""The bad-input corpus: one folder per case, each run by this one test.

A case folder holds ``case.yaml``::

    command: validate            # validate, scorecard, narrative or run
    args: [--period, 2024-25-Q4] # more options, if any
    exit_code: 2
    message: the fragment the message must contain
    base: small                  # the dataset it starts from: small (tests/conftest.py) or demo
    remove: [signoff.csv]        # files of the base to delete
    edits:                       # text replaced in a base file ({file, find, replace}),
      - {file: settings.yaml, find: "authority: Test Borough", replace: "authority: [A, B]"}
    append: {observations.csv: "assess45,2026-06,50,,\\n"}
    folders: [observations.csv]  # files replaced by a folder of that name
    data: book.xlsx              # what --data names, within the built folder

and any other file in the folder replaces the base's file of that name. Every case
must end with its exit code, print its fragment, and show no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from tests.conftest import write_dataset

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CASES = sorted(p for p in HERE.iterdir() if (p / "case.yaml").is_file())


def _build(case: Path, spec: dict, folder: Path) -> Path:
    if spec.get("base", "small") == "demo":
        shutil.copytree(ROOT / "data" / "demo", folder)
    else:
        write_dataset(folder)
    for name in spec.get("remove", []):
        target = folder / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for edit in spec.get("edits", []):
        path = folder / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["find"] in text, f"{case.name}: {edit['find']!r} not in {edit['file']}"
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")
    for name, text in (spec.get("append") or {}).items():
        with (folder / name).open("a", encoding="utf-8") as f:
            f.write(text)
    for extra in case.iterdir():
        if extra.name == "case.yaml":
            continue
        target = folder / extra.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if extra.is_dir():
            shutil.copytree(extra, target)
        else:
            shutil.copy(extra, target)
    for name in spec.get("folders", []):  # a folder where a file belongs
        (folder / name).unlink(missing_ok=True)
        (folder / name).mkdir()
    return folder


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    data = _build(case, spec, tmp_path / "data") / spec.get("data", "")
    args = [spec["command"], "--data", str(data), *map(str, spec.get("args", []))]
    if spec["command"] == "run":
        args += ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    output = result.output
    assert "Traceback" not in output, output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == spec["exit_code"], output
    assert spec["message"] in output, output
    if spec["exit_code"] == 2 and spec["command"] == "run":
        # Nothing half-written: no pack and no staging folder.
        out = tmp_path / "out"
        assert not out.exists() or list(out.iterdir()) == []
