"""How fast the scorecard is, and that it gives the plain code's figures.

    python benchmarks/scorecard.py [--authorities 150] [--oracle-sample N] [--demo DIR]

(a) one synthetic authority, 200 indicators x 10 years of months, loaded: the
    vectorised ``build_scorecard`` against the indicator-by-indicator oracle
    (tests/oracle.py); target: at least 8 times faster. Then the same for 10 and 2,000
    indicators, to show what a call costs whatever its size and what each indicator adds.
(b) 150 authorities at once through ``build_scorecards`` against the oracle run on each
    (or on a sample of ``--oracle-sample`` authorities, its time scaled up); target: at
    least 20 times faster.
(c) one authority's scorecard in process on data/demo; target: under 0.2 s.
(d) the command ``cyps-analysis scorecard --period 2024-25-Q4 --format csv`` on a
    dataset of 200 indicators x 120 months (written as CSV files), against the floor: a
    Python that only imports pandas and reads the same CSV files, best of 5 each;
    target: at most 2 times the floor. The same on data/demo, for information.

Exits 1 if any scorecard differs from the oracle's figures; missed targets are reported
but do not fail the run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import oracle  # noqa: E402
import synthetic  # noqa: E402

from cyps_analysis import build_scorecard, build_scorecards, load_dataset  # noqa: E402

DEMO = ROOT / "data" / "demo"
PERIOD = "2024-25-Q4"


def best_of(n: int, run) -> tuple[float, object]:
    """The shortest of ``n`` timed runs, and the last run's result."""
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report_differences(label: str, problems: list[str]) -> bool:
    if problems:
        print(f"  {label}: {len(problems)} figures differ from the oracle, e.g.")
        for p in problems[:10]:
            print(f"    {p}")
    return not problems


def single_authority() -> bool:
    print("(a) one authority, 200 indicators x 10 years of months, period", PERIOD)
    dataset = synthetic.make_dataset(200, 10, seed=1)
    print(f"    {len(dataset.observations):,} monthly records")
    build_scorecard(dataset, PERIOD)  # pays for imports, once
    fast, card = best_of(5, lambda: build_scorecard(dataset, PERIOD))
    slow, expected = best_of(3, lambda: oracle.expected_scorecard(dataset, PERIOD))
    ratio = slow / fast
    print(f"    vectorised build_scorecard  {fast * 1000:8.1f} ms  (best of 5)")
    print(f"    oracle                      {slow * 1000:8.1f} ms  (best of 3)")
    print(f"    oracle / vectorised         {ratio:8.1f} x   target >= 8 x: {verdict(ratio >= 8)}")
    ok = report_differences("(a)", oracle.differences(card, expected, limit=0))
    sizes = {}
    for k in (10, 2000):
        other = synthetic.make_dataset(k, 10, seed=1)
        build_scorecard(other, PERIOD)
        took, card = best_of(5, lambda other=other: build_scorecard(other, PERIOD))
        plain, expected = best_of(1, lambda other=other: oracle.expected_scorecard(other, PERIOD))
        ok &= report_differences(f"(a) {k}", oracle.differences(card, expected, limit=0))
        sizes[k] = took, plain
        print(
            f"    {k:>5} indicators: vectorised {took * 1000:6.1f} ms, oracle {plain * 1000:7.1f} ms,"
            f" {plain / took:5.1f} x"
        )
    (t10, o10), (t2k, o2k) = sizes[10], sizes[2000]
    print(
        f"    each indicator more: vectorised {(t2k - t10) / 1990 * 1e6:.1f} us,"
        f" oracle {(o2k - o10) / 1990 * 1e6:.0f} us"
    )
    return ok


def many_authorities(k: int, sample: int | None) -> bool:
    print(f"\n(b) {k} authorities at once, 200 indicators x 10 years each, period", PERIOD)
    start = time.perf_counter()
    datasets = synthetic.make_authorities(k, 200, 10, seed=2)
    rows = sum(len(d.observations) for d in datasets.values())
    print(f"    {rows:,} monthly records (generated in {time.perf_counter() - start:.1f} s)")
    fast, cards = best_of(1, lambda: build_scorecards(datasets, PERIOD))
    names = list(datasets)
    checked = names if not sample or sample >= k else names[:: max(1, k // sample)][:sample]
    # Only the oracle's own work is timed: the comparison of its figures with the
    # vectorised ones comes after.
    start = time.perf_counter()
    expected = {name: oracle.expected_scorecard(datasets[name], PERIOD) for name in checked}
    slow = (time.perf_counter() - start) * k / len(checked)
    ok = True
    by_authority = dict(iter(cards.groupby("authority", sort=False)))
    for name in checked:
        card = by_authority[name].reset_index(drop=True)
        ok &= report_differences(f"(b) {name}", oracle.differences(card, expected[name], limit=0))
    scaled = "" if len(checked) == k else f" (timed on {len(checked)}, scaled to {k})"
    ratio = slow / fast
    print(f"    vectorised build_scorecards {fast:8.2f} s")
    print(f"    oracle, one by one          {slow:8.2f} s{scaled}")
    print(
        f"    oracle / vectorised         {ratio:8.1f} x   target >= 20 x: {verdict(ratio >= 20)}"
    )
    print(f"    compared with the oracle: {len(checked)} of {k} authorities")
    return ok


def demo_in_process(demo: Path) -> bool:
    print(f"\n(c) {demo} in process, period {PERIOD}")
    if not (demo / "indicators.csv").exists():
        print(f"    skipped: no dataset in {demo}")
        return True
    load, dataset = best_of(3, lambda: load_dataset(demo))
    took, card = best_of(5, lambda: build_scorecard(dataset, PERIOD))
    print(f"    load_dataset                {load * 1000:8.1f} ms  (best of 3)")
    print(
        f"    build_scorecard             {took * 1000:8.1f} ms  (best of 5)"
        f"   target < 200 ms: {verdict(took < 0.2)}"
    )
    expected = oracle.expected_scorecard(dataset, PERIOD)
    return report_differences("(c)", oracle.differences(card, expected, limit=0))


def command_line(demo: Path, *, target: bool) -> None:
    print(f"\n(d) the scorecard command on {demo.name}, --period {PERIOD} --format csv")
    if not (demo / "indicators.csv").exists():
        print(f"    skipped: no dataset in {demo}")
        return
    command = [
        sys.executable,
        "-m",
        "cyps_analysis",
        "scorecard",
        "--data",
        str(demo),
        "--period",
        PERIOD,
        "--format",
        "csv",
    ]
    files = sorted(str(p) for p in demo.glob("*.csv"))
    baseline = [
        sys.executable,
        "-c",
        f"import pandas\nfor f in {files!r}:\n    pandas.read_csv(f)",
    ]

    def run(args):
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1:] or done.returncode)

    try:
        run(command)
    except RuntimeError as err:
        print(f"    skipped: the command failed ({err})")
        return
    run(baseline)
    took, _ = best_of(5, lambda: run(command))
    base, _ = best_of(5, lambda: run(baseline))
    ratio = took / base
    print(f"    cyps-analysis scorecard     {took * 1000:8.0f} ms  (best of 5)")
    print(f"    python: pandas reads CSVs   {base * 1000:8.0f} ms  (best of 5)")
    verdict_text = f"   target <= 2 x: {verdict(ratio <= 2)}" if target else ""
    print(f"    command / baseline          {ratio:8.2f} x{verdict_text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument(
        "--oracle-sample",
        type=int,
        default=None,
        help="check (b) against the oracle on this many authorities and scale its time",
    )
    parser.add_argument(
        "--demo", type=Path, default=DEMO, help="the dataset for (c) and (d); data/demo"
    )
    args = parser.parse_args()
    ok = single_authority()
    ok &= many_authorities(args.authorities, args.oracle_sample)
    ok &= demo_in_process(args.demo)
    with tempfile.TemporaryDirectory() as folder:
        big = synthetic.write_dataset(
            synthetic.make_dataset(200, 10, seed=1), Path(folder) / "synthetic_200x120"
        )
        command_line(big, target=True)
    command_line(args.demo, target=False)
    print("\nall scorecards agree with the oracle" if ok else "\nSCORECARDS DIFFER FROM THE ORACLE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
