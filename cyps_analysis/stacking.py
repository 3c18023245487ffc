"""Many authorities' tables as one, keyed by whole numbers.

A scorecard of 150 authorities reads a few million monthly records. Rather than stack
the text tables and index them by (authority, indicator) text, each authority's keys are
turned into whole numbers on their own (its indicator ids into rows of the stacked
catalogue, its months into month numbers), only the records the period needs are kept,
and what remains is numeric arrays, concatenated once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.dataset import Dataset
from cyps_analysis.validate import month_numbers, year_starts

_DIGITS = [0, 1, 2, 3, 5, 6]  # the digits' places in YYYY-MM
_PLACES = np.array([12_000, 1_200, 120, 12, 10, 1])  # their worth in months (see below)


@dataclass(frozen=True)
class Catalogue:
    """Every authority's indicators, in scorecard order.

    Attributes
    ----------
    indicators
        The indicators of all authorities, one row each, in the order of the
        authorities, then of each one's service areas, then of its ``indicators.csv``.
    authority
        Each row's authority, as its position in ``names``.
    names
        The authorities' names.
    rows
        For each authority, the row here of each row of its ``indicators.csv``.
    ids
        For each authority, its indicator ids as an index (to look ids up in).
    """

    indicators: pd.DataFrame
    authority: np.ndarray
    names: tuple[str, ...]
    rows: tuple[np.ndarray, ...]
    ids: tuple[pd.Index, ...]


@dataclass(frozen=True)
class Records:
    """Monthly records of many authorities as arrays: each one's catalogue row
    (``keys``), month number, value, numerator and denominator."""

    keys: np.ndarray
    months: np.ndarray
    values: pd.DataFrame


def stack_catalogues(datasets: Mapping[str, Dataset], columns: list[str]) -> Catalogue:
    """The ``columns`` of every authority's indicators, stacked in scorecard order: by
    authority, then by the position of the indicator's service area in the settings
    (areas not listed last), then as in ``indicators.csv``."""
    order, sizes = [], []
    offset = 0
    for d in datasets.values():
        listed = d.settings.service_areas
        areas = {area: i for i, area in enumerate(listed)}
        found = pd.Index(list(areas)).get_indexer(d.indicators["service_area"])
        rank = np.array([*areas.values(), len(listed)])[found]
        order.append(offset + np.argsort(rank, kind="stable"))
        sizes.append(len(rank))
        offset += len(rank)
    frames = [d.indicators for d in datasets.values()]
    stacked = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    order_all = np.concatenate(order)
    position = np.empty_like(order_all)
    position[order_all] = np.arange(len(order_all))
    return Catalogue(
        indicators=stacked[columns].take(order_all).reset_index(drop=True),
        authority=np.repeat(np.arange(len(sizes)), sizes),
        names=tuple(datasets),
        rows=tuple(np.split(position, np.cumsum(sizes)[:-1])),
        ids=tuple(pd.Index(d.indicators["id"]) for d in datasets.values()),
    )


def table_rows(datasets: Mapping[str, Dataset], catalogue: Catalogue, table: str) -> np.ndarray:
    """The catalogue row of each row of ``table`` (stacked in authority order) by its
    ``indicator``; -1 for an indicator not in its authority's catalogue."""
    found = [
        np.append(rows, -1)[ids.get_indexer(getattr(d, table)["indicator"])]
        for d, rows, ids in zip(datasets.values(), catalogue.rows, catalogue.ids, strict=True)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype="int64")


def stacked_codes(
    datasets: Mapping[str, Dataset], table: str, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """A text column of ``table``, stacked in authority order, as codes into its
    distinct texts (-1 where missing). Each authority's column is read where it is, once;
    only the distinct texts are stacked."""
    codes, distinct, offset = [], [], 0
    for d in datasets.values():
        c, u = pd.factorize(getattr(d, table)[column])
        codes.append(np.where(c >= 0, c + offset, -1))
        distinct.append(np.asarray(u, dtype=object))
        offset += len(u)
    if not codes:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype=object)
    # A text found in several authorities' tables gets one code.
    merged, texts = pd.factorize(np.concatenate(distinct))
    return np.append(merged, -1)[np.concatenate(codes)], np.asarray(texts, dtype=object)


def column_at(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    table: str,
    column: str,
    at: np.ndarray,
) -> np.ndarray:
    """For each catalogue row, the value of ``column`` in row ``at`` of ``table``
    stacked in authority order (-1: none), as an object array with ``None`` where
    missing. Only those values are read: each points into its own authority's table."""
    out = np.full(len(at), None, dtype=object)
    first = 0
    bounds = np.searchsorted(catalogue.authority, np.arange(len(datasets) + 1))
    for j, d in enumerate(datasets.values()):
        frame = getattr(d, table)
        block = slice(bounds[j], bounds[j + 1])
        local = at[block] - first
        first += len(frame)
        chosen = np.flatnonzero(at[block] >= 0)
        if column in frame.columns and len(chosen):
            values = np.asarray(frame[column].array[local[chosen]], dtype=object)
            out[block][chosen] = np.where(pd.isna(values), None, values)
    return out


def records_between(
    datasets: Mapping[str, Dataset], catalogue: Catalogue, first: int, last: int
) -> Records:
    """The monthly records of months ``first`` .. ``last`` whose indicator is in the
    catalogue, in the order of the authorities and of each one's file."""
    keys, months, values = [], [], []
    for d, rows, ids in zip(datasets.values(), catalogue.rows, catalogue.ids, strict=True):
        obs = d.observations
        m = month_numbers_array(obs["month"])
        inside = np.flatnonzero((m >= first) & (m <= last))
        k = np.append(rows, -1)[ids.get_indexer(obs["indicator"].array[inside])]
        known = inside[k >= 0]
        keys.append(k[k >= 0])
        months.append(m[known])
        values.append(
            np.stack(
                [
                    obs[c].to_numpy(dtype="float64", na_value=np.nan)[known]
                    for c in ("value", "numerator", "denominator")
                ],
                axis=1,
            )
        )
    stacked = np.concatenate(values) if values else np.zeros((0, 3))
    return Records(
        keys=np.concatenate(keys) if keys else np.zeros(0, dtype="int64"),
        months=np.concatenate(months) if months else np.zeros(0, dtype="int64"),
        values=pd.DataFrame(stacked, columns=["value", "numerator", "denominator"]),
    )


def month_numbers_array(months: pd.Series) -> np.ndarray:
    """``YYYY-MM`` text as month numbers, -1 where the text is not a month: as
    :func:`~cyps_analysis.validate.month_numbers`, faster.

    When every text is seven ASCII characters of the form ``DDDD-DD``, the texts are
    joined into one byte string and read as a table of digits at once; anything else is
    read by :func:`~cyps_analysis.validate.month_numbers`, each distinct text once.

    Examples
    --------
    >>> month_numbers_array(pd.Series(["2025-03", "2025-13", "2025-3"])).tolist()
    [24302, -1, -1]
    """
    text = months.to_numpy(dtype=object)
    n = len(text)
    try:
        # A comma after each text: eight bytes a text if each is seven characters.
        raw = (",".join(text) + ",").encode("ascii")
    except (TypeError, UnicodeEncodeError):  # not all text, or not all ASCII
        raw = b""
    if n and len(raw) == 8 * n:
        table = np.frombuffer(raw, dtype=np.uint8).reshape(n, 8)
        digits = table[:, _DIGITS] - np.uint8(ord("0"))
        # Exactly n commas, each in eighth place: no text held a comma, so each row is
        # one text, and each text is DDDD-DD.
        if (
            (digits < 10).all()
            and (table[:, 4] == ord("-")).all()
            and (table[:, 7] == ord(",")).all()
        ):
            d = digits.astype("int64")
            # year * 12 + month - 1, with the month's two digits worth 10 and 1 each.
            month = d[:, 4] * 10 + d[:, 5]
            number = d @ _PLACES - 1
            return np.where((month >= 1) & (month <= 12), number, -1)
    codes, distinct = pd.factorize(text)
    numbers = month_numbers(pd.Series(distinct, dtype="string"))
    return np.append(numbers.to_numpy(dtype="int64", na_value=-1), -1)[codes]


def coded_year_starts(codes: np.ndarray, texts: np.ndarray, year_types) -> np.ndarray:
    """Years as written (``2024/25``, ``2024-25``, ``2025``) as the month each starts,
    given each row's year type; -1 where not a year of that type. As
    :func:`~cyps_analysis.validate.year_starts`, for years given as ``codes`` into
    distinct ``texts`` (-1 where missing), reading each distinct (year, year type) once.

    Examples
    --------
    >>> texts = np.array(["2024/25", "2025"], dtype=object)
    >>> coded_year_starts(np.array([0, 1, 1, -1]), texts,
    ...                   ["financial", "calendar", "academic", "calendar"]).tolist()
    [24291, 24300, -1, -1]
    """
    t_codes, t_distinct = pd.factorize(np.asarray(year_types, dtype=object))
    # Every pairing of a distinct year with a distinct year type: few of each.
    y_text = np.repeat(texts, len(t_distinct))
    t_text = np.tile(np.asarray(t_distinct, dtype=object), len(texts))
    starts = year_starts(pd.Series(y_text, dtype="string"), pd.Series(t_text, dtype=object))
    table = starts.to_numpy(dtype="int64", na_value=-1).reshape(len(texts), len(t_distinct))
    known = (codes >= 0) & (t_codes >= 0)
    out = np.full(len(codes), -1, dtype="int64")
    out[known] = table[codes[known], t_codes[known]]
    return out
