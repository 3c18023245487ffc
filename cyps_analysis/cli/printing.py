"""PDFs and screenshots of a finished pack, for ``cyps-analysis run --pdf`` and
``--screenshots`` (headless Chromium: see docs/reports.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def print_finished_pack(
    folder: Path,
    chromium: str | None,
    *,
    paper: str,
    pdf: bool,
    shots: bool,
    jobs: int,
    internals: Path | None = None,
):
    """PDFs and screenshots of a finished pack (screenshots in ``internals``, the pack's
    internals folder: ``_internal/`` by default); exit 2, saying how to install
    Chromium, when there is none (the HTML pack stays)."""
    import subprocess

    from cyps_analysis.reports.printing import INSTALL_HINT, find_chromium, print_pack
    from cyps_analysis.reports.printing import screenshots as take_screenshots

    browser = find_chromium(chromium)
    if browser is None:
        where = f"No Chromium at {chromium}. " if chromium else ""
        click.echo(f"{where}{INSTALL_HINT} It is in {folder}.", err=True)
        sys.exit(2)
    try:
        if pdf:
            print_pack(folder, browser, paper=paper, workers=jobs)
        if shots:
            take_screenshots(folder, browser, internals=internals)
    except (subprocess.SubprocessError, OSError) as err:
        click.echo(
            f"Chromium ({browser}) could not print the pack: {err}. The HTML pack is in "
            f"{folder}; run again with --chromium PATH to use another browser.",
            err=True,
        )
        sys.exit(1)
