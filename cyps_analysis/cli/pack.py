"""``cyps-analysis run`` for one pack: one dataset, one period (docs/reports.md)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click


def run_pack_command(
    data: Path,
    period: str,
    root: Path,
    *,
    jobs: int,
    notebooks: Path,
    timeout: int,
    compare: bool,
    publish: bool,
    pdf: bool,
    chromium: str | None,
    paper: str,
    screenshots: bool,
) -> None:
    """Run the pack of ``data`` for ``period`` into ``root`` with a progress bar; on
    failure say which reports failed and where the log is, and exit 1; then print the
    PDFs and screenshots asked for, and the index's path."""
    from cyps_analysis.cli._progress import progress
    from cyps_analysis.cli.batch import run_log
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.reports.pack import internals_folder, run_pack
    from cyps_analysis.reports.report import open_report
    from cyps_analysis.reports.runner import raise_interrupt

    # SIGTERM as Ctrl-C: the run's own clean-up runs on the way out.
    signal.signal(signal.SIGTERM, raise_interrupt)

    report = open_report(data, period, publish=publish)
    bar, started, done = progress("report", f"Pack {report.period.label}")
    try:
        result = run_pack(
            report,
            data,
            root,
            notebooks=notebooks,
            workers=jobs,
            timeout=timeout,
            compare=compare,
            on_start=started,
            on_done=done,
        )
    except OSError as err:
        raise CypsError(
            f"Could not write the pack in {root}: {err.strerror}. Check the folder is "
            "writable and no file in it is open (e.g. scorecard.xlsx in Excel)."
        ) from None
    finally:
        bar.close()
    if not result.ok:
        click.echo(
            f"{len(result.failures)} of {len(result.results)} reports failed; the pack is "
            f"kept for diagnosis in {result.folder} (see "
            f"{run_log(result.folder, publish=publish)}); "
            "any earlier pack of this period is unchanged.",
            err=True,
        )
        for failure in result.failures:
            click.echo(f"  {failure}", err=True)
        sys.exit(1)
    if pdf or screenshots:
        from cyps_analysis.cli.printing import print_finished_pack

        print_finished_pack(
            result.folder,
            chromium,
            paper=paper,
            pdf=pdf,
            shots=screenshots,
            jobs=jobs,
            internals=internals_folder(result.folder, publish=publish),
        )
    click.echo(result.folder / "index.html")
