"""The narrative as HTML for the reports: generated sentences escaped as text,
analysts' commentary rendered from Markdown and sanitised (see :mod:`.safe_html`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.narrative.build import SECTION_TITLES, SECTIONS, Narrative
from cyps_analysis.reports.safe_html import commentary_html, text


def narrative_html(
    narrative: Narrative,
    *,
    service_area: str | None = None,
    level: int = 2,
    area_heading: bool = True,
) -> str:
    """The narrative laid out as :func:`~cyps_analysis.narrative.build.narrative_to_markdown`
    lays it out, as HTML: the whole report, or one service area's two sections."""
    parts: list[str] = []
    if service_area is None:
        title = f"{narrative.authority}: narrative, {narrative.period_title}"
        parts += [_heading(level, title), _heading(level + 1, SECTION_TITLES["summary"])]
        parts.append(_bullets(narrative.section(None, "summary")))
        areas = narrative.service_areas
        sub = level + 1
    else:
        areas = (service_area,)
        sub = level if area_heading else level - 1
    for area in areas:
        if service_area is None or area_heading:
            parts.append(_heading(sub, area))
        parts.append(f"<p><em>{text(_signoff_line(narrative, area))}</em></p>")
        for s in SECTIONS:
            parts += [_heading(sub + 1, SECTION_TITLES[s]), _bullets(narrative.section(area, s))]
    return "\n".join(parts) + "\n"


def _heading(level: int, words: str) -> str:
    n = min(max(level, 1), 6)
    return f"<h{n}>{text(words)}</h{n}>"


def _bullets(bullets: pd.DataFrame) -> str:
    if bullets.empty:
        return "<ul><li>Nothing to report this period.</li></ul>"
    analyst = (bullets["source"] == "analyst").to_numpy()
    generated = [text(t) for t in bullets["text"]]
    # Only analysts' own words are Markdown; generated sentences are plain text.
    items = np.where(analyst, [commentary_html(t) for t in bullets["text"]], generated)
    draft = np.where(bullets["draft"].to_numpy(dtype=bool), " <em>(draft)</em>", "")
    return "<ul>" + "".join(f"<li>{i}{d}</li>" for i, d in zip(items, draft, strict=True)) + "</ul>"


def _signoff_line(narrative: Narrative, area: str) -> str:
    s = narrative.signoffs[narrative.signoffs["service_area"] == area]
    if s.empty:
        return "Draft: the generated text has not been signed off for this period."
    row = s.iloc[0]
    return f"Signed off by {row['signed_off_by']} on {row['date']}."
