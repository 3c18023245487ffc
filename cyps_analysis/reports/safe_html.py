"""Text on its way into a report's HTML: data escaped, analysts' Markdown sanitised.

Every name, title, definition, source, band label and sign-off in a dataset is
untrusted text. The report helpers build HTML with each such text escaped and never
build Markdown from data (a Markdown link in a title would survive HTML escaping and
become a link). Only analysts' commentary is Markdown: it is rendered with raw HTML
turned off (so ``<script>`` shows as text) and the result is passed through nh3,
which keeps inline tags only, links to ``http``, ``https`` and ``mailto`` only, and no
images (a report must open offline and load nothing from outside the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape

#: Tags analysts' commentary may keep once rendered: inline ones only.
COMMENTARY_TAGS: frozenset[str] = frozenset({"a", "em", "strong", "code", "br", "del", "s"})
#: Link schemes analysts' commentary may keep.
COMMENTARY_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Html:
    """A piece of HTML built by the kit; Jupyter shows it and the export keeps it."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


def text(value: object) -> str:
    """Any value as HTML text, every character that means something in HTML escaped.

    Examples
    --------
    >>> text("<script>alert(1)</script>[x](javascript:y)")
    '&lt;script&gt;alert(1)&lt;/script&gt;[x](javascript:y)'
    """
    return escape("" if value is None else str(value), quote=True)


@cache
def _markdown():
    from markdown_it import MarkdownIt

    # CommonMark with raw HTML off: tags in commentary are shown as text. Images are
    # turned off too (nh3 would drop them anyway), and so are bare-URL links.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def commentary_html(markdown: str) -> str:
    """An analyst's commentary (Markdown, one bullet or paragraph) as safe inline HTML.

    Examples
    --------
    >>> commentary_html("A *real* [review](https://example.org) <script>x</script>")
    'A <em>real</em> <a href="https://example.org" rel="noopener noreferrer">review</a> &lt;script&gt;x&lt;/script&gt;'
    >>> commentary_html("[x](javascript:alert(1)) ![](https://example.org/p.png)")
    '[x](javascript:alert(1)) !<a href="https://example.org/p.png" rel="noopener noreferrer"></a>'
    """
    import nh3

    rendered = _markdown().renderInline(str(markdown))
    return nh3.clean(
        rendered,
        tags=set(COMMENTARY_TAGS),
        attributes={"a": {"href", "title"}},
        url_schemes=set(COMMENTARY_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
