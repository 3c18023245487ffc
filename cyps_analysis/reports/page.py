"""Page furniture shared by every report of a pack: the ``<title>``, a skip link, a
header naming the authority and period with a link to the index, a ``nav`` of the
pack's reports, a footer with the as-at date, source and run date, and the page and
print styles (A4 portrait, landscape for the scorecard; page numbers and the title in
the running header). Every piece of data text is escaped here."""

from __future__ import annotations

from cyps_analysis.reports.safe_html import text

#: Paper sizes ``cyps-analysis run --pdf --paper`` accepts.
PAPERS: tuple[str, ...] = ("A4", "A3")

PAGE_CSS = """
.skip-link { position: absolute; left: -10000px; top: 0; }
.skip-link:focus { left: 1rem; top: .5rem; background: #fff; padding: .5rem 1rem;
  outline: 3px solid #1d3f73; z-index: 10; }
.pack-header { border-bottom: 3px solid #1d3f73; padding: .2rem 0 .5rem; margin-bottom: .5rem; }
.pack-header p { margin: 0; }
.pack-nav ul { list-style: none; margin: 0 0 1rem; padding: 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; }
.pack-nav a { display: inline-block; min-height: 24px; padding: .2rem 0; }
.pack-nav a[aria-current] { font-weight: bold; color: #1a1a1a; }
.pack-footer { border-top: 1px solid #999; margin-top: 2rem; padding-top: .5rem;
  font-size: .9rem; color: #333; }
.pack-footer p { margin: .2rem 0; }
"""


def css_string(value: object) -> str:
    """Text as a quoted CSS string: quotes, backslashes and line breaks escaped, and
    ``<`` too, so no text can close the ``<style>`` element it sits in.

    Examples
    --------
    >>> css_string('A "B" </style>')
    '"A \\\\22 B\\\\22  \\\\3c /style>"'
    """
    out = []
    for ch in str(value):
        if ch in '"\\<' or ord(ch) < 32 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def print_css(title: str, *, landscape: bool = False, paper: str = "A4") -> str:
    """The print rules: paper and orientation, the title and "Page 3 of 10" in the
    running header, header rows repeated, no row split, no heading left at a page foot."""
    size = f"{paper} {'landscape' if landscape else 'portrait'}"
    return f"""
@page {{ size: {size}; margin: 14mm 10mm 12mm;
  @top-left {{ content: {css_string(title)}; font: 8pt Arial, sans-serif; color: #333; }}
  @top-right {{ content: "Page " counter(page) " of " counter(pages);
    font: 8pt Arial, sans-serif; color: #333; }} }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .skip-link, .pack-nav {{ display: none; }}
  h1, h2, h3, h4 {{ break-after: avoid; page-break-after: avoid; }}
  tr, img, figure, .chart-card {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  a {{ color: inherit; text-decoration: none; }}
  .scroll-region {{ overflow: visible !important; }}
}}
"""


def page_title(report_title: str, authority: str, period: str) -> str:
    """A report's ``<title>``: ``Scorecard – Demo Borough – 2024/25 Q4``."""
    return f"{report_title} – {authority} – {period}"


def furniture(
    *,
    title: str,
    authority: str,
    period: str,
    as_at: str,
    source: str,
    run_date: str,
    nav: list[tuple[str, str]],
    current: str,
    landscape: bool = False,
) -> dict[str, str]:
    """The furniture of one page: ``title`` (plain text), ``top`` (skip link, header,
    nav), ``bottom`` (footer) and ``css`` (page and print styles). ``nav`` is the
    pack's reports as (file name, label); ``current`` is this page's file name."""
    full = page_title(title, authority, period)
    items = "".join(
        f'<li><a href="{text(href)}"'
        + (' aria-current="page"' if href == current else "")
        + f">{text(label)}</a></li>"
        for href, label in nav
    )
    top = (
        '<a class="skip-link" href="#content">Skip to content</a>\n'
        '<header class="pack-header">'
        f"<p><strong>{text(authority)}</strong> · {text(period)} · "
        f'<a href="index.html">Performance pack index</a></p></header>\n'
        f'<nav class="pack-nav" aria-label="Reports in this pack"><ul>{items}</ul></nav>\n'
    )
    bottom = (
        '<footer class="pack-footer">'
        f"<p>Data as at {text(as_at)} · Source: {text(source)} · Report run {text(run_date)}</p>"
        "<p>Figures are rounded half up to the precision shown; RAG ratings are given in "
        "words as well as colour.</p></footer>\n"
    )
    return {
        "title": full,
        "top": top,
        "bottom": bottom,
        "css": PAGE_CSS + print_css(full, landscape=landscape),
    }
