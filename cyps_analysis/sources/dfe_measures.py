"""What the kit knows about LAIT's measures, beyond their figures: the curated default
set of children's services measures (``reference/dfe_measures.csv``), and each
measure's unit, polarity, decimals and year type as the dictionary gives them.

LAIT's dictionary gives a polarity for most measures, decimals (``dps``) for few, and a
unit only as free text (``y_axis_name``: "% of referrals", "Rate per 10,000", "Number
of children"). The reference table says, for the default measures, the unit, polarity
and decimals to use where the dictionary does not, with an id and a short title for
reports. See docs/benchmarking.md (the default measures).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError

DEFAULT_MEASURES = Path(__file__).parent / "reference" / "dfe_measures.csv"

#: LAIT's year types: the kit's year type each is reported on, and the month (1-12)
#: of that year at which a year's figure stands (docs/benchmarking.md).
YEAR_TYPES: dict[str, tuple[str, int]] = {
    "financial year": ("financial", 3),
    "annual": ("financial", 3),  # at 31 March: the financial year ending then
    "academic year": ("academic", 8),
    "annual - january": ("academic", 1),  # the January census of the academic year
    "calendar year": ("calendar", 12),
    "annual (end of sept)": ("calendar", 9),  # at 30 September
}


def default_measures() -> pd.DataFrame:
    """The default measures: ``code`` (LAIT's short code), ``id``, ``title``,
    ``service_area``, ``unit``, ``polarity``, ``decimals``; in report order."""
    table = pd.read_csv(DEFAULT_MEASURES, dtype=str, keep_default_na=False)
    table["decimals"] = table["decimals"].astype("int64")
    return table


def unit_from_text(text: pd.Series) -> pd.Series:
    """The kit's unit for LAIT's free-text unit (``y_axis_name``), missing where the
    text says none the kit has (a rate per 100,000, a unit cost).

    Examples
    --------
    >>> unit_from_text(pd.Series(["% of referrals", "Rate per 10,000", "Number of children",
    ...                           "Rate per 100,000 of 10-17 population", "Average Score"])).tolist()
    ['percent', 'rate_per_10k', 'count', None, 'score']
    """
    t = text.astype("string").str.strip().str.lower().fillna("")
    unit = np.select(
        [
            t.str.contains("%|percent|proportion", regex=True),
            t.str.contains(r"rate per 10,?000\b(?!0)", regex=True),
            t.str.contains("rate per", regex=False),
            t.str.contains(r"\bnumber\b|^fte|count", regex=True),
            t.str.contains(r"\bdays\b", regex=True),
            t.str.contains("score", regex=False),
        ],
        ["percent", "rate_per_10k", None, "count", "days", "score"],
        None,
    )
    return pd.Series(unit, index=text.index, dtype=object)


def read_measure_dictionary(path: str | Path) -> pd.DataFrame:
    """LAIT's dictionary, one row per measure: ``code``, ``measure`` (its full name),
    ``topic``, ``polarity`` (``high``, ``low`` or missing), ``decimals`` (missing if not
    given), ``unit`` (from ``y_axis_name``, missing if none fits), ``unit_text`` (the
    ``y_axis_name`` itself), ``lait_year_type`` (as LAIT writes it, lower case).

    Raises
    ------
    CypsError
        Naming the file, when it cannot be read or is not LAIT's dictionary.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        ValueError,
    ) as err:
        reason = str(err).splitlines()[0][:100] if str(err) else type(err).__name__
        raise CypsError(
            f"{path.name}: the dictionary cannot be read ({reason}). Give "
            "lait_data_dictionary.csv as downloaded from LAIT."
        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    need = ("Measure_short", "Polarity", "Year_Type")
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise CypsError(
            f"{path.name}: column {missing[0]!r} is missing, so this is not LAIT's data "
            "dictionary. Give lait_data_dictionary.csv."
        )
    for column in ("Measure", "Topic", "y_axis_name", "dps"):
        if column not in raw.columns:
            raw[column] = ""
    polarity = raw["Polarity"].str.strip().str.lower()
    table = pd.DataFrame(
        {
            "code": raw["Measure_short"].str.strip(),
            "measure": raw["Measure"].str.strip(),
            "topic": raw["Topic"].str.strip(),
            "polarity": polarity.where(polarity.isin(["high", "low"]), None),
            "decimals": pd.to_numeric(raw["dps"], errors="coerce"),
            "unit": unit_from_text(raw["y_axis_name"]),
            "unit_text": raw["y_axis_name"].str.strip(),
            "lait_year_type": raw["Year_Type"].str.strip().str.lower(),
        }
    )
    # A few measures are listed twice: the first row stands, as in read_lait.
    return table.drop_duplicates("code").reset_index(drop=True)


def measure_attributes(dictionary: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The indicators' attributes for LAIT measures (in the order given): from the
    dictionary where it gives them, else from the default measures' table; a measure
    outside that table gets its id from its code, its title from the dictionary and
    its topic as service area.

    Columns: ``code``, ``id``, ``title``, ``service_area``, ``unit``, ``polarity``
    (``none`` where neither gives one), ``decimals``, ``year_type`` (the kit's),
    ``month`` (1-12: where a year's figure stands), ``lait_year_type``, ``measure``.

    Raises
    ------
    CypsError
        For a code the dictionary does not list, or a measure whose year type or unit
        the kit cannot use (naming it, and what to do).
    """
    wanted = pd.DataFrame({"code": codes})
    known = dictionary.set_index("code")
    unknown = [c for c in codes if c not in known.index]
    if unknown:
        import difflib

        near = difflib.get_close_matches(unknown[0], list(known.index), n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(map(repr, near))}?" if near else ""
        raise CypsError(
            f"--measures: {unknown[0]!r} is not a measure in LAIT's dictionary.{hint} Give "
            "LAIT short codes (the dictionary's Measure_short), separated by commas."
        )
    info = known.loc[codes].reset_index()
    table = default_measures().set_index("code").reindex(codes).reset_index()
    out = pd.DataFrame({"code": codes})
    out["id"] = table["id"].where(table["id"].notna(), _id_from_code(wanted["code"]))
    out["title"] = table["title"].where(table["title"].notna(), info["measure"])
    out["service_area"] = table["service_area"].where(
        table["service_area"].notna(), info["topic"].replace("", "Other")
    )
    out["unit"] = table["unit"].where(table["unit"].notna(), info["unit"])
    out["polarity"] = info["polarity"].where(info["polarity"].notna(), table["polarity"])
    out["polarity"] = out["polarity"].fillna("none")
    decimals = info["decimals"].where(info["decimals"].notna(), table["decimals"])
    out["decimals"] = decimals.fillna(1).astype("int64")
    types = info["lait_year_type"].map(YEAR_TYPES)
    bad_type = types.isna().to_numpy()
    if bad_type.any():
        i = int(np.flatnonzero(bad_type)[0])
        raise CypsError(
            f"--measures: {codes[i]!r} has the year type {info['lait_year_type'].iloc[i]!r} in "
            f"LAIT's dictionary, which the kit cannot place in a year ({', '.join(YEAR_TYPES)}). "
            "Leave it out."
        )
    out["year_type"] = types.str[0]
    out["month"] = types.str[1].astype("int64")
    no_unit = out["unit"].isna().to_numpy()
    if no_unit.any():
        i = int(np.flatnonzero(no_unit)[0])
        raise CypsError(
            f"--measures: {codes[i]!r} is measured in a unit the kit does not have (LAIT says "
            f"{info['measure'].iloc[i]!r}; the kit's units are percent, rate_per_10k, days, "
            "count and score). Leave it out."
        )
    out["lait_year_type"] = info["lait_year_type"].to_numpy()
    out["measure"] = info["measure"].to_numpy()
    return out


def _id_from_code(codes: pd.Series) -> pd.Series:
    """An indicator id from a LAIT code: ``%`` as ``pct``, anything else that is not
    a letter, digit, ``_`` or ``-`` as ``_``."""
    return (
        codes.str.replace("%", "pct", regex=False)
        .str.replace(r"[^A-Za-z0-9_-]+", "_", regex=True)
        .str.strip("_")
    )
