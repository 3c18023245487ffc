"""Text columns read through their Arrow arrays: months as month numbers, ids as
positions in a list of ids, and the distinct texts of many tables' columns.

A dataset's text columns are held by Arrow (pandas' string dtype), each value a span of
one shared buffer. Reading them as Python strings makes an object per value: millions for
a hundred and fifty authorities' observations. Here they are read where they lie, by
numpy over the buffer and by Arrow's compute kernels, and only a handful of distinct
texts ever become Python strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cyps_analysis.dataset._checks import month_numbers

# A month's text, DDDD-MM, is read as two four-byte words: its first four bytes (the
# year's digits) and its last four (the year's last digit, the dash and the month's two
# digits). Each word is checked and read byte by byte at once, all texts together.
_DIGIT_HIGH = np.uint32(0xF0F0F0F0)  # a digit's byte is 0x3N with N at most 9: high nibble 3
_DIGIT_SIX = np.uint32(0x06060606)  # ... and N + 6 still within the nibble
_MONTH_SIX = np.uint32(0x06060000)  # the same for the month word's two digits
_ZEROS = np.uint32(0x30303030)
_MONTH_MASK = np.uint32(0xF0F0FF00)  # the month word's dash and month digits
_MONTH_HIGH = np.uint32(0x30302D00)  # "-" and two digits' high nibbles
_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default text: "str"


def arrow_text(column: pd.Series | pd.api.extensions.ExtensionArray) -> pa.ChunkedArray:
    """A text column as an Arrow array of ``large_string`` (null where missing). An
    Arrow-backed column is read where it is; any other is converted, values that are not
    text reading as missing.

    Examples
    --------
    >>> arrow_text(pd.Series(["a", None, 3], dtype=object)).to_pylist()
    ['a', None, None]
    """
    array = column.array if isinstance(column, pd.Series) else column
    if isinstance(array, pd.arrays.ArrowStringArray):
        found = pa.array(array)  # its own chunks, through the Arrow array protocol
        if isinstance(found, pa.Array):
            found = pa.chunked_array([found])
    else:
        values = np.asarray(array, dtype=object)
        try:
            found = pa.chunked_array([pa.array(values, type=pa.large_string(), from_pandas=True)])
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # Some value is not text (a number, a date): as the checks read it, not a text.
            is_text = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
            text = np.where(is_text, values, None)
            found = pa.chunked_array([pa.array(text, type=pa.large_string())])
    return found if found.type == pa.large_string() else found.cast(pa.large_string())


def month_numbers_array(months) -> np.ndarray:
    """``YYYY-MM`` text (a Series, or the array it holds) as month numbers (``year * 12
    + month - 1``), -1 where the text is not a month: as
    :func:`~cyps_analysis.dataset._checks.month_numbers`, faster.

    When every text is seven bytes of the form ``DDDD-DD``, the column's buffer is read
    at once, as whole numbers; anything else is read by :func:`~cyps_analysis.dataset._checks.month_numbers`,
    each distinct text once.

    Examples
    --------
    >>> month_numbers_array(pd.Series(["2025-03", "2025-13", "2025-3"])).tolist()
    [24302, -1, -1]
    """
    text = arrow_text(months)
    parts = [_chunk_months(chunk) for chunk in text.chunks]
    if all(p is not None for p in parts):
        return np.concatenate(parts) if parts else np.zeros(0, dtype="int64")
    codes, distinct = pd.factorize(np.asarray(text.to_numpy(), dtype=object))
    numbers = month_numbers(pd.Series(distinct, dtype="string"))
    return np.append(numbers.to_numpy(dtype="int64", na_value=-1), -1)[codes]


def _chunk_months(chunk: pa.LargeStringArray) -> np.ndarray | None:
    """One chunk's month numbers, or None unless every text is ``DDDD-DD``."""
    n = len(chunk)
    if chunk.null_count:
        return None
    if n == 0:
        return np.zeros(0, dtype="int64")
    _, offsets, data = chunk.buffers()
    ends = np.frombuffer(offsets, dtype="<i8", count=n + 1, offset=8 * chunk.offset)
    first = int(ends[0])
    # Seven bytes a text, one after another: then text i starts at byte 7 i.
    if int(ends[-1]) - first != 7 * n or (ends[1:] - ends[:-1] != 7).any():
        return None
    raw = np.frombuffer(data, dtype=np.uint8, count=7 * n, offset=first)
    # Copied out once: sums over aligned, adjacent words run far faster.
    year_word, month_word = (
        np.ndarray((n,), dtype="<u4", buffer=raw, offset=start, strides=(7,)).copy()
        for start in (0, 3)
    )
    year_ok = ((year_word & _DIGIT_HIGH) == _ZEROS) & (
        ((year_word + _DIGIT_SIX) & _DIGIT_HIGH) == _ZEROS
    )
    month_ok = ((month_word & _MONTH_MASK) == _MONTH_HIGH) & (
        ((month_word + _MONTH_SIX) & _MONTH_MASK) == _MONTH_HIGH
    )
    if not (year_ok.all() and month_ok.all()):
        return None
    # Digits' values, then pairs of digits (d0 d1, d2 d3) as whole numbers.
    one = np.uint32(1)
    digits = year_word - _ZEROS
    pairs = digits * np.uint32(10) + (digits >> np.uint32(8))
    year = (pairs & np.uint32(0xFF)) * np.uint32(100) + ((pairs >> np.uint32(16)) & np.uint32(0xFF))
    tens, units = (month_word >> np.uint32(16)) & np.uint32(0xFF), month_word >> np.uint32(24)
    # Less the two digits' "0"s and one: 0 to 11 for a month (any other wraps round high).
    month = tens * np.uint32(10) + units - np.uint32(ord("0") * 11) - one
    number = (year * np.uint32(12) + month).astype("int64")
    return np.where(month < np.uint32(12), number, -1)


def positions(column, ids: pa.Array, at: np.ndarray | None = None) -> np.ndarray:
    """The position in ``ids`` of each value of a text column (a Series, or the array
    it holds; of its rows ``at`` only, if given); -1 where missing or not among ``ids``.

    Examples
    --------
    >>> ids = pa.array(["a", "b"], type=pa.large_string())
    >>> positions(pd.Series(["b", "c", None, "a"]), ids).tolist()
    [1, -1, -1, 0]
    """
    text = arrow_text(column)
    if at is not None:
        text = text.take(at)
    found = pc.index_in(text, value_set=ids, skip_nulls=True)
    return pc.fill_null(found, -1).to_numpy().astype("int64", copy=False)


def id_array(column: pd.Series | pa.ChunkedArray) -> pa.Array:
    """A column of ids (or Arrow text) as one Arrow array, to look values up in with
    :func:`positions`."""
    text = column if isinstance(column, pa.ChunkedArray) else arrow_text(column)
    return text.combine_chunks()


def text_codes(text: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Arrow text as codes into its distinct texts (-1 where missing); the texts as an
    object array. Only the distinct texts are made Python strings.

    Examples
    --------
    >>> codes, texts = text_codes(pa.array(["x", "y", None, "x"]))
    >>> codes.tolist(), texts.tolist()
    ([0, 1, -1, 0], ['x', 'y'])
    """
    texts = pc.unique(text).drop_null()
    codes = pc.fill_null(pc.index_in(text, value_set=texts, skip_nulls=True), -1)
    return (
        codes.to_numpy().astype("int64", copy=False),
        np.asarray(texts.to_pylist(), dtype=object),
    )


def text_column(text: pa.ChunkedArray | pa.Array) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """Arrow text as a column of a frame, as pandas makes one of Python strings and
    ``None``: the string dtype (NaN where missing), or, if every value is missing, an
    object column of ``None``. The text stays where it is.

    Examples
    --------
    >>> text_column(pa.array(["a", None])).tolist(), text_column(pa.array([None])).tolist()
    (['a', nan], [None])
    """
    if text.null_count == len(text):
        return np.full(len(text), None, dtype=object)
    if isinstance(text, pa.Array):
        text = pa.chunked_array([text])
    return pd.arrays.ArrowStringArray(text, dtype=_STR)


def coded_text(codes: np.ndarray, texts) -> pa.Array:
    """Texts given as ``codes`` into ``texts`` (-1: missing; ``texts`` a sequence, or
    Arrow text made once for many calls), as Arrow text.

    Examples
    --------
    >>> coded_text(np.array([1, -1, 0]), ["up", "down"]).to_pylist()
    ['down', None, 'up']
    """
    indices = pa.array(np.asarray(codes, dtype="int64"), mask=np.asarray(codes) < 0)
    if not isinstance(texts, pa.Array):
        texts = pa.array(list(texts), type=pa.large_string())
    return texts.take(indices)
