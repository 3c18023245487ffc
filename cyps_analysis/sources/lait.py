"""Reading the Local Authority Interactive Tool's data (LAIT, the DfE's "BDS").

LAIT publishes its whole data set as one long parquet file (``bds_long_0.parquet``:
``Short Desc``, ``Data item``, ``Years``, ``LA and Regions``, ``Values``, ``LA Number``,
``Region``) and a measure dictionary (``lait_data_dictionary.csv``: ``Measure_short``,
``Polarity``, ``dps``, ``Year_Type``, ``No_Quartile``). ``Values`` is text, ``-`` where
there is no figure; LA numbers 970 and above are England (970) and the regions.

The file is read with pyarrow and turned into numbers in pyarrow's compute kernels,
distinct texts (measures, years, areas) once each: a whole-table comparison of every
authority, measure and year then costs about what pandas takes only to read the file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.authorities import normalise_region
from cyps_analysis.sources.published import SPLIT_YEARS, PublishedData, year_forms

LAIT_COLUMNS: tuple[str, ...] = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
NATIONAL_NUMBER = 970
#: LAIT's London (Inner) and London (Outer) rows: parts of a region, not regions.
LONDON_PARTS = (987, 988)
#: LAIT's year types as the kit's. "Annual" figures are counted at 31 March, so 2024 is
#: the financial year ending that March (2023/24); "Annual (end of Sept)" (the
#: workforce, at 30 September) is the calendar year it falls in; "Annual - January" (the
#: January school census) is the academic year it falls in (January 2024: 2023/24).
_YEAR_TYPES = {
    "financial year": "financial",
    "academic year": "academic",
    "calendar year": "calendar",
    "annual": "financial",
    "annual (end of sept)": "calendar",
    "annual - january": "academic",
}
#: The month of its year at which each of LAIT's year types stands (1 = January):
#: financial years and "Annual" (31 March) at March, academic years at August,
#: calendar years at December, "Annual (end of Sept)" at September and "Annual -
#: January" at January.
YEAR_TYPE_MONTHS: dict[str, int] = {
    "financial year": 3,
    "academic year": 8,
    "calendar year": 12,
    "annual": 3,
    "annual (end of sept)": 9,
    "annual - january": 1,
}
_POLARITY = {"high": "high", "low": "low"}
LEVELS: tuple[str, ...] = ("national", "regional", "la")
AREA_REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
_NUMBER = r"^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


def read_lait(data: str | Path, dictionary: str | Path | None = None) -> PublishedData:
    """LAIT's long data with its dictionary (polarity, decimals, year type, no-quartile
    flag). Without a dictionary every measure has polarity ``none``.

    Raises
    ------
    CypsError
        When a file cannot be read or lacks a column, naming the file and the fix.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = Path(data)
    try:
        schema = pq.read_schema(data)
    except (OSError, pa.ArrowException) as err:
        raise CypsError(
            f"{data.name}: the file cannot be read as LAIT's parquet data ({_reason(err)}). "
            "Give bds_long_0.parquet as downloaded from LAIT."
        ) from None
    missing = [c for c in LAIT_COLUMNS if c not in schema.names]
    if missing:
        raise CypsError(
            f"{data.name}: column {missing[0]!r} is missing, so this is not LAIT's long "
            f"data (it needs {', '.join(LAIT_COLUMNS)}). Give bds_long_0.parquet."
        )
    columns = [*LAIT_COLUMNS, *(["Region"] if "Region" in schema.names else [])]
    texts = [c for c in columns if c != "LA Number"]
    # Text columns read as parquet stores them, a dictionary of distinct texts and
    # codes: each distinct text (55,000 distinct values in 641,000 rows) is read once.
    table = pq.read_table(data, columns=columns, read_dictionary=texts)

    measure_codes, measure_names = _codes(table["Short Desc"])

    year_codes, year_texts = _codes(table["Years"])
    area_codes, area_names = _codes(table["LA and Regions"])
    if "Region" in table.column_names:
        region_codes, region_names = _codes(table["Region"])
    else:
        region_codes = np.full(table.num_rows, -1, dtype=np.int32)
        region_names = np.array([], dtype=object)

    # Everything that depends on the LA number (level, kept or not, the authority's
    # code) is worked out once per number and carried to the rows by the number.
    number = table["LA Number"].to_numpy(zero_copy_only=False).astype("float64")
    number = np.where(np.isnan(number) | (number < 0), -1, number).astype("int64") + 1
    known = np.arange(int(number.max()) + 1 if len(number) else 1) - 1
    levels = np.where(known == NATIONAL_NUMBER, 0, np.where(known > NATIONAL_NUMBER, 1, 2))
    is_la = (levels == 2) & (known >= 0) & (np.bincount(number, minlength=len(known)) > 0)
    la_numbers = known[is_la]
    # London (Inner) and (Outer), and rows without a number, measure or year, are left
    # out: they belong to no authority's comparison.
    keep = (
        (~np.isin(known, LONDON_PARTS) & (known >= 0))[number]
        & (year_codes >= 0)
        & (measure_codes >= 0)
    )
    rows = None if keep.all() else keep

    def kept(codes: np.ndarray) -> np.ndarray:
        return codes if rows is None else codes[rows]

    number = kept(number)
    level = levels.astype(np.int8)[number]
    la_codes = np.where(is_la, np.cumsum(is_la) - 1, -1).astype(_code_type(len(la_numbers)))
    area_codes, region_codes = kept(area_codes), kept(region_codes)

    # Regions: an authority's from its Region column, a region row's from its name;
    # worked out per distinct text and carried to the rows by codes.
    regions = _regions()
    region = np.append(_region_codes(region_names, regions), -1)[region_codes]
    region[level == 0] = -1
    regional = np.flatnonzero(level == 1)
    region[regional] = _region_codes(area_names, regions)[area_codes[regional]]

    measures = read_dictionary(dictionary, measure_names) if dictionary else _plain(measure_names)
    # Year labels depend on the measure's year type: worked out once per distinct
    # (year, year type) and carried to the rows by codes.
    year_type = measures.drop_duplicates("measure").set_index("measure")["year_type"]
    type_codes, type_names = pd.factorize(year_type.reindex(measure_names), use_na_sentinel=False)
    width = len(type_names)
    measure_codes, year_codes = kept(measure_codes), kept(year_codes)
    pair = year_codes * width + type_codes.astype(np.int32)[measure_codes]
    pairs = np.flatnonzero(np.bincount(pair, minlength=(len(year_texts) + 1) * width))
    text, slash, one_year, end = year_forms(pd.Series(year_texts, dtype=object))
    pair_year, pair_type = pairs // width, pairs % width
    split = pd.Index(np.asarray(type_names, dtype=object)).isin(list(SPLIT_YEARS))[pair_type]
    pair_slash = slash.iloc[pair_year].reset_index(drop=True)
    pair_text = text.iloc[pair_year].reset_index(drop=True)
    label_of_pair, label_texts = pd.factorize(
        pair_slash.where(one_year[pair_year] & split, pair_text)
    )
    label_codes = np.full((len(year_texts) + 1) * width, -1, dtype=_code_type(len(label_texts)))
    label_codes[pairs] = label_of_pair

    value_codes, parsed = _values(table["Values"])

    def cat(codes, categories):
        codes = codes.astype(_code_type(len(categories)), copy=False)
        return pd.Categorical.from_codes(codes, categories=categories, validate=False)

    values = pd.DataFrame(
        {
            "measure": cat(measure_codes, measure_names),
            "year": cat(year_codes, year_texts),
            "year_end": end[year_codes],
            "year_label": cat(label_codes[pair], label_texts),
            "level": cat(level, LEVELS),
            "la_code": cat(la_codes[number], la_numbers.astype(str)),
            "la_name": cat(area_codes, area_names),
            "region": cat(region, regions),
            "value": parsed[kept(value_codes)],
        },
        copy=False,
    )
    return PublishedData(values=values, measures=measures, source=f"DfE LAIT ({data.name})")


def read_dictionary(path: str | Path, measure_names=None) -> pd.DataFrame:
    """LAIT's measure dictionary as the kit's measures table (one row per measure).

    The dictionary lists a few measures twice; a measure takes the first polarity,
    decimals and year type given, and has no quartiles if any of its rows says so
    (``No_Quartile`` = ``N``, as LAIT's own code reads it).
    """
    path = Path(path)
    try:
        wanted = {"Measure_short", "Polarity", "dps", "Year_Type", "No_Quartile"}
        raw = pd.read_csv(
            path, dtype=str, keep_default_na=False, usecols=lambda c: c.strip() in wanted
        )
        raw.columns = [c.strip() for c in raw.columns]
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        ValueError,
    ) as err:
        raise CypsError(
            f"{path.name}: the dictionary cannot be read ({_reason(err)}). Give "
            "lait_data_dictionary.csv as downloaded from LAIT."
        ) from None
    need = ("Measure_short", "Polarity")
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise CypsError(
            f"{path.name}: column {missing[0]!r} is missing, so this is not LAIT's data "
            "dictionary. Give lait_data_dictionary.csv."
        )
    for column in ("dps", "Year_Type", "No_Quartile"):
        if column not in raw.columns:
            raw[column] = ""
    raw = raw.replace({"NA": "", "-": ""})
    table = pd.DataFrame(
        {
            "measure": raw["Measure_short"].str.strip(),
            "polarity": raw["Polarity"].str.strip().str.lower().map(_POLARITY),
            "decimals": pd.to_numeric(raw["dps"], errors="coerce"),
            "year_type": raw["Year_Type"].str.strip().str.lower().map(_YEAR_TYPES).fillna(""),
            "no_quartile": raw["No_Quartile"].str.strip().str.upper().eq("N"),
        }
    )
    table["year_type"] = table["year_type"].replace("", None)
    grouped = table.groupby("measure", sort=False)
    measures = grouped[["polarity", "decimals", "year_type"]].first()
    measures["no_quartile"] = grouped["no_quartile"].any()
    measures["polarity"] = measures["polarity"].fillna("none")
    measures = measures.reset_index()
    if measure_names is not None:
        extra = _plain(pd.Index(measure_names).difference(measures["measure"]))
        measures = pd.concat([measures, extra], ignore_index=True)
    return measures


def _plain(names) -> pd.DataFrame:
    """Measures about which nothing is known: no polarity, no decimals."""
    names = list(names)
    return pd.DataFrame(
        {
            "measure": pd.Series(names, dtype=object),
            "polarity": "none",
            "decimals": np.full(len(names), np.nan),
            "year_type": pd.Series([None] * len(names), dtype=object),
            "no_quartile": np.zeros(len(names), dtype=bool),
        }
    )


def _values(column) -> tuple[np.ndarray, np.ndarray]:
    """The ``Values`` column's codes, and each distinct text as a number (NaN for
    ``-`` and anything else that is not a number; then one more NaN, for code -1)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, texts = _codes(column, texts=False)
    texts = pc.utf8_trim_whitespace(texts)  # " 4 " is 4
    numeric = pc.match_substring_regex(texts, _NUMBER)
    parsed = pc.cast(pc.if_else(numeric, texts, None), pa.float64())
    return codes, np.append(parsed.to_numpy(zero_copy_only=False), np.nan)


def _codes(column, *, texts: bool = True):
    """Integer codes (int32) and the distinct texts of an arrow column (-1 for nulls);
    the texts as a numpy array, or as an arrow array with ``texts=False``."""
    import pyarrow as pa

    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    column = column.unify_dictionaries()
    dictionary = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
    indices = [
        (chunk.indices.fill_null(-1) if chunk.null_count else chunk.indices).to_numpy(
            zero_copy_only=False
        )
        for chunk in column.chunks
    ]
    codes = (
        np.concatenate(indices).astype(np.int32, copy=False) if indices else np.array([], "int32")
    )
    dictionary = dictionary.cast(pa.string())
    if not texts:
        return codes, dictionary
    return codes, np.asarray(dictionary.to_numpy(zero_copy_only=False), dtype=object)


def _code_type(n_categories: int) -> type:
    """The integer type pandas keeps a categorical's codes in (so none is converted)."""
    return next(t for t in (np.int8, np.int16, np.int32) if n_categories < np.iinfo(t).max)


@cache
def _regions() -> pd.Index:
    """The nine regions, each spelt once, in order (worked out once: a constant)."""
    return pd.Index(sorted(set(normalise_region(pd.Series(AREA_REGIONS)).dropna())))


def _region_codes(names: np.ndarray, regions: pd.Index) -> np.ndarray:
    """For each distinct text, the code of its region in ``regions`` (-1 if none)."""
    return regions.get_indexer(normalise_region(pd.Series(names, dtype=object)))


def _reason(err: Exception) -> str:
    return str(err).splitlines()[0][:120] if str(err) else type(err).__name__
