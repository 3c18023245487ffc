"""Half-up rounding, as Excel does, shared by display, RAG and direction of travel."""

from __future__ import annotations

import numpy as np


def round_half_up(values, decimals):
    """Round half away from zero to ``decimals`` places, as Excel's ROUND does.

    ``values`` and ``decimals`` may be scalars or arrays (one number of decimals per
    value). Missing values stay missing. Binary floating point stores 81.95 as
    81.94999...; rounding first to nine decimal places undoes that, as Excel's fifteen
    significant digits do.

    Examples
    --------
    >>> float(round_half_up(81.95, 1))
    82.0
    >>> float(round_half_up(-2.25, 1))
    -2.3
    >>> float(round_half_up(89.94, 1))
    89.9
    >>> round_half_up([0.5, 1.5, 2.5], 0).tolist()
    [1.0, 2.0, 3.0]
    """
    x = np.asarray(values, dtype="float64")
    scale = np.power(10.0, np.asarray(decimals, dtype="float64"))
    scaled = np.round(np.abs(x) * scale, 9)
    return np.sign(x) * np.floor(scaled + 0.5) / scale
