"""The ``cyps-analysis benchmark`` command: comparisons from the DfE's published files
(see docs/benchmarking.md)."""

from __future__ import annotations

from pathlib import Path

import click

from cyps_analysis.cli.main import _fails_cleanly


def _shown(value) -> str:
    """A value as the benchmark command prints it: numbers to ten significant figures
    (24.24, not 24.240000000000002), missing as '-'."""
    if value is None:
        return "-"
    return f"{value:.10g}" if isinstance(value, float) else str(value)


@click.command()
@click.option(
    "--source",
    required=True,
    type=click.Path(path_type=Path),
    help="LAIT's bds_long_0.parquet, or an explore-education-statistics CSV.",
)
@click.option(
    "--measure",
    default=None,
    help="A LAIT short code (ReReferral) or, for an EES file, a column or a derived measure (icpc_within_15_days).",
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="Keep only the EES rows with this value (repeatable), e.g. population_type=...",
)
@click.option(
    "--population",
    type=click.Path(path_type=Path),
    default=None,
    help="ONS mid-year population file: the measure (a count) becomes a rate per 10,000 children.",
)
@click.option(
    "--polarity",
    type=click.Choice(["high", "low", "none"]),
    default=None,
    help="Whether high or low is good (default: LAIT's dictionary; none for EES files).",
)
@click.option("--la", default=None, help="The authority: LA number (372), ONS code or name.")
@click.option(
    "--year",
    default=None,
    help="The year as the source writes it (2024) or as reports do (2023/24).",
)
@click.option(
    "--neighbours",
    "neighbours_file",
    required=True,
    type=click.Path(path_type=Path),
    help="The DfE statistical neighbour model (.xlsx or .csv).",
)
@click.option(
    "--dictionary",
    type=click.Path(path_type=Path),
    default=None,
    help="LAIT's data dictionary (default: lait_data_dictionary.csv beside the parquet file).",
)
@click.option("--quintiles", is_flag=True, help="Also band into quintiles (A-E).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text or CSV.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the table to this file instead of the screen.",
)
@_fails_cleanly
def benchmark(
    source: Path,
    measure: str | None,
    filters: tuple[str, ...],
    population: Path | None,
    polarity: str | None,
    la: str | None,
    year: str | None,
    neighbours_file: Path,
    dictionary: Path | None,
    quintiles: bool,
    as_json: bool,
    out: Path | None,
) -> None:
    """Compare authorities from the DfE's published data: statistical neighbours,
    England, region, quartiles and rank (see docs/benchmarking.md).

    With --la and --year (and a measure) it prints one authority's comparisons;
    otherwise the whole table, for every authority (or every year) as CSV.
    """
    import json

    from cyps_analysis.benchmarking.compare import compare_authorities
    from cyps_analysis.exceptions import CypsError
    from cyps_analysis.sources.authorities import resolve_authority
    from cyps_analysis.sources.load import authority_record, load_published
    from cyps_analysis.sources.neighbours import read_neighbours
    from cyps_analysis.sources.published import match_year

    pairs = {}
    for item in filters:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise CypsError(
                f"--filter {item!r}: write it as COLUMN=VALUE, e.g. population_type=Children looked after on 31 March each year."
            )
        pairs[column.strip()] = value.strip()
    data = load_published(
        source,
        measure=measure,
        filters=pairs,
        population=population,
        polarity=polarity,
        dictionary=dictionary,
    )
    for name, count in data.suppressed.items():
        if count:
            click.echo(
                f"Note: {count} row{'s' if count != 1 else ''} of {name} in {source.name} "
                "carried a suppression code (c, x, z, u, k or low) and were read as missing.",
                err=True,
            )
    table = compare_authorities(
        data, read_neighbours(neighbours_file), polarity=polarity, quintiles=quintiles
    )
    if year is not None:
        table = match_year(table, year)
    if la is not None:
        names = (
            table[["la_code", "la_name"]]
            .drop_duplicates()
            .rename(columns={"la_code": "old_la_code"})
        )
        code = resolve_authority(la, names.astype(str))
        table = table[(table["la_code"] == code).to_numpy()]
        if table.empty:
            raise CypsError(
                f"{source.name} has no figures for {la!r} (LA {code}). Check the authority, or the year and measure."
            )
    if la is not None and year is not None and len(table) == 1:
        record = authority_record(table.iloc[0], quintiles=quintiles)
        if as_json:
            text = json.dumps(record, indent=2) + "\n"
        else:
            shown = {
                **record,
                "quartiles": ", ".join(map(_shown, record["quartiles"])),
                "neighbours": "".join(
                    f"\n  {k}: {_shown(v)}" for k, v in record["neighbours"].items()
                ),
            }
            if "quintiles" in record:
                shown["quintiles"] = ", ".join(map(_shown, record["quintiles"]))
            text = "".join(f"{k}: {_shown(v)}\n" for k, v in shown.items())
    elif as_json:
        # The table's rows as records, one object per authority, measure and year.
        text = table.to_json(orient="records", indent=2) + "\n"
    else:
        text = table.to_csv(index=False)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise CypsError(
            f"Could not write {out.name}: {err.strerror}. Check the folder exists and the file is not open in Excel."
        ) from None
    click.echo(f"Wrote {out}")
