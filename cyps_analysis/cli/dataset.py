"""The ``cyps-analysis dataset`` commands: datasets made for the analyst
(``from-dfe``: any English authority from the DfE's published data; see
docs/benchmarking.md)."""

from __future__ import annotations

from pathlib import Path

import click

from cyps_analysis.cli.main import _fails_cleanly


@click.group()
def dataset() -> None:
    """Make a dataset (see docs/dataset.md)."""


@dataset.command("from-dfe")
@click.option(
    "--la",
    required=True,
    help="The authority: LA number (372), ONS code (E08000018) or name (Rotherham).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The dataset's folder (created; the dataset's files in it are replaced).",
)
@click.option(
    "--dfe",
    type=click.Path(path_type=Path),
    default=None,
    help="The folder of DfE files (bds_long_0.parquet, lait_data_dictionary.csv, "
    "sn_may_2025.xlsx); default: the folder in the CYPS_DFE_DATA environment variable.",
)
@click.option(
    "--neighbours",
    type=click.Path(path_type=Path),
    default=None,
    help="The statistical neighbour model; default: sn_may_2025.xlsx in the DfE folder.",
)
@click.option(
    "--measures",
    default=None,
    metavar="CODE,...",
    help="LAIT short codes, separated by commas; default: the curated set of about 30 "
    "children's services measures (docs/benchmarking.md).",
)
@_fails_cleanly
def from_dfe(
    la: str, out: Path, dfe: Path | None, neighbours: Path | None, measures: str | None
) -> None:
    """A complete dataset for any English authority from the DfE's published data."""
    from cyps_analysis.dataset.from_dfe import dataset_from_dfe

    codes = [c.strip() for c in measures.split(",") if c.strip()] if measures else None
    if measures is not None and not codes:
        raise click.UsageError("--measures needs at least one LAIT short code")
    written = dataset_from_dfe(la, out, dfe=dfe, neighbours=neighbours, measures=codes)
    click.echo(f"Wrote {written} (check it with: cyps-analysis validate --data {written})")
