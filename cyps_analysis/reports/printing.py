"""A pack's reports printed to PDF, and screenshots for reviewers, by headless Chromium.

The reports carry their own print rules (:mod:`cyps_analysis.reports.page`): A4 portrait,
the scorecard landscape, the title and "Page 3 of 10" in the running header. Chromium
prints each report as a browser would, so what a reader prints from the browser and the
committee PDF are the same. ``--paper A3`` prints from a copy of the report with one more
``@page`` rule; the report itself is left as it is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: The names Chromium goes by on PATH, in the order they are tried.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
#: Reports a reviewer looks at first: the index, the scorecard, one service area and
#: one deep dive (the first of each, by file name).
SCREENSHOT_PATTERNS: tuple[str, ...] = (
    "index.html",
    "scorecard.html",
    "service-area-*.html",
    "deep-dive-*.html",
)
INSTALL_HINT = (
    "Chromium is needed to print PDFs and was not found on PATH (as chromium, "
    "chromium-browser or google-chrome). Install it (Debian or Ubuntu: "
    "sudo apt-get install chromium; Windows or macOS: install Google Chrome) or give "
    "its path with --chromium PATH. The HTML pack was made."
)
_TIMEOUT = 120


def find_chromium(given: str | Path | None = None) -> str | None:
    """The Chromium to print with: ``given`` if it is an executable, else the first of
    :data:`CHROMIUM_NAMES` on PATH; None if there is none."""
    if given is not None:
        found = shutil.which(str(given))
        return found if found else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(chromium: str, profile: Path, *args: str) -> None:
    # A profile of its own per call: parallel Chromiums never share one.
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=_TIMEOUT)


def print_pdf(html: Path, pdf: Path, chromium: str, *, paper: str = "A4") -> Path:
    """Print one report to ``pdf``; with ``paper`` other than A4, on that paper (same
    orientation as the report's own rule)."""
    with tempfile.TemporaryDirectory(prefix="cyps-print-") as tmp:
        source = html
        if paper != "A4":
            page = html.read_text(encoding="utf-8")
            landscape = "A4 landscape" in page
            rule = f"<style>@page {{ size: {paper} {'landscape' if landscape else 'portrait'}; }}</style>"
            source = Path(tmp) / html.name
            source.write_text(page.replace("</head>", f"{rule}</head>", 1), encoding="utf-8")
        _chromium(
            chromium,
            Path(tmp) / "profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            source.resolve().as_uri(),
        )
    return pdf


def print_pack(folder: Path, chromium: str, *, paper: str = "A4", workers: int = 1) -> list[Path]:
    """Print every report of the pack in ``folder`` (not the index) to ``<report>.pdf``
    beside its HTML, ``workers`` at a time."""
    pages = sorted(p for p in folder.glob("*.html") if p.name != "index.html")
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(
            pool.map(lambda p: print_pdf(p, p.with_suffix(".pdf"), chromium, paper=paper), pages)
        )


def screenshots(
    folder: Path,
    chromium: str,
    *,
    patterns: Sequence[str] = SCREENSHOT_PATTERNS,
    internals: Path | None = None,
) -> list[Path]:
    """Screenshots (1280 px wide) of the index, the scorecard, one service area and one
    deep dive, in ``folder/_internal/screenshots/``: for reviewers, not for sharing."""
    out = (internals or folder / "_internal") / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for pattern in patterns:
        pages = sorted(folder.glob(pattern))
        if not pages:
            continue
        shot = out / f"{pages[0].stem}.png"
        with tempfile.TemporaryDirectory(prefix="cyps-shot-") as tmp:
            _chromium(
                chromium,
                Path(tmp) / "profile",
                f"--screenshot={shot.resolve()}",
                "--window-size=1280,2400",
                pages[0].resolve().as_uri(),
            )
        made.append(shot)
    return made
