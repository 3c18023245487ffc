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

from cyps_analysis.benchmark_inputs import (
    as_categories,
    authority_names_for,
    dense_unique,
    group_polarity,
    neighbour_slots,
    published_areas,
    replaced_authorities,
)
from cyps_analysis.benchmark_rules import (
    BANDS,
    POLARITIES,
    QUARTILES,
    QUINTILES,
    band_codes,
    band_index,
    percentile_linear,
    rank_min,
    sort_rows,
)
from cyps_analysis.published import PublishedData

__all__ = [
    "BANDS",
    "QUARTILES",
    "QUINTILES",
    "TABLE_COLUMNS",
    "band_codes",
    "band_index",
    "compare_authorities",
    "percentile_linear",
    "rank_min",
]


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
    frame = as_categories(data.values)
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
    group_keys, group = dense_unique(key[is_la], n_keys)
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

    pol = group_polarity(data.measures, group_measures, polarity)
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
        member = has & ~replaced_authorities(has, authorities)
    else:
        member = has & ~np.asarray(authorities.isin(list(exclude)))[None, :]
    score = matrix * sign
    ranked = pol != "none"
    bandable = ranked & ~no_quartile

    slots = neighbour_slots(neighbours, authorities)
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
    order, ordered = sort_rows(matrix, member)
    cuts = {"quartile": QUARTILES, **({"quintile": QUINTILES} if quintiles else {})}
    top = np.full(n_groups, np.nan)
    for name, qs in cuts.items():
        bounds = np.stack([percentile_linear(matrix, member, q, ordered=ordered) for q in qs])
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
    rank = rank_min(matrix, member, pol == "high", sorted_rows=(order, ordered))
    numbers["rank"][:] = np.where(ranked[rows], rank.reshape(-1)[lin], np.nan)
    counts = {"rank_of": np.where(ranked, member.sum(axis=1), 0)[rows]}
    np.take(np.where(bandable, top, np.nan), rows, out=numbers["top_quartile_threshold"])

    # Neighbours: the matrix gathered through each authority's neighbours, position by
    # position (ten gathers over all rows).
    flat = np.concatenate([matrix, np.full((n_groups, 1), np.nan)], axis=1).reshape(-1)
    base = rows * (n_las + 1)
    first = at["neighbour_1_value"]
    nb_value = block[first : first + width]
    by_position = np.ascontiguousarray(slots.T)
    for i in range(width):
        np.take(flat, base + by_position[i][cols], out=nb_value[i])
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
        np.copyto(best_score, value_score, where=better)
        np.copyto(best, i, where=better)
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

    national, regional, region = published_areas(frame, group_of_key, n_years, authorities)
    np.take(national, rows, out=numbers["national"])
    numbers["regional"][:] = regional[rows, region.codes[cols]]

    names = authority_names_for(frame, is_la, authorities)
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
