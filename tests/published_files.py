"""Where the real DfE files live for tests: ../shared/data/dfe beside the repository.
Tests that need a file skip, saying which, when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

DFE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfe"


def dfe_file(name: str) -> Path:
    """The path of a DfE file, skipping the test if it is not there."""
    path = DFE / name
    if not path.exists():
        pytest.skip(f"the DfE file {name} is not in {DFE} (see the DfE data README)")
    return path
