"""The demo's scorecard (JSON and CSV) and narrative (JSON), byte for byte as they were
before the package was restructured (issue "One obvious place for every rule").

These expected files are the one place where expected output comes from the code's own
earlier output: they guard refactoring. A deliberate change to these outputs
regenerates them in the same commit and says why:

    for p in 2024-25-Q4 2025-03 2023-24; do for f in json csv; do
      cyps-analysis scorecard --data data/demo --period $p --format $f \
        > tests/regression/expected/scorecard_$p.$f; done; done
    cyps-analysis narrative --data data/demo --period 2024-25-Q4 --format json \
        > tests/regression/expected/narrative_2024-25-Q4.json
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli import main

EXPECTED = Path(__file__).parent / "expected"
DEMO = Path(__file__).parents[2] / "data" / "demo"
CASES = [
    ("scorecard", period, fmt)
    for period in ("2024-25-Q4", "2025-03", "2023-24")
    for fmt in ("json", "csv")
] + [("narrative", "2024-25-Q4", "json")]


@pytest.mark.parametrize(("command", "period", "fmt"), CASES)
def test_demo_output_is_unchanged(command: str, period: str, fmt: str) -> None:
    result = CliRunner().invoke(
        main, [command, "--data", str(DEMO), "--period", period, "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    expected = (EXPECTED / f"{command}_{period}.{fmt}").read_bytes()
    assert result.stdout_bytes == expected
