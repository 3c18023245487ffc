"""What the report notebooks call: open a dataset for a period, and the headings,
summaries and sections the reports share. Notebooks only present what this returns."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cyps_analysis.dataset.load import Dataset, load_dataset
from cyps_analysis.rules.periods import Period, latest_complete_quarter, parse_period
from cyps_analysis.scorecard.build import build_scorecard

if TYPE_CHECKING:
    from cyps_analysis.reports.revisions import Revisions

RAG_ORDER: tuple[str, ...] = ("Red", "Amber", "Green", "Not rated")


@dataclass(frozen=True)
class Report:
    """A dataset opened for one reporting period, with its scorecard; in a pack's run,
    with its revisions since the last pack (``None``: not compared, as in an analyst's
    notebook or with ``--no-compare``).

    ``min_count`` is set for a published pack (``run --publish``): its scorecard,
    history and SPC points then hide small numbers (docs/reports.md#publishing)."""

    dataset: Dataset
    period: Period
    scorecard: pd.DataFrame = field(repr=False)
    run_date: dt.date
    revisions: Revisions | None = field(default=None, repr=False)
    min_count: int | None = None

    @property
    def authority(self) -> str:
        return self.dataset.settings.authority

    @property
    def published(self) -> bool:
        """Whether it is opened as a published pack shows it (``run --publish``)."""
        return self.min_count is not None

    @property
    def is_month(self) -> bool:
        return len(self.period.months) == 1

    @cached_property
    def recorded_history(self) -> pd.DataFrame:
        """Every recorded month of every indicator up to the period's end, as recorded
        (worked out once, on first use: see
        :func:`cyps_analysis.scorecard.history.monthly_history`), small numbers
        included: what the pack's internal record of its figures keeps and revisions
        compare; reports show :attr:`history`."""
        from cyps_analysis.scorecard.history import monthly_history

        return monthly_history(self.dataset, end=self.period.end)

    @cached_property
    def history(self) -> pd.DataFrame:
        """:attr:`recorded_history` as the reports show it: in a published report, with
        small numbers hidden (``suppressed`` marks them)."""
        from cyps_analysis.scorecard.history import suppress_history

        if not self.published:
            return self.recorded_history
        return suppress_history(self.recorded_history, self.dataset.indicators, self.min_count)

    @cached_property
    def spc_points(self) -> pd.DataFrame:
        """Every indicator's points with their SPC limits and special causes (worked out
        once, on first use: :func:`cyps_analysis.scorecard.spc.spc_points`). In a
        published report the limits are those of every point, but a hidden point has
        no value (``suppressed`` marks it), so no chart draws it."""
        from cyps_analysis.scorecard.spc import spc_points

        if not self.published:
            return spc_points(self.dataset, end=self.period.end, history=self.history)
        points = spc_points(self.dataset, end=self.period.end)
        shown = self.history.set_index(["indicator", "month_number"])["suppressed"]
        hidden = shown.reindex(pd.MultiIndex.from_frame(points[["indicator", "month_number"]]))
        hidden = hidden.fillna(False).to_numpy(dtype=bool)
        points = points.assign(suppressed=hidden)
        for column in ("value", "numerator", "denominator"):
            points[column] = points[column].where(~hidden)
        return points

    @cached_property
    def comparisons(self) -> pd.DataFrame:
        """The published comparisons of every indicator mapped to a national measure
        (``national_code``) when ``settings.yaml`` names the DfE files, else empty
        (worked out once, on first use: see
        :func:`cyps_analysis.benchmarking.to_neighbours.compare_to_neighbours`)."""
        from cyps_analysis.benchmarking.to_neighbours import compare_to_neighbours

        if not self.dataset.settings.benchmarking:
            return pd.DataFrame()
        return compare_to_neighbours(self.dataset, self.period)


def resolve_period(dataset: Dataset, period: str | Period) -> Period:
    """A period from its text, or ``latest``: the latest complete quarter in the data.

    Raises :class:`~cyps_analysis.CypsError` for a period with no monthly values at
    all (a report of nothing but "Not rated"), naming the months the data covers."""
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.rules.periods import month_label

    months = dataset.observations["month_number"].dropna()
    if isinstance(period, Period):
        resolved = period
    elif period.strip().lower() == "latest":
        resolved = latest_complete_quarter(int(months.max()))
    else:
        resolved = parse_period(period)
    if not months.isin(list(resolved.months)).any():
        covered = (
            f"{month_label(int(months.min()))} to {month_label(int(months.max()))}"
            if len(months)
            else "no months"
        )
        raise CypsError(
            f"The data has no monthly values in {resolved.title}: it covers {covered}. "
            "Choose a period within those months."
        )
    return resolved


def open_report(
    data: str | Path, period: str | Period, *, prepared: str | Path = "", publish: bool = False
) -> Report:
    """Load and check a dataset (raising :class:`~cyps_analysis.DatasetError` with
    every problem found) and build its scorecard for ``period`` (with SPC and intervals).

    ``prepared`` is for the pack's runs only: the file in which the run saved the report
    it had already opened (:func:`save_prepared`), so that no notebook of the pack loads,
    checks or benchmarks the data again. Left empty (as in an analyst's notebook), or
    naming a file no longer there (the run is over), the data is loaded. ``publish``
    opens it as a published pack shows it: small numbers hidden (docs/reports.md)."""
    if prepared and Path(prepared).is_file():
        with open(prepared, "rb") as file:
            return pickle.load(file)
    dataset = load_dataset(data)
    return report_for(dataset, resolve_period(dataset, period), publish=publish)


def report_for(dataset: Dataset, period: Period, *, publish: bool = False) -> Report:
    """The report of a loaded dataset for a period, as :func:`open_report` opens it."""
    card = build_scorecard(dataset, period, spc=True, publish=publish)
    min_count = dataset.settings.min_count if publish else None
    return Report(dataset, period, card, run_date(), min_count=min_count)


def save_prepared(report: Report, path: Path) -> None:
    """Save ``report`` for the notebooks of its pack (see :func:`open_report`), with
    what they all use worked out once: its monthly history, SPC points and published
    comparisons. The file is the run's own: the pack never keeps it."""
    for shared in ("history", "spc_points", "comparisons"):
        getattr(report, shared)
    with open(path, "wb") as file:
        pickle.dump(report, file, protocol=pickle.HIGHEST_PROTOCOL)


def run_date() -> dt.date:
    """The date a report says it was run: today, or the day of ``SOURCE_DATE_EPOCH``
    (seconds since 1970, UTC) when set, so that a rebuild gives the same bytes."""
    from cyps_analysis.scorecard.export import source_date

    stamp = source_date()
    return stamp.date() if stamp else dt.date.today()


def data_source(dataset: Dataset) -> str:
    """Where the figures come from, for readers: the sources its indicators name (the
    ``source`` column of its indicators), never a file name or local path."""
    sources = (
        sorted(set(dataset.indicators["source"].dropna()) - {""})
        if ("source" in dataset.indicators)
        else []
    )
    return "; ".join(sources) if sources else f"{dataset.settings.authority}'s own records"


def reader_source(source: object) -> str:
    """A benchmark's source as a reader would name it: the authority's typed-in
    figures are "local benchmarks"; a published figure keeps its publication's name.

    Examples
    --------
    >>> reader_source("benchmarks.csv"), reader_source(None)
    ('local benchmarks', 'local benchmarks')
    """
    if source is None or (isinstance(source, float) and pd.isna(source)):
        return "local benchmarks"
    source = str(source).strip()
    return "local benchmarks" if source in ("", "benchmarks.csv") else source


def long_date(d: dt.date) -> str:
    """A date as reports write it: ``14 April 2025``."""
    return f"{d.day} {d:%B %Y}"


def header(report: Report, title: str):
    """The heading every report opens with: what it is, whose, for which period, the
    date the data was extracted and the date of the run."""
    from cyps_analysis.reports.safe_html import Html, text

    s = report.dataset.settings
    first, last = (
        report.scorecard.attrs["month_labels"][0],
        report.scorecard.attrs["month_labels"][-1],
    )
    months = first if first == last else f"{first} to {last}"
    key = ""
    if report.published:
        from cyps_analysis.rules.disclosure import MARKER

        key = f"\n<p>{MARKER}: not published, {text(suppression_key(report))}.</p>"
    return Html(
        f"<h1>{text(title)}: {text(report.period.title)}</h1>\n"
        f"<p><strong>{text(s.authority)}</strong> · {text(months)} · data as at "
        f"{text(long_date(s.as_at))} · report run {text(long_date(report.run_date))}</p>\n"
        f"<p>Source: {text(data_source(report.dataset))}.</p>{key}"
    )


def headline(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's headline RAG and change: the year to date's for quarter and year
    periods, the month's for month periods; ``Not rated`` where there is no rating."""
    month = len(scorecard.attrs.get("months", ())) == 1
    rag = scorecard["rag_month" if month else "rag_year"]
    change = scorecard["dot_month_change" if month else "dot_year_change"]
    return pd.DataFrame(
        {
            "id": scorecard["id"],
            "service_area": scorecard["service_area"],
            "kind": scorecard["kind"],
            "rag": rag.fillna("Not rated").where(scorecard["kind"] == "benchmarking", None),
            "change": change,
        },
        index=scorecard.index,
    )


def rag_summary(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Counts of headline Red, Amber, Green and not-rated indicators by service area
    (benchmarking indicators only), in the authority's service-area order, with a total."""
    h = headline(scorecard)
    h = h[h["kind"] == "benchmarking"]
    areas = list(dict.fromkeys(scorecard["service_area"]))
    counts = (
        pd.crosstab(h["service_area"], h["rag"])
        .reindex(index=areas, columns=list(RAG_ORDER), fill_value=0)
        .astype("int64")
    )
    counts.loc["All service areas"] = counts.sum()
    counts.index.name = "Service area"
    counts.columns.name = None
    return counts


def needs_deep_dive(scorecard: pd.DataFrame) -> pd.Series:
    """Indicators that get a deep dive: headline Red, or headline Amber and declining,
    or a special cause of concern at the latest point (SPC)."""
    h = headline(scorecard)
    concern = (
        scorecard["spc_variation"] == "special_cause_concern"
        if "spc_variation" in scorecard
        else False
    )
    return (h["rag"] == "Red") | ((h["rag"] == "Amber") & (h["change"] == "declining")) | concern


def rag_summary_table(scorecard: pd.DataFrame):
    """:func:`rag_summary` as a table, each rating's column coloured and headed by the
    rating in words."""
    from cyps_analysis.reports.tables import html_table

    counts = rag_summary(scorecard).reset_index()
    basis = "the month's rating" if len(scorecard.attrs["months"]) == 1 else "year to date"
    return html_table(
        counts,
        title="Headline RAG by service area",
        subtitle=f"Benchmarking indicators: {basis}",
        column_classes={"Red": "rag-red", "Amber": "rag-amber", "Green": "rag-green"},
        total_row=True,
    )


def _rows(report: Report, service_area: str) -> pd.DataFrame:
    card = report.scorecard
    rows = card[card["service_area"] == service_area]
    if rows.empty:
        from cyps_analysis.exceptions import CypsError

        areas = ", ".join(dict.fromkeys(card["service_area"]))
        raise CypsError(f"No indicators in service area '{service_area}'. Service areas: {areas}.")
    return rows


def narrative(report: Report, service_area: str | None = None):
    """The narrative as HTML: for one service area its "What's working well" and
    "Areas of challenge and focus", or (``None``) the summary and every area. Generated
    bullets are marked as drafts until signed off (``signoff.csv``); analysts'
    commentary is Markdown, rendered and sanitised."""
    from cyps_analysis.narrative.build import build_narrative
    from cyps_analysis.reports._narrative_html import narrative_html
    from cyps_analysis.reports.safe_html import Html

    if service_area is not None:
        _rows(report, service_area)
    story = build_narrative(report.dataset, report.period, scorecard=report.scorecard)
    if service_area is None:
        return Html(narrative_html(story, level=2))
    # The report's title names the area: its sections are headed straight under it.
    return Html(narrative_html(story, service_area=service_area, level=2, area_heading=False))


def trend_charts(report: Report, service_area: str) -> list:
    """For each of the service area's indicators, its headline RAG and direction of
    travel in words, then its trend chart (three years to the period's end), with its
    target and latest benchmarks drawn in."""
    from cyps_analysis.reports.plots import trend_chart
    from cyps_analysis.reports.safe_html import text

    rows = _rows(report, service_area)
    history = report.history
    history = history[history["month_number"] > report.period.end - 36]
    targets = report.dataset.targets
    heads = headline(rows)
    basis = "the month" if report.is_month else "year to date"
    out = []
    for (_, row), rag, change in zip(rows.iterrows(), heads["rag"], heads["change"], strict=True):
        said = [f"RAG ({basis}): {rag}"] if isinstance(rag, str) else ["activity, no RAG"]
        if isinstance(change, str) and change != "not applicable":
            said.append(f"direction of travel: {change}")
        chart = trend_chart(
            history[history["indicator"] == row["id"]].reset_index(drop=True),
            row,
            targets[targets["indicator"] == row["id"]] if row["kind"] == "benchmarking" else None,
        )
        status = f"{text(' · '.join(said))}"
        out.append(
            chart.card(
                f'<p class="chart-status"><strong>{text(row["title"])}</strong>: {status}</p>'
            )
        )
    return out


def show_all(items: list) -> None:
    """Display each item in turn (charts, tables) in the notebook's output."""
    from IPython.display import display

    for item in items:
        display(item)


def monthly_table(report: Report, service_area: str, *, months: int = 13):
    """The service area's monthly values for the last ``months`` months to the period's
    end: one row per indicator, one column per month."""
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.rules.periods import month_label
    from cyps_analysis.scorecard.layout import format_values

    rows = _rows(report, service_area)
    history = report.history
    end = report.period.end
    recent = history[history["month_number"] > end - months]
    wide = recent.pivot(index="indicator", columns="month_number", values="value")
    wide = wide.reindex(index=rows["id"], columns=range(end - months + 1, end + 1))
    table = pd.DataFrame({"Indicator": rows["title"].to_numpy()})
    for m in wide.columns:
        table[month_label(m)] = format_values(wide[m].to_numpy(), rows["unit"], rows["decimals"])
    subtitle = "Blank where no figure was recorded for the month"
    if "suppressed" in recent:  # a published report: hidden months are [c]
        from cyps_analysis.rules.disclosure import MARKER

        hidden = recent.pivot(index="indicator", columns="month_number", values="suppressed")
        hidden = hidden.reindex(index=rows["id"], columns=wide.columns).fillna(False)
        for m in wide.columns:
            table.loc[hidden[m].to_numpy(dtype=bool), month_label(m)] = MARKER
        subtitle += f"; {MARKER} where it is not published ({suppression_key(report)})"
    return html_table(table, title=f"{service_area}: monthly values", subtitle=subtitle)


def suppression_key(report: Report) -> str:
    """What ``[c]`` means in a published report (in words, with the threshold)."""
    return f"fewer than {report.min_count} children or cases, withheld to protect confidentiality"
