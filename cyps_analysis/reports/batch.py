"""Batch runs: the packs of many periods and many authorities in one run, their
notebooks in one queue (local worker processes or a Dask cluster), a batch index
page, and a regional summary when there is more than one authority.

Each dataset is loaded and checked once, and each period's scorecard (with its
published benchmarks) is built from that one load. A pack is built as
:func:`cyps_analysis.reports.pack.run_pack` builds one (a staging folder moved into
place, ``<period>.failed/`` on failure), with a manifest of its inputs'
checksums in ``_internal/manifest.json``: a re-run skips a pack whose manifest is
unchanged.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.dataset.names import slug
from cyps_analysis.exceptions import CypsError
from cyps_analysis.reports._batch_inputs import expand_periods, find_datasets, inputs_manifest
from cyps_analysis.reports._leftovers import claim, remove_leftovers
from cyps_analysis.reports.pack import (
    NOTEBOOKS,
    PREPARED,
    index_html,
    internals_folder,
    place_pack,
    plan,
    prepared_jobs,
    remove_failed,
    stage_files,
)
from cyps_analysis.reports.report import Report, report_for
from cyps_analysis.reports.runner import CELL_TIMEOUT, Job, Result, run_tasks, summarise

__all__ = [
    "BatchResult",
    "DataFailure",
    "PackOutcome",
    "PackPlan",
    "find_datasets",
    "plan_batch",
    "run_batch",
]

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PackPlan:
    """One pack of a batch: the report it is made from, the dataset, where it goes,
    its notebooks and the manifest of its inputs."""

    report: Report
    data: Path
    folder: Path
    jobs: tuple[Job, ...]
    manifest: dict

    @property
    def name(self) -> str:
        """The pack as the batch index names it: ``Demo Borough 2024/25 Q4``."""
        return f"{self.report.authority} {self.report.period.title}"

    @property
    def publish(self) -> bool:
        """Whether it is a published pack (``run --publish``)."""
        return self.report.published


@dataclass(frozen=True)
class PackOutcome:
    """What became of a pack: ``built``, ``failed`` (in ``<period>.failed/``) or
    ``skipped`` (already complete for the same inputs)."""

    plan: PackPlan
    status: Literal["built", "failed", "skipped"]
    folder: Path
    results: tuple[Result, ...] = ()

    @property
    def failures(self) -> list[str]:
        return [r.error or "" for r in self.results if not r.ok]


@dataclass(frozen=True)
class DataFailure:
    """A dataset of a batch of several that could not be loaded or has none of the
    periods asked for: ``message`` says why (as ``cyps-analysis validate`` would)."""

    data: Path
    message: str


@dataclass(frozen=True)
class BatchResult:
    """Every pack of the batch, the datasets that could not be loaded, and the index
    page that links the packs."""

    root: Path
    packs: tuple[PackOutcome, ...]
    data_failures: tuple[DataFailure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.data_failures and all(p.status != "failed" for p in self.packs)

    @property
    def index(self) -> Path:
        return self.root / "index.html"


def plan_batch(
    data: Sequence[Path],
    period: str,
    root: Path,
    *,
    notebooks: Path,
    templates: Sequence[str] = NOTEBOOKS,
    failures: list[DataFailure] | None = None,
    publish: bool = False,
) -> list[PackPlan]:
    """The packs of a batch: for each dataset ``data`` names (see
    :func:`find_datasets`), loaded and checked once, a pack for each period ``period``
    names (one, ``latest``, a range ``FIRST:LAST`` or a comma-separated list).

    With one authority packs go to ``root/<period>/``, with more to
    ``root/<authority-slug>/<period>/``. Raises :class:`~cyps_analysis.CypsError`
    (or :class:`~cyps_analysis.DatasetError`) for bad input, before anything is run.
    ``templates`` limits the notebooks run (all four by default). Given a
    ``failures`` list and more than one dataset, a dataset that cannot be loaded, or
    lacks a period, goes in that list instead: the other authorities still run.
    ``publish`` plans published packs (``run --publish``, see
    :func:`~cyps_analysis.reports.pack.run_pack`)."""
    datasets = find_datasets(list(data))
    collect = failures is not None and len(datasets) > 1
    loaded = []
    for path in datasets:
        try:
            dataset = load_dataset(path)
            periods = expand_periods(period, dataset)
        except CypsError as err:
            if not collect:
                raise
            failures.append(DataFailure(path, str(err)))
            continue
        loaded.append((path, dataset, periods))
    slugs: dict[str, Path] = {}
    for path, dataset, _ in loaded:
        s = slug(dataset.settings.authority)
        if s in slugs:
            raise CypsError(
                f"{slugs[s]} and {path} are both '{dataset.settings.authority}' (folder "
                f"name {s}): each authority's packs need a folder of their own. Give one "
                "of them a different 'authority:' in its settings.yaml, or run them apart."
            )
        slugs[s] = path
    many = len(datasets) > 1
    packs = []
    for path, dataset, periods in loaded:
        manifest = inputs_manifest(dataset, path, notebooks, templates)
        base = root / slug(dataset.settings.authority) if many else root
        for p in periods:
            report = report_for(dataset, p, publish=publish)
            jobs = tuple(j for j in plan(report, path.resolve()) if j.notebook in templates)
            made = {**manifest, "period": p.label} | ({"publish": True} if publish else {})
            packs.append(PackPlan(report, path, base / p.label, jobs, made))
    return packs


def is_complete(pack: PackPlan) -> bool:
    """Whether ``pack``'s folder holds a complete pack made from the same inputs."""
    try:
        internals = internals_folder(pack.folder, publish=pack.publish)
        made = json.loads((internals / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return made == pack.manifest and (pack.folder / "index.html").is_file()


def _stage(pack: PackPlan) -> tuple[Path, list[Job]]:
    """A staging folder for the pack, with its scorecard files and figures and its
    report saved for its notebooks; and its jobs, pointed at that report."""
    staging = pack.folder.parent / f".{pack.folder.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    claim(staging)
    stage_files(pack.report, staging)
    return staging, prepared_jobs(pack.report, pack.jobs, staging)


def _finish(pack: PackPlan, staging: Path, results: tuple[Result, ...]) -> PackOutcome:
    """Write the pack's log, index and manifest and move it into place (or beside
    it as ``<period>.failed/``)."""
    internal = staging / "_internal"
    (internal / "run.log").write_text(summarise(results), encoding="utf-8")
    (staging / PREPARED).unlink()
    (staging / "index.html").write_text(index_html(pack.report, results), encoding="utf-8")
    ok = all(r.ok for r in results)
    if ok:
        text = json.dumps(pack.manifest, indent=2, sort_keys=True) + "\n"
        (internal / MANIFEST).write_text(text, encoding="utf-8")
    target = pack.folder if ok else pack.folder.with_name(f"{pack.folder.name}.failed")
    place_pack(staging, target, publish=pack.publish)
    if ok:
        remove_failed(target, publish=pack.publish)
    return PackOutcome(pack, "built" if ok else "failed", target, results)


def run_batch(
    packs: Sequence[PackPlan],
    root: Path,
    *,
    notebooks: Path,
    workers: int = 1,
    scheduler: str | None = None,
    timeout: int = CELL_TIMEOUT,
    force: bool = False,
    compare: bool = True,
    data_failures: Sequence[DataFailure] = (),
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[Result], None] | None = None,
) -> BatchResult:
    """Build every pack of ``packs`` (from :func:`plan_batch`) and ``root/index.html``
    linking them (with ``root/summary.html`` comparing the authorities when there is
    more than one).

    All the notebooks of all the packs to build form one queue: on ``workers`` local
    processes, or on the Dask cluster ``scheduler`` (``local:N`` or an address). A
    pack complete for the same inputs is skipped unless ``force``. A failing notebook
    fails only its pack (kept as ``<period>.failed/``). Unless ``compare`` is false,
    each pack lists the figures revised since its last pack, the packs taken in period
    order as if made one after another (see
    :func:`~cyps_analysis.reports.revisions.compare_in_order`): a period's last pack
    may be the one made before it in this batch. ``on_start`` is called with the
    number of notebooks to run, ``on_done`` with each result. ``data_failures``
    (from :func:`plan_batch`) are listed on the index and fail the batch.
    """
    from cyps_analysis.reports.batch_pages import batch_index_html, regional_summary_html

    root.mkdir(parents=True, exist_ok=True)
    for folder in dict.fromkeys(p.folder.parent for p in packs):
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
    if compare:
        from cyps_analysis.reports.revisions import compare_in_order

        revisions = compare_in_order([(p.report, p.folder.parent) for p in packs])
        packs = [
            dataclasses.replace(p, report=dataclasses.replace(p.report, revisions=r))
            for p, r in zip(packs, revisions, strict=True)
        ]
    else:  # a pack made without the comparison is not the same pack as one with it
        packs = [dataclasses.replace(p, manifest={**p.manifest, "compare": False}) for p in packs]
    todo = [p for p in packs if force or not is_complete(p)]
    stagings: list[Path] = []
    outcomes: dict[int, PackOutcome] = {}
    try:
        tasks = []
        for p in todo:
            staging, jobs = _stage(p)
            stagings.append(staging)
            tasks += [(job, staging) for job in jobs]
        if on_start:
            on_start(len(tasks))
        if scheduler:
            from cyps_analysis.reports.dask_runner import run_on_dask

            results = run_on_dask(
                tasks, notebooks, scheduler=scheduler, timeout=timeout, on_done=on_done
            )
        else:
            results = run_tasks(tasks, notebooks, workers=workers, timeout=timeout, on_done=on_done)
        start = 0
        for k, p in enumerate(todo):
            mine = tuple(results[start : start + len(p.jobs)])
            start += len(p.jobs)
            outcomes[id(p)] = _finish(p, stagings[k], mine)
    except BaseException:
        # Whatever stopped the run: no staging folder stays; packs already moved into
        # place are complete and stay.
        for staging in stagings:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BatchResult(
        root,
        tuple(outcomes.get(id(p), PackOutcome(p, "skipped", p.folder)) for p in packs),
        tuple(data_failures),
    )
    authorities = list(dict.fromkeys(p.report.authority for p in packs))
    if len(authorities) > 1:
        (root / "summary.html").write_text(regional_summary_html(packs), encoding="utf-8")
    (root / "index.html").write_text(
        batch_index_html(result, summary=len(authorities) > 1), encoding="utf-8"
    )
    return result
