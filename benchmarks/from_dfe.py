"""How long ``dataset from-dfe`` takes for one authority against reading the files it
needs with pandas' defaults (LAIT's parquet and its dictionary), best of 5 each, taking
turns; then a loop over every current authority (the LAIT rows read once).

    python benchmarks/from_dfe.py [DFE_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from cyps_analysis.dataset.from_dfe import dataset_from_dfe, dataset_tables, read_lait_rows
from cyps_analysis.sources.dfe_measures import (
    default_measures,
    measure_attributes,
    read_measure_dictionary,
)

DFE = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(__file__).resolve().parents[2] / "shared" / "data" / "dfe"
)


def baseline() -> None:
    pd.read_parquet(DFE / "bds_long_0.parquet")
    pd.read_csv(DFE / "lait_data_dictionary.csv")


def main() -> None:
    out = Path(tempfile.mkdtemp())
    base, kit = [], []
    for _ in range(5):
        t = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        dataset_from_dfe("372", out / "372", dfe=DFE)
        kit.append(time.perf_counter() - t)
    print(f"reading the files (pandas): {min(base):.3f} s")
    print(f"from-dfe, one authority:    {min(kit):.3f} s  ({min(kit) / min(base):.2f}x)")

    t = time.perf_counter()
    codes = default_measures()["code"].tolist()
    attrs = measure_attributes(read_measure_dictionary(DFE / "lait_data_dictionary.csv"), codes)
    rows = read_lait_rows(DFE / "bds_long_0.parquet", codes)
    las = sorted(set(rows["la_code"].dropna()) - {str(n) for n in range(970, 1000)})
    las = [la for la in las if int(la) < 970]
    for la in las:
        indicators, observations = dataset_tables(rows, attrs, la)
        folder = out / "all" / la
        folder.mkdir(parents=True)
        indicators.to_csv(folder / "indicators.csv", index=False)
        observations.to_csv(folder / "observations.csv", index=False)
    print(
        f"tables for {len(las)} LAIT areas below 970 (read once): {time.perf_counter() - t:.2f} s"
    )


if __name__ == "__main__":
    main()
