"""``cyps-analysis investigate``: everything the deep dive knows about one indicator,
as data (JSON) or for reading (Markdown). Keys in docs/investigate.md."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cyps_analysis.cli.main import PERIOD_HELP, _fails_cleanly


@click.command()
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(path_type=Path),
    help="The dataset: a folder or an .xlsx workbook.",
)
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--indicator", required=True, help="The indicator's id in indicators.csv.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="markdown",
    show_default=True,
    help="JSON for other programs (keys in docs/investigate.md), Markdown for reading.",
)
@_fails_cleanly
def investigate(data: Path, period: str, indicator: str, fmt: str) -> None:
    """One indicator investigated: its scorecard line, its SPC chart point by point with
    the special-cause rules that flag each point, variation and assurance, and the
    interval of its headline value."""
    from cyps_analysis.reports.investigation import investigation, investigation_markdown
    from cyps_analysis.reports.report import open_report

    record = investigation(open_report(data, period), indicator)
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(investigation_markdown(record), nl=False)
