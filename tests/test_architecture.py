"""The package's shape, as docs/architecture.md describes it: layers whose imports
point downwards only, modules under 400 lines, and no private pandas internals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cyps_analysis"
#: Each sub-package's floor; a module may import from its own floor or a lower one, and
#: from its own sub-package.
LAYERS: dict[str, int] = {
    "vocab": 0,
    "exceptions": 0,
    "rules": 1,
    "sources": 1,
    "dataset": 2,
    "benchmarking": 3,
    "scorecard": 4,
    "narrative": 5,
    "reports": 6,
    "cli": 7,
    "__init__": 8,
    "__main__": 8,
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _part(path: Path) -> str:
    """The sub-package (or top-level module) a file belongs to."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(path: Path) -> set[str]:
    """The sub-packages a module imports from, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.level == 0 else []
            if node.module == "cyps_analysis":
                names = [f"cyps_analysis.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cyps_analysis" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_module_belongs_to_a_layer():
    assert {_part(p) for p in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downwards(path: Path):
    own = _part(path)
    upwards = {
        other
        for other in _imported_parts(path)
        if other != own and LAYERS[other] >= LAYERS[own] and own not in ("__init__", "__main__")
    }
    assert not upwards, f"{path.relative_to(PACKAGE)} imports from {sorted(upwards)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_under_400_lines(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400


def test_the_check_sees_an_upward_import(tmp_path):
    # The import check itself must be able to fail.
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from cyps_analysis.reports.pack import run_pack\n")
    assert _imported_parts(module) == {"reports"}


PRIVATE_PANDAS = re.compile(r"\._mgr\b|_get_column_array|\._from_arrays|pandas\._libs|pd\.core\.")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_pandas_internals(path: Path):
    assert not PRIVATE_PANDAS.search(path.read_text(encoding="utf-8"))
