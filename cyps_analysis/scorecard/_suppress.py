"""Small numbers hidden in a published scorecard (``publish=True``): the rule of
:mod:`cyps_analysis.rules.disclosure` applied to each figure of a row, and to what a
hidden figure would give away (its RAG, forecast, change and interval)."""

from __future__ import annotations

import numpy as np

from cyps_analysis.rules.periods import Period, month_key


def hidden_figures(grid, agg, unit, bounds, windows, values, months, min_count) -> dict:
    """Which of each row's figures a published pack hides, by column
    (:func:`cyps_analysis.rules.disclosure.suppressed`): the windows of ``bounds``
    (first and last months) and the single months of ``months`` (a month per row)."""
    from cyps_analysis.rules.disclosure import month_cases, suppressed, window_cases

    rule = {"unit": unit, "aggregation": agg, "min_count": min_count}
    hidden = {
        name: suppressed(
            values[name], *window_cases(grid, agg, unit, windows[name], *bounds[name]), **rule
        )
        for name in bounds
    }
    for key, month in months.items():
        cases = month_cases(grid, agg, unit, grid.column(month))
        hidden[key] = suppressed(values[key], *cases, **rule)
    return hidden


def hide_derived(out: dict, hidden: dict, rated: np.ndarray, period: Period) -> None:
    """What a hidden figure would give away, hidden with it: the RAG and forecast of a
    hidden year to date, the RAG of a hidden month, the change and interval of a hidden
    headline figure; and each row's hidden columns (``suppressed``), for the reports to
    show as ``[c]``."""
    n = len(rated)
    year = hidden["outturn"]
    month = hidden[month_key(period.end)]
    headline = month if period.kind == "month" else year
    blank = {
        "forecast_": year,
        "attribution_": year | hidden["previous_year_to_date"],
        "interval_": headline,
    }
    for prefix, rows in blank.items():
        for column in [c for c in out if c.startswith(prefix)]:
            values = np.asarray(out[column])
            if values.dtype.kind == "f":
                out[column] = np.where(rows, np.nan, values)
            elif values.dtype.kind in "iub":
                continue  # months left, level: not figures
            else:
                out[column] = np.where(rows, None, values).astype(object)
    shown_as_hidden = {
        **hidden,
        "rag_month": month & rated,
        "rag_year": year & rated,
        "forecast_projected_outturn": year & rated,
        "forecast_needed": year & rated,
    }
    listed = np.empty(n, dtype=object)
    listed[:] = [tuple(key for key, rows in shown_as_hidden.items() if rows[i]) for i in range(n)]
    out["suppressed"] = listed
