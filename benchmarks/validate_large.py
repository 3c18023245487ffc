"""How long ``validate`` takes on a 50 MB observations file of unknown ids, and that
its output stays bounded (each check lists 50 problems, then counts the others).

    python benchmarks/validate_large.py [--mb 50]

Writes the demo dataset with ``observations.csv`` grown to about ``--mb`` megabytes
of rows whose indicator is not in ``indicators.csv``, in a temporary folder, then
times, in the same process:

- baseline: reading that file with pandas' defaults (``pd.read_csv``);
- the kit: ``cyps-analysis validate`` on the dataset (through click's test runner).

Prints the seconds, their ratio and the size of validate's message. Nothing is
asserted: times depend on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from cyps_analysis.cli.main import main  # noqa: E402


def _write_bad_dataset(folder: Path, megabytes: float) -> Path:
    shutil.copytree(ROOT / "data" / "demo", folder)
    obs = folder / "observations.csv"
    line = "no_such_indicator_{:08d},2024-03,12.5,,\n"
    rows = int(megabytes * 1_000_000 / len(line.format(0)))
    with obs.open("a", encoding="utf-8") as f:
        for start in range(0, rows, 100_000):
            f.write("".join(line.format(i) for i in range(start, min(start + 100_000, rows))))
    return folder


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the bad file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = _write_bad_dataset(Path(tmp) / "data", args.mb)
        size = (data / "observations.csv").stat().st_size / 1e6
        start = time.perf_counter()
        pd.read_csv(data / "observations.csv")
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        result = CliRunner().invoke(main, ["validate", "--data", str(data)])
        kit = time.perf_counter() - start
    lines = result.output.splitlines()
    print(f"observations.csv: {size:.1f} MB")
    print(f"baseline pd.read_csv: {baseline:.2f} s")
    print(f"validate:             {kit:.2f} s  ({kit / baseline:.1f}x the baseline)")
    print(
        f"exit code {result.exit_code}; message {len(result.output):,} characters, {len(lines)} lines"
    )
    print("last line:", lines[-1] if lines else "")


if __name__ == "__main__":
    main_()
