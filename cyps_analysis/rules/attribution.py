"""Why a rate or percentage moved: its year-on-year change split exactly into the part
from its numerator and the part from its denominator. See docs/method.md#attribution.
"""

from __future__ import annotations

import numpy as np


def split_change(n1, d1, n0, d0, scale) -> dict[str, np.ndarray]:
    """The change r1 - r0 of r = N / D x ``scale``, and its two parts:

    - numerator effect = (N1 - N0) / D0 x scale: the change had the denominator stayed;
    - denominator effect = N1 x (1/D1 - 1/D0) x scale: what the denominator's change did
      to this year's numerator.

    The two add up to the change exactly (up to floating point); all unrounded. NaN
    where a numerator or denominator is missing or a denominator is 0.

    Examples
    --------
    Children in need 640 of 20,000 children (320.0 per 10,000) last year, 650 of 21,000
    (309.5) this: the rate fell 10.5, though more children were in need (+5.0 from the
    numerator) because the population grew (-15.5 from the denominator).

    >>> parts = split_change([650], [21000], [640], [20000], 10_000)
    >>> {k: round(float(v[0]), 2) for k, v in parts.items()}
    {'change': -10.48, 'numerator_effect': 5.0, 'denominator_effect': -15.48}
    """
    n1, d1, n0, d0 = (np.asarray(x, dtype="float64") for x in (n1, d1, n0, d0))
    scale = np.asarray(scale, dtype="float64")
    usable = (d1 > 0) & (d0 > 0) & ~np.isnan(n1) & ~np.isnan(n0)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (n1 / d1 - n0 / d0) * scale
        numerator_effect = (n1 - n0) / d0 * scale
        denominator_effect = n1 * (1 / d1 - 1 / d0) * scale
    return {
        "change": np.where(usable, change, np.nan),
        "numerator_effect": np.where(usable, numerator_effect, np.nan),
        "denominator_effect": np.where(usable, denominator_effect, np.nan),
    }
