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
import pyarrow as pa
import pyarrow.compute as pc

from cyps_analysis.vocab import BAND_NAMES, UNIT_RANGE

NOTATION_HELP = (
    "Write a band as X+ or >=X (at least X), >X, <X, <=X, X-Y (X to Y inclusive) "
    "or - for an empty band; % is optional; X may be negative (<-0.5, -0.5+, -1-0)"
)

_NUM = r"(-?\d+(?:\.\d+)?)"  # negative for scores such as Progress 8
# Every form in one pattern: a sign (<=, >=, < or >), a number, and after it + or -Y.
# A band has the sign or what follows, not both: X+, >=X, >X, <X, <=X, X-Y.
_BAND_RE = re.compile(rf"^(<=|>=|<|>)?{_NUM}(\+|-{_NUM})?$")
# The same pattern with its groups named, for Arrow; and the texts Arrow reads as
# Python does (printable ASCII, and the three signs that normalising rewrites).
_NAMED_BAND_RE = rf"^(?P<sign><=|>=|<|>)?(?P<x>{_NUM[1:-1]})(?P<after>\+|-(?P<y>{_NUM[1:-1]}))?$"
_SIMPLE_TEXT = "^[\x20-\x7e≥≤–]*$"
#: How many distinct texts make matching them all at once by Arrow worth its calls.
ARROW_FROM = 1_000


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
    """Parse a column of band notation into intervals, vectorised.

    Returns a frame on the same index with ``lo, lo_inclusive, hi, hi_inclusive``
    (``lo`` NaN for an empty band), ``empty`` and ``valid`` (False where the text does
    not parse).

    Examples
    --------
    >>> parse_bands(pd.Series(["<82%", "82-89.9", "-", "abc"]))[["lo", "hi", "valid"]]
         lo    hi  valid
    0  -inf  82.0   True
    1  82.0  89.9   True
    2   NaN   NaN   True
    3   NaN   NaN  False
    """
    return pd.DataFrame(parse_band_arrays(text), index=text.index)


def parse_band_arrays(text) -> dict[str, np.ndarray]:
    """:func:`parse_bands` as a dict of arrays, one per column, for any sequence of
    texts (``None`` for none).

    Examples
    --------
    >>> parse_band_arrays(["<82%", None])["hi"].tolist()
    [82.0, nan]
    """
    # Band columns repeat a few notations many times: parse each distinct text once.
    codes, uniques = pd.factorize(np.asarray(text, dtype=object), use_na_sentinel=False)
    texts = pd.Series(uniques, dtype="string").fillna("").tolist()
    return parse_coded_bands(codes, texts)


def parse_coded_bands(codes: np.ndarray, texts: list[str]) -> dict[str, np.ndarray]:
    """:func:`parse_band_arrays` of texts given as ``codes`` into distinct ``texts``
    (-1 for none, read as an empty text as ``None`` is); each distinct text parsed once.

    Examples
    --------
    >>> parse_coded_bands(np.array([1, 0, -1, 1]), ["<82%", "90%+"])["lo"].tolist()
    [90.0, -inf, nan, 90.0]
    """
    parsed = parse_band_texts([*texts, ""])
    return {name: column[codes] for name, column in parsed.items()}


def parse_band_texts(texts: list[str]) -> dict[str, np.ndarray]:
    """Parse distinct band texts (a few per indicator, whatever the rows), as
    :func:`parse_band_arrays` does: one match of one pattern each, and a second after
    normalising where the first fails (text with spaces, %, commas or the signs ≥ ≤ –,
    which the pattern has none of).

    Examples
    --------
    >>> parse_band_texts(["82%+", ""])["lo"].tolist()
    [82.0, nan]
    """
    sign, x, plus, y, empty = _band_parts(texts)
    matched = ~np.isnan(x)
    no_sign = matched & (sign < 0)
    signed = matched & ~no_sign & ~plus & np.isnan(y)
    x_plus = no_sign & plus
    between = no_sign & ~np.isnan(y)
    at_least, above, below, at_most = (signed & (sign == k) for k in range(len(_SIGN_CODES)))
    lo = np.select([x_plus | at_least | above | between, below | at_most], [x, -np.inf], np.nan)
    hi = np.select([x_plus | at_least | above, below | at_most, between], [np.inf, x, y], np.nan)
    lo_inc = x_plus | at_least | between
    hi_inc = at_most | between
    valid = empty | x_plus | between | signed
    with np.errstate(invalid="ignore"):
        backwards = lo > hi
    valid &= ~backwards
    lo[~valid] = hi[~valid] = np.nan
    return {
        "lo": lo,
        "lo_inclusive": lo_inc,
        "hi": hi,
        "hi_inclusive": hi_inc,
        "empty": np.isnan(lo) & valid,
        "valid": valid,
    }


_SIGN_CODES = (">=", ">", "<", "<=")


def _band_parts(texts: list[str]) -> tuple[np.ndarray, ...]:
    """Each text's parts by the pattern: its sign (a position in ``_SIGN_CODES``, -1
    for none), number (NaN where the pattern does not match), whether a ``+`` follows,
    the second number (NaN for none), and whether it is empty once normalised (where
    the first match fails).

    Of ``ARROW_FROM`` texts or more, those of printable ASCII and the signs ≥ ≤ – are
    matched all at once by Arrow's regular expressions, which read such text exactly as
    Python's do; any other text (a tab, a non-breaking space, other digits), and all
    texts of fewer, are matched by Python's, one at a time.
    """
    n = len(texts)
    sign = np.full(n, -1)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    plus, empty = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    simple = np.zeros(n, dtype=bool)
    if n >= ARROW_FROM:  # Arrow's calls cost more than Python's matches for fewer
        arrow = pa.array(texts, type=pa.large_string())
        simple = pc.match_substring_regex(arrow, _SIMPLE_TEXT).to_numpy(zero_copy_only=False)
    at = np.flatnonzero(simple)
    if len(at):
        # A text the pattern matches has none of what normalising removes or rewrites,
        # so matching every text once normalised finds what matching it as written,
        # then normalised where that fails, finds.
        normal = pc.replace_substring_regex(arrow.take(at), r"[ %,]", "")
        for written_sign, written in _SIGNS_WRITTEN.items():
            normal = pc.replace_substring(normal, written_sign, written)
        found = pc.extract_regex(normal, _NAMED_BAND_RE)
        empty[at] = pc.is_in(normal, pa.array(["", "-"])).to_numpy(zero_copy_only=False)
        # A group that took no part reads "" (none can match ""); no match at all, null.
        field = {name: pc.struct_field(found, name) for name in ("sign", "x", "after", "y")}
        sign[at] = pc.fill_null(pc.index_in(field["sign"], pa.array(_SIGN_CODES)), -1)
        x[at] = pc.cast(field["x"], pa.float64()).to_numpy(zero_copy_only=False)
        plus[at] = pc.fill_null(pc.equal(field["after"], "+"), False)
        second = pc.replace_substring_regex(field["y"], "^$", "nan")
        y[at] = pc.cast(second, pa.float64()).to_numpy(zero_copy_only=False)
    codes = {s: k for k, s in enumerate(_SIGN_CODES)}
    for i in np.flatnonzero(~simple).tolist():
        t = texts[i]
        m = _BAND_RE.match(t)
        if m is None:
            t = _normalise(t)
            m = _BAND_RE.match(t)
            empty[i] = t in ("", "-")
        if m is not None:
            written_sign, number, after, second = m.groups()
            sign[i] = codes.get(written_sign, -1)
            x[i] = float(number)
            plus[i] = after == "+"
            if second is not None:
                y[i] = float(second)
    return sign, x, plus, y, empty


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
