"""``cyps-analysis run`` for a batch: many periods, many authorities, local worker
processes or a Dask cluster (docs/batch.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def run_log(folder: Path, *, publish: bool) -> Path:
    """The run log of the pack in ``folder`` (in its internals folder)."""
    from cyps_analysis.reports.pack import internals_folder

    return internals_folder(folder, publish=publish) / "run.log"


def is_batch(data: tuple[Path, ...], period: str, scheduler: str | None, force: bool) -> bool:
    """Whether a run is a batch: more than one dataset or period, a folder of datasets,
    a Dask scheduler, or ``--force``. Anything else is one pack, run as before."""
    from cyps_analysis.reports._batch_inputs import is_batch_period

    folder_of_datasets = data[0].is_dir() and not (data[0] / "settings.yaml").exists()
    return (
        len(data) > 1
        or folder_of_datasets
        or is_batch_period(period)
        or scheduler is not None
        or force
    )


def run_batch_command(
    data: tuple[Path, ...],
    period: str,
    root: Path,
    *,
    jobs: int,
    notebooks: Path,
    timeout: int,
    scheduler: str | None,
    force: bool,
    compare: bool = True,
    publish: bool = False,
) -> None:
    """Plan the batch (every dataset loaded and checked before anything runs), run all
    its notebooks in one queue with one progress bar, and print a summary; exit code
    1 if any pack failed."""
    import signal

    from cyps_analysis.cli._progress import progress
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.reports.batch import plan_batch, run_batch
    from cyps_analysis.reports.runner import raise_interrupt

    signal.signal(signal.SIGTERM, raise_interrupt)
    if scheduler:
        from cyps_analysis.reports.dask_runner import check_scheduler

        check_scheduler(scheduler)
    failures: list = []
    packs = plan_batch(data, period, root, notebooks=notebooks, failures=failures, publish=publish)
    for failure in failures:
        click.echo(f"Not run: {failure.data}: {failure.message}", err=True)
    bar, started, done = progress("notebook", f"Batch of {len(packs)} packs")

    try:
        result = run_batch(
            packs,
            root,
            notebooks=notebooks,
            workers=jobs,
            scheduler=scheduler,
            timeout=timeout,
            force=force,
            compare=compare,
            data_failures=failures,
            on_start=started,
            on_done=done,
        )
    except OSError as err:
        raise CypsError(
            f"Could not write the packs in {root}: {err.strerror}. Check the folder is "
            "writable and no file in it is open (e.g. scorecard.xlsx in Excel)."
        ) from None
    finally:
        bar.close()
    counts = {s: sum(p.status == s for p in result.packs) for s in ("built", "skipped", "failed")}
    click.echo(
        f"{len(result.packs)} pack{'' if len(result.packs) == 1 else 's'}: {counts['built']} made, {counts['skipped']} already "
        f"up to date (--force rebuilds them), {counts['failed']} failed.",
        err=True,
    )
    for failure in result.data_failures:
        click.echo(f"  {failure.data}: not run (its data could not be loaded).", err=True)
    for outcome in result.packs:
        if outcome.status == "failed":
            click.echo(
                f"  {outcome.plan.name}: kept for diagnosis in {outcome.folder} "
                f"(see {run_log(outcome.folder, publish=publish)})",
                err=True,
            )
            for failure in outcome.failures:
                click.echo(f"    {failure}", err=True)
    click.echo(result.index)
    if not result.ok:
        sys.exit(1)
