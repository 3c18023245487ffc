"""Laying published figures out for :mod:`cyps_analysis.benchmarking.compare`: codes for
measures, years and authorities, each authority's neighbours, England's and the
regions' figures, and which abolished authorities have been replaced.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError
from cyps_analysis.sources.authorities import successors
from cyps_analysis.vocab import POLARITIES


def dense_unique(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for small non-negative whole-number
    keys (below ``size``), without sorting."""
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[keys]


def replaced_authorities(has: np.ndarray, authorities: pd.Index) -> np.ndarray:
    """Where an abolished authority has been replaced: any of its successors has a
    value for the measure and year (one row per group, one column per authority)."""
    gone = successors()
    replaced = np.zeros(has.shape, dtype=bool)
    old = authorities.get_indexer(list(gone))
    for column, code in zip(old, gone, strict=True):
        if column < 0:
            continue
        later = authorities.get_indexer(list(gone[code]))
        later = later[later >= 0]
        replaced[:, column] = has[:, later].any(axis=1) if len(later) else False
    return replaced


def as_categories(values: pd.DataFrame) -> pd.DataFrame:
    """The values table with its text columns as categories (LAIT's already are)."""
    text = ["measure", "year", "year_label", "level", "la_code", "la_name", "region"]
    change = {c: "category" for c in text if not isinstance(values[c].dtype, pd.CategoricalDtype)}
    if not change:
        return values
    values = values.astype({c: object for c in change}).astype(change)
    return values


def group_polarity(
    measures: pd.DataFrame, group_measures: np.ndarray, polarity: str | Mapping[str, str] | None
) -> np.ndarray:
    """Each group's polarity: the measure's own, unless overridden."""
    own = measures.drop_duplicates("measure").set_index("measure")["polarity"]
    pol = own.reindex(group_measures).fillna("none").to_numpy(dtype=object)
    if isinstance(polarity, str):
        pol = np.full(len(group_measures), polarity, dtype=object)
    elif polarity:
        given = pd.Series(group_measures).map(dict(polarity)).to_numpy(dtype=object)
        pol = np.where(pd.isna(given), pol, given)
    bad = set(pol) - set(POLARITIES)
    if bad:
        raise CypsError(f"{sorted(bad)[0]!r} is not a polarity. Give high, low or none.")
    return pol.astype(object)


def neighbour_slots(neighbours: pd.DataFrame, authorities: pd.Index) -> np.ndarray:
    """For each authority, the columns of its neighbours in position order; the
    padding column (``len(authorities)``) where it has fewer or none."""
    width = int(neighbours["position"].max()) if len(neighbours) else 10
    slots = np.full((len(authorities), max(width, 1)), len(authorities), dtype="int64")
    own = authorities.get_indexer(neighbours["la_code"])
    theirs = authorities.get_indexer(neighbours["neighbour"])
    slots[own, neighbours["position"].to_numpy(dtype="int64") - 1] = theirs
    return slots


def published_areas(
    frame: pd.DataFrame, group: np.ndarray, n_groups: int, authorities: pd.Index
) -> tuple[np.ndarray, np.ndarray, pd.Categorical]:
    """England's figure per group; each region's figure per group (a last column of
    NaN for authorities without a region); each authority's region. ``group``: each
    row's group (-1 for a measure and year no authority has)."""
    level = frame["level"].cat.codes.to_numpy()
    names = list(frame["level"].cat.categories)
    regions = frame["region"].cat.categories
    region_codes = frame["region"].cat.codes.to_numpy()
    # England's and the regions' rows: a few among the authorities' many.
    other = np.flatnonzero(level != (names.index("la") if "la" in names else -2))
    level_of, group_of = level[other], group[other]
    value_of = frame["value"].to_numpy(dtype="float64")[other]

    national = np.full(n_groups, np.nan)
    if "national" in names:
        nat = (level_of == names.index("national")) & (group_of >= 0)
        national[group_of[nat]] = value_of[nat]

    table = np.full((n_groups, len(regions) + 1), np.nan)
    if "regional" in names:
        region_of = region_codes[other]
        reg = (level_of == names.index("regional")) & (group_of >= 0) & (region_of >= 0)
        table[group_of[reg], region_of[reg]] = value_of[reg]

    la = (level == names.index("la")) & (region_codes >= 0) if "la" in names else None
    own = np.full(len(authorities), -1)
    if la is not None:
        own[frame["la_code"].cat.codes.to_numpy()[la]] = region_codes[la]
    missing = own < 0
    if missing.any():
        from cyps_analysis.sources.authorities import reference_authorities

        ref = reference_authorities().drop_duplicates("old_la_code").set_index("old_la_code")
        fill = regions.get_indexer(ref["region"].reindex(authorities[missing]).astype(object))
        own[missing] = fill
    # An authority without a region (code -1) reads the last column, all NaN.
    return national, table, pd.Categorical.from_codes(own, categories=regions)


def authority_names_for(
    frame: pd.DataFrame, authority_row: np.ndarray, authorities: pd.Index
) -> pd.Categorical:
    """Each authority's name as the file writes it in its last row (``authority_row``,
    -1 for none), the reference list's otherwise."""
    from cyps_analysis.sources.authorities import authority_names

    own = np.append(frame["la_name"].cat.codes.to_numpy(), -1)[authority_row]
    names = pd.Index(np.asarray(frame["la_name"].cat.categories, dtype=object))
    missing = own < 0
    if missing.any():
        extra = pd.Series(authority_names()).reindex(authorities[missing]).fillna("")
        names = names.append(pd.Index(extra.to_numpy(dtype=object)).difference(names))
        own[missing] = names.get_indexer(extra.to_numpy(dtype=object))
    return pd.Categorical.from_codes(own, categories=names)
