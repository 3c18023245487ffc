"""The scorecard as the council's workbook lays it out: a title row, grouped headers, a
section per service area, real numbers in number formats by unit, RAG cells filled and
named, and a page set up to print (docs/scorecard.md, "The workbook").

openpyxl writes the file; this module only says what goes in which cell.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from cyps_analysis.rules.disclosure import MARKER
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.scorecard.layout import (
    BENCHMARK_HEADINGS,
    CHANGE_COLOURS,
    COLUMN_GROUPS,
    RAG_COLOURS,
    hidden,
    report_table,
)
from cyps_analysis.vocab import BENCHMARKS

#: Fill of a service area's section row and of the header rows.
SECTION_FILL = "D9D9D9"
HEADER_FILL = "EDEDED"
#: Rows above the indicators: title, grouped headers, column headers.
HEADER_ROWS = 3

#: What each column of the Scorecard sheet means, for the About sheet.
COLUMN_MEANINGS: dict[str, str] = {
    "Indicator": "The indicator's title; each service area starts with a section row.",
    "Jan-25 (each month)": "The month's value (the period's own months).",
    "Qtr": "The quarter containing the period's end, to date.",
    "YTD": "The year to date at the period's end (the full year at its last month).",
    "Good perf is": "Whether good performance is a High or a Low value (- for neither).",
    "DOT (month)": "Direction of travel: the last month against the month before; the "
    "arrow shows the raw direction, the word whether it is an improvement.",
    "RAG (month)": "The last month's value against the year's bands.",
    "DOT (yr on yr)": "The year to date against the same months last year.",
    "RAG (yr end)": "The year to date against the year's bands (pro rata for sums).",
    "Red, Amber, Green (target)": "The year's bands as the dataset writes them.",
    "Last yr": "Last year's full outturn.",
    "Yr on yr trend": "Whether the year to date improves on the same months last year.",
    "Forecast (yr end)": "The year-end outturn projected from the year to date by the "
    "indicator's aggregation rule, with the RAG it would get (before the year's last month).",
    "Needed (rest of yr)": "What the remaining months must average to reach the target "
    "(out of reach where no possible value would).",
    "Variation": "Statistical process control: whether the latest point shows special-cause "
    "variation (NHS England Making Data Count); in the pack's workbook.",
    "Assurance": "Whether the process consistently passes or fails the target, or is hit "
    "and miss; in the pack's workbook.",
    "Stat neighbours": "The statistical neighbours' average; the year it refers to is "
    "shown in brackets.",
    "Best stat neighbour": "The best statistical neighbour's value (given polarity).",
    "England": "The England figure as published.",
    "Top quartile": "The boundary of the best quartile of all authorities.",
    "Region": "The region's figure.",
    "Notes": "What a reader must know about the figures (missing months, small numbers...).",
}


def number_format(unit: str, decimals: int, suffix: str = "") -> str:
    """Excel's number format for a unit shown at ``decimals`` places; ``suffix`` is shown
    after the number as text (a benchmark's year).

    Examples
    --------
    >>> number_format("percent", 1), number_format("count", 0), number_format("days", 2)
    ('0.0%', '#,##0', '0.00')
    >>> number_format("rate_per_10k", 1, " (2023/24)")
    '0.0" (2023/24)"'
    """
    places = "." + "0" * int(decimals) if decimals else ""
    base = {"percent": f"0{places}%", "count": f"#,##0{places}"}.get(unit, f"0{places}")
    return base + (f'"{suffix.replace(chr(34), "")}"' if suffix else "")


def _stored(values: pd.Series, unit: pd.Series, decimals: pd.Series) -> np.ndarray:
    """Values rounded as shown (so that what Excel shows is what was rated), percentages
    as fractions so that Excel's own % format shows them; missing values as NaN."""
    shown = round_half_up(values.to_numpy(dtype="float64"), decimals.to_numpy())
    # Rounded again after dividing, so that 86.9% is stored as 0.869, not 0.869000...01.
    fraction = round_half_up(shown / 100, decimals.to_numpy() + 2)
    return np.where(unit.to_numpy() == "percent", fraction, shown)


def _report_order(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Rows by service area (in the scorecard's order), benchmarking before activity."""
    area = pd.Categorical(scorecard["service_area"], categories=scorecard["service_area"].unique())
    keys = pd.DataFrame({"area": area.codes, "activity": scorecard["kind"] == "activity"})
    return scorecard.iloc[np.lexsort((keys["activity"], keys["area"]))]


def _columns(table: pd.DataFrame, attrs: dict) -> list[tuple[str, str | None]]:
    """The sheet's columns, those of the report table but the service area (shown in
    section rows): (heading, the scorecard column whose number goes in it, or None for
    the report table's text)."""
    numbers = dict(zip(attrs["month_labels"], attrs["months"], strict=True))
    numbers |= {"Qtr": "quarter", "YTD": "outturn", "Last yr": "previous_year"}
    numbers |= {
        "Forecast (yr end)": "forecast_projected_outturn",
        "Needed (rest of yr)": "forecast_needed",
    }
    numbers |= {BENCHMARK_HEADINGS[k]: k for k in BENCHMARKS}
    return [(c, numbers.get(c)) for c in table.columns if c != "Service area"]


def _suffix(row: pd.Series, key: str) -> str:
    """Words shown after a number, as the report table writes them: a benchmark's year,
    the forecast's RAG, a needed average that is out of reach."""
    if key in BENCHMARKS and isinstance(row.get(f"{key}_year"), str):
        return f" ({row[f'{key}_year']})"
    if key == "forecast_projected_outturn" and isinstance(row.get("forecast_projected_rag"), str):
        return f" ({row['forecast_projected_rag']})"
    if key == "forecast_needed" and row.get("forecast_possible") is False:
        return " (out of reach)"
    return ""


def add_scorecard_sheet(book, scorecard: pd.DataFrame) -> None:
    """Add the Scorecard sheet to an openpyxl workbook ``book``."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    card = _report_order(scorecard)
    table = report_table(card)
    columns = _columns(table, card.attrs)
    width = len(columns)
    last = get_column_letter(width)
    attrs = card.attrs
    ws = book.create_sheet("Scorecard", 0)
    title = f"{attrs.get('authority')} scorecard, {attrs['period_title']} (data as at {attrs.get('as_at')})"
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)

    headings = [c[0] for c in columns]
    position = {h: i + 1 for i, h in enumerate(headings)}
    groups = {attrs["period_title"]: tuple(attrs["month_labels"]), **COLUMN_GROUPS}
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for group, members in groups.items():
        spots = [position[m] for m in members if m in position]
        if not spots:
            continue
        first, end = min(spots), max(spots)
        ws.cell(2, first, group)
        if end > first:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=end)
    ws.append([])  # row 2 holds the groups written above
    for i, heading in enumerate(headings, start=1):
        ws.cell(3, i, heading)
    for row in (2, 3):
        for i in range(1, width + 1):
            cell = ws.cell(row, i)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    stored = {
        key: _stored(card[key], card["unit"], card["decimals"])
        for _, key in columns
        if key is not None
    }
    hidden_cells = {key: hidden(card, key) for _, key in columns if key is not None}
    rag_keys = {"RAG (month)": "rag_month", "RAG (yr end)": "rag_year"}
    dot_keys = {
        "DOT (month)": "dot_month_change",
        "DOT (yr on yr)": "dot_year_change",
        "Yr on yr trend": "dot_year_change",
    }
    section_fill = PatternFill("solid", fgColor=SECTION_FILL)
    r = HEADER_ROWS
    for area, rows in card.groupby("service_area", sort=False):
        r += 1
        ws.cell(r, 1, area).font = Font(bold=True)
        for i in range(1, width + 1):
            ws.cell(r, i).fill = section_fill
            ws.cell(r, i).border = box
        for n in (card.index.get_indexer(rows.index)).tolist():
            r += 1
            row = card.iloc[n]
            for i, (heading, key) in enumerate(columns, start=1):
                cell = ws.cell(r, i)
                cell.border = box
                if key is None:
                    text = table.iloc[n][heading] if heading != "Indicator" else row["title"]
                    cell.value = text if text != "" else None
                elif hidden_cells[key][n]:
                    cell.value = MARKER
                    cell.alignment = Alignment(horizontal="right")
                elif not np.isnan(stored[key][n]):
                    cell.value = float(stored[key][n])
                    cell.number_format = number_format(
                        row["unit"], int(row["decimals"]), _suffix(row, key)
                    )
                if heading in rag_keys and row[rag_keys[heading]] in RAG_COLOURS:
                    cell.fill = PatternFill("solid", fgColor=RAG_COLOURS[row[rag_keys[heading]]])
                    cell.font = Font(bold=True)
                if heading in dot_keys and row[dot_keys[heading]] in CHANGE_COLOURS:
                    cell.font = Font(
                        color=CHANGE_COLOURS[row[dot_keys[heading]]].lstrip("#").upper()
                    )
                centred = heading in rag_keys or heading in dot_keys or heading == "Good perf is"
                cell.alignment = Alignment(
                    horizontal="center" if centred else None,
                    vertical="center",
                    wrap_text=heading in ("Indicator", "Notes"),
                )

    widths = {}
    for i, heading in enumerate(headings, start=1):
        if heading == "Indicator":
            shown = pd.concat([card["title"], card["service_area"]])
        else:
            shown = table[heading] if heading in table else pd.Series([], dtype=object)
        longest = max([len(heading) // 2 + 1, *(len(str(v)) for v in shown)], default=8)
        widths[i] = min(max(longest + 2, 7), 55 if heading == "Indicator" else 35)
        ws.column_dimensions[get_column_letter(i)].width = widths[i]
    # Neither Excel nor LibreOffice makes a row taller for wrapped text when it opens
    # the file: a long title or note gets the lines it needs here (15 points a line).
    # A column's width counts the digit 0; text runs about 1.25 characters to each.
    wrapped = [position[h] for h in ("Indicator", "Notes") if h in position]
    for row in ws.iter_rows(min_row=HEADER_ROWS + 1):
        lines = max(
            math.ceil(len(str(row[i - 1].value or "")) / ((widths[i] - 1) * 1.25)) for i in wrapped
        )
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines
    ws.row_dimensions[HEADER_ROWS].height = 30  # headings such as "Good perf is" wrap

    ws.freeze_panes = ws.cell(HEADER_ROWS + 1, 2)
    ws.auto_filter.ref = f"A{HEADER_ROWS}:{last}{max(r, HEADER_ROWS + 1)}"
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # In headers and footers "&" starts a code: the authority's own "&" is doubled.
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = f"Data as at {attrs.get('as_at')}".replace("&", "&&")


def add_about_sheet(book, scorecard: pd.DataFrame, *, run_date: dt.date, version: str) -> None:
    """Add the About sheet: where the figures come from, when, and what each column of
    the Scorecard sheet means."""
    from openpyxl.styles import Alignment, Font

    attrs = scorecard.attrs
    sources = ["The authority's own dataset (indicators, targets and monthly values)"]
    for name in BENCHMARKS:
        sources += [s for s in scorecard[f"{name}_source"].dropna().unique() if s not in sources]
    ws = book.create_sheet("About")
    rows = [
        ("Authority", attrs.get("authority")),
        ("Period", attrs["period_title"]),
        ("Data as at", attrs.get("as_at")),
        ("Run date", run_date.isoformat()),
        ("Made by", f"cyps-analysis {version}"),
        ("Sources", "; ".join(str(s) for s in sources)),
        ("Sheets", "Scorecard: the council layout. Data: one row per indicator, the "
         "columns of the CSV scorecard (docs/scorecard.md). About: this sheet."),
        (None, None),
        ("Column", "Meaning"),
        *COLUMN_MEANINGS.items(),
    ]  # fmt: skip
    for row in rows:
        ws.append(list(row))
    for cell in ws["A"]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for cell in ws["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # As tall as the wrapped text (see the Scorecard sheet's rows).
        lines = math.ceil(len(str(cell.value or "")) / (79 * 1.25))
        if lines > 1:
            ws.row_dimensions[cell.row].height = 15 * lines
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 80
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
