"""Direction of travel: the raw direction of a change and whether it is an improvement."""

from __future__ import annotations

import numpy as np

from cyps_analysis.rules.rounding import round_half_up

ARROWS: dict[str, str] = {"up": "↑", "down": "↓", "same": "→"}


#: What the codes of :func:`direction_codes` and :func:`change_codes` stand for.
DIRECTIONS: tuple[str, ...] = ("up", "down", "same")
CHANGES: tuple[str, ...] = ("no change", "not applicable", "improving", "declining")


def direction_of_travel(current, previous, decimals) -> np.ndarray:
    """``up``, ``down`` or ``same`` comparing values at displayed precision.

    ``None`` where either value is missing.

    Examples
    --------
    >>> direction_of_travel([221.2, 89.96, 5.0], [220.0, 90.0, None], 1).tolist()
    ['up', 'same', None]
    """
    return _texts(direction_codes(current, previous, decimals), DIRECTIONS)


def direction_codes(current, previous, decimals) -> np.ndarray:
    """:func:`direction_of_travel` as positions in ``DIRECTIONS`` (-1 where missing).

    Examples
    --------
    >>> direction_codes([221.2, 89.96, 5.0], [220.0, 90.0, None], 1).tolist()
    [0, 2, -1]
    """
    cur = round_half_up(np.asarray(current, dtype="float64"), decimals)
    prev = round_half_up(np.asarray(previous, dtype="float64"), decimals)
    return np.select([cur > prev, cur < prev, cur == prev], [0, 1, 2], -1).astype("int8")


def change_given_polarity(direction, polarity, kind=None) -> np.ndarray:
    """Whether a direction is ``improving``, ``declining``, ``no change`` or
    ``not applicable`` (polarity ``none`` or an activity indicator); ``None`` where the
    direction is.

    Examples
    --------
    >>> change_given_polarity(
    ...     ["up", "up", "down", "same", None], ["high", "low", "low", "low", "high"]
    ... ).tolist()
    ['improving', 'declining', 'improving', 'no change', None]
    >>> change_given_polarity(["up"], ["high"], ["activity"]).tolist()
    ['not applicable']
    """
    d = np.asarray(direction, dtype=object)
    codes = np.select([d == text for text in DIRECTIONS], [0, 1, 2], -1)
    return _texts(change_codes(codes, polarity, kind), CHANGES)


def change_codes(direction: np.ndarray, polarity, kind=None) -> np.ndarray:
    """:func:`change_given_polarity` of directions given as :func:`direction_codes`, as
    positions in ``CHANGES`` (-1 where the direction is missing). Polarity and kind
    compare fastest as fixed-width text.

    Examples
    --------
    >>> change_codes(np.array([0, 1, 2, -1]), np.array(["high", "high", "low", "low"])).tolist()
    [2, 3, 0, -1]
    """
    direction, polarity = np.asarray(direction), np.asarray(polarity)
    up, down = direction == 0, direction == 1
    high, low = polarity == "high", polarity == "low"
    neutral = polarity == "none"
    if kind is not None:
        neutral = neutral | (np.asarray(kind) == "activity")
    return np.select(
        [
            direction == 2,
            (up | down) & neutral,
            (up & high) | (down & low),
            (down & high) | (up & low),
        ],
        [0, 1, 2, 3],
        -1,
    ).astype("int8")


def _texts(codes: np.ndarray, texts: tuple[str, ...]) -> np.ndarray:
    """Codes as an object array of their texts, ``None`` for -1."""
    return np.array([*texts, None], dtype=object)[codes]
