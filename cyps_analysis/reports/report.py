"""What the report notebooks call: open a dataset for a period, and the headings,
summaries and sections the reports share. Notebooks only present what this returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset, load_dataset
from cyps_analysis.rules.periods import Period, latest_complete_quarter, parse_period
from cyps_analysis.scorecard.build import build_scorecard

RAG_ORDER: tuple[str, ...] = ("Red", "Amber", "Green", "Not rated")


@dataclass(frozen=True)
class Report:
    """A dataset opened for one reporting period, with its scorecard."""

    dataset: Dataset
    period: Period
    scorecard: pd.DataFrame = field(repr=False)
    run_date: dt.date

    @property
    def authority(self) -> str:
        return self.dataset.settings.authority

    @property
    def is_month(self) -> bool:
        return len(self.period.months) == 1

    @cached_property
    def history(self) -> pd.DataFrame:
        """Every recorded month of every indicator up to the period's end (worked out
        once, on first use: see :func:`cyps_analysis.scorecard.history.monthly_history`)."""
        from cyps_analysis.scorecard.history import monthly_history

        return monthly_history(self.dataset, end=self.period.end)

    @cached_property
    def spc_points(self) -> pd.DataFrame:
        """Every indicator's points with their SPC limits and special causes (worked out
        once, on first use: :func:`cyps_analysis.scorecard.spc.spc_points`)."""
        from cyps_analysis.scorecard.spc import spc_points

        return spc_points(self.dataset, end=self.period.end, history=self.history)


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


def open_report(data: str | Path, period: str | Period) -> Report:
    """Load and check a dataset (raising :class:`~cyps_analysis.DatasetError` with
    every problem found) and build its scorecard for ``period`` (with SPC and intervals)."""
    dataset = load_dataset(data)
    resolved = resolve_period(dataset, period)
    card = build_scorecard(dataset, resolved, spc=True)
    return Report(dataset, resolved, card, run_date())


def run_date() -> dt.date:
    """The date a report says it was run: today, or the day of ``SOURCE_DATE_EPOCH``
    (seconds since 1970, UTC) when set, so that a rebuild gives the same bytes."""
    from cyps_analysis.scorecard.export import source_date

    stamp = source_date()
    return stamp.date() if stamp else dt.date.today()


def data_source(dataset: Dataset) -> str:
    """Where the figures come from, for readers: the dataset's name and the sources its
    indicators name (never a local path)."""
    name = Path(dataset.source).stem if dataset.source else "dataset"
    sources = (
        sorted(set(dataset.indicators["source"].dropna()) - {""})
        if ("source" in dataset.indicators)
        else []
    )
    return f"dataset '{name}'" + (f" ({'; '.join(sources)})" if sources else "")


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
    return Html(
        f"<h1>{text(title)}: {text(report.period.title)}</h1>\n"
        f"<p><strong>{text(s.authority)}</strong> · {text(months)} · data as at "
        f"{text(long_date(s.as_at))} · report run {text(long_date(report.run_date))}</p>\n"
        f"<p>Source: {text(data_source(report.dataset))}.</p>"
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


def show_all(items: list) -> None:
    """Display each item in turn (charts, tables) in the notebook's output."""
    from IPython.display import display

    for item in items:
        display(item)


def comparison_words(ours, theirs, unit, polarity, settings) -> list[str]:
    """How each value compares with a benchmark, in the narrative's words and by its
    rule (:func:`cyps_analysis.narrative.facts.relation`, the same in-line tolerance):
    "in line with" within the tolerance; else "better (higher)", "worse (lower)" ...
    given polarity, or "higher" / "lower" where polarity is none; empty where either
    is missing."""
    from cyps_analysis.narrative.facts import relation
    from cyps_analysis.narrative.wording import RELATION_WORDS

    rel = relation(ours, theirs, unit, settings)
    pol = np.asarray(polarity, dtype=object)
    higher = rel == "above"
    better = higher == (pol == "high")
    side = np.where(higher, "higher", "lower")
    judged = np.where(better, "better (", "worse (") + side + ")"
    words = np.where(pol == "none", side, judged)
    return np.select(
        [pd.isna(rel), rel == "in_line"], ["", RELATION_WORDS["in_line"]], words
    ).tolist()


def benchmark_position(report: Report):
    """How the authority compares: for each benchmarking indicator with benchmarks, its
    value for the benchmarks' year beside statistical neighbours, England, the region
    and the top quartile, and whether it is better or worse given polarity."""
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.scorecard.layout import BENCHMARK_HEADINGS, format_values

    card = report.scorecard
    card = card[(card["kind"] == "benchmarking") & card["national_avg"].notna()]
    unit, dec = card["unit"], card["decimals"]
    year = card["national_avg_year"]
    # Ours for the benchmarks' year: last year's outturn when they lag a year.
    ours = card["outturn"].where(year == card["year"], card["previous_year"])
    table = pd.DataFrame(
        {
            "Indicator": card["title"].to_numpy(),
            "Service area": card["service_area"].to_numpy(),
            "Year": year.to_numpy(),
            "Good perf is": card["polarity"].map({"high": "High", "low": "Low", "none": "-"}),
            report.authority: format_values(ours, unit, dec),
        }
    )
    for key in ("stat_neighbour_avg", "national_avg", "regional_avg", "top_quartile"):
        table[BENCHMARK_HEADINGS[key]] = format_values(card[key], unit, dec)
        table[f"vs {BENCHMARK_HEADINGS[key]}"] = comparison_words(
            ours.to_numpy(dtype="float64"),
            card[key].to_numpy(dtype="float64"),
            unit.to_numpy(dtype=object),
            card["polarity"].to_numpy(dtype=object),
            report.dataset.settings.narrative,
        )
    return html_table(
        table,
        title="How do we compare?",
        subtitle="Our value for the year the benchmarks refer to, beside each benchmark",
    )


def published_comparisons(report: Report) -> pd.DataFrame:
    """The published comparisons of every indicator mapped to a national measure
    (``national_code``) when ``settings.yaml`` names the DfE files; else empty."""
    from cyps_analysis.benchmarking.to_neighbours import compare_to_neighbours

    if not report.dataset.settings.benchmarking:
        return pd.DataFrame()
    return compare_to_neighbours(report.dataset, report.period)


def quartile_position(report: Report, comparisons: pd.DataFrame):
    """Each mapped indicator's place among all authorities: its value, the quartile
    boundaries, its band (A best) and rank, and its rank among its neighbours."""
    from cyps_analysis.reports.safe_html import Html
    from cyps_analysis.reports.tables import html_table
    from cyps_analysis.scorecard.layout import format_values

    if comparisons.empty:
        return Html(
            "<p>No indicator is mapped to the DfE's published data, so there is no "
            "statistical neighbour or quartile comparison. To add one, give indicators a "
            "<code>national_code</code> and name the published files under "
            "<code>benchmarking:</code> in settings.yaml (see the benchmarking guide).</p>"
        )
    own = comparisons[comparisons["role"] == "authority"]
    ind = report.dataset.indicators.set_index("id").loc[own["indicator"]]
    unit, dec = ind["unit"].reset_index(drop=True), ind["decimals"].reset_index(drop=True)

    def fmt(column: str) -> list[str]:
        return format_values(own[column].to_numpy(dtype="float64"), unit, dec)

    table = pd.DataFrame(
        {
            "Indicator": own["title"].to_numpy(),
            "Year": own["year_label"].to_numpy(),
            report.authority: fmt("value"),
            "Stat neighbours": fmt("stat_neighbour_avg"),
            "England": fmt("national"),
            "Region": fmt("regional"),
            "Lower quartile": fmt("quartile_25"),
            "Median": fmt("quartile_50"),
            "Upper quartile": fmt("quartile_75"),
            "Band (A best)": own["band"].astype(object).fillna("-").to_numpy(),
            "Rank (1 best)": [
                f"{int(r)} of {int(n)}" if not pd.isna(r) else "-"
                for r, n in zip(own["rank"], own["rank_of"], strict=True)
            ],
            "Rank among neighbours": [
                f"{int(r)} of {int(u) + 1}" if not pd.isna(r) else "-"
                for r, u in zip(
                    own["rank_among_neighbours"], own["stat_neighbours_used"], strict=True
                )
            ],
        }
    )
    return html_table(
        table,
        title="Position among all authorities (published data)",
        subtitle=f"Source: {own['source'].iloc[0]}",
    )


def neighbour_charts(report: Report, comparisons: pd.DataFrame) -> list:
    """A bar chart per mapped indicator: the authority beside its neighbours."""
    from cyps_analysis.reports.plots import neighbours_chart

    if comparisons.empty:
        return []
    ind = report.dataset.indicators.set_index("id")
    return [
        neighbours_chart(
            rows,
            title=rows["title"].iloc[0],
            unit=ind.loc[key, "unit"],
            decimals=int(ind.loc[key, "decimals"]),
        )
        for key, rows in comparisons.groupby("indicator", sort=False)
    ]
