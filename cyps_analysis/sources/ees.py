"""Reading explore-education-statistics (EES) underlying-data CSV files.

Every DfE official statistic publishes its data in one tidy format: ``time_period``,
``time_identifier``, ``geographic_level``, ``country_code``, ``region_code``,
``region_name``, ``old_la_code``, ``new_la_code``, ``la_name``, then filter columns
(``population_type``, ``category`` ...) and measure columns. Cells hold numbers or a
suppression code (``c`` confidential, ``x`` not available, ``z`` not applicable, ``u``
low reliability, ``k`` fewer than 0.5, ``low``); the kit reads each code as missing and
counts them. ``time_identifier`` says what ``time_period`` means: a "Reporting year"
2024 is the year ending 31 March 2024 (2023/24); academic and financial years are
written ``202324``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.authorities import normalise_region
from cyps_analysis.sources.derived import DERIVED, derive
from cyps_analysis.sources.published import PublishedData, year_ends, year_labels

SUPPRESSION_CODES: frozenset[str] = frozenset({"c", "x", "z", "u", "k", "low"})
REQUIRED: tuple[str, ...] = ("time_period", "time_identifier", "geographic_level")
_LEVELS = {"national": "national", "regional": "regional", "local authority": "la"}
_YEAR_TYPES = {
    "reporting year": "reporting",
    "academic year": "academic",
    "financial year": "financial",
    "calendar year": "calendar",
}
_DESCRIPTIVE = {
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
}


def measure_unit(measure: str, *, population: bool = False) -> str | None:
    """The kit's unit of an EES measure: ``rate_per_10k`` when made a rate with the
    population file, a derived measure's own, else read from the column's name, as
    the DfE names them: ``percent`` (``rereferral_percent``), ``rate_per_10k``
    (``At31_episodes_rate``, ``rate_per_10000``: children's services rates are per
    10,000); None where the name says neither (a count, days or another figure).

    Examples
    --------
    >>> [measure_unit(m) for m in ("rereferral_percent", "At31_episodes_rate", "ICPC")]
    ['percent', 'rate_per_10k', None]
    >>> measure_unit("At31_episodes", population=True), measure_unit("icpc_within_15_days")
    ('rate_per_10k', 'percent')
    """
    derived = DERIVED.get(measure)
    if population:
        return "rate_per_10k"
    if derived is not None:
        return {100.0: "percent", 10_000.0: "rate_per_10k"}.get(derived.scale)
    words = set(measure.lower().split("_"))
    if words & {"percent", "pct"}:
        return "percent"
    if "rate" in words:
        return "rate_per_10k"
    return None


def read_ees(
    path: str | Path,
    measure: str,
    *,
    filters: Mapping[str, str] | None = None,
    population: str | Path | None = None,
    polarity: str | None = None,
) -> PublishedData:
    """One measure from an EES underlying-data CSV.

    Parameters
    ----------
    path
        The CSV file.
    measure
        A measure column of the file, or a measure of :data:`~cyps_analysis.sources.derived.DERIVED`.
    filters
        ``column -> value``: keep only those rows (files with several rows per
        authority and year, such as ``population_type`` in the looked-after file).
    population
        The ONS mid-year population file: the measure (a count) becomes a rate per
        10,000 children, using the population of the mid-year before the year's end
        (the DfE's method), and is named ``<measure>_rate_per_10k``.
    polarity
        ``high``, ``low`` or ``none`` (default: the derived measure's, else none).

    Raises
    ------
    CypsError
        Naming the file, the column and what to do.
    """
    path = Path(path)
    raw = _read_csv(path)
    raw = _narrow(raw, filters or {}, path.name)
    derived = DERIVED.get(measure)
    needed = derived.columns if derived else (measure,)
    for column in needed:
        if column not in raw.columns:
            raise CypsError(
                f"{path.name}: there is no column {column!r}. Give one of the file's "
                f"measure columns ({', '.join(_measure_columns(raw))}) or a derived "
                f"measure ({', '.join(DERIVED)})."
            )
    level = raw["geographic_level"].str.strip().str.lower().map(_LEVELS)
    # Inner and Outer London are parts of the London region, not regions.
    part = raw.get("region_code", pd.Series("", index=raw.index)).str.startswith("E13")
    raw = raw[level.notna() & ~(level.eq("regional") & part)]
    level = level[raw.index]

    numbers, suppressed = _numbers(raw, needed, path.name)
    value = derive(numbers, derived) if derived else numbers[measure].to_numpy(dtype="float64")
    name = measure
    year_type = raw["time_identifier"].str.strip().str.lower().replace(_YEAR_TYPES)
    values = pd.DataFrame(
        {
            "measure": name,
            "year": raw["time_period"].str.strip().to_numpy(dtype=object),
            "year_end": year_ends(raw["time_period"]),
            "year_label": year_labels(raw["time_period"], year_type).to_numpy(dtype=object),
            "level": level.to_numpy(dtype=object),
            "la_code": _la_codes(raw, level),
            "la_name": raw.get("la_name", pd.Series("", index=raw.index))
            .replace("", None)
            .to_numpy(dtype=object),
            "region": normalise_region(raw.get("region_name", pd.Series("", index=raw.index)))
            .where(level.ne("national").to_numpy())
            .to_numpy(dtype=object),
            "value": value,
        }
    )
    _check_unique(values, raw, path.name)
    if population is not None:
        values = _per_10k(values, Path(population))
        name = values["measure"].iloc[0] if len(values) else f"{measure}_rate_per_10k"
    measures = pd.DataFrame(
        {
            "measure": [name],
            "polarity": [polarity or (derived.polarity if derived else "none")],
            "decimals": [np.nan],
            "year_type": [year_type.iloc[0] if len(year_type) else None],
            "no_quartile": [False],
        }
    )
    return PublishedData(
        values=values.reset_index(drop=True),
        measures=measures,
        source=f"DfE explore education statistics ({path.name})",
        suppressed={name: suppressed},
    )


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise CypsError(f"{path.name}: the file does not exist. Give the EES CSV file.")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise CypsError(
            f"{path.name}: the file cannot be read as CSV ({str(err).splitlines()[0][:100]}). "
            "Give an explore-education-statistics underlying-data CSV."
        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise CypsError(
            f"{path.name}: column {missing[0]!r} is missing, so this is not an "
            "explore-education-statistics underlying-data file (they start with "
            "time_period, time_identifier, geographic_level). Give such a file."
        )
    return raw


def _narrow(raw: pd.DataFrame, filters: Mapping[str, str], file: str) -> pd.DataFrame:
    for column, wanted in filters.items():
        if column not in raw.columns:
            raise CypsError(
                f"{file}: --filter names the column {column!r}, which the file does not "
                f"have. Its columns are: {', '.join(raw.columns)}."
            )
        keep = raw[column].str.strip() == str(wanted).strip()
        if not keep.any():
            have = sorted(set(raw[column]))[:12]
            raise CypsError(
                f"{file}: no row has {column} = {wanted!r}. Its values are: {'; '.join(have)}."
            )
        raw = raw[keep]
    return raw


def _measure_columns(raw: pd.DataFrame) -> list[str]:
    return [c for c in raw.columns if c not in _DESCRIPTIVE][-12:]


def _numbers(raw: pd.DataFrame, columns, file: str) -> tuple[pd.DataFrame, int]:
    """The columns as numbers, suppression codes and blanks as missing; how many
    cells carried a suppression code (in any of the columns of a row: once a row)."""
    out = {}
    suppressed = np.zeros(len(raw), dtype=bool)
    for column in dict.fromkeys(columns):
        text = raw[column].str.strip()
        code = text.str.lower().isin(SUPPRESSION_CODES).to_numpy()
        number = pd.to_numeric(text.where(~code & text.ne("")), errors="coerce")
        bad = number.isna().to_numpy() & ~code & text.ne("").to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise CypsError(
                f"{file}, row {raw.index[row] + 2}, column {column!r}: {text.iloc[row]!r} is "
                f"neither a number nor a suppression code ({', '.join(sorted(SUPPRESSION_CODES))}). "
                "Give the file as published."
            )
        suppressed |= code
        out[column] = number.to_numpy(dtype="float64")
    return pd.DataFrame(out, index=raw.index), int(suppressed.sum())


def _la_codes(raw: pd.DataFrame, level: pd.Series) -> np.ndarray:
    """Each authority row's old LA number; from its ONS code where a file gives only
    that."""
    from cyps_analysis.sources.authorities import reference_authorities

    blank = pd.Series("", index=raw.index)
    codes = raw.get("old_la_code", blank).str.strip()
    number = pd.to_numeric(codes, errors="coerce")
    text = number.astype("Int64").astype("string").astype(object)
    ref = reference_authorities().drop_duplicates("new_la_code").set_index("new_la_code")
    by_ons = raw.get("new_la_code", blank).str.strip().str.upper().map(ref["old_la_code"])
    text = text.where(number.notna(), by_ons)
    return text.where(level.eq("la") & text.notna(), None).to_numpy(dtype=object)


def _check_unique(values: pd.DataFrame, raw: pd.DataFrame, file: str) -> None:
    """One row per area and year: else the file needs narrowing with --filter."""
    key = values[["year", "level", "la_code", "region"]].astype(str)
    dup = key.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    rows = raw[dup]
    varying = [
        c
        for c in raw.columns
        if c not in _DESCRIPTIVE and rows[c].nunique() > 1 and not _numeric(rows[c])
    ]
    hint = (
        "; ".join(f"{c} ({', '.join(sorted(set(rows[c]))[:4])})" for c in varying[:3])
        or "the filter columns"
    )
    raise CypsError(
        f"{file}: there are several rows for one authority and year (e.g. row "
        f"{rows.index[0] + 2}). Choose one with --filter COLUMN=VALUE, from: {hint}."
    )


def _numeric(column: pd.Series) -> bool:
    text = column.str.strip()
    number = pd.to_numeric(text, errors="coerce")
    return bool((number.notna() | text.str.lower().isin(SUPPRESSION_CODES)).mean() > 0.5)


def _per_10k(values: pd.DataFrame, population: Path) -> pd.DataFrame:
    """Counts per 10,000 children aged 0-17, over the mid-year population of the year
    before the count's year ends (mid-2023 for 31 March 2024)."""
    pop = read_ees(population, "population_estimate").values
    pop_key = pd.MultiIndex.from_arrays(
        [pop["year_end"] + 1, pop["level"], pop["la_code"].fillna(""), pop["region"].fillna("")]
    )
    key = pd.MultiIndex.from_arrays(
        [
            values["year_end"],
            values["level"],
            values["la_code"].fillna(""),
            values["region"].fillna(""),
        ]
    )
    at = pop_key.get_indexer(key)
    denominator = np.where(at >= 0, pop["value"].to_numpy()[at], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(denominator > 0, values["value"].to_numpy() / denominator * 10_000, np.nan)
    name = f"{values['measure'].iloc[0]}_rate_per_10k" if len(values) else "rate_per_10k"
    return values.assign(value=rate, measure=name)
