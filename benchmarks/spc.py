"""What statistical process control (and the headline intervals) add to the scorecard
command's time.

    python benchmarks/spc.py [--indicators 200] [--years 10] [--runs 5]

One synthetic authority (tests/synthetic.py), 200 indicators x 10 years of months (120),
written as CSV files. The command ``cyps-analysis scorecard --format json`` is timed
as it is (SPC for every indicator) and with SPC turned off (the same command in a
Python that makes ``build_scorecard`` skip it), best of ``--runs`` each, alternately,
in the same run. Target: SPC adds at most 20%. Prints the ratio; asserts nothing.
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

import synthetic  # noqa: E402

PERIOD = "2024-25-Q4"
WITHOUT_SPC = """\
import sys
import cyps_analysis.scorecard.build as build
real = build.build_scorecard
build.build_scorecard = lambda dataset, period, spc=False: real(dataset, period, spc=False)
from cyps_analysis.cli.main import main
sys.argv = ["cyps-analysis", *sys.argv[1:]]
main()
"""


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args[:4])}: {done.stderr.strip()[-500:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = synthetic.write_dataset(
            synthetic.make_dataset(args.indicators, args.years, seed=1), Path(tmp) / "d"
        )
        tail = ["scorecard", "--data", str(data), "--period", PERIOD, "--format", "json"]
        with_spc = [sys.executable, "-m", "cyps_analysis", *tail]
        without = [sys.executable, "-c", WITHOUT_SPC, *tail]
        timed(with_spc), timed(without)  # warm the file cache and bytecode
        spc_times, plain_times = [], []
        for _ in range(args.runs):
            spc_times.append(timed(with_spc))
            plain_times.append(timed(without))
        # In process: what the scorecard itself takes with and without SPC.
        from cyps_analysis import build_scorecard, load_dataset

        dataset = load_dataset(data)
        build_scorecard(dataset, PERIOD, spc=True)
        inside = {}
        for spc in (False, True):
            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                build_scorecard(dataset, PERIOD, spc=spc)
                best = min(best, time.perf_counter() - start)
            inside[spc] = best
    took, base = min(spc_times), min(plain_times)
    ratio = took / base
    print(f"{args.indicators} indicators x {args.years * 12} months, --period {PERIOD}")
    print(
        f"  scorecard command, SPC for every indicator  {took * 1000:7.0f} ms (best of {args.runs})"
    )
    print(
        f"  the same command without SPC                {base * 1000:7.0f} ms (best of {args.runs})"
    )
    print(f"  ratio                                       {ratio:7.2f} x  target <= 1.20: "
          f"{'met' if ratio <= 1.2 else 'MISSED'}")  # fmt: skip
    print(f"  in process: build_scorecard {inside[False] * 1000:.1f} ms, "
          f"with spc=True {inside[True] * 1000:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
