"""Direction of travel: the raw direction of a change and whether it is an improvement."""

from __future__ import annotations

import numpy as np

from cyps_analysis.rounding import round_half_up

ARROWS: dict[str, str] = {"up": "↑", "down": "↓", "same": "→"}


def direction_of_travel(current, previous, decimals) -> np.ndarray:
    """``up``, ``down`` or ``same`` comparing values at displayed precision.

    ``None`` where either value is missing.

    Examples
    --------
    >>> direction_of_travel([221.2, 89.96, 5.0], [220.0, 90.0, None], 1).tolist()
    ['up', 'same', None]
    """
    cur = round_half_up(np.asarray(current, dtype="float64"), decimals)
    prev = round_half_up(np.asarray(previous, dtype="float64"), decimals)
    out = np.select([cur > prev, cur < prev, cur == prev], ["up", "down", "same"], None)
    return out.astype(object)


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
    pol = np.asarray(polarity, dtype=object)
    up, down = d == "up", d == "down"
    high, low = pol == "high", pol == "low"
    neutral = pol == "none"
    if kind is not None:
        neutral |= np.asarray(kind) == "activity"
    return np.select(
        [
            d == "same",
            (up | down) & neutral,
            (up & high) | (down & low),
            (down & high) | (up & low),
        ],
        ["no change", "not applicable", "improving", "declining"],
        None,
    ).astype(object)
