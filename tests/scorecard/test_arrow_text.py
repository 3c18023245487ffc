"""Text columns read through their Arrow arrays (cyps_analysis/arrow_text.py): months
read from the bytes exactly as the dataset checks read them, ids found by position, and
the distinct texts of several columns. Month numbers are ``year * 12 + month - 1``
(2025-03 is 2025 * 12 + 2 = 24302)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.dataset._checks import month_numbers
from cyps_analysis.scorecard._arrow_text import (
    _chunk_months,
    arrow_text,
    month_numbers_array,
    positions,
    text_codes,
)

MAR_25 = 2025 * 12 + 2


@pytest.mark.parametrize("dtype", [object, "str"])
@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["2025-03", "2024-04", "2025-12"], [MAR_25, 2024 * 12 + 3, 2025 * 12 + 11]),
        (["2025-13", "2025-00", "2025-3", " 2025-03"], [-1, -1, -1, -1]),
        # Read one by one, not as a table of seven bytes: the second is not seven
        # characters, so the others must still be read right.
        (["2025-03", "2025-3", "2024-12"], [MAR_25, -1, 2024 * 12 + 11]),
        # Lengths that add up to seven each but split differently.
        (["2025-0", "32025-04"], [-1, -1]),
        (["2025-03,", "2025-0"], [-1, -1]),
        # Seven characters, not all digits where digits belong, or no dash.
        (["2025/03", "20a5-03", "2025-0a", "2025-03"], [-1, -1, -1, MAR_25]),
        # Seven characters but more bytes: read as the checks read them.
        (["2025-0é", "2025-03"], [-1, MAR_25]),
        ([None, "2025-03"], [-1, MAR_25]),
        ([], []),
    ],
)
def test_month_numbers_array(texts, expected, dtype):
    got = month_numbers_array(pd.Series(texts, dtype=dtype))
    assert got.tolist() == expected
    # The same as the dataset checks read them.
    checked = month_numbers(pd.Series(texts, dtype="string"))
    assert got.tolist() == checked.to_numpy(dtype="int64", na_value=-1).tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"),
            st.text(alphabet="0123456789-/:,.a ", min_size=6, max_size=8),
            st.text(min_size=7, max_size=7),
        ),
        max_size=12,
    )
)
def test_month_numbers_array_reads_any_text_as_the_checks_do(texts):
    # Whatever the bytes (digits out of place, a colon or slash, which lie just past
    # "9" and before "0", characters of several bytes), the same as the checks.
    got = month_numbers_array(pd.Series(texts, dtype="str"))
    checked = month_numbers(pd.Series(texts, dtype="string"))
    assert got.tolist() == checked.to_numpy(dtype="int64", na_value=-1).tolist()


def test_months_in_the_usual_form_are_read_from_the_bytes():
    # Not handed to the checks' reading (which gives the same numbers, slowly).
    texts = pa.array(["2025-03", "1999-12", "0000-01", "9999-10", "2025-13"], pa.large_string())
    got = _chunk_months(texts)
    assert got is not None
    assert got.tolist() == [MAR_25, 1999 * 12 + 11, 0, 9999 * 12 + 9, -1]
    assert _chunk_months(pa.array(["2025-03", "2025/03"], pa.large_string())) is None


def test_month_numbers_of_a_slice_and_of_several_chunks():
    # A slice of an Arrow column starts part way into its buffer.
    months = pd.Series(["1999-01", "2025-03", "2024-04"], dtype="str").iloc[1:]
    assert month_numbers_array(months).tolist() == [MAR_25, 2024 * 12 + 3]
    stacked = pd.concat([months, pd.Series(["2025-12"], dtype="str")], ignore_index=True)
    assert month_numbers_array(stacked).tolist() == [MAR_25, 2024 * 12 + 3, 2025 * 12 + 11]


def test_arrow_text_reads_values_that_are_not_text_as_missing():
    got = arrow_text(pd.Series(["a", 5, None, float("nan")], dtype=object))
    assert got.type == pa.large_string()
    assert got.to_pylist() == ["a", None, None, None]


def test_positions_of_ids():
    ids = pa.array(["x1", "x2", "x3"], type=pa.large_string())
    column = pd.Series(["x3", "y", None, "x1", "x1"], dtype="str")
    assert positions(column, ids).tolist() == [2, -1, -1, 0, 0]
    # Only some rows: in the order asked for.
    assert positions(column, ids, at=[4, 0]).tolist() == [0, 2]


def test_text_codes():
    text = pa.chunked_array([pa.array(["2024/25", None]), pa.array(["2025", "2024/25"])])
    codes, texts = text_codes(text)
    assert [None if c < 0 else texts[c] for c in codes] == ["2024/25", None, "2025", "2024/25"]
    assert sorted(texts) == ["2024/25", "2025"]
