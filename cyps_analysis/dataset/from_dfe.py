"""A complete dataset for any English authority from the DfE's published files
(``cyps-analysis dataset from-dfe``): indicators mapped to LAIT measures, each
published year's figure as the observation at the last month of its year, an empty
targets file and settings that point at the published files for benchmarks.

See docs/benchmarking.md ("A dataset from the published data").
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError

#: The environment variable naming the folder of DfE files when --dfe is not given.
DFE_ENV = "CYPS_DFE_DATA"
LAIT_FILE = "bds_long_0.parquet"
DICTIONARY_FILE = "lait_data_dictionary.csv"
NEIGHBOUR_FILES = ("sn_may_2025.xlsx", "sn_model_2025_wide.csv")
#: What the command needs, and where the DfE publishes it.
NEEDED = (
    f"{LAIT_FILE} and {DICTIONARY_FILE}: LAIT's data and dictionary, from "
    "https://github.com/dfe-analytical-services/local-authority-interactive-tool "
    "(folder 01_data/02_prod/)",
    f"{NEIGHBOUR_FILES[0]}: the children's services statistical neighbour model, from "
    "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
)
INDICATOR_COLUMNS = (
    "id", "title", "service_area", "kind", "polarity", "unit", "decimals", "aggregation",
    "frequency", "year_type", "national_code", "definition", "source",
)  # fmt: skip


@dataclass(frozen=True)
class DfeFiles:
    """The published files a dataset is made from."""

    lait: Path
    dictionary: Path
    neighbours: Path


def dfe_files(folder: str | Path | None, neighbours: str | Path | None = None) -> DfeFiles:
    """The files in ``folder`` (else the folder ``CYPS_DFE_DATA`` names).

    Raises
    ------
    CypsError
        Saying which files are needed and where the DfE publishes them, when no folder
        is given or a file is not in it.
    """
    given = folder if folder is not None else os.environ.get(DFE_ENV) or None
    needs = "It needs:\n" + "\n".join(f"- {n}" for n in NEEDED)
    if given is None:
        raise CypsError(
            "No folder of DfE files: give --dfe FOLDER, or set the environment variable "
            f"{DFE_ENV} to the folder. {needs}"
        )
    base = Path(given)
    lait, dictionary = base / LAIT_FILE, base / DICTIONARY_FILE
    if neighbours is not None:
        sn = Path(neighbours)
    else:
        sn = next(
            (base / n for n in NEIGHBOUR_FILES if (base / n).exists()), base / NEIGHBOUR_FILES[0]
        )
    for path in (lait, dictionary, sn):
        if not path.is_file():
            raise CypsError(f"{path.name}: the file is not in {path.parent}. {needs}")
    return DfeFiles(lait=lait, dictionary=dictionary, neighbours=sn)


def read_lait_rows(lait: Path, codes: list[str], la: str | None = None) -> pd.DataFrame:
    """LAIT's rows for the measures (and one authority, by LA number): ``code``,
    ``year``, ``la_code`` (text), ``value`` (missing where LAIT has ``-``)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    where = pc.field("Short Desc").isin(codes)
    if la is not None:
        where = where & (pc.field("LA Number") == float(la))
    try:
        table = pq.read_table(
            lait, columns=["Short Desc", "Years", "Values", "LA Number"], filters=where
        )
    except (OSError, pa.ArrowException) as err:
        raise CypsError(
            f"{lait.name}: the file cannot be read as LAIT's parquet data "
            f"({str(err).splitlines()[0][:100]}). Give {LAIT_FILE} as downloaded from LAIT."
        ) from None
    frame = table.to_pandas()
    number = pd.to_numeric(frame["LA Number"], errors="coerce")
    return pd.DataFrame(
        {
            "code": frame["Short Desc"].astype(str).to_numpy(),
            "year": frame["Years"].astype(str).str.strip().to_numpy(),
            "la_code": number.astype("Int64").astype("string").to_numpy(dtype=object),
            "value": pd.to_numeric(frame["Values"].astype(str).str.strip(), errors="coerce"),
        }
    )


def dataset_tables(
    rows: pd.DataFrame, measures: pd.DataFrame, la: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``indicators.csv`` and ``observations.csv`` of authority ``la`` from LAIT's rows
    (:func:`read_lait_rows`) and the measures' attributes
    (:func:`~cyps_analysis.sources.dfe_measures.measure_attributes`)."""
    from cyps_analysis.sources.published import year_forms

    none = measures["polarity"].eq("none")
    definition = measures["measure"] + np.where(
        none,
        ". LAIT's dictionary gives no polarity: good performance is neither high nor low "
        "here (an authority that treats it as high or low is good can say so).",
        ".",
    )
    indicators = pd.DataFrame(
        {
            "id": measures["id"],
            "title": measures["title"],
            "service_area": measures["service_area"],
            "kind": "benchmarking",
            "polarity": measures["polarity"],
            "unit": measures["unit"],
            "decimals": measures["decimals"],
            "aggregation": "annual",
            "frequency": "annual",
            "year_type": measures["year_type"],
            "national_code": measures["code"],
            "definition": definition,
            "source": "DfE LAIT (" + LAIT_FILE + "): " + measures["code"],
        }
    )[list(INDICATOR_COLUMNS)]
    own = rows[(rows["la_code"] == la).to_numpy() & rows["value"].notna().to_numpy()]
    _, _, one_year, end = year_forms(own["year"].reset_index(drop=True))
    attrs = measures.set_index("code")
    month = attrs["month"].reindex(own["code"]).to_numpy()
    keep = one_year & (end > 0)
    observations = pd.DataFrame(
        {
            "indicator": attrs["id"].reindex(own["code"]).to_numpy()[keep],
            "month": [f"{y:04d}-{m:02d}" for y, m in zip(end[keep], month[keep], strict=True)],
            "value": own["value"].to_numpy()[keep],
            # LAIT publishes the figure only; the EES files' counts are not joined here.
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )
    order = {key: i for i, key in enumerate(measures["id"])}
    observations = observations.sort_values(
        ["indicator", "month"], key=lambda s: s.map(order) if s.name == "indicator" else s
    )
    return indicators, observations.reset_index(drop=True)


def settings_text(
    la: str,
    name: str,
    region: str | None,
    as_at: dt.date,
    areas: list[str],
    files: DfeFiles,
    out: Path,
) -> str:
    """``settings.yaml``: the authority, its service areas and the published files
    (paths relative to the dataset's folder)."""
    import yaml

    def rel(path: Path) -> str:
        try:
            return Path(os.path.relpath(path.resolve(), out.resolve())).as_posix()
        except ValueError:  # another drive
            return path.resolve().as_posix()

    settings = {
        "authority": name,
        "la_code": la,
        "region": region,
        "as_at": as_at,
        "service_areas": areas,
        "benchmarking": {
            "lait": rel(files.lait),
            "lait_dictionary": rel(files.dictionary),
            "neighbours": rel(files.neighbours),
            "year_lag": 0,
        },
    }
    head = (
        "# Made by `cyps-analysis dataset from-dfe` from the DfE's published data.\n"
        "# Every indicator's national_code is a LAIT measure; its benchmarks come from the\n"
        "# files below. year_lag: 1 shows, for a year's report, the year before's benchmarks.\n"
    )
    return head + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)


def dataset_from_dfe(
    la: str,
    out: str | Path,
    *,
    dfe: str | Path | None = None,
    neighbours: str | Path | None = None,
    measures: list[str] | None = None,
) -> Path:
    """Write the dataset of authority ``la`` (LA number, ONS code or name) to ``out``.

    Everything is worked out before anything is written, and the files are written
    beside ``out`` and then moved in: a failure leaves an earlier dataset there intact.
    """
    from cyps_analysis.sources.authorities import reference_authorities, resolve_authority
    from cyps_analysis.sources.dfe_measures import (
        default_measures,
        measure_attributes,
        read_measure_dictionary,
    )

    files = dfe_files(dfe, neighbours)
    code = resolve_authority(la)
    codes = list(measures) if measures else default_measures()["code"].tolist()
    attrs = measure_attributes(read_measure_dictionary(files.dictionary), codes)
    rows = read_lait_rows(files.lait, codes, code)
    indicators, observations = dataset_tables(rows, attrs, code)
    if observations.empty:
        raise CypsError(
            f"{files.lait.name}: LAIT has no figures for LA {code} in the measures asked for. "
            "Check the authority (it may have been abolished) and the measures."
        )
    ref = reference_authorities()
    current = ref[(ref["old_la_code"] == code)].sort_values("code_status")
    name, region = current["la_name"].iloc[0], current["region"].iloc[0]
    last = max(observations["month"])
    year, month = int(last[:4]), int(last[5:])
    as_at = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    areas = list(dict.fromkeys(indicators["service_area"]))
    out = Path(out)
    settings = settings_text(
        code, name, None if pd.isna(region) else region, as_at, areas, files, out
    )
    _write(out, indicators, observations, settings)
    return out


def _write(out: Path, indicators: pd.DataFrame, observations: pd.DataFrame, settings: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.writing"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        indicators.to_csv(staging / "indicators.csv", index=False, lineterminator="\n")
        observations.to_csv(staging / "observations.csv", index=False, lineterminator="\n")
        (staging / "targets.csv").write_text("indicator,year,red,amber,green\n", encoding="utf-8")
        (staging / "settings.yaml").write_text(settings, encoding="utf-8")
        out.mkdir(exist_ok=True)
        for file in staging.iterdir():
            os.replace(file, out / file.name)
    except OSError as err:
        raise CypsError(
            f"Could not write the dataset to {out}: {err.strerror}. Check the folder can be "
            "written to."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
