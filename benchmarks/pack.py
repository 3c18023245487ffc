"""How fast the period pack is against the floor of running notebooks at all.

    python benchmarks/pack.py [--data data/demo] [--period latest]

Times the demo's quarterly pack (the ``cyps-analysis run`` work: load, scorecard,
every notebook executed and exported) with one process and with two, and, in the
same run, the floor: as many notebooks as the pack has, each importing pandas and
seaborn and drawing as many simple line charts as the matching report, run and
exported the same way (papermill and the same HTML exporter, same workers).

Targets: the pack within 1.5x of the floor with one process; at least 1.7x faster
again with two; each HTML report under 2 MB. Missed targets are reported, not failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyps_analysis.reports.pack import plan, run_pack  # noqa: E402
from cyps_analysis.reports.report import open_report  # noqa: E402
from cyps_analysis.reports.runner import Job, run_jobs  # noqa: E402

FLOOR_CODE = """\
import numpy as np
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt

frame = pd.DataFrame({"month": np.arange(36), "value": np.linspace(80, 90, 36)})
for _ in range(charts):
    sns.lineplot(frame, x="month", y="value")
    plt.show()
"""


def floor_notebooks(folder: Path) -> None:
    """One floor notebook: a parameters cell (``charts``) and the drawing cell."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    params = new_code_cell("charts: int = 0  # line charts to draw")
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, new_code_cell(FLOOR_CODE)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "floor.ipynb")


def time_pack(data: Path, period: str, workers: int, root: Path) -> tuple[float, list]:
    start = time.perf_counter()
    report = open_report(data, period)
    result = run_pack(report, data, root, notebooks=ROOT / "notebooks", workers=workers)
    seconds = time.perf_counter() - start
    if not result.ok:
        sys.exit("The pack failed: " + "; ".join(result.failures))
    return seconds, list(result.folder.glob("*.html"))


def time_floor(jobs: list[Job], workers: int, out: Path, notebooks: Path) -> float:
    floor = [Job("floor", j.name, j.title, {"charts": j.charts}, charts=j.charts) for j in jobs]
    start = time.perf_counter()
    results = run_jobs(floor, notebooks, out, workers=workers)
    seconds = time.perf_counter() - start
    if not all(r.ok for r in results):
        sys.exit("The floor failed: " + "; ".join(r.error or "" for r in results if not r.ok))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--period", default="latest")
    args = parser.parse_args()
    report = open_report(args.data, args.period)
    jobs = plan(report, args.data.resolve())
    charts = sum(j.charts for j in jobs)
    print(f"Pack {report.period.label}: {len(jobs)} notebooks, {charts} charts")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor_notebooks(tmp)
        figures = {}
        for workers in (1, 2):
            figures[("floor", workers)] = time_floor(jobs, workers, tmp / f"floor{workers}", tmp)
            seconds, pages = time_pack(args.data, args.period, workers, tmp / f"pack{workers}")
            figures[("pack", workers)] = seconds
        sizes = sorted(((p.stat().st_size, p.name) for p in pages), reverse=True)
    for workers in (1, 2):
        f, p = figures[("floor", workers)], figures[("pack", workers)]
        print(f"--jobs {workers}: pack {p:6.1f} s   floor {f:6.1f} s   pack/floor {p / f:4.2f}x")
    ratio = figures[("pack", 1)] / figures[("floor", 1)]
    speedup = figures[("pack", 1)] / figures[("pack", 2)]
    print(
        f"pack within {ratio:.2f}x of the floor with --jobs 1 (target <= 1.5x): "
        f"{'met' if ratio <= 1.5 else 'MISSED'}"
    )
    print(
        f"--jobs 2 is {speedup:.2f}x faster than --jobs 1 (target >= 1.7x): "
        f"{'met' if speedup >= 1.7 else 'MISSED'}"
    )
    largest, name = sizes[0]
    print(
        f"largest HTML report {name}: {largest / 1e6:.2f} MB (target < 2 MB): "
        f"{'met' if largest < 2e6 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
