"""The ``cyps-analysis`` command.

Bad input gets one clear message and exit code 2, never a traceback. Heavy libraries are
imported inside the commands that use them, so that ``--help`` is instant.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

PERIOD_HELP = "Reporting period: a month 2025-03, a quarter 2024-25-Q4, a year 2024-25, or 'latest' (the latest complete quarter in the data)."


def _fails_cleanly(command):
    """Turn the kit's errors into a message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from cyps_analysis.exceptions import CypsError

        try:
            return command(*args, **kwargs)
        except CypsError as err:
            click.echo(str(err), err=True)
            sys.exit(2)

    return wrapper


def _resolve_period(dataset, period: str):
    from cyps_analysis.reports.report import resolve_period

    return resolve_period(dataset, period)


_data_option = click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(path_type=Path),
    help="The dataset: a folder or an .xlsx workbook.",
)
_period_option = click.option("--period", required=True, help=PERIOD_HELP)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cyps-analysis")
def main() -> None:
    """Scorecards for Children and Young People's Services performance reporting.

    A dataset is a folder of CSV files with settings.yaml, or one .xlsx workbook:
    see docs/dataset.md.
    """


@main.command()
@_data_option
@_fails_cleanly
def validate(data: Path) -> None:
    """Check a dataset and list every problem (exit code 2 if any).

    Runs every check that scorecard, narrative and run make: the dataset's files, each
    mapped indicator's unit against its published measure, then the latest quarter's
    scorecard and narrative (so that the published files the settings name are read
    and checked too)."""
    from cyps_analysis.benchmarking.units import check_units
    from cyps_analysis.dataset.load import load_dataset
    from cyps_analysis.narrative.build import build_narrative
    from cyps_analysis.scorecard.build import build_scorecard

    dataset = load_dataset(data)
    # As the scorecard does before its benchmarks: each mapped unit against its measure.
    check_units(dataset)
    period = _resolve_period(dataset, "latest")
    build_narrative(dataset, period, scorecard=build_scorecard(dataset, period))
    ind = dataset.indicators
    click.echo(
        f"{data}: no problems found ({len(ind)} indicators, "
        f"{len(dataset.observations)} monthly values, {len(dataset.targets)} targets)."
    )


@main.command()
@_data_option
@_period_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "xlsx"]),
    default=None,
    help="Output format; taken from --out's extension when omitted (table if printing).",
)
@click.option(
    "--out",
    type=str,
    default=None,
    help="File to write (parent folders are created); '{period}' in the path becomes the period, e.g. outputs/{period}/scorecard.xlsx. Prints to the screen when omitted.",
)
@_fails_cleanly
def scorecard(data: Path, period: str, fmt: str | None, out: str | None) -> None:
    """The scorecard: one row per indicator with values, RAG, direction and benchmarks."""
    from cyps_analysis.dataset.load import load_dataset
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.scorecard.build import build_scorecard
    from cyps_analysis.scorecard.export import render_scorecard, write_scorecard

    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in ("csv", "json", "xlsx") else "table"
    if fmt == "xlsx" and not out:
        raise click.UsageError("--format xlsx needs --out FILE.xlsx")
    dataset = load_dataset(data)
    resolved = _resolve_period(dataset, period)
    card = build_scorecard(dataset, resolved, spc=True)
    if out is None:
        click.echo(render_scorecard(card, fmt), nl=False)
        return
    path = Path(out.replace("{period}", resolved.label))
    try:
        write_scorecard(card, path, fmt)
    except OSError as err:
        raise CypsError(
            f"Could not write {path}: {err.strerror}. Check the folder exists and the file is not open in Excel."
        ) from None
    click.echo(f"Wrote {path}")


def _notebooks_folder(given: Path | None) -> Path:
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.reports.pack import NOTEBOOKS

    candidates = (
        [given] if given else [Path("notebooks"), Path(__file__).resolve().parents[2] / "notebooks"]
    )
    for folder in candidates:
        if all((folder / f"{name}.ipynb").is_file() for name in NOTEBOOKS):
            return folder.resolve()
    missing = ", ".join(f"{n}.ipynb" for n in NOTEBOOKS)
    raise CypsError(
        f"No report notebooks found in {candidates[0]}: the folder needs {missing}. "
        "Run from the project folder or give --notebooks DIR."
    )


@main.command()
@click.option(
    "--data",
    "data",
    required=True,
    multiple=True,
    type=click.Path(path_type=Path),
    help="The dataset: a folder or an .xlsx workbook. Repeat for more authorities, or name a folder of dataset folders (see docs/batch.md).",
)
@click.option(
    "--period",
    "periods",
    required=True,
    multiple=True,
    help=PERIOD_HELP
    + " Several: a range 2023-24-Q1:2024-25-Q4, or a list 2024-25-Q3,2024-25-Q4. Give --period once.",
)
@click.option(
    "--out",
    "root",
    type=click.Path(path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Folder the pack goes in, as OUT/<period>/.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Notebooks run at once, each on its own process (2 suits a two-core laptop).",
)
@click.option(
    "--notebooks",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the report notebooks (default: notebooks/ here or beside the package).",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="Seconds a notebook cell may run before its report fails.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="local:N|tcp://HOST:8786",
    help="Run the notebooks on Dask: local:N starts N worker processes here; an address uses a running cluster (docs/batch.md).",
)
@click.option(
    "--force", is_flag=True, help="In a batch, rebuild packs already complete for the same inputs."
)
@click.option(
    "--no-compare",
    "no_compare",
    is_flag=True,
    help="Do not compare with the last pack: no list of revised figures (docs/reports.md).",
)
@click.option("--pdf", is_flag=True, help="Also print each report to <report>.pdf (Chromium).")
@click.option(
    "--chromium",
    default=None,
    metavar="PATH",
    help="The Chromium or Chrome to print with (default: chromium, chromium-browser or "
    "google-chrome on PATH).",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "A3"]),
    default="A4",
    show_default=True,
    help="Paper for --pdf (the scorecard landscape, the others portrait).",
)
@click.option(
    "--screenshots",
    is_flag=True,
    help="Also write screenshots of the index, scorecard, a service area and a deep dive "
    "to _internal/screenshots/ (Chromium).",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Make a pack fit for a public agenda: small numbers shown as [c] (settings "
    "publish: min_count), no deep dives, and the internals in OUT/.internal/<period>/, "
    "not in the pack (docs/reports.md).",
)
@_fails_cleanly
def run(
    data: tuple[Path, ...],
    periods: tuple[str, ...],
    root: Path,
    jobs: int,
    notebooks: Path | None,
    timeout: int,
    scheduler: str | None,
    force: bool,
    no_compare: bool,
    pdf: bool,
    chromium: str | None,
    paper: str,
    screenshots: bool,
    publish: bool,
) -> None:
    """Run the period pack: scorecard, service areas, benchmarking and deep dives as
    HTML, with index.html, scorecard.csv and scorecard.xlsx, in OUT/<period>/; with
    --pdf each report as PDF beside its HTML too. The scorecard and the index list the
    figures revised since the last pack in OUT (unless --no-compare).

    Many periods or authorities make a batch (OUT/<authority>/<period>/ for more
    than one authority, with OUT/index.html linking every pack): see docs/batch.md.

    Ctrl-C or SIGTERM stops the run: kernels and the half-made pack are removed and
    any earlier pack of the period stays."""
    from cyps_analysis.cli.batch import is_batch, run_batch_command
    from cyps_analysis.cli.pack import run_pack_command

    if len(periods) > 1:
        raise click.UsageError(
            "--period is given more than once: give it once, with a range "
            "(2023-24-Q1:2024-25-Q4) or a comma-separated list (2024-25-Q3,2024-25-Q4)."
        )
    period = periods[0]
    if is_batch(data, period, scheduler, force):
        if pdf or screenshots:
            raise click.UsageError(
                "--pdf and --screenshots print one pack at a time: run them for one "
                "dataset and one period."
            )
        run_batch_command(
            data,
            period,
            root,
            jobs=jobs,
            notebooks=_notebooks_folder(notebooks),
            timeout=timeout,
            scheduler=scheduler,
            force=force,
            compare=not no_compare,
            publish=publish,
        )
        return
    run_pack_command(
        data[0],
        period,
        root,
        jobs=jobs,
        notebooks=_notebooks_folder(notebooks),
        timeout=timeout,
        compare=not no_compare,
        publish=publish,
        pdf=pdf,
        chromium=chromium,
        paper=paper,
        screenshots=screenshots,
    )


@main.command()
@_data_option
@_period_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for reading, JSON for other programs (keys in docs/narrative.md).",
)
@_fails_cleanly
def narrative(data: Path, period: str, fmt: str) -> None:
    """The narrative: "What's working well" and "Areas of challenge and focus" for each
    service area, and a summary, written from the data (drafts until signed off)."""
    import json

    from cyps_analysis.dataset.load import load_dataset
    from cyps_analysis.narrative.build import (
        build_narrative,
        narrative_to_dict,
        narrative_to_markdown,
    )

    dataset = load_dataset(data)
    story = build_narrative(dataset, _resolve_period(dataset, period))
    if fmt == "json":
        click.echo(json.dumps(narrative_to_dict(story), ensure_ascii=False, indent=2))
    else:
        click.echo(narrative_to_markdown(story), nl=False)


# The benchmark command lives in its own module (it is most of a screen of options).
from cyps_analysis.cli.benchmark import benchmark  # noqa: E402

main.add_command(benchmark)

from cyps_analysis.cli.dataset import dataset  # noqa: E402

main.add_command(dataset)

from cyps_analysis.cli.targets import targets  # noqa: E402

main.add_command(targets)

from cyps_analysis.cli.investigate import investigate  # noqa: E402

main.add_command(investigate)

from cyps_analysis.cli.template import template  # noqa: E402

main.add_command(template)
