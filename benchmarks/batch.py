"""How fast batch runs are: notebooks per minute against the floor, two workers against
one, growth with periods x authorities, and shared loading against separate runs.

    python benchmarks/batch.py [--data data/demo] [--quarters 2024-25-Q1:2024-25-Q4]
                               [--templates scorecard,service_area,benchmarking,deep_dive]
                               [--parts 1,2,3]

Measured in one run, each against a baseline from the same run:

1. Throughput in notebooks per minute of a batch (the demo and a renamed copy, two
   quarters) with ``--jobs 1``, ``--jobs 2`` and ``--scheduler local:2``, each against
   its floor: as many trivial notebooks drawing as many charts, on the same workers.
   Goal: each within 1.3x of its floor; ``--jobs 2`` at least 1.7x faster than 1.
   Beside it, how much faster two processes of plain arithmetic are than one at that
   moment: the most two workers can give on the machine (less when it is busy).
2. Growth: seconds per notebook of 1 authority x 1 quarter against 2 x 2 (``--jobs 2``).
   Goal: linear or better (seconds per notebook no more than 15% higher for the larger
   batch; fixed costs shared by more notebooks make it lower).
3. ``cyps-analysis run --period Q1:Q4`` (one authority, ``--jobs 2``, every template)
   against the same command run once per quarter, each in its own process as typed.
   Goal: the one run at least 15% faster.

``--templates`` limits the notebooks (all by default) to make a quick measurement.
Missed goals are reported, not failed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pack import floor_notebooks  # noqa: E402
from cyps_analysis.reports._batch_inputs import expand_periods  # noqa: E402
from cyps_analysis.reports.batch import plan_batch, run_batch  # noqa: E402
from cyps_analysis.reports.pack import NOTEBOOKS  # noqa: E402
from cyps_analysis.reports.report import open_report  # noqa: E402
from cyps_analysis.reports.runner import Job, run_tasks  # noqa: E402

NB = ROOT / "notebooks"
MODES = (("--jobs 1", 1, None), ("--jobs 2", 2, None), ("--scheduler local:2", 1, "local:2"))


def arithmetic(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(n: int = 20_000_000) -> float:
    """How much faster two processes do the same plain arithmetic than one, measured
    now: the most two workers can give on this machine at this moment (1.0 when other
    work holds the second core)."""
    import multiprocessing

    start = time.perf_counter()
    arithmetic(n)
    arithmetic(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(arithmetic, [0, 0])  # the processes started before timing
        start = time.perf_counter()
        pool.map(arithmetic, [n, n])
        two = time.perf_counter() - start
    return one / two


def copy_renamed(data: Path, folder: Path) -> Path:
    shutil.copytree(data, folder)
    settings = folder / "settings.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines()
    lines = ["authority: Copy Borough" if x.startswith("authority:") else x for x in lines]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def time_batch(data, period, root, templates, workers=1, scheduler=None) -> tuple[float, int]:
    start = time.perf_counter()
    packs = plan_batch(data, period, root, notebooks=NB, templates=templates)
    result = run_batch(packs, root, notebooks=NB, workers=workers, scheduler=scheduler)
    seconds = time.perf_counter() - start
    if not result.ok:
        sys.exit(f"The batch in {root} failed")
    return seconds, sum(len(p.jobs) for p in packs)


def time_floor(jobs: list[Job], folder: Path, out: Path, workers=1, scheduler=None) -> float:
    floor = [
        Job("floor", f"{k}", j.title, {"charts": j.charts}, charts=j.charts)
        for k, j in enumerate(jobs)
    ]
    (out / "_internal").mkdir(parents=True, exist_ok=True)
    tasks = [(j, out) for j in floor]
    start = time.perf_counter()
    if scheduler:
        from cyps_analysis.reports.dask_runner import run_on_dask

        results = run_on_dask(tasks, folder, scheduler=scheduler)
    else:
        results = run_tasks(tasks, folder, workers=workers)
    if not all(r.ok for r in results):
        sys.exit("The floor failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--quarters", default="2024-25-Q1:2024-25-Q4")
    parser.add_argument("--templates", default=",".join(NOTEBOOKS))
    parser.add_argument("--parts", default="1,2,3", help="which measurements: 1, 2 and 3 above")
    args = parser.parse_args()
    parts = args.parts.split(",")
    templates = tuple(args.templates.split(","))
    report = open_report(args.data, "latest")
    quarters = [p.label for p in expand_periods(args.quarters, report.dataset)]
    two = ",".join(quarters[-2:])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor_notebooks(tmp)
        datasets = [args.data, copy_renamed(args.data, tmp / "data" / "copy")]
        packs = plan_batch(datasets, two, tmp / "plan", notebooks=NB, templates=templates)
        jobs = [j for p in packs for j in p.jobs]
        print(
            f"Batch: 2 authorities x {two}: {len(jobs)} notebooks, {sum(j.charts for j in jobs)} charts"
        )
        if "1" in parts:
            throughput(datasets, two, tmp, templates, jobs)
        if "2" in parts:
            growth(datasets, two, quarters[-1], tmp, templates)
        if "3" in parts:
            separate_runs(args.data, quarters, tmp)


def throughput(datasets, two, tmp, templates, jobs) -> None:
    figures = {}
    for name, workers, scheduler in MODES:
        key = name.replace(" ", "").replace(":", "")
        floor = time_floor(jobs, tmp, tmp / f"floor-{key}", workers, scheduler)
        batch, n = time_batch(datasets, two, tmp / f"b-{key}", templates, workers, scheduler)
        figures[name] = (batch, floor, n)
        print(
            f"{name:21}: {60 * n / batch:5.1f} notebooks/min  floor {60 * n / floor:5.1f}"
            f"  batch/floor {batch / floor:4.2f}x (goal <= 1.3x: "
            f"{'met' if batch / floor <= 1.3 else 'MISSED'})"
        )
    speedup = figures["--jobs 1"][0] / figures["--jobs 2"][0]
    print(
        f"--jobs 2 vs --jobs 1: {speedup:.2f}x (goal >= 1.7x: {'met' if speedup >= 1.7 else 'MISSED'});"
        f" this machine now: 2 processes of plain arithmetic {machine_speedup():.2f}x faster than 1"
    )


def growth(datasets, two, last, tmp, templates) -> None:
    small, n1 = time_batch(datasets[:1], last, tmp / "g1", templates, 2)
    large, n4 = time_batch(datasets, two, tmp / "g4", templates, 2)
    ratio = (large / n4) / (small / n1)
    print(
        f"growth: 1x1 {small:.1f} s for {n1} notebooks, 2x2 {large:.1f} s for {n4}: "
        f"{ratio:.2f}x the seconds per notebook (goal: linear or better, at most 1.15x: "
        f"{'met' if ratio <= 1.15 else 'MISSED'})"
    )


def separate_runs(data, quarters, tmp) -> None:
    # The commands as an analyst types them: a shell loop of runs against one run of
    # the range (every template: the --templates limit does not apply here).
    separate = sum(time_command(data, q, tmp / "separate" / q) for q in quarters)
    together = time_command(data, f"{quarters[0]}:{quarters[-1]}", tmp / "together")
    n = sum(1 for _ in (tmp / "together").glob("*/*.html")) - len(quarters)  # not index.html
    gain = 1 - together / separate
    print(
        f"{len(quarters)} quarters: one run {together:.1f} s vs {len(quarters)} separate runs "
        f"{separate:.1f} s (cyps-analysis run --jobs 2): {100 * gain:.0f}% faster "
        f"(goal >= 15%: {'met' if gain >= 0.15 else 'MISSED'}); {60 * n / together:.1f} notebooks/min"
    )


def time_command(data: Path, period: str, out: Path) -> float:
    """Seconds for ``cyps-analysis run`` as typed, in its own process."""
    command = [str(Path(sys.executable).parent / "cyps-analysis"), "run", "--data", str(data)]
    command += ["--period", period, "--out", str(out), "--jobs", "2", "--notebooks", str(NB)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
