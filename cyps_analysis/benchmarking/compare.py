"""Benchmarks from published figures: statistical neighbours, England, region,
quartiles and rank, for every authority, measure and year at once.

:func:`compare_authorities` lays the authorities' values out as one grid (a row per
measure and year, a column per authority; :mod:`cyps_analysis.benchmarking._grid`) and
computes every comparison over the whole grid with numpy: no loop over authorities,
measures or years. The neighbours' comparisons (:mod:`cyps_analysis.benchmarking._neighbours`)
run on a second thread alongside the rest. The rules (see docs/benchmarking.md):

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

from cyps_analysis.benchmarking._grid import Grid, lay_out
from cyps_analysis.benchmarking._inputs import (
    as_categories,
    authority_names_for,
    dense_unique,
    group_polarity,
    neighbour_slots,
    published_areas,
    replaced_authorities,
)
from cyps_analysis.benchmarking._neighbours import NeighbourGrid, compare_neighbours
from cyps_analysis.benchmarking.quartiles import (
    BANDS,
    QUARTILES,
    QUINTILES,
    ascending,
    band_codes,
    band_index,
    percentile_linear,
    rank_min,
)
from cyps_analysis.sources.published import PublishedData
from cyps_analysis.vocab import POLARITIES

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
        Figures from :func:`~cyps_analysis.sources.lait.read_lait` or
        :func:`~cyps_analysis.sources.ees.read_ees`.
    neighbours
        The neighbour model from :func:`~cyps_analysis.sources.neighbours.read_neighbours`.
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
    grid = lay_out(frame, neighbours)
    matrix, authorities = grid.values, grid.authorities
    n_groups, n_las = grid.shape

    # Polarity and quartile flag: per measure, then carried to its groups.
    measure_names = np.asarray(frame["measure"].cat.categories, dtype=object)
    measures, measure_of_group = dense_unique(grid.measure, len(measure_names) + 1)
    pol = group_polarity(data.measures, measure_names[measures], polarity)
    pol_codes = pd.Index(POLARITIES).get_indexer(pol)[measure_of_group]
    ranked = pol_codes != POLARITIES.index("none")
    sign = np.where(pol_codes == POLARITIES.index("low"), -1.0, np.where(ranked, 1.0, 0.0))

    # The neighbour comparisons run on a second thread (numpy lets go of Python's
    # lock while it works) while this one does quartiles, ranks and areas, then
    # takes its share of the blocks left.
    slots = neighbour_slots(neighbours, authorities)
    width = slots.shape[1]

    no_quartile = (
        data.measures.drop_duplicates("measure")
        .set_index("measure")["no_quartile"]
        .reindex(measure_names[measures])
        .fillna(False)
        .to_numpy(dtype=bool)[measure_of_group]
    )
    high = pol_codes == POLARITIES.index("high")
    bandable = ranked & ~no_quartile
    has = ~np.isnan(matrix)
    if exclude is None:
        member = has & ~replaced_authorities(has, authorities)
    else:
        member = has & ~np.asarray(authorities.isin(list(exclude)))[None, :]

    columns: dict[str, object] = {"value": grid.rows(matrix)}
    letters = pd.Index(list(BANDS))
    ordered = ascending(matrix, member)
    cuts = {"quartile": QUARTILES, **({"quintile": QUINTILES} if quintiles else {})}
    top = np.full(n_groups, np.nan)
    for name, qs in cuts.items():
        bounds = np.stack([percentile_linear(matrix, member, q, ordered=ordered) for q in qs])
        for q, b in zip(qs, bounds, strict=True):
            columns[f"{name}_{q}"] = grid.per_group(b)
        index = band_index(matrix, bounds[:, :, None])
        index = np.where(member & bandable[:, None], index, -1)
        k = len(qs) + 1
        codes = grid.rows(band_codes(index, high[:, None], k))
        columns["band" if name == "quartile" else "quintile_band"] = _categories(codes, letters[:k])
        if name == "quartile":
            top = np.where(high, bounds[-1], bounds[0])
    rank = np.full(matrix.shape, np.nan)  # ranked only where polarity says which is best
    rank[ranked] = rank_min(matrix[ranked], member[ranked], high[ranked])
    columns["rank"] = grid.rows(rank)
    columns["rank_of"] = grid.per_group(np.where(ranked, member.sum(axis=1), 0))
    columns["top_quartile_threshold"] = grid.per_group(np.where(bandable, top, np.nan))

    national, regional, region = published_areas(frame, grid.frame_group, n_groups, authorities)
    columns["national"] = grid.per_group(national)
    columns["regional"] = grid.rows(regional[:, region.codes])

    names = authority_names_for(frame, grid.authority_row, authorities)
    label_codes = frame["year_label"].cat.codes.to_numpy()[grid.group_row]
    per_group = {
        "measure": (grid.measure, measure_names),
        "year": (grid.year, frame["year"].cat.categories),
        "year_label": (label_codes, frame["year_label"].cat.categories),
        "polarity": (pol_codes, list(POLARITIES)),
    }
    per_authority = {
        "la_code": (np.arange(n_las), authorities),
        "la_name": (names.codes, names.categories),
        "region": (region.codes, region.categories),
    }
    for name, (codes, categories) in per_group.items():
        codes = codes.astype(_code_type(len(categories)))
        columns[name] = _categories(grid.per_group(codes), categories)
    for name, (codes, categories) in per_authority.items():
        codes = codes.astype(_code_type(len(categories)))
        columns[name] = _categories(grid.per_authority(codes), categories)
    slot_codes = np.where(slots == n_las, -1, slots).astype(_code_type(n_las))
    for i, codes in enumerate(slot_codes.T):
        columns[f"neighbour_{i + 1}"] = _categories(grid.per_authority(codes), authorities)
    columns |= _neighbour_columns(grid, compare_neighbours(matrix, slots, sign))
    # The table as it is: no column copied into a joint block.
    return pd.DataFrame({name: columns[name] for name in _order(width, quintiles)}, copy=False)


def _neighbour_columns(grid: Grid, near: NeighbourGrid) -> dict[str, object]:
    """The table's neighbour numbers (see :mod:`cyps_analysis.benchmarking._neighbours`)."""
    best = near.best_column.astype(_code_type(grid.shape[1]))
    columns: dict[str, object] = {
        "stat_neighbour_avg": grid.rows(near.average),
        "stat_neighbours_used": grid.rows(near.used).astype("int64"),
        "best_stat_neighbour": grid.rows(near.best),
        "best_stat_neighbour_la": _categories(grid.rows(best), grid.authorities),
        "rank_among_neighbours": grid.rows(near.rank),
    }
    for i, values in enumerate(near.values):
        columns[f"neighbour_{i + 1}_value"] = grid.rows(values)
    return columns


def _code_type(n_categories: int) -> type:
    """The integer type pandas keeps a categorical's codes in (so none is converted)."""
    return next(t for t in (np.int8, np.int16, np.int32) if n_categories < np.iinfo(t).max)


def _categories(codes: np.ndarray, categories) -> pd.Categorical:
    """Codes already checked (-1 for none) as a categorical column."""
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


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


def _order(width: int, quintiles: bool) -> list[str]:
    order = list(TABLE_COLUMNS)
    if quintiles:
        order += [f"quintile_{q}" for q in QUINTILES] + ["quintile_band"]
    order += [f"neighbour_{i + 1}" for i in range(width)]
    return order + [f"neighbour_{i + 1}_value" for i in range(width)]
