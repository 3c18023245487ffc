"""Benchmarks from the DfE's published files for the ``benchmark`` command:
:func:`load_published` reads a source file whatever its format (LAIT parquet or an
explore-education-statistics CSV); :func:`authority_record` gives one authority's
comparisons for one measure and year as the command's JSON object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.published import PublishedData


def load_published(
    source: str | Path,
    *,
    measure: str | None = None,
    filters: Mapping[str, str] | None = None,
    population: str | Path | None = None,
    polarity: str | None = None,
    dictionary: str | Path | None = None,
) -> PublishedData:
    """Read a published file: LAIT's parquet (``measure`` optional: a LAIT short code;
    the dictionary defaults to ``lait_data_dictionary.csv`` beside it) or an EES CSV
    (``measure`` a column or a derived measure; see :func:`~cyps_analysis.sources.ees.read_ees`)."""
    source = Path(source)
    if not source.exists():
        raise CypsError(
            f"{source.name}: the file does not exist. Give LAIT's bds_long_0.parquet or "
            "an explore-education-statistics CSV."
        )
    if source.suffix.lower() == ".parquet":
        from cyps_analysis.sources.lait import read_lait

        if filters or population:
            raise CypsError(
                "--filter and --population apply to explore-education-statistics CSV "
                "files; LAIT's figures are already one per authority and rates. Leave them out."
            )
        data = read_lait(source, lait_dictionary(source, dictionary))
        if measure is not None:
            data = _one_measure(data, measure, source.name)
        return data
    from cyps_analysis.sources.ees import read_ees

    if measure is None:
        raise CypsError(
            f"{source.name}: give --measure, the column of the file to compare (or a "
            "derived measure such as icpc_within_15_days)."
        )
    return read_ees(source, measure, filters=filters, population=population, polarity=polarity)


#: LAIT's dictionary as the DfE names it; looked for beside the parquet file.
LAIT_DICTIONARY = "lait_data_dictionary.csv"


def lait_dictionary(data: str | Path, given: str | Path | None = None) -> Path:
    """The LAIT dictionary to read with ``data``: ``given``, else
    ``lait_data_dictionary.csv`` beside the parquet file.

    Without the dictionary every measure would lose its polarity, year type and
    no-quartile flag (``polarity: none``, years unlabelled, no band), so a missing one is
    an error, not a quiet default.

    Raises
    ------
    CypsError
        Naming the file looked for, when it does not exist.
    """
    path = Path(given) if given is not None else Path(data).parent / LAIT_DICTIONARY
    if not path.is_file():
        where = "" if given is not None else f" (looked for it beside {Path(data).name})"
        raise CypsError(
            f"{path.name}: LAIT's data dictionary does not exist{where}. Without it the "
            "measures' polarity, year type and quartile flags are unknown. Download "
            "lait_data_dictionary.csv from LAIT (github.com/dfe-analytical-services/"
            "local-authority-interactive-tool) and put it beside the parquet file, or give "
            "its path (--dictionary, or lait_dictionary: under benchmarking: in settings.yaml)."
        )
    return path


def _one_measure(data: PublishedData, measure: str, file: str) -> PublishedData:
    import difflib

    values = data.values
    keep = (values["measure"] == measure).to_numpy()
    if not keep.any():
        known = [str(m) for m in values["measure"].cat.categories]
        near = difflib.get_close_matches(measure, known, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(map(repr, near))}?" if near else ""
        raise CypsError(
            f"{file}: there is no measure {measure!r}.{hint} Give a LAIT short code "
            "(the 'Short Desc' column, e.g. ReReferral)."
        )
    values = values[keep].reset_index(drop=True)
    values["measure"] = values["measure"].cat.remove_unused_categories()
    measures = data.measures[data.measures["measure"] == measure]
    return PublishedData(values=values, measures=measures, source=data.source)


def authority_record(row: pd.Series, *, quintiles: bool = False) -> dict:
    """One row of :func:`~cyps_analysis.benchmarking.compare.compare_authorities`'s table as
    the ``benchmark`` command's JSON object (missing numbers as ``None``)."""
    width = sum(1 for c in row.index if c.startswith("neighbour_") and c.endswith("_value"))
    record = {
        "la": _text(row["la_code"]),
        "la_name": _text(row["la_name"]),
        "measure": _text(row["measure"]),
        "year": _text(row["year"]),
        "year_label": _text(row["year_label"]),
        "polarity": _text(row["polarity"]),
        "value": _number(row["value"]),
        "stat_neighbour_avg": _number(row["stat_neighbour_avg"]),
        "stat_neighbours_used": int(row["stat_neighbours_used"]),
        "best_stat_neighbour": _number(row["best_stat_neighbour"]),
        "best_stat_neighbour_la": _text(row["best_stat_neighbour_la"]),
        "rank_among_neighbours": _whole(row["rank_among_neighbours"]),
        "national": _number(row["national"]),
        "region": _text(row["region"]),
        "regional": _number(row["regional"]),
        "quartiles": [_number(row[f"quartile_{q}"]) for q in (25, 50, 75)],
        "band": _text(row["band"]),
        "rank": _whole(row["rank"]),
        "rank_of": int(row["rank_of"]),
        "top_quartile_threshold": _number(row["top_quartile_threshold"]),
        "neighbours": {
            _text(row[f"neighbour_{i}"]): _number(row[f"neighbour_{i}_value"])
            for i in range(1, width + 1)
            if _text(row[f"neighbour_{i}"]) is not None
        },
    }
    if quintiles:
        record["quintiles"] = [_number(row[f"quintile_{q}"]) for q in (20, 40, 60, 80)]
        record["quintile_band"] = _text(row["quintile_band"])
    return record


def _number(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _whole(x) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _text(x) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA else str(x)
