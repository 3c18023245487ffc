"""The scorecard and other tables as HTML: the publication table (great_tables) and
plain accessible tables for the reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape as _escape

import numpy as np
import pandas as pd

from cyps_analysis.dataset.names import slug
from cyps_analysis.scorecard.layout import (
    CHANGE_COLOURS,
    COLUMN_GROUPS,
    RAG_COLOURS,
    report_table,
)

ACTIVITY_HIDDEN: tuple[str, ...] = (
    "RAG (month)",
    "RAG (yr end)",
    *COLUMN_GROUPS["Target & tolerances"],
    *COLUMN_GROUPS["Latest benchmarking"],
)


def publication_table(
    scorecard: pd.DataFrame,
    *,
    title: str | None = None,
    caption: str = "Scorecard",
    empty: str = "No indicators of this kind in this dataset.",
    revisions=None,
):
    """The scorecard as the council report lays it out, for HTML: rows grouped by
    service area, column groups "Target & tolerances", "Yr on yr performance" and
    "Latest benchmarking", RAG cells coloured and named, arrows coloured by
    improvement or decline. Returns an :class:`HtmlTable`: great_tables' table with
    ``caption`` as its caption, its ids unique to it (made from the caption, so two
    tables on a page never share one), and its sideways scroll box a keyboard stop
    named by the caption. In print its text shrinks (to 7.5 pt, headers wrapped) so
    that every column fits the page.

    Activity indicators ("how much have we done?") have no RAG, targets or
    benchmarks, so those columns are left out when every row is an activity. With no
    rows (a dataset without activity indicators), the sentence ``empty`` instead.

    Given ``revisions`` (a pack's :class:`~cyps_analysis.reports.revisions.Revisions`),
    each figure revised since the last pack, or holding a revised month (the quarter,
    the year to date, last year), is marked ``[r]``, with the key below the table.
    """
    from great_tables import GT, loc, style

    if scorecard.empty:
        return HtmlTable(f"<p>{_escape(empty)}</p>")

    table = report_table(scorecard).reset_index(drop=True)
    marked, revised_key = [], ""
    if revisions is not None:
        table, marked, revised_key = _marked(table, scorecard, revisions)
    activity_only = bool(len(scorecard)) and bool((scorecard["kind"] == "activity").all())
    if activity_only:
        table = table.drop(columns=list(ACTIVITY_HIDDEN))
    table = table.loc[:, [c for c in table.columns if table[c].astype(bool).any() or c == "Notes"]]
    table_id = "cyps-" + slug(caption)
    gt = GT(table, rowname_col="Indicator", groupname_col="Service area", id=table_id)
    gt = gt.tab_stubhead(label="Indicator")
    if title:
        gt = gt.tab_header(title=title)
    for group, columns in COLUMN_GROUPS.items():
        present = [c for c in columns if c in table.columns]
        if present:
            gt = gt.tab_spanner(label=group, columns=present)
    for col, key in (("RAG (month)", "rag_month"), ("RAG (yr end)", "rag_year")):
        if col not in table.columns:
            continue
        rag = scorecard[key]
        for rating, colour in RAG_COLOURS.items():
            rows = np.flatnonzero(rag.to_numpy(dtype=object) == rating).tolist()
            if rows:
                gt = gt.tab_style(
                    style=[style.fill(color=f"#{colour}"), style.text(weight="bold")],
                    locations=loc.body(columns=col, rows=rows),
                )
    for col, key in (("DOT (month)", "dot_month_change"), ("DOT (yr on yr)", "dot_year_change")):
        if col not in table.columns:
            continue
        change = scorecard[key].to_numpy(dtype=object)
        for word, colour in CHANGE_COLOURS.items():
            rows = np.flatnonzero(change == word).tolist()
            if rows:
                gt = gt.tab_style(
                    style=style.text(color=colour), locations=loc.body(columns=col, rows=rows)
                )
    gt = _with_spc_icons(gt, scorecard, table)
    gt = gt.tab_options(table_font_size="13px", container_width="100%").sub_missing(missing_text="")
    if marked:
        # Numbers stay right-aligned with their marker.
        gt = gt.cols_align(align="right", columns=[c for c in marked if c in table.columns])
    return HtmlTable(_accessible(gt.as_raw_html(), table_id, caption) + revised_key)


def _marked(table: pd.DataFrame, scorecard: pd.DataFrame, revisions):
    """The table with ``[r]`` after each revised figure, the columns marked, and the
    key (HTML) to put below it; the table as it was and no key when nothing in it was
    revised."""
    from cyps_analysis.reports.revisions import HEADING, MARK, revised_cells

    cells = revised_cells(revisions, scorecard)
    if not cells:
        return table, [], ""
    table = table.copy()
    for column, marked in cells.items():
        table[column] = [
            f"{v} {MARK}".strip() if m else v for v, m in zip(table[column], marked, strict=True)
        ]
    key = (
        f"<p class='revised-key'><strong>{_escape(MARK)}</strong> revised: the figure, or a "
        f"month in it, has changed since the last pack, for {_escape(revisions.earlier)} "
        f"(see <a href='#revisions'>{_escape(HEADING.lower())}</a>).</p>"
    )
    return table, list(cells), key


def _accessible(raw: str, table_id: str, caption: str) -> str:
    """great_tables' HTML with a caption, its scroll box a named keyboard stop, a wide
    indicator column and the print rules that fit every column to the page."""
    name = _escape(caption)
    raw = raw.replace(
        f'<div id="{table_id}" style="',
        f'<div id="{table_id}" class="scroll-region" role="region" tabindex="0" '
        f'aria-label="{name}" style="',
        1,
    )
    raw = re.sub(r"(<table\b[^>]*>)", rf"\1<caption>{name}</caption>", raw, count=1)
    css = (
        f"#{table_id} caption{{text-align:left;font-weight:bold;font-size:15px;padding:.2rem 0}}"
        f"#{table_id} .gt_stub{{min-width:15em;max-width:24em;white-space:normal}}"
        f"#{table_id}:focus{{outline:3px solid #1d3f73}}"
        "@media print{"
        f"#{table_id}{{overflow:visible!important;padding:0!important}}"
        f"#{table_id} table{{font-size:7.5pt!important;width:100%!important}}"
        f"#{table_id} th,#{table_id} td{{white-space:normal!important;padding:1px 2px!important;"
        "font-size:7.5pt!important}"
        f"#{table_id} .gt_stub{{min-width:11em}}"
        "}"
    )
    return f"<style>{css}</style>{raw}"


def _with_spc_icons(gt, scorecard: pd.DataFrame, table: pd.DataFrame):
    """The Variation and Assurance cells with the programme's icon before the words
    (the words escaped here: a formatter's output is written as HTML)."""
    from cyps_analysis.reports.icons import assurance_icon, variation_icon

    for column, icon in (
        ("Variation", lambda r: variation_icon(r["spc_variation"], r["polarity"])),
        ("Assurance", lambda r: assurance_icon(r["spc_assurance"])),
    ):
        if column not in table.columns:
            continue
        rows = scorecard.reset_index(drop=True)
        for i, row in rows.iterrows():  # a scorecard's few dozen rows, one icon each
            mark = icon(row)
            if mark:
                gt = gt.fmt(lambda v, m=mark: m + _escape(str(v)), columns=column, rows=[i])
    return gt


#: The look of the kit's plain HTML tables (scoped to their class; no outside fonts).
TABLE_CSS = (
    ".cyps-table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:13px}"
    ".cyps-table caption{text-align:left;font-weight:bold;font-size:15px;padding:.2rem 0}"
    ".cyps-table caption span{display:block;font-weight:normal;font-size:13px;color:#333}"
    ".cyps-table th,.cyps-table td{border-bottom:1px solid #d0d0d0;padding:.25rem .6rem;"
    "text-align:right;vertical-align:top}"
    ".cyps-table th[scope=row],.cyps-table td:first-child,.cyps-table thead th:first-child"
    "{text-align:left}"
    ".cyps-table thead th{border-bottom:2px solid #666}"
    ".cyps-table .rag-red{background:#F4CCCC;font-weight:bold}"
    ".cyps-table .rag-amber{background:#FCE5CD;font-weight:bold}"
    ".cyps-table .rag-green{background:#D9EAD3;font-weight:bold}"
    ".cyps-table tr.total th,.cyps-table tr.total td{font-weight:bold;border-top:2px solid #666}"
    ".scroll-region{overflow-x:auto;max-width:100%}"
    ".scroll-region:focus{outline:3px solid #1d3f73}"
)


@dataclass(frozen=True)
class HtmlTable:
    """A rendered table; Jupyter shows it and the HTML export keeps it as it is."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


def html_table(
    frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str | None = None,
    column_classes: dict[str, str] | None = None,
    total_row: bool = False,
    empty: str | None = None,
) -> HtmlTable:
    """A plain, accessible HTML table of ``frame`` (already formatted as text): a
    caption, column headers, the first column as row headers. ``column_classes`` gives
    a column's cells a class (``rag-red``, ``rag-amber``, ``rag-green``);
    ``total_row`` sets the last row in bold. A frame with no rows gives the sentence
    ``empty`` (by default "<title>: nothing to show.") instead of a table.

    Examples
    --------
    >>> t = html_table(pd.DataFrame({"Area": ["A&B"], "Red": [1]}), title="RAG",
    ...                column_classes={"Red": "rag-red"})
    >>> "<th scope='row'>A&amp;B</th><td class='rag-red'>1</td>" in t.html
    True
    """
    from html import escape

    if frame.empty:
        return HtmlTable(f"<p>{escape(empty or f'{title}: nothing to show.')}</p>")
    classes = column_classes or {}
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    columns = list(frame.columns)
    cells = frame.astype(object).where(frame.notna(), "").to_numpy()
    for i, values in enumerate(cells):
        first = f"<th scope='row'>{escape(str(values[0]))}</th>"
        rest = "".join(
            f"<td class='{classes[c]}'>{escape(str(v))}</td>"
            if c in classes
            else f"<td>{escape(str(v))}</td>"
            for c, v in zip(columns[1:], values[1:], strict=True)
        )
        css = " class='total'" if total_row and i == len(cells) - 1 else ""
        rows.append(f"<tr{css}>{first}{rest}</tr>")
    sub = f"<span>{escape(subtitle)}</span>" if subtitle else ""
    # A table wider than the screen scrolls sideways in a box of its own, which the
    # keyboard can reach and a screen reader names by the table's title.
    return HtmlTable(
        f"<style>{TABLE_CSS}</style><div class='scroll-region' role='region' tabindex='0' "
        f"aria-label='{escape(title)}'><table class='cyps-table'>"
        f"<caption>{escape(title)}{sub}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
