"""Benchmarks from published figures: statistical neighbours, England, region,
quartiles and rank, for every authority, measure and year at once.

:func:`compare_authorities` lays the authorities' values out as one matrix (a row per
measure and year, a column per authority) and computes every comparison over the whole
matrix with numpy: no loop over authorities, measures or years. The rules (see
docs/benchmarking.md):

- statistical neighbour average: plain mean of the neighbours that have a value, with
  how many that was; best neighbour: the best value given polarity (the closest
  neighbour on a tie) and who it is; rank among neighbours: among the authority and
  its neighbours with a value;
- England and region: the published figures, never a mean of authorities;
- quartile boundaries: numpy's default (``linear``) percentile over the authorities
  with a value, England, regions and abolished authorities left out, as LAIT does;
- band A-D (A best): a value on a boundary goes to the band below it in value order,
  as LAIT's ``calculate_quartile_band`` does; none for polarity ``none`` or measures
  that LAIT flags as having no quartiles;
- rank: 1 = best, ties share the best rank (R's ``ties.method = "min"``), out of the
  authorities with a value.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.authorities import successors
from cyps_analysis.exceptions import CypsError
from cyps_analysis.published import PublishedData

QUARTILES: tuple[int, ...] = (25, 50, 75)
QUINTILES: tuple[int, ...] = (20, 40, 60, 80)
BANDS = "ABCDE"
POLARITIES = ("high", "low", "none")


def percentile_linear(values: np.ndarray, valid: np.ndarray, q: float) -> np.ndarray:
    """Each row's ``q``-th percentile of its valid entries, exactly as numpy's default
    (``linear``) method computes it; NaN for a row with no valid entry.

    Examples
    --------
    >>> v = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, np.nan, np.nan]])
    >>> percentile_linear(v, ~np.isnan(v), 25).tolist()
    [1.75, 12.5]
    """
    ordered = np.sort(np.where(valid, values, np.inf), axis=1)
    n = valid.sum(axis=1)
    quantile = np.true_divide(q, 100)
    # numpy's "linear" method: virtual index (n - 1) * q, then its _lerp.
    virtual = (n - 1) * quantile
    below = np.floor(virtual)
    gamma = virtual - below
    last = np.maximum(n - 1, 0)
    lo = np.where(virtual >= n - 1, last, below.astype("int64"))
    hi = np.where(virtual >= n - 1, last, below.astype("int64") + 1)
    a = np.take_along_axis(ordered, lo[:, None], axis=1)[:, 0]
    b = np.take_along_axis(ordered, np.minimum(hi, ordered.shape[1] - 1)[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore"):
        diff = b - a
        out = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return np.where(n > 0, out, np.nan)


def rank_min(score: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Each valid entry's rank within its row, 1 = highest score, ties sharing the best
    rank (R's ``ties.method = "min"``); NaN where not valid.

    Examples
    --------
    >>> s = np.array([[3.0, 5.0, 5.0, 1.0]])
    >>> rank_min(s, np.ones_like(s, dtype=bool)).tolist()
    [[3.0, 1.0, 1.0, 4.0]]
    """
    key = np.where(valid, -score, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=1)
    position = np.broadcast_to(np.arange(key.shape[1]), key.shape)
    new = np.ones(key.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=1)
    ranks = np.empty(key.shape, dtype="float64")
    np.put_along_axis(ranks, order, first + 1.0, axis=1)
    return np.where(valid, ranks, np.nan)


def band_index(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Which interval each value lies in, 0 = lowest values: a value equal to a
    boundary belongs to the interval below it (LAIT: ``value <= 25%`` is the first
    quartile). ``bounds`` has one row per boundary, broadcast against ``values``.

    Examples
    --------
    >>> band_index(np.array([10.0, 10.5, 30.0, 31.0]), np.array([[10.0], [20.0], [30.0]])).tolist()
    [0, 1, 2, 3]
    """
    return (values[None, ...] > bounds).sum(axis=0)


def band_codes(index: np.ndarray, high: np.ndarray, k: int) -> np.ndarray:
    """Bands from interval indices (see :func:`band_index`) as codes into ``BANDS``:
    0 (A) is the best of ``k`` bands given polarity (the highest values where ``high``
    is true, the lowest where false); -1 where the index is missing (negative).

    Examples
    --------
    >>> codes = band_codes(np.array([0, 0, 3, -1]), np.array([False, True, True, True]), 4)
    >>> [BANDS[c] if c >= 0 else None for c in codes]
    ['A', 'D', 'A', None]
    """
    return np.where(index >= 0, np.where(high, k - 1 - index, index), -1)


def compare_authorities(
    data: PublishedData,
    neighbours: pd.DataFrame,
    *,
    polarity: str | Mapping[str, str] | None = None,
    quintiles: bool = False,
    exclude: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Every comparison for every authority, measure and year in ``data``.

    Parameters
    ----------
    data
        Figures from :func:`~cyps_analysis.lait.read_lait` or
        :func:`~cyps_analysis.ees.read_ees`.
    neighbours
        The neighbour model from :func:`~cyps_analysis.neighbours.read_neighbours`.
    polarity
        Overrides the measures' own polarity: one of ``high``, ``low``, ``none`` for
        every measure, or a mapping measure -> polarity.
    quintiles
        Also band into quintiles (``quintile_20`` .. ``quintile_80``, ``quintile_band``
        A-E, A best).
    exclude
        Old LA numbers left out of quartiles and ranks. By default an abolished
        authority is left out of a measure and year for which any authority that
        replaced it has a value (Cumbria is left out once Cumberland or Westmorland
        and Furness report; it still counts where a figure is published for Cumbria
        alone, as for some 2024 attainment-at-19 measures).

    Returns
    -------
    pandas.DataFrame
        One row per authority, measure and year in ``data``; the columns are listed in
        :data:`TABLE_COLUMNS` (quintile columns added with ``quintiles``).
    """
    frame = _categorical(data.values)
    level_codes = frame["level"].cat.codes.to_numpy()
    level_names = list(frame["level"].cat.categories)
    la_level = level_names.index("la") if "la" in level_names else -2
    is_la = (level_codes == la_level) & (frame["la_code"].cat.codes.to_numpy() >= 0)

    # Groups: one per (measure, year) of the authorities' rows.
    measure_codes = frame["measure"].cat.codes.to_numpy().astype("int64")
    year_codes = frame["year"].cat.codes.to_numpy().astype("int64")
    n_years = len(frame["year"].cat.categories)
    key = measure_codes * n_years + year_codes
    n_keys = len(frame["measure"].cat.categories) * n_years + 1
    group_keys, group = _dense_unique(key[is_la], n_keys)
    n_groups = len(group_keys)
    group_of_key = np.full(n_keys, -1)
    group_of_key[group_keys] = np.arange(n_groups)
    measure_of_group = group_keys // n_years
    year_of_group = group_keys % n_years
    measure_names = np.asarray(frame["measure"].cat.categories, dtype=object)
    group_measures = measure_names[measure_of_group]

    # Authorities: those with figures and those named in the neighbour model.
    la_categories = pd.Index(np.asarray(frame["la_code"].cat.categories, dtype=object))
    authorities = la_categories.append(
        pd.Index(pd.unique(neighbours[["la_code", "neighbour"]].to_numpy().reshape(-1))).difference(
            la_categories
        )
    )
    n_las = len(authorities)
    column = frame["la_code"].cat.codes.to_numpy()[is_la].astype("int64")
    matrix = np.full((n_groups, n_las), np.nan)
    matrix[group, column] = frame["value"].to_numpy(dtype="float64")[is_la]
    present = np.zeros((n_groups, n_las), dtype=bool)
    present[group, column] = True
    rows, cols = np.nonzero(present)
    lin = rows * n_las + cols  # each row's place in the (group, authority) matrices

    pol = _group_polarity(data.measures, group_measures, polarity)
    sign = np.where(pol == "low", -1.0, 1.0)[:, None]
    no_quartile = (
        data.measures.drop_duplicates("measure")
        .set_index("measure")["no_quartile"]
        .reindex(group_measures)
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    has = ~np.isnan(matrix)
    if exclude is None:
        member = has & ~_replaced(has, authorities)
    else:
        member = has & ~np.asarray(authorities.isin(list(exclude)))[None, :]
    score = matrix * sign
    ranked = pol != "none"
    bandable = ranked & ~no_quartile

    slots = _neighbour_slots(neighbours, authorities)
    width = slots.shape[1]
    floats = _float_columns(width, quintiles)
    at = {name: i for i, name in enumerate(floats)}
    # Every number of the table in one block, each column written once, in place.
    block = np.empty((len(floats), len(rows)))
    numbers = {name: block[i] for i, name in enumerate(floats)}
    np.take(matrix.reshape(-1), lin, out=numbers["value"])
    in_quartiles = member.reshape(-1)[lin]
    texts: dict[str, pd.Categorical] = {}
    letters = pd.Index(list(BANDS))
    cuts = {"quartile": QUARTILES, **({"quintile": QUINTILES} if quintiles else {})}
    top = np.full(n_groups, np.nan)
    for name, qs in cuts.items():
        bounds = np.stack([percentile_linear(matrix, member, q) for q in qs])
        for q, b in zip(qs, bounds, strict=True):
            np.take(b, rows, out=numbers[f"{name}_{q}"])
        first = at[f"{name}_{qs[0]}"]
        index = band_index(numbers["value"], block[first : first + len(qs)])
        index = np.where(in_quartiles & bandable[rows], index, -1)
        k = len(qs) + 1
        codes = band_codes(index, (pol == "high")[rows], k)
        band = pd.Categorical.from_codes(codes, categories=letters[:k], validate=False)
        texts["band" if name == "quartile" else "quintile_band"] = band
        if name == "quartile":
            top = np.where(pol == "high", bounds[-1], bounds[0])
    rank = rank_min(score, member)
    numbers["rank"][:] = np.where(ranked[rows], rank.reshape(-1)[lin], np.nan)
    counts = {"rank_of": np.where(ranked, member.sum(axis=1), 0)[rows]}
    np.take(np.where(bandable, top, np.nan), rows, out=numbers["top_quartile_threshold"])

    # Neighbours: the matrix gathered through each authority's neighbours, position by
    # position (ten gathers over all rows).
    flat = np.concatenate([matrix, np.full((n_groups, 1), np.nan)], axis=1).reshape(-1)
    base = rows * (n_las + 1)
    first = at["neighbour_1_value"]
    nb_value = block[first : first + width]
    for i in range(width):
        np.take(flat, base + slots[cols, i], out=nb_value[i])
    # Sums, counts, the best and how many beat the authority, position by position.
    row_sign = sign[rows, 0]
    own = score.reshape(-1)[lin]
    total = np.zeros(len(rows))
    used = np.zeros(len(rows), dtype="int64")
    beaten = np.zeros(len(rows), dtype="int64")
    best_score = np.full(len(rows), -np.inf)
    best = np.zeros(len(rows), dtype="int64")
    for i in range(width):
        value = nb_value[i]
        has = ~np.isnan(value)
        total += np.where(has, value, 0.0)
        used += has
        value_score = value * row_sign
        better = value_score > best_score  # False where missing: the closest wins ties
        best_score = np.where(better, value_score, best_score)
        best = np.where(better, i, best)
        beaten += value_score > own
    counts["stat_neighbours_used"] = used
    with np.errstate(invalid="ignore", divide="ignore"):
        numbers["stat_neighbour_avg"][:] = np.where(used > 0, total / used, np.nan)
    best_ok = (used > 0) & ranked[rows]
    numbers["best_stat_neighbour"][:] = np.where(best_ok, best_score * row_sign, np.nan)
    slot_codes = np.where(slots == n_las, -1, slots)
    texts["best_stat_neighbour_la"] = pd.Categorical.from_codes(
        np.where(best_ok, slot_codes[cols, best], -1), categories=authorities
    )
    numbers["rank_among_neighbours"][:] = np.where(
        ranked[rows] & ~np.isnan(own), beaten + 1.0, np.nan
    )
    for i in range(width):
        texts[f"neighbour_{i + 1}"] = pd.Categorical.from_codes(
            slot_codes[cols, i], categories=authorities, validate=False
        )

    national, regional, region = _published_areas(frame, group_of_key, n_years, authorities)
    np.take(national, rows, out=numbers["national"])
    numbers["regional"][:] = regional[rows, region.codes[cols]]

    names = _names(frame, is_la, authorities)
    label_codes = np.full(n_groups, -1)
    label_codes[group] = frame["year_label"].cat.codes.to_numpy()[is_la]
    texts |= {
        "measure": pd.Categorical.from_codes(measure_of_group[rows], categories=measure_names),
        "year": pd.Categorical.from_codes(
            year_of_group[rows], categories=frame["year"].cat.categories
        ),
        "year_label": pd.Categorical.from_codes(
            label_codes[rows], categories=frame["year_label"].cat.categories
        ),
        "la_code": pd.Categorical.from_codes(cols, categories=authorities),
        "la_name": pd.Categorical.from_codes(names.codes[cols], categories=names.categories),
        "region": pd.Categorical.from_codes(region.codes[cols], categories=region.categories),
        "polarity": pd.Categorical.from_codes(
            pd.Index(POLARITIES).get_indexer(pol)[rows], categories=list(POLARITIES)
        ),
    }
    return _assemble(texts, block, floats, counts, width, quintiles)


#: The columns of :func:`compare_authorities`'s table (without quintiles or neighbours).
TABLE_COLUMNS: tuple[str, ...] = (
    "measure",
    "year",
    "year_label",
    "la_code",
    "la_name",
    "region",
    "polarity",
    "value",
    "stat_neighbour_avg",
    "stat_neighbours_used",
    "best_stat_neighbour",
    "best_stat_neighbour_la",
    "rank_among_neighbours",
    "national",
    "regional",
    "quartile_25",
    "quartile_50",
    "quartile_75",
    "band",
    "rank",
    "rank_of",
    "top_quartile_threshold",
)
_FLOATS = frozenset(
    {
        "value",
        "stat_neighbour_avg",
        "best_stat_neighbour",
        "rank_among_neighbours",
        "national",
        "regional",
        "quartile_25",
        "quartile_50",
        "quartile_75",
        "rank",
        "top_quartile_threshold",
        *(f"quintile_{q}" for q in QUINTILES),
    }
)


def _float_columns(width: int, quintiles: bool) -> list[str]:
    """The table's number columns (all but the counts), in table order."""
    return [c for c in _order(width, quintiles) if c in _FLOATS or c.endswith("_value")]


def _order(width: int, quintiles: bool) -> list[str]:
    order = list(TABLE_COLUMNS)
    if quintiles:
        order += [f"quintile_{q}" for q in QUINTILES] + ["quintile_band"]
    order += [f"neighbour_{i + 1}" for i in range(width)]
    return order + [f"neighbour_{i + 1}_value" for i in range(width)]


def _assemble(
    texts: dict, block: np.ndarray, floats: list[str], counts: dict, width: int, quintiles: bool
) -> pd.DataFrame:
    """The table: the block of numbers as it is (not copied), the text and count
    columns put in their places."""
    table = pd.DataFrame(block.T, columns=floats, copy=False)
    for position, name in enumerate(_order(width, quintiles)):
        if name in texts:
            table.insert(position, name, texts[name])
        elif name in counts:
            table.insert(position, name, counts[name].astype("int64"))
    return table


def _dense_unique(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for small non-negative whole-number
    keys (below ``size``), without sorting."""
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[keys]


def _replaced(has: np.ndarray, authorities: pd.Index) -> np.ndarray:
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


def _categorical(values: pd.DataFrame) -> pd.DataFrame:
    """The values table with its text columns as categories (LAIT's already are)."""
    text = ["measure", "year", "year_label", "level", "la_code", "la_name", "region"]
    change = {c: "category" for c in text if not isinstance(values[c].dtype, pd.CategoricalDtype)}
    if not change:
        return values
    values = values.astype({c: object for c in change}).astype(change)
    return values


def _group_polarity(
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


def _neighbour_slots(neighbours: pd.DataFrame, authorities: pd.Index) -> np.ndarray:
    """For each authority, the columns of its neighbours in position order; the
    padding column (``len(authorities)``) where it has fewer or none."""
    width = int(neighbours["position"].max()) if len(neighbours) else 10
    slots = np.full((len(authorities), max(width, 1)), len(authorities), dtype="int64")
    own = authorities.get_indexer(neighbours["la_code"])
    theirs = authorities.get_indexer(neighbours["neighbour"])
    slots[own, neighbours["position"].to_numpy(dtype="int64") - 1] = theirs
    return slots


def _published_areas(
    frame: pd.DataFrame, group_of_key: np.ndarray, n_years: int, authorities: pd.Index
) -> tuple[np.ndarray, np.ndarray, pd.Categorical]:
    """England's figure per group; each region's figure per group (a last column of
    NaN for authorities without a region); each authority's region."""
    level = frame["level"].cat.codes.to_numpy()
    names = list(frame["level"].cat.categories)
    key = (
        frame["measure"].cat.codes.to_numpy().astype("int64") * n_years
        + frame["year"].cat.codes.to_numpy()
    )
    group = group_of_key[key]
    value = frame["value"].to_numpy(dtype="float64")
    n_groups = int(group_of_key.max()) + 1 if len(group_of_key) else 0

    national = np.full(n_groups, np.nan)
    nat = (level == names.index("national")) & (group >= 0) if "national" in names else None
    if nat is not None:
        national[group[nat]] = value[nat]

    regions = frame["region"].cat.categories
    region_codes = frame["region"].cat.codes.to_numpy()
    table = np.full((n_groups, len(regions) + 1), np.nan)
    if "regional" in names:
        reg = (level == names.index("regional")) & (group >= 0) & (region_codes >= 0)
        table[group[reg], region_codes[reg]] = value[reg]

    la = (level == names.index("la")) & (region_codes >= 0) if "la" in names else None
    own = np.full(len(authorities), -1)
    if la is not None:
        own[frame["la_code"].cat.codes.to_numpy()[la]] = region_codes[la]
    missing = own < 0
    if missing.any():
        from cyps_analysis.authorities import reference_authorities

        ref = reference_authorities().drop_duplicates("old_la_code").set_index("old_la_code")
        fill = regions.get_indexer(ref["region"].reindex(authorities[missing]).astype(object))
        own[missing] = fill
    # An authority without a region (code -1) reads the last column, all NaN.
    return national, table, pd.Categorical.from_codes(own, categories=regions)


def _names(frame: pd.DataFrame, is_la: np.ndarray, authorities: pd.Index) -> pd.Categorical:
    """Each authority's name as the file writes it (the reference list's otherwise)."""
    from cyps_analysis.authorities import authority_names

    own = np.full(len(authorities), -1)
    own[frame["la_code"].cat.codes.to_numpy()[is_la]] = frame["la_name"].cat.codes.to_numpy()[is_la]
    names = pd.Index(np.asarray(frame["la_name"].cat.categories, dtype=object))
    missing = own < 0
    if missing.any():
        extra = pd.Series(authority_names()).reindex(authorities[missing]).fillna("")
        names = names.append(pd.Index(extra.to_numpy(dtype=object)).difference(names))
        own[missing] = names.get_indexer(extra.to_numpy(dtype=object))
    return pd.Categorical.from_codes(own, categories=names)
