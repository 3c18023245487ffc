"""The ``cyps-analysis template`` command: a workbook analysts fill in
(docs/dataset.md, "The template")."""

from __future__ import annotations

from pathlib import Path

import click

from cyps_analysis.cli.main import _fails_cleanly


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The workbook to write (.xlsx; parent folders are created).",
)
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    default=None,
    help="A dataset (folder or .xlsx) whose indicators, targets, benchmarks and settings "
    "fill the template, ready for new months; default: the demo's indicators as examples.",
)
@_fails_cleanly
def template(out: Path, source: Path | None) -> None:
    """Write a workbook to fill in: a sheet per dataset table, instructions, drop-downs."""
    from cyps_analysis.dataset.template import write_template
    from cyps_analysis.scorecard.export import write_atomic

    if out.suffix.lower() != ".xlsx":
        raise click.UsageError("--out must be an .xlsx file, e.g. --out dataset.xlsx")
    # Whole or not at all: a bad --from dataset leaves an earlier file in place.
    write_atomic(out, lambda tmp: write_template(tmp, source=source))
    click.echo(f"Wrote {out} (fill it in, then: cyps-analysis validate --data {out})")
