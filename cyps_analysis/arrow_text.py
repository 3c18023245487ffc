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

from cyps_analysis.validate import month_numbers

# "YYYY-MM" less "0" at each place: the digits' values and, at the dash, "-" - "0"
# (wrapping round in a byte); and each place's worth in months.
_DASH = np.uint8((ord("-") - ord("0")) % 256)
_MONTH_WEIGHTS = np.array([12000, 1200, 120, 12, 0, 10, 1], dtype="int64")


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


def month_numbers_array(months: pd.Series) -> np.ndarray:
    """``YYYY-MM`` text as month numbers (``year * 12 + month - 1``), -1 where the text
    is not a month: as :func:`~cyps_analysis.validate.month_numbers`, faster.

    When every text is seven ASCII characters, the column's buffer is read as a table of
    bytes at once; anything else is read by :func:`~cyps_analysis.validate.month_numbers`,
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
    # Seven bytes a text, one after another: then the buffer is an n x 7 table.
    if int(ends[-1]) - first != 7 * n or (ends[1:] - ends[:-1] != 7).any():
        return None
    digits = np.frombuffer(data, dtype=np.uint8, count=7 * n, offset=first).reshape(n, 7)
    digits = digits - np.uint8(ord("0"))
    bad = digits > 9
    bad[:, 4] = digits[:, 4] != _DASH
    if bad.any():
        return None
    month = digits[:, 5] * np.uint8(10) + digits[:, 6]
    number = digits @ _MONTH_WEIGHTS - 1
    return np.where((month >= 1) & (month <= 12), number, -1)


def positions(column: pd.Series, ids: pa.Array, at: np.ndarray | None = None) -> np.ndarray:
    """The position in ``ids`` of each value of a text column (of its rows ``at`` only,
    if given); -1 where missing or not among ``ids``.

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


def id_array(column: pd.Series) -> pa.Array:
    """A column of ids as one Arrow array, to look values up in with :func:`positions`."""
    return arrow_text(column).combine_chunks()


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
    return pd.array(text, dtype="str")


def coded_text(codes: np.ndarray, texts) -> pa.Array:
    """Texts given as ``codes`` into ``texts`` (-1: missing), as Arrow text.

    Examples
    --------
    >>> coded_text(np.array([1, -1, 0]), ["up", "down"]).to_pylist()
    ['down', None, 'up']
    """
    indices = pa.array(np.asarray(codes, dtype="int64"), mask=np.asarray(codes) < 0)
    return pa.array(list(texts), type=pa.large_string()).take(indices)
