"""Revisions since the last pack: each pack's record of its figures
(``_internal/figures.csv``), the last pack found under the same ``--out`` folder, the
earlier months whose figure changed, the headline RAG the last pack reported and what
it would be now, and the section that lists them (docs/reports.md#revisions).

What counts as a revision is :func:`cyps_analysis.rules.revisions.revised_months`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError, PeriodError
from cyps_analysis.rules.periods import Period, month_label, month_numbers, parse_period, year_start
from cyps_analysis.rules.revisions import revised_months

if TYPE_CHECKING:
    from cyps_analysis.reports.report import Report

#: The pack's record of its figures, in its ``_internal/`` folder.
FIGURES = "figures.csv"
#: Its columns (docs/reports.md#figurescsv).
COLUMNS: tuple[str, ...] = (
    "authority",
    "period",
    "indicator",
    "month",
    "value",
    "numerator",
    "denominator",
    "headline_rag",
    "inputs_checksum",
)
#: What a pack says when there is no earlier pack, and when nothing changed.
NO_EARLIER_PACK = "There is no earlier pack to compare with, so no revisions can be shown."
NOTHING_REVISED = "No figure has changed since the last pack."
#: The marker of a revised figure in the scorecard's tables.
MARK = "[r]"
HEADING = "Revisions since the last pack"


@dataclass(frozen=True)
class Revisions:
    """A pack compared with the last pack: ``earlier`` is the last pack's period as
    reports write it (``2024/25 Q3``), ``None`` when there was none; ``table`` has a row
    per revised month, as the reports show it; ``revised`` its ``indicator`` and
    ``month_number``, for the markers in the scorecard's tables."""

    earlier: str | None
    table: pd.DataFrame = field(repr=False)
    revised: pd.DataFrame = field(repr=False)

    @property
    def sentence(self) -> str | None:
        """The fixed sentence for no earlier pack or nothing revised; else ``None``."""
        if self.earlier is None:
            return NO_EARLIER_PACK
        return NOTHING_REVISED if self.table.empty else None


def figures_places(root: Path, period: str) -> tuple[Path, Path]:
    """Where the figures of the pack of ``period`` under ``root`` (an ``--out`` folder,
    or an authority's folder in it) may be, in the order looked at: inside the pack, and
    where a published pack's internals are kept, apart from it."""
    return root / period / "_internal" / FIGURES, root / ".internal" / period / FIGURES


def _key(period: Period) -> tuple[int, int]:
    """Periods in order: by their last month, then by their first (a year, then its
    fourth quarter, then its last month)."""
    return period.end, period.start


def _defused(text: pd.Series) -> pd.Series:
    from cyps_analysis.scorecard.export import defuse_formulas

    return defuse_formulas(text.astype(object))


def inputs_checksum(report: Report) -> str:
    """SHA-256 of the dataset's files (their names and contents): two packs with the
    same checksum were made from the same data."""
    from cyps_analysis.reports._batch_inputs import dataset_files

    source = report.dataset.source
    files = dataset_files(Path(source)) if source else {}
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode("utf-8")).hexdigest()


def pack_figures(report: Report) -> pd.DataFrame:
    """Every monthly value, numerator and denominator the pack of ``report`` uses (each
    indicator's whole history to the period's end), with the headline RAG the pack
    reports for the indicator and the checksum of its inputs: ``COLUMNS``, and
    ``month_number``."""
    from cyps_analysis.reports.report import headline

    h = report.recorded_history
    rag = headline(report.scorecard).set_index("id")["rag"]
    return pd.DataFrame(
        {
            "authority": report.authority,
            "period": report.period.label,
            "indicator": h["indicator"].to_numpy(dtype=object),
            "month": h["month"].to_numpy(dtype=object),
            "value": h["value"].to_numpy(),
            "numerator": h["numerator"].to_numpy(),
            "denominator": h["denominator"].to_numpy(),
            "headline_rag": rag.reindex(h["indicator"]).fillna("").to_numpy(dtype=object),
            "inputs_checksum": inputs_checksum(report),
            "month_number": h["month_number"].to_numpy(),
        }
    )


def write_figures(report: Report, folder: Path) -> None:
    """Write ``folder/figures.csv`` for ``report``'s pack (text that would start a
    formula in a spreadsheet written with a ``'`` in front, as in ``scorecard.csv``)."""
    figures = pack_figures(report).loc[:, list(COLUMNS)]
    for column in ("authority", "indicator"):
        figures[column] = _defused(figures[column])
    figures.to_csv(folder / FIGURES, index=False, lineterminator="\n", encoding="utf-8")


def read_figures(path: Path) -> pd.DataFrame:
    """A pack's ``figures.csv`` as :func:`pack_figures` gives it. Raises
    :class:`~cyps_analysis.CypsError` naming the file, row and column of a problem."""
    fix = (
        "It is the record an earlier pack kept of its figures: remove it (that pack is "
        "then not compared with), or run with --no-compare."
    )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as err:
        raise CypsError(f"{path} cannot be read ({err}). {fix}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise CypsError(f"{path} has no column {', '.join(missing)}. {fix}")
    # Ids cannot hold a quote: one in front was put there against spreadsheet formulas.
    frame["indicator"] = frame["indicator"].str.removeprefix("'")
    frame["month_number"] = month_numbers(frame["month"])
    checks = {"month": frame["month_number"].isna()}
    for column in ("value", "numerator", "denominator"):
        written = frame[column]
        frame[column] = pd.to_numeric(written.replace("", np.nan), errors="coerce")
        checks[column] = frame[column].isna() & (written != "")
    for column, bad in checks.items():
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            what = "a month (YYYY-MM)" if column == "month" else "a number"
            raise CypsError(f"{path}, row {row}, column {column}: not {what}. {fix}")
    frame["month_number"] = frame["month_number"].astype("int64")
    return frame


def last_pack(
    root: Path, authority: str, period: Period, made: Mapping[str, pd.DataFrame] | None = None
) -> tuple[Period, pd.DataFrame] | None:
    """The last pack of ``authority`` under ``root`` for ``period``: of the packs whose
    figures are kept (:func:`figures_places`) or that ``made`` holds (figures of packs
    made earlier in the same batch, by period label), the one of the latest period up
    to and including ``period`` (the same period's earlier pack counts); ``None`` if
    there is none."""
    made = made or {}
    labels = set(made)
    for folder in (root, root / ".internal"):
        if folder.is_dir():
            labels |= {p.name for p in folder.iterdir() if p.is_dir()}
    candidates = []
    for label in labels:
        try:
            p = parse_period(label)
        except PeriodError:
            continue
        if p.label == label and _key(p) <= _key(period):
            candidates.append(p)
    whose = _defused(pd.Series([authority])).iloc[0]
    for p in sorted(candidates, key=_key, reverse=True):
        if p.label in made:
            figures = made[p.label]
        else:
            path = next((f for f in figures_places(root, p.label) if f.is_file()), None)
            if path is None:
                continue
            figures = read_figures(path)
        if set(_defused(figures["authority"])) <= {whose}:
            return p, figures
    return None


def compare(
    report: Report, root: Path, made: Mapping[str, pd.DataFrame] | None = None
) -> Revisions:
    """``report``'s figures compared with the last pack under ``root`` (see
    :func:`last_pack`): each revised month, its value then and now, and the headline RAG
    the last pack reported for the indicator beside the one its period would have now."""
    from cyps_analysis.reports.report import headline
    from cyps_analysis.scorecard.build import build_scorecard
    from cyps_analysis.scorecard.layout import format_values

    empty = pd.DataFrame(columns=["indicator", "month_number"])
    found = last_pack(root, report.authority, report.period, made)
    if found is None:
        return Revisions(None, pd.DataFrame(), empty)
    period, old = found
    card = report.scorecard.set_index("id")
    changed = revised_months(old, report.recorded_history, card["decimals"], last=period.end)
    if changed.empty:
        return Revisions(period.title, pd.DataFrame(), empty)
    then = old.groupby("indicator")["headline_rag"].first().reindex(changed["indicator"])
    publish = report.published
    now_card = (
        report.scorecard
        if period.label == report.period.label
        else build_scorecard(report.dataset, period, publish=publish)
    )
    now = headline(now_card).set_index("id")["rag"].reindex(changed["indicator"]).fillna("")
    rows = card.loc[changed["indicator"]]
    settings = report.dataset.settings

    def words(rag: str) -> str:
        return settings.label(rag) if rag else "No RAG (activity)"

    def shown(values: pd.Series) -> list[str]:
        texts = format_values(values.to_numpy(), rows["unit"], rows["decimals"])
        return [t or "not recorded" for t in texts]

    table = pd.DataFrame(
        {
            "Indicator": rows["title"].to_numpy(),
            "Month": [month_label(int(m)) for m in changed["month_number"]],
            "Was": shown(changed["old"]),
            "Now": shown(changed["new"]),
            f"Headline RAG in the {period.title} pack": [words(r) for r in then],
            f"Headline RAG for {period.title} now": [words(r) for r in now],
            "RAG changed": np.where(then.to_numpy() == now.to_numpy(), "No", "Yes"),
        }
    )
    if publish:
        table = _hide_small(table, changed, old, report, now_card, period)
    return Revisions(period.title, table, changed[["indicator", "month_number"]])


def _hide_small(table, changed, old, report: Report, now_card, period: Period) -> pd.DataFrame:
    """The revisions ``table`` as a published pack shows it: a value then or now that
    the small-numbers rule hides (:func:`cyps_analysis.scorecard.history.suppress_history`,
    on each pack's figures) is ``[c]``, and so are the RAG cells of an indicator whose
    headline figure for the last pack's period is hidden now."""
    from cyps_analysis.rules.disclosure import MARKER
    from cyps_analysis.scorecard.history import suppress_history
    from cyps_analysis.scorecard.layout import hidden

    keys = ["indicator", "month_number"]
    at = pd.MultiIndex.from_frame(changed[keys])
    table = table.copy()
    then = suppress_history(old, report.dataset.indicators, report.min_count)
    for column, shown in (("Was", then), ("Now", report.history)):
        rows = shown.set_index(keys)["suppressed"].reindex(at).fillna(False)
        table.loc[rows.to_numpy(dtype=bool), column] = MARKER
    rag = "rag_month" if period.kind == "month" else "rag_year"
    rows = pd.Series(hidden(now_card, rag), index=now_card["id"]).reindex(changed["indicator"])
    table.loc[rows.fillna(False).to_numpy(dtype=bool), table.columns[4:]] = MARKER
    return table


def compare_in_order(packs: Sequence[tuple[Report, Path]]) -> list[Revisions]:
    """Each report compared with its last pack under its folder (a batch's packs, each
    with the folder its pack goes in), as if the packs were made one after another in
    period order: a pack's last pack may be one made earlier in the same batch."""
    made: dict[Path, dict[str, pd.DataFrame]] = {}
    out: dict[int, Revisions] = {}
    order = sorted(range(len(packs)), key=lambda i: _key(packs[i][0].period))
    for i in order:
        report, root = packs[i]
        earlier = made.setdefault(root, {})
        out[i] = compare(report, root, earlier)
        earlier[report.period.label] = pack_figures(report)
    return [out[i] for i in range(len(packs))]


def revised_cells(revisions: Revisions, scorecard: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each column of the scorecard's table that holds a revised figure, whether
    each of ``scorecard``'s rows does: a month of the period that was revised; the
    quarter, the year to date or last year's outturn when a month they are made from
    was (for a snapshot or a rolling twelve months, the value at their last month)."""
    months = month_numbers(pd.Series(scorecard.attrs["months"])).astype("int64").tolist()
    end = months[-1]
    ids = scorecard["id"].to_numpy(dtype=object)
    ys = year_start(np.full(len(scorecard), end), scorecard["year_type"].to_numpy(dtype=object))
    at_last = scorecard["aggregation"].isin(["snapshot", "rolling12"]).to_numpy()

    def window(first, last):
        last = np.broadcast_to(last, ids.shape)
        return np.where(at_last, last, first), last

    spans = {
        **{
            label: (np.full(len(ids), m), np.full(len(ids), m))
            for m, label in zip(months, scorecard.attrs["month_labels"], strict=True)
        },
        "Qtr": window(end - end % 3, end),
        "YTD": window(ys, end),
        "Last yr": window(ys - 12, ys - 1),
    }
    revised = revisions.revised
    out = {}
    for column, (first, last) in spans.items():
        marked = np.zeros(len(ids), dtype=bool)
        for indicator, month in zip(revised["indicator"], revised["month_number"], strict=True):
            marked |= (ids == indicator) & (first <= month) & (month <= last)
        if marked.any():
            out[column] = marked
    return out


def revisions_html(revisions: Revisions):
    """The section that lists the revisions: a heading, the last pack's period, and the
    table of revised months (or the fixed sentence)."""
    from cyps_analysis.reports.safe_html import Html, text
    from cyps_analysis.reports.tables import html_table

    head = f"<h2 id='revisions'>{text(HEADING)}</h2>"
    if revisions.sentence:
        return Html(f"{head}<p>{text(revisions.sentence)}</p>")
    n = len(revisions.table)
    intro = (
        f"<p>Compared with the last pack, for {text(revisions.earlier)}: {n} "
        f"{'month' if n == 1 else 'months'} revised. The headline RAG is the one that pack "
        "reported (year to date for a quarter or year, the month's for a month), and the "
        "one its period would have now, with the revised figures.</p>"
    )
    table = html_table(revisions.table, title=f"Figures revised since the {revisions.earlier} pack")
    return Html(head + intro + table.html)


def revisions_section(report: Report):
    """The figures revised since the last pack (a heading, then the table of revised
    months, or the sentence that says there is no earlier pack or nothing changed), in
    a pack's scorecard and index; nothing where the report was not compared with a pack
    (a notebook opened by hand, or a pack made with ``--no-compare``)."""
    return None if report.revisions is None else revisions_html(report.revisions)
