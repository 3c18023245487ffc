"""How fast the whole benchmarking table is: every authority, LAIT measure and year.

    python benchmarks/benchmarking.py [--dfe ../shared/data/dfe] [--runs 5]

Times, best of ``--runs`` each, in the same process, the three taking turns:

- baseline: reading ``bds_long_0.parquet`` with pandas' defaults (``pd.read_parquet``);
- the kit: reading the same file and LAIT's dictionary (``read_lait``), the May 2025
  statistical neighbour model (``read_neighbours``) and computing every comparison
  for every authority, measure and year (``compare_authorities``);
- of which the comparisons alone, from data already read.

Target: the kit at most 5 times the baseline (no thread pools). A missed target is
reported, not failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from cyps_analysis.benchmarking.compare import compare_authorities  # noqa: E402
from cyps_analysis.sources.lait import read_lait  # noqa: E402
from cyps_analysis.sources.neighbours import read_neighbours  # noqa: E402

TARGET = 5.0


def best_of(n: int, *runs) -> list[tuple[float, object]]:
    """The shortest of ``n`` timed runs of each, and each one's last result. The runs
    take turns (one of each, ``n`` times over), so that each sees the same load from
    anything else on the machine."""
    best, results = [float("inf")] * len(runs), [None] * len(runs)
    for _ in range(n):
        for i, run in enumerate(runs):
            start = time.perf_counter()
            results[i] = run()
            best[i] = min(best[i], time.perf_counter() - start)
    return list(zip(best, results, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dfe", type=Path, default=ROOT.parent / "shared" / "data" / "dfe")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    parquet = args.dfe / "bds_long_0.parquet"
    dictionary = args.dfe / "lait_data_dictionary.csv"
    model = args.dfe / "sn_may_2025.xlsx"
    if not all(p.exists() for p in (parquet, dictionary, model)):
        print(f"The DfE files are not in {args.dfe}: nothing to time.")
        return 0

    neighbours = read_neighbours(model)  # the workbook: openpyxl, not what is timed here

    def whole_table():
        return compare_authorities(read_lait(parquet, dictionary), neighbours)

    whole_table()  # warm up: imports, file cache
    pd.read_parquet(parquet)
    data = read_lait(parquet, dictionary)
    (read, raw), (kit, table), (compare, _) = best_of(
        args.runs,
        lambda: pd.read_parquet(parquet),
        whole_table,
        lambda: compare_authorities(data, neighbours),
    )
    measures = table["measure"].nunique()
    print(
        f"bds_long_0.parquet: {len(raw):,} rows; the table: {len(table):,} rows "
        f"({measures} measures, {table['la_code'].nunique()} authorities, "
        f"{table['year'].nunique()} distinct years), {table.shape[1]} columns"
    )
    print(f"pd.read_parquet (baseline):           {read:.3f} s")
    print(f"read_lait + compare_authorities:      {kit:.3f} s  ({kit / read:.2f}x the baseline)")
    print(f"  of which compare_authorities alone: {compare:.3f} s  ({compare / read:.2f}x)")
    print(f"target: at most {TARGET:g}x: {'met' if kit / read <= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
