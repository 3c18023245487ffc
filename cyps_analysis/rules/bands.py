"""Targets and tolerances written in spreadsheet notation, and the checks they must pass.

Analysts write RAG bands as their scorecards do (``<82%``, ``82%+``, ``90%+``, ``-``,
``<227.1``, ``227.1+``, ``82-89.9``). This module turns a column of such text into
intervals, all at once, and finds band sets that cannot work: ones that can never give
Green, run the wrong way for the polarity, or leave a value in no band.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.vocab import BAND_NAMES, UNIT_RANGE

NOTATION_HELP = (
    "Write a band as X+ or >=X (at least X), >X, <X, <=X, X-Y (X to Y inclusive) "
    "or - for an empty band; % is optional; X may be negative (<-0.5, -0.5+, -1-0)"
)

_NUM = r"(-?\d+(?:\.\d+)?)"  # negative for scores such as Progress 8
# Every form in one pattern: a sign (<=, >=, < or >), a number, and after it + or -Y.
# A band has the sign or what follows, not both: X+, >=X, >X, <X, <=X, X-Y.
_BAND_RE = re.compile(rf"^(<=|>=|<|>)?{_NUM}(\+|-{_NUM})?$")


@dataclass(frozen=True)
class Band:
    """One band as an interval; ``lo`` is NaN for an empty band.

    Examples
    --------
    >>> parse_band("82%+")
    Band(text='82%+', lo=82.0, lo_inclusive=True, hi=inf, hi_inclusive=False)
    >>> parse_band("-").is_empty
    True
    """

    text: str
    lo: float
    lo_inclusive: bool
    hi: float
    hi_inclusive: bool

    @property
    def is_empty(self) -> bool:
        return bool(np.isnan(self.lo))

    def contains(self, value: float) -> bool:
        """Whether a value (already rounded to displayed precision) lies in the band."""
        return bool(
            _in_band(np.float64(value), self.lo, self.lo_inclusive, self.hi, self.hi_inclusive)
        )


@dataclass(frozen=True)
class Bands:
    """The Red, Amber and Green bands of one indicator and year, as written."""

    red: str
    amber: str
    green: str

    def parsed(self) -> dict[str, Band]:
        return {name: parse_band(getattr(self, name)) for name in BAND_NAMES}


_LEFT_OUT = re.compile(r"[\s%,]")  # spaces, per cent signs and thousands separators
_SIGNS_WRITTEN = {"≥": ">=", "≤": "<=", "–": "-"}
_SIGNS = str.maketrans(_SIGNS_WRITTEN)


def _normalise(text: str) -> str:
    return _LEFT_OUT.sub("", text).translate(_SIGNS)


def parse_bands(text: pd.Series) -> pd.DataFrame:
    """Parse a column of band notation into intervals.

    Returns a frame on the same index with ``lo, lo_inclusive, hi, hi_inclusive``
    (``lo`` NaN for an empty band), ``empty`` and ``valid`` (False where the text does
    not parse). Band columns repeat a few notations many times: each distinct text is
    parsed once.

    Examples
    --------
    >>> parse_bands(pd.Series(["<82%", "82-89.9", "-", "abc"]))[["lo", "hi", "valid"]]
         lo    hi  valid
    0  -inf  82.0   True
    1  82.0  89.9   True
    2   NaN   NaN   True
    3   NaN   NaN  False
    """
    codes, uniques = pd.factorize(text.astype(object), use_na_sentinel=False)
    texts = ["" if pd.isna(u) else str(u) for u in uniques]
    parsed = pd.DataFrame([_parse_one(t) for t in texts], columns=list(_PARTS))
    out = parsed.iloc[codes].set_axis(text.index)
    return out.astype({c: "float64" if c in ("lo", "hi") else bool for c in _PARTS})


_PARTS = ("lo", "lo_inclusive", "hi", "hi_inclusive", "empty", "valid")
_SIGN = {None: "", ">=": ">=", ">": ">", "<": "<", "<=": "<="}


def _parse_one(text: str) -> tuple:
    """One text's parts (see :func:`parse_bands`): matched as written, then once
    normalised (spaces, %, commas and the signs ≥ ≤ – left out or rewritten)."""
    m = _BAND_RE.match(text)
    if m is None:
        text = _normalise(text)
        if text in ("", "-"):
            return (np.nan, False, np.nan, False, True, True)
        m = _BAND_RE.match(text)
    if m is None:
        return (np.nan, False, np.nan, False, False, False)
    sign, x, after, y = m.groups()
    x = float(x)
    if sign and after:  # a sign and what follows it, both: not a form of the notation
        return (np.nan, False, np.nan, False, False, False)
    if sign in (">=", ">") or after == "+":
        lo, lo_inc, hi, hi_inc = x, sign != ">", np.inf, False
    elif sign in ("<", "<="):
        lo, lo_inc, hi, hi_inc = -np.inf, False, x, sign == "<="
    elif y is not None:
        lo, lo_inc, hi, hi_inc = x, True, float(y), True
    else:  # a bare number
        return (np.nan, False, np.nan, False, False, False)
    if lo > hi:
        return (np.nan, False, np.nan, False, False, False)
    return (lo, lo_inc, hi, hi_inc, False, True)


def parse_band(text: str) -> Band:
    """Parse one band; raises ``ValueError`` naming the notation where it cannot."""
    row = parse_bands(pd.Series([text])).iloc[0]
    if not row["valid"]:
        raise ValueError(f"{text!r} is not a band. {NOTATION_HELP}")
    return Band(
        str(text),
        float(row["lo"]),
        bool(row["lo_inclusive"]),
        float(row["hi"]),
        bool(row["hi_inclusive"]),
    )


def _in_band(value, lo, lo_inclusive, hi, hi_inclusive):
    with np.errstate(invalid="ignore"):
        above = (value > lo) | (lo_inclusive & (value == lo))
        below = (value < hi) | (hi_inclusive & (value == hi))
    return above & below


def _ticks(bands: pd.DataFrame, decimals: np.ndarray, unit_lo, unit_hi):
    """Each band as a closed range of whole steps of displayed precision, clipped to the
    unit's range; (first, last) with first > last for an empty band."""
    step = np.power(10.0, -decimals)
    lo = np.round(bands["lo"].to_numpy() / step, 6)
    hi = np.round(bands["hi"].to_numpy() / step, 6)
    first = np.where(bands["lo_inclusive"], np.ceil(lo), np.floor(lo) + 1)
    last = np.where(bands["hi_inclusive"], np.floor(hi), np.ceil(hi) - 1)
    first = np.fmax(first, np.round(unit_lo / step, 6))
    last = np.fmin(last, np.round(unit_hi / step, 6))
    empty = np.isnan(lo) | (first > last)
    return np.where(empty, np.inf, first), np.where(empty, -np.inf, last)


def check_bands(
    red: pd.DataFrame,
    amber: pd.DataFrame,
    green: pd.DataFrame,
    *,
    polarity: pd.Series,
    unit: pd.Series,
    decimals: pd.Series,
) -> pd.DataFrame:
    """Find band sets that cannot work, all rows at once.

    Takes the parsed ``red``, ``amber`` and ``green`` columns (from :func:`parse_bands`)
    of rows whose notation parsed, and each row's polarity, unit and decimals. Returns a
    frame on the same index with ``no_green``, ``wrong_way`` and ``gap`` (bool) and
    ``gap_at`` (the first value, at displayed precision, in no band).

    Examples
    --------
    >>> p = lambda *t: parse_bands(pd.Series(t))
    >>> out = check_bands(p("<82", "<82"), p("-", "82-89.9"), p("90+", "90+"),
    ...                   polarity=pd.Series(["high"] * 2), unit=pd.Series(["percent"] * 2),
    ...                   decimals=pd.Series([1, 1]))
    >>> out[["no_green", "wrong_way", "gap", "gap_at"]]
       no_green  wrong_way    gap  gap_at
    0     False      False   True    82.0
    1     False      False  False     NaN
    """
    dec = decimals.to_numpy(dtype=float)
    step = np.power(10.0, -dec)
    ranges = np.array([UNIT_RANGE[u] for u in unit], dtype=float).reshape(-1, 2)
    unit_lo, unit_hi = np.round(ranges[:, 0] / step, 6), np.round(ranges[:, 1] / step, 6)
    r = _ticks(red, dec, ranges[:, 0], ranges[:, 1])
    a = _ticks(amber, dec, ranges[:, 0], ranges[:, 1])
    g = _ticks(green, dec, ranges[:, 0], ranges[:, 1])
    no_green = g[0] > g[1]

    pol = polarity.to_numpy()
    both = (r[0] <= r[1]) & (g[0] <= g[1])
    high_wrong = (pol == "high") & ((both & (r[1] > g[0])) | (~no_green & (g[1] < unit_hi)))
    low_wrong = (pol == "low") & ((both & (r[0] < g[1])) | (~no_green & (g[0] > unit_lo)))

    # Sweep the three ranges in order of their first step: a gap is a step beyond what
    # the ranges so far cover and before the next one starts.
    firsts = np.stack([r[0], a[0], g[0]], axis=1)
    lasts = np.stack([r[1], a[1], g[1]], axis=1)
    order = np.argsort(firsts, axis=1)
    firsts = np.take_along_axis(firsts, order, axis=1)
    lasts = np.take_along_axis(lasts, order, axis=1)
    covered = unit_lo - 1
    gap_at = np.full(len(dec), np.nan)
    for k in range(3):
        nonempty = firsts[:, k] <= lasts[:, k]
        starts_after = nonempty & (firsts[:, k] > covered + 1)
        new_gap = starts_after & np.isnan(gap_at)
        gap_at = np.where(new_gap, covered + 1, gap_at)
        covered = np.where(nonempty, np.fmax(covered, lasts[:, k]), covered)
    tail_gap = (covered < unit_hi) & np.isnan(gap_at)
    gap_at = np.where(tail_gap, covered + 1, gap_at)
    gap = ~np.isnan(gap_at)
    return pd.DataFrame(
        {
            "no_green": no_green,
            "wrong_way": high_wrong | low_wrong,
            "gap": gap,
            "gap_at": np.where(gap, gap_at * step, np.nan),
        },
        index=polarity.index,
    )
