"""English local authorities: their codes, names and regions, and which were abolished.

Published files name an authority in three ways: the old three-digit LA number (``372``),
the ONS code (``E08000018``) or the name (``Rotherham``). :func:`resolve_authority` reads
any of them. The reference list (``reference/authorities.csv``) holds every authority of
the ONS mid-year population estimates 2012-2024 with each ONS code it has had, and the
date an abolished authority ceased (the Dorset reorganisation of 2019, Northamptonshire
2021, Cumbria 2023). Source: ONS mid-year estimates as published by the DfE, Open
Government Licence v3.0.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

import pandas as pd

from cyps_analysis.exceptions import CypsError

REFERENCE = Path(__file__).parent / "reference" / "authorities.csv"

#: Regions as the DfE's files spell them, keyed by a lower-case form; Inner and Outer
#: London are parts of the London region.
_REGIONS: dict[str, str] = {
    "north east": "North East",
    "north west": "North West",
    "yorkshire and the humber": "Yorkshire and The Humber",
    "east midlands": "East Midlands",
    "west midlands": "West Midlands",
    "east of england": "East of England",
    "london": "London",
    "inner london": "London",
    "outer london": "London",
    "south east": "South East",
    "south west": "South West",
}


@cache
def reference_authorities() -> pd.DataFrame:
    """The reference list: ``old_la_code`` (text), ``new_la_code``, ``la_name``,
    ``region`` (one of the nine regions), ``abolished`` (a date, or missing),
    ``code_status`` (``current`` or ``former`` ONS code), ``successors`` (the old LA
    numbers of the authorities that replaced an abolished one, space-separated)."""
    table = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False)
    table["region"] = normalise_region(table["region"])
    table["abolished"] = table["abolished"].replace("", None)
    return table


def normalise_region(names: pd.Series) -> pd.Series:
    """One spelling per region (``Inner London`` and ``Outer London`` are London);
    anything else (``London (Inner)``, blanks) becomes missing.

    Examples
    --------
    >>> normalise_region(pd.Series(["Outer London", "Yorkshire and the Humber", ""])).tolist()
    ['London', 'Yorkshire and The Humber', nan]
    """
    key = names.astype("string").str.strip().str.lower()
    return key.map(_REGIONS).astype(object)


def abolished_codes() -> frozenset[str]:
    """Old LA numbers of the authorities that no longer exist."""
    ref = reference_authorities()
    return frozenset(ref.loc[ref["abolished"].notna(), "old_la_code"])


def successors() -> dict[str, tuple[str, ...]]:
    """Each abolished authority's successors (old LA numbers): Cumbria (909) ->
    Cumberland (942), Westmorland and Furness (943); and so on."""
    ref = reference_authorities()
    gone = ref[ref["abolished"].notna()].drop_duplicates("old_la_code")
    return {
        code: tuple(s.split())
        for code, s in zip(gone["old_la_code"], gone["successors"], strict=True)
    }


def resolve_authority(text: str, names: pd.DataFrame | None = None) -> str:
    """The old LA number of an authority written as its old number, ONS code or name.

    ``names`` adds (``old_la_code``, ``la_name``) pairs that a published file spells
    its own way (``Bristol, City of``). Raises :class:`CypsError` naming the nearest
    names when nothing matches.

    Examples
    --------
    >>> resolve_authority("E08000018"), resolve_authority("rotherham"), resolve_authority("372")
    ('372', '372', '372')
    """
    ref = reference_authorities()
    pairs = ref[["old_la_code", "la_name"]]
    if names is not None:
        pairs = pd.concat([pairs, names[["old_la_code", "la_name"]].astype(str)])
    given = str(text).strip()
    if given.isdigit():
        known = set(pairs["old_la_code"])
        if given in known:
            return given
        raise CypsError(
            f"{given!r} is not an LA number the kit knows. Give the authority's old LA "
            "number (e.g. 372), its ONS code (E08000018) or its name (Rotherham)."
        )
    by_code = ref.loc[ref["new_la_code"].str.upper() == given.upper(), "old_la_code"]
    if len(by_code):
        return str(by_code.iloc[0])
    folded = pairs["la_name"].str.casefold().str.replace("&", "and")
    by_name = pairs.loc[folded == given.casefold().replace("&", "and"), "old_la_code"]
    if len(by_name):
        return str(by_name.iloc[0])
    # Common variants: "Bedford Borough", "Durham", "Bristol", "Herefordshire Council".
    by_variant = pairs.loc[name_key(pairs["la_name"]) == name_key(pd.Series([given]))[0]]
    if by_variant["old_la_code"].nunique() == 1:
        return str(by_variant["old_la_code"].iloc[0])
    near = difflib.get_close_matches(given, sorted(set(pairs["la_name"])), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(map(repr, near))}?" if near else ""
    raise CypsError(
        f"{given!r} is not an authority the kit knows.{hint} Give the old LA number "
        "(e.g. 372), the ONS code (E08000018) or the name as the DfE writes it."
    )


def name_key(names: pd.Series) -> pd.Series:
    """Names reduced to what tells authorities apart: lower case, ``&`` as ``and``,
    punctuation as spaces, and the words "borough", "council", "metropolitan", "city"
    and "county" (with a following "of") left out: so "Bedford Borough" is Bedford,
    "Durham" County Durham, "Bristol" "Bristol, City of".

    Examples
    --------
    >>> name_key(pd.Series(["Bedford Borough", "Kingston upon Hull, City of", "County Durham"])).tolist()
    ['bedford', 'kingston upon hull', 'durham']
    """
    key = names.astype(str).str.casefold().str.replace("&", " and ", regex=False)
    key = key.str.replace(r"[^a-z0-9]+", " ", regex=True)
    key = key.str.replace(
        r"\b(?:(?:city|county)(?: of)?|borough|council|metropolitan)\b", " ", regex=True
    )
    return key.str.split().str.join(" ")


def authority_names() -> dict[str, str]:
    """Old LA number -> name, as in the reference list."""
    ref = reference_authorities()
    current = ref[ref["code_status"] == "current"]
    return dict(zip(current["old_la_code"], current["la_name"], strict=True))
