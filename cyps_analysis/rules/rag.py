"""RAG rating: a rounded value against its Red, Amber and Green bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.rules.bands import BAND_NAMES, Bands, _in_band, parse_bands
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.vocab import RAG_VALUES

#: The rules an authority can rate by (``rag: {rule: ...}`` in settings): ``tolerance``
#: rates a value by its bands alone; ``improving`` rates a value that would be Red as
#: Amber when its own direction of travel is improving.
RAG_RULES: tuple[str, ...] = ("tolerance", "improving")


def rag_ratings(
    values,
    bands: dict[str, pd.DataFrame],
    *,
    scale=1.0,
) -> np.ndarray:
    """Rate values (already rounded to displayed precision) against parsed bands.

    ``bands`` maps ``red``, ``amber`` and ``green`` to frames from
    :func:`~cyps_analysis.rules.bands.parse_bands` (or dicts of their columns as
    arrays), aligned with ``values``; ``scale``
    multiplies every threshold (pro rata targets for sums). Green wins, then Red, then
    Amber; a missing value or missing bands give ``None`` (not rated).

    Examples
    --------
    >>> b = {k: parse_bands(pd.Series([t] * 3)) for k, t in
    ...      {"red": "<82%", "amber": "82%+", "green": "90%+"}.items()}
    >>> rag_ratings([90.0, 82.0, 81.9], b).tolist()
    ['Green', 'Amber', 'Red']

    Seven months of a 3,372 a year target is 1,967, which 3372 * (7 / 12) misses by a
    rounding error:

    >>> g = {k: parse_bands(pd.Series([t])) for k, t in
    ...      {"red": "<3270", "amber": "3270+", "green": "3372+"}.items()}
    >>> rag_ratings([1967.0], g, scale=(7, 12)).tolist()
    ['Green']
    """
    return np.array([*RAG_VALUES, None], dtype=object)[rag_codes(values, bands, scale=scale)]


def rag_codes(values, bands: dict[str, pd.DataFrame], *, scale=1.0) -> np.ndarray:
    """:func:`rag_ratings` as positions in ``RAG_VALUES`` (-1: not rated).

    Examples
    --------
    >>> b = {k: parse_bands(pd.Series([t] * 3)) for k, t in
    ...      {"red": "<82%", "amber": "82%+", "green": "90%+"}.items()}
    >>> rag_codes([90.0, 81.9, None], b).tolist()
    [2, 0, -1]
    """
    num, den = scale if isinstance(scale, tuple) else (scale, 1.0)
    scale = np.asarray(num, dtype="float64")
    v = np.asarray(values, dtype="float64") * np.asarray(den, dtype="float64")
    inside = {}
    for name in BAND_NAMES:
        b = bands[name]
        inside[name] = _in_band(
            v,
            np.asarray(b["lo"], dtype="float64") * scale,
            np.asarray(b["lo_inclusive"], dtype=bool),
            np.asarray(b["hi"], dtype="float64") * scale,
            np.asarray(b["hi_inclusive"], dtype=bool),
        )
    return np.select([inside["green"], inside["red"], inside["amber"]], [2, 0, 1], -1).astype(
        "int8"
    )


def rate_rows(
    values, bands: dict[str, pd.DataFrame], *, scale=1.0, change, rule
) -> tuple[np.ndarray, np.ndarray]:
    """Rate values as :func:`rag_codes` does, then by the authority's rule
    (``rag: {rule: ...}`` in settings; see docs/method.md#rag), each row by its own.

    ``change`` is each row's direction of travel given polarity (``improving``,
    ``declining``, ...; see :func:`~cyps_analysis.rules.direction.change_given_polarity`),
    ``rule`` each row's rule, one of ``RAG_RULES``. Returns the codes (-1: not rated)
    and, for each row, the code of a note saying why the rule changed its rating
    (``None`` where it did not).

    Examples
    --------
    >>> b = {k: parse_bands(pd.Series([t] * 2)) for k, t in
    ...      {"red": "<82%", "amber": "82%+", "green": "90%+"}.items()}
    >>> codes, notes = rate_rows([81.9, 90.0], b, change=["improving", "declining"],
    ...                          rule=["tolerance", "tolerance"])
    >>> codes.tolist(), notes.tolist()
    ([0, 2], [None, None])

    Amber if off target but improving: 81.9% would be Red, and is better than before.

    >>> codes, notes = rate_rows([81.9, 81.9], b, change=["improving", "no change"],
    ...                          rule=["improving", "improving"])
    >>> codes.tolist(), notes.tolist()
    ([1, 0], ['amber_improving', None])
    """
    codes = rag_codes(values, bands, scale=scale)
    notes = np.full(len(codes), None, dtype=object)
    red, amber = RAG_VALUES.index("Red"), RAG_VALUES.index("Amber")
    # An unknown or unchanged direction leaves it Red.
    lifted = (
        (np.asarray(rule, dtype=object) == "improving")
        & (codes == red)
        & (np.asarray(change, dtype=object) == "improving")
    )
    codes = np.where(lifted, amber, codes).astype(codes.dtype)
    notes[lifted] = "amber_improving"
    return codes, notes


def rate_rag(value: float | None, bands: Bands | None, *, decimals: int) -> str | None:
    """Rate one value: rounds it half up to ``decimals`` and applies the bands.

    Examples
    --------
    >>> rate_rag(89.96, Bands(red="<82%", amber="82%+", green="90%+"), decimals=1)
    'Green'
    >>> rate_rag(81.95, Bands(red="<82%", amber="82%+", green="90%+"), decimals=1)
    'Amber'
    >>> rate_rag(81.94, Bands(red="<82%", amber="82%+", green="90%+"), decimals=1)
    'Red'
    >>> rate_rag(227.1, Bands(red="227.1+", amber="-", green="<227.1"), decimals=1)
    'Red'
    >>> rate_rag(50.0, None, decimals=1) is None
    True
    """
    if bands is None or value is None or np.isnan(value):
        return None
    parsed = {name: parse_bands(pd.Series([getattr(bands, name)])) for name in BAND_NAMES}
    return rag_ratings([round_half_up(value, decimals)], parsed)[0]
