"""Everything about one indicator, for an analyst investigating a challenge: its
scorecard line in words, full history, numerators and denominators, the same month in
earlier years, its targets year by year and its benchmarks."""

from __future__ import annotations

import re

import pandas as pd

from cyps_analysis.reports.report import Report, headline, reader_source
from cyps_analysis.reports.safe_html import Html
from cyps_analysis.reports.tables import html_table
from cyps_analysis.scorecard.history import same_month_earlier_years
from cyps_analysis.scorecard.layout import BENCHMARK_HEADINGS, POLARITY_TEXT, format_values


def indicator_row(report: Report, indicator: str) -> pd.Series:
    """The indicator's scorecard row; a clear error naming the known ids otherwise."""
    card = report.scorecard
    rows = card[card["id"] == indicator]
    if rows.empty:
        from cyps_analysis.exceptions import CypsError

        raise CypsError(
            f"No indicator '{indicator}' in indicators.csv. Use one of its ids, "
            f"e.g. {', '.join(card['id'].head(5))}."
        )
    return rows.iloc[0]


def _fmt(row: pd.Series, value) -> str:
    text = format_values([value], pd.Series([row["unit"]]), pd.Series([row["decimals"]]))[0]
    return text or "no figure"


def summary(report: Report, indicator: str):
    """The indicator's scorecard line in words, with its definition and flags."""
    from cyps_analysis.reports.safe_html import text

    row = indicator_row(report, indicator)
    h = headline(report.scorecard).loc[row.name]
    last = report.scorecard.attrs["months"][-1]
    items = [
        f"Latest month ({report.scorecard.attrs['month_labels'][-1]}): {_fmt(row, row[last])}",
        f"Year to date ({row['year']}): {_fmt(row, row['outturn'])}; last year "
        f"{_fmt(row, row['previous_year'])}; same months last year "
        f"{_fmt(row, row['previous_year_to_date'])}",
    ]
    rag_item = None
    if row["kind"] == "benchmarking":
        rag = h["rag"] if h["rag"] != "Not rated" else "not rated (no target)"
        rag_item = (
            f"<li>Headline RAG: <strong>{text(rag)}</strong>; target (Green) "
            f"{text(row['green'] or '-')}, Amber {text(row['amber'] or '-')}, "
            f"Red {text(row['red'] or '-')}</li>"
        )
    later = []
    if isinstance(h["change"], str):
        later.append(f"Direction: {h['change']}")
    for key, heading in BENCHMARK_HEADINGS.items():
        if not pd.isna(row[key]):
            later.append(
                f"{heading}: {_fmt(row, row[key])} "
                f"({row[f'{key}_year']}, {reader_source(row[f'{key}_source'])})"
            )
    later += [f"Note: {flag['message']}" for flag in row["flags"]]
    lis = [f"<li>{text(i)}</li>" for i in items]
    lis += [rag_item] if rag_item else []
    lis += [f"<li>{text(i)}</li>" for i in later]
    parts = [
        f"<p><strong>{text(row['title'])}</strong> ({text(row['service_area'])}; "
        f"{text(row['kind'])} indicator; good performance is "
        f"{text(POLARITY_TEXT[row['polarity']].lower())})</p>",
        f"<ul>{''.join(lis)}</ul>",
    ]
    definition = report.dataset.indicators.set_index("id").loc[indicator].get("definition")
    if _defines(definition, row["title"]):
        parts.append(f"<p>Definition: {text(definition)}</p>")
    return Html("\n".join(parts))


def _defines(definition: object, title: str) -> bool:
    """Whether ``definition`` says more than the title: not empty, and not the title
    again with its unit in brackets (``Contacts to the front door (count).``)."""
    if not isinstance(definition, str) or not definition.strip():
        return False
    bare = re.sub(r"\s*\([^)]*\)\s*\.?\s*$|\.\s*$", "", definition.strip())
    return bare.casefold() != str(title).strip().casefold()


def indicator_history(report: Report, indicator: str) -> pd.DataFrame:
    """Every recorded month of the indicator up to the period's end."""
    indicator_row(report, indicator)
    history = report.history
    return history[history["indicator"] == indicator].reset_index(drop=True)


def history_chart(report: Report, indicator: str):
    """The whole history as a trend chart, with its targets and latest benchmarks."""
    from cyps_analysis.reports.plots import trend_chart

    row = indicator_row(report, indicator)
    targets = report.dataset.targets
    return trend_chart(
        indicator_history(report, indicator),
        row,
        targets[targets["indicator"] == indicator] if row["kind"] == "benchmarking" else None,
    )


def monthly_detail(report: Report, indicator: str):
    """Each month's numerator, denominator and value, latest first."""
    row = indicator_row(report, indicator)
    h = indicator_history(report, indicator).iloc[::-1]
    table = pd.DataFrame(
        {
            "Month": h["label"].to_numpy(),
            "Year": h["year"].to_numpy(),
            "Numerator": [f"{v:,.0f}" if not pd.isna(v) else "" for v in h["numerator"]],
            "Denominator": [f"{v:,.0f}" if not pd.isna(v) else "" for v in h["denominator"]],
            "Value": [_fmt(row, v) for v in h["value"]],
        }
    )
    if h["numerator"].isna().all():
        table = table.drop(columns=["Numerator", "Denominator"])
    return html_table(table, title=f"{row['title']}: every month recorded")


def same_month_table(report: Report, indicator: str):
    """The period's last month in each earlier year."""
    row = indicator_row(report, indicator)
    last = report.scorecard.attrs["months"][-1]
    same = same_month_earlier_years(indicator_history(report, indicator), last)
    table = pd.DataFrame({"Month": same["label"], "Value": [_fmt(row, v) for v in same["value"]]})
    return html_table(table, title="The same month in earlier years")


def target_history(report: Report, indicator: str):
    """The indicator's targets and tolerances, year by year, as written."""
    targets = report.dataset.targets
    rows = targets[targets["indicator"] == indicator]
    table = pd.DataFrame(
        {
            "Year": rows["year"].to_numpy(),
            "Red": rows["red"].fillna("").to_numpy(),
            "Amber": rows["amber"].fillna("").to_numpy(),
            "Green (target)": rows["green"].fillna("").to_numpy(),
        }
    )
    if table.empty:
        table = pd.DataFrame({"Year": ["-"], "Red": [""], "Amber": [""], "Green (target)": [""]})
    return html_table(table, title="Targets and tolerances by year")


def benchmark_history(report: Report, indicator: str):
    """The indicator's local benchmarks (typed in by the authority), year by year."""
    row = indicator_row(report, indicator)
    bench = report.dataset.benchmarks
    rows = bench[bench["indicator"] == indicator] if len(bench) else bench
    table = pd.DataFrame({"Year": list(rows["year"]) if len(rows) else ["-"]})
    for key, heading in BENCHMARK_HEADINGS.items():
        table[heading] = [_fmt(row, v) for v in rows[key]] if len(rows) else [""]
    return html_table(table, title="Benchmarks by year")


def neighbours(report: Report, indicator: str) -> list:
    """The indicator's published comparison when it is mapped to a national measure:
    every neighbour's value in a table and a chart; otherwise a note saying so."""
    from cyps_analysis.reports.benchmarking_page import published_comparisons
    from cyps_analysis.reports.plots import neighbours_chart

    row = indicator_row(report, indicator)
    comparisons = published_comparisons(report)
    rows = comparisons[comparisons["indicator"] == indicator] if len(comparisons) else comparisons
    if rows.empty:
        return [
            Html(
                "<p>No published comparison with statistical neighbours: this indicator "
                "is not one the Department for Education publishes for every authority, "
                "or it publishes no value for this authority.</p>"
            )
        ]
    table = pd.DataFrame(
        {
            "": [
                "Us" if r == "authority" else f"Neighbour {p}"
                for r, p in zip(rows["role"], rows["position"], strict=True)
            ],
            "Authority": rows["la_name"].astype(str).to_numpy(),
            "Value": [_fmt(row, v) for v in rows["value"]],
        }
    )
    first = rows.iloc[0]
    chart = neighbours_chart(
        rows, title=row["title"], unit=row["unit"], decimals=int(row["decimals"])
    )
    return [
        html_table(
            table,
            title=f"Statistical neighbours, {first['year_label']}",
            subtitle=f"Source: {first['source']}",
        ),
        chart,
    ]
