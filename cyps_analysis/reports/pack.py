"""The period pack: every report for one period, run from the notebook templates,
with an index page, the scorecard as CSV and Excel, and the run's internals kept apart.

A pack is built in a staging folder beside its destination and moved into place only
when every report succeeded, so a failed run never replaces the previous good pack of
that period: it is kept beside it as ``<period>.failed/`` for diagnosis.
"""

from __future__ import annotations

import dataclasses
import html
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cyps_analysis.dataset.names import slug
from cyps_analysis.reports._leftovers import claim, remove_leftovers
from cyps_analysis.reports._placing import internals_folder, place_pack, remove_failed
from cyps_analysis.reports.report import (
    Report,
    data_source,
    headline,
    long_date,
    needs_deep_dive,
    rag_summary,
    save_prepared,
)
from cyps_analysis.reports.revisions import revisions_section
from cyps_analysis.reports.runner import CELL_TIMEOUT, Job, Result, run_jobs, summarise

#: The notebook templates of a pack, in ``notebooks/``.
NOTEBOOKS: tuple[str, ...] = ("scorecard", "service_area", "benchmarking", "deep_dive")
GROUPS: tuple[str, ...] = ("Scorecard", "Service areas", "Benchmarking", "Deep dives")
__all__ = [
    "GROUPS",
    "NOTEBOOKS",
    "PackResult",
    "index_html",
    "internals_folder",
    "plan",
    "run_pack",
    "slug",
]


@dataclass(frozen=True)
class PackResult:
    """Where the pack went and what became of each report."""

    folder: Path
    results: tuple[Result, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> list[str]:
        return [r.error or "" for r in self.results if not r.ok]


def plan(report: Report, data: Path) -> list[Job]:
    """The reports of a pack: the scorecard, one per service area, benchmarking, and a
    deep dive for each indicator whose headline RAG is Red or Amber and declining
    (none in a published pack: deep dives show every month's numerator and
    denominator)."""
    card = report.scorecard
    common = {"data": str(data), "period": report.period.label}
    jobs = [Job("scorecard", "scorecard", "Scorecard", common, GROUPS[0])]
    for area in dict.fromkeys(card["service_area"]):
        charts = int((card["service_area"] == area).sum())
        jobs.append(
            Job(
                "service_area",
                f"service-area-{slug(area)}",
                area,
                {**common, "service_area": area},
                GROUPS[1],
                charts,
            )
        )
    jobs.append(Job("benchmarking", "benchmarking", "Benchmarking", common, GROUPS[2]))
    if report.published:
        return jobs
    for _, row in card[needs_deep_dive(card)].iterrows():
        jobs.append(
            Job(
                "deep_dive",
                f"deep-dive-{slug(row['id'])}",
                row["title"],
                {**common, "indicator": row["id"]},
                GROUPS[3],
                1,
            )
        )
    return jobs


def with_pages(report: Report, jobs: list[Job]) -> list[Job]:
    """The jobs with their page furniture: title, header, the pack's nav, footer and
    print styles (landscape for the scorecard)."""
    from cyps_analysis.reports.page import furniture

    nav = _nav(jobs)
    s = report.dataset.settings
    common = {
        "authority": s.authority,
        "period": report.period.title,
        "as_at": long_date(s.as_at),
        "source": data_source(report.dataset),
        "run_date": long_date(report.run_date),
        "nav": nav,
    }
    return [
        dataclasses.replace(
            job,
            page=furniture(
                title=job.title,
                current=f"{job.name}.html",
                landscape=job.notebook == "scorecard",
                **common,
            ),
        )
        for job in jobs
    ]


#: Where a run saves the report it opened, for its notebooks; removed before the pack
#: is moved into place.
PREPARED = "_internal/report.pickle"


def prepared_jobs(report: Report, jobs: Sequence[Job], staging: Path) -> list[Job]:
    """Save ``report`` in the staging folder for the notebooks (loading, checks and
    benchmarks done once per pack, not once per notebook: see
    :func:`~cyps_analysis.reports.report.open_report`), and give every job its path."""
    save_prepared(report, staging / PREPARED)
    where = str((staging / PREPARED).resolve())
    return [
        dataclasses.replace(job, parameters={**job.parameters, "prepared": where}) for job in jobs
    ]


def stage_files(report: Report, staging: Path) -> None:
    """The pack's files that come from its data alone, written in its staging folder:
    ``scorecard.csv``, ``scorecard.xlsx`` and ``_internal/figures.csv``."""
    from cyps_analysis.reports.revisions import write_figures
    from cyps_analysis.scorecard.export import write_scorecard

    (staging / "_internal").mkdir()
    write_scorecard(report.scorecard, staging / "scorecard.csv", "csv")
    write_scorecard(report.scorecard, staging / "scorecard.xlsx", "xlsx")
    write_figures(report, staging / "_internal")


def _nav(jobs: list[Job]) -> list[tuple[str, str]]:
    """The pack's reports for every page's nav: the index, each report but the deep
    dives, and the deep dives' list on the index."""
    nav = [("index.html", "Index")]
    nav += [(f"{j.name}.html", j.title) for j in jobs if j.group != GROUPS[3]]
    dives = sum(j.group == GROUPS[3] for j in jobs)
    if dives:
        nav.append(("index.html#deep-dives", f"Deep dives ({dives})"))
    return nav


def run_pack(
    report: Report,
    data: Path,
    root: Path,
    *,
    notebooks: Path,
    workers: int = 1,
    timeout: int = CELL_TIMEOUT,
    compare: bool = True,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[Result], None] | None = None,
) -> PackResult:
    """Run the pack of ``report``'s period into ``root/<period>/``: every report
    notebook for the period (scorecard, service areas, benchmarking, deep dives) as
    HTML, with ``index.html``, ``scorecard.csv`` and ``scorecard.xlsx``; what
    ``cyps-analysis run`` does.

    On any failure the pack goes to ``root/<period>.failed/`` instead, and an earlier
    pack in ``root/<period>/`` is left as it was. A published report (opened with
    ``publish=True``) makes a published pack: no deep dives, small numbers hidden, and
    its internals in :func:`internals_folder`, replaced and kept on failure as the
    pack is. The staging folder is removed on
    every exit Python can handle; those of killed runs on this host (and their
    kernels' folders) are removed first. A cell running longer than ``timeout``
    seconds fails its report. Unless ``compare`` is false, the scorecard and the index
    list the figures revised since the last pack under ``root``
    (:mod:`cyps_analysis.reports.revisions`).

    Parameters
    ----------
    report
        The dataset opened for a period (:func:`cyps_analysis.reports.open_report`).
    data
        The dataset's folder or workbook, as the notebooks are given it.
    root
        The folder packs go in (``outputs``).
    notebooks
        The folder of the report notebooks (``notebooks/`` of the project).
    workers
        Notebooks run at once, each in its own process.
    timeout
        Seconds a cell may run before its report fails.
    compare
        Compare with the last pack (``--no-compare`` makes it false).
    on_start, on_done
        Called with the number of reports planned, and with each report's result.

    Examples
    --------
    >>> from pathlib import Path
    >>> from cyps_analysis import reports, run_pack
    >>> rep = reports.open_report("data/demo", "2024-25-Q4")  # doctest: +SKIP
    >>> result = run_pack(rep, Path("data/demo"), Path("outputs"),
    ...                   notebooks=Path("notebooks"), workers=2)  # doctest: +SKIP
    >>> result.folder  # doctest: +SKIP
    PosixPath('outputs/2024-25-Q4')
    """
    from cyps_analysis.reports.revisions import compare as compare_with

    root.mkdir(parents=True, exist_ok=True)
    period = report.period.label
    publish = report.published
    remove_leftovers(root)
    if compare:
        report = dataclasses.replace(report, revisions=compare_with(report, root))
    staging = root / f".{period}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        claim(staging)
        stage_files(report, staging)
        jobs = prepared_jobs(report, with_pages(report, plan(report, data.resolve())), staging)
        if on_start:
            on_start(len(jobs))
        results = tuple(
            run_jobs(jobs, notebooks, staging, workers=workers, timeout=timeout, on_done=on_done)
        )
        (staging / "_internal" / "run.log").write_text(summarise(results), encoding="utf-8")
        (staging / PREPARED).unlink()
        (staging / "index.html").write_text(index_html(report, results), encoding="utf-8")
        ok = all(r.ok for r in results)
        target = root / (period if ok else f"{period}.failed")
        place_pack(staging, target, publish=publish)
    except BaseException:
        # Whatever stopped the run (a refused rename included): no staging folder stays.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if ok:
        remove_failed(target, publish=publish)
    return PackResult(target, results)


INDEX_CSS = """
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1a1a1a;
  max-width: 960px; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: .3rem; } h2 { font-size: 1.25rem; margin-top: 1.8rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .2rem; }
a { color: #1d3f73; } table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.red { background: #f4cccc; } td.amber { background: #fce5cd; } td.green { background: #d9ead3; }
.failed { color: #b71c1c; font-weight: bold; } .meta { color: #333; }
.scroll-region { overflow-x: auto; max-width: 100%; }
.scroll-region:focus { outline: 3px solid #1d3f73; }
"""


def index_html(report: Report, results: tuple[Result, ...]) -> str:
    """The pack's front page: what it is, the data's as-at date and source, the Red,
    Amber and Green summary, the revisions since the last pack (when compared), and a
    link to every report (never to ``_internal/``)."""
    from cyps_analysis.reports.page import furniture

    e = html.escape
    s = report.dataset.settings
    summary = rag_summary(report.scorecard)
    head = "".join(f"<th scope='col'>{e(c)}</th>" for c in ["Service area", *summary.columns])
    body = "".join(
        "<tr><th scope='row'>"
        + e(str(area))
        + "</th>"
        + "".join(
            f"<td class='{c.lower()}'>{int(n)}</td>"
            if c in ("Red", "Amber", "Green")
            else f"<td>{int(n)}</td>"
            for c, n in row.items()
        )
        + "</tr>"
        for area, row in summary.iterrows()
    )
    # A published pack names no folder of the kit's internals.
    log = "the run log" if report.published else "_internal/run.log"
    rag = headline(report.scorecard).set_index("id")
    area_of = report.scorecard.set_index("id")["service_area"]
    sections = []
    for group in GROUPS:
        # Reports of one indicator (deep dives) under their service area's heading, in
        # the scorecard's order; the others in one list.
        lists: dict[str, list[str]] = {}
        for r in results:
            if r.job.group != group:
                continue
            label = e(r.job.title)
            area = ""
            if "indicator" in r.job.parameters:
                indicator = r.job.parameters["indicator"]
                h = rag.loc[indicator]
                change = f", {h['change']}" if h["change"] == "declining" else ""
                label += f" ({e(str(h['rag']))}{e(change)})"
                area = str(area_of.loc[indicator])
            if r.ok:
                item = f"<li><a href='{e(r.job.name)}.html'>{label}</a></li>"
            else:
                item = f"<li>{label} <span class='failed'>failed: see {log}</span></li>"
            lists.setdefault(area, []).append(item)
        if lists:
            anchor = f" id='{slug(group)}'"
            sections.append(
                f"<h2{anchor}>{e(group)}</h2>"
                + "".join(
                    (f"<h3>{e(area)}</h3>" if area else "") + f"<ul>{''.join(items)}</ul>"
                    for area, items in lists.items()
                )
            )
    subtitle = (
        "Benchmarking indicators: the month's rating"
        if report.is_month
        else "Benchmarking indicators: year-to-date rating"
    )
    title = f"Performance pack: {s.authority}, {report.period.title}"
    revisions = revisions_section(report)
    revisions = revisions.html if revisions else ""
    page = furniture(
        title="Performance pack",
        authority=s.authority,
        period=report.period.title,
        as_at=long_date(s.as_at),
        source=data_source(report.dataset),
        run_date=long_date(report.run_date),
        nav=_nav([r.job for r in results if r.ok]),
        current="index.html",
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(page["title"])}</title><style>{INDEX_CSS}{page["css"]}</style></head>
<body>{page["top"]}<main id="content">
<h1>{e(title)}</h1>
<p class="meta">Data as at <strong>{e(long_date(s.as_at))}</strong> · source: {e(data_source(report.dataset))} ·
pack made {e(long_date(report.run_date))}</p>
<h2>Red, Amber and Green</h2>
<div class="scroll-region" role="region" tabindex="0" aria-label="{e(subtitle)}">
<table><caption>{e(subtitle)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>
{revisions}
{"".join(sections)}
<h2>Downloads</h2>
<ul><li><a href="scorecard.xlsx">Scorecard (Excel)</a></li><li><a href="scorecard.csv">Scorecard (CSV)</a></li></ul>
</main>{page["bottom"]}</body></html>
"""
