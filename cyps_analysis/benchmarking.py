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
from cyps_analysis.benchmark_neighbours import compare_neighbours
from cyps_analysis.benchmark_rules import (
    BANDS,
    POLARITIES,
    QUARTILES,
    QUINTILES,
    ascending,
    band_codes,
    band_index,
    percentile_linear,
    rank_min,
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
    ranked = pol != "none"
    bandable = ranked & ~no_quartile

    slots = neighbour_slots(neighbours, authorities)
    width = slots.shape[1]
    full = len(rows) == n_groups * n_las

    def cells(grid: np.ndarray) -> np.ndarray:
        """A (group x authority) grid's values in the table's rows (the grid itself,
        not copied, where every authority has every measure and year)."""
        return grid.reshape(-1) if full else grid.reshape(-1)[lin]

    high = pol == "high"
    columns: dict[str, object] = {"value": cells(matrix)}
    letters = pd.Index(list(BANDS))
    ordered = ascending(matrix, member)
    cuts = {"quartile": QUARTILES, **({"quintile": QUINTILES} if quintiles else {})}
    top = np.full(n_groups, np.nan)
    for name, qs in cuts.items():
        bounds = np.stack([percentile_linear(matrix, member, q, ordered=ordered) for q in qs])
        for q, b in zip(qs, bounds, strict=True):
            columns[f"{name}_{q}"] = b[rows]
        index = band_index(matrix, bounds[:, :, None])
        index = np.where(member & bandable[:, None], index, -1)
        k = len(qs) + 1
        codes = cells(band_codes(index, high[:, None], k))
        band = pd.Categorical.from_codes(codes, categories=letters[:k], validate=False)
        columns["band" if name == "quartile" else "quintile_band"] = band
        if name == "quartile":
            top = np.where(high, bounds[-1], bounds[0])
    rank = rank_min(matrix, member, high)
    columns["rank"] = cells(np.where(ranked[:, None], rank, np.nan))
    columns["rank_of"] = np.where(ranked, member.sum(axis=1), 0)[rows]
    columns["top_quartile_threshold"] = np.where(bandable, top, np.nan)[rows]

    near = compare_neighbours(matrix, slots, sign[:, 0])
    columns["stat_neighbour_avg"] = cells(near.average)
    columns["stat_neighbours_used"] = cells(near.used).astype("int64")
    best_ok = (near.used > 0) & ranked[:, None]
    columns["best_stat_neighbour"] = cells(np.where(best_ok, near.best, np.nan))
    slot_codes = np.where(slots == n_las, -1, slots)
    best_la = np.where(best_ok, slot_codes[np.arange(n_las), near.best_position], -1)
    columns["best_stat_neighbour_la"] = pd.Categorical.from_codes(
        cells(best_la), categories=authorities
    )
    columns["rank_among_neighbours"] = cells(
        np.where(ranked[:, None] & has, near.beaten_by + 1.0, np.nan)
    )
    by_position = np.ascontiguousarray(slot_codes.T)
    for i in range(width):
        columns[f"neighbour_{i + 1}"] = pd.Categorical.from_codes(
            by_position[i][cols], categories=authorities, validate=False
        )
        columns[f"neighbour_{i + 1}_value"] = cells(near.values[i])

    national, regional, region = published_areas(frame, group_of_key[key], n_groups, authorities)
    columns["national"] = national[rows]
    columns["regional"] = cells(regional[:, region.codes])

    names = authority_names_for(frame, is_la, authorities)
    label_codes = np.full(n_groups, -1)
    label_codes[group] = frame["year_label"].cat.codes.to_numpy()[is_la]
    columns |= {
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
    # The table as it is: no column copied into a joint block.
    return pd.DataFrame({name: columns[name] for name in _order(width, quintiles)}, copy=False)


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
