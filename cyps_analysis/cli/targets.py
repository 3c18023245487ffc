"""The ``cyps-analysis targets`` command: next year's targets and tolerances proposed
from benchmarks and recent performance, ready to paste into targets.csv (see
docs/method.md#proposed-targets)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cyps_analysis.cli.main import _data_option, _fails_cleanly, main


@main.command()
@_data_option
@click.option("--year", required=True, help="The year to propose for, e.g. 2025/26.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "markdown"]),
    default=None,
    help="Output format; taken from --out's extension when omitted (markdown if printing).",
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="File to write.")
@click.option(
    "--rule",
    type=click.Choice(["benchmarks", "top_quartile", "hold"]),
    default=None,
    help="How to propose (default: the settings' targets: {rule: ...}, else benchmarks).",
)
@_fails_cleanly
def targets(data: Path, year: str, fmt: str | None, out: Path | None, rule: str | None) -> None:
    """Propose Red, Amber and Green bands for next year, with the reasoning."""
    from cyps_analysis.dataset.load import load_dataset
    from cyps_analysis.scorecard.export import write_atomic
    from cyps_analysis.scorecard.targets import propose_targets

    fmt = fmt or {".csv": "csv", ".json": "json"}.get(out.suffix.lower() if out else "", "markdown")
    table = propose_targets(load_dataset(data), year, rule=rule)
    text = render_targets(table, year, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    click.echo(f"Wrote {out}")


def render_targets(table, year: str, fmt: str) -> str:
    """The proposals as CSV (targets.csv's columns and ``reasoning``), JSON or Markdown."""
    from cyps_analysis.scorecard.export import defuse_formulas

    if fmt == "json":
        keys = ["indicator", "red", "amber", "green", "rule", "reasoning"]
        rows = [{k: row[k] for k in keys} for row in table.astype(object).to_dict("records")]
        rows = [{k: (None if v != v else v) for k, v in row.items()} for row in rows]
        return json.dumps({"year": year, "targets": rows}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        flat = table.drop(columns=["rule"])
        # Bands stay as written; the reasoning is free text.
        flat["reasoning"] = defuse_formulas(flat["reasoning"])
        return flat.to_csv(index=False, lineterminator="\n")
    lines = [
        f"# Proposed targets for {year}",
        "",
        "| Indicator | Year | Red | Amber | Green | Why |",
        "|---|---|---|---|---|---|",
    ]
    for row in table.to_dict("records"):
        cells = [row[k] if isinstance(row[k], str) else "" for k in ("red", "amber", "green")]
        why = str(row["reasoning"]).replace("|", "\\|")
        lines.append(f"| {row['indicator']} | {row['year']} | {' | '.join(cells)} | {why} |")
    return "\n".join(lines) + "\n"
