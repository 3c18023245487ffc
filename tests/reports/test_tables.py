"""Tables with nothing to show say so in a sentence instead of failing."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.reports.tables import html_table, publication_table


def test_an_empty_publication_table_is_a_sentence():
    # Before the fix great_tables raised "rowname_col= refers to columns not in the table:
    # ['Indicator']" for a dataset with no activity indicators.
    empty = pd.DataFrame({"id": pd.Series(dtype=object), "kind": pd.Series(dtype=object)})
    out = publication_table(empty, empty="No activity indicators in this dataset.")
    assert out._repr_html_() == "<p>No activity indicators in this dataset.</p>"


def test_an_empty_html_table_is_a_sentence_and_escaped():
    out = html_table(pd.DataFrame({"Indicator": []}), title="A & B")
    assert out.html == "<p>A &amp; B: nothing to show.</p>"
