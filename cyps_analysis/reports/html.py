"""Executed notebooks to HTML that is safe to share: no code, no parameter cells,
nothing loaded from outside the file, and a text alternative for every image.

One exporter is made per process and reused: making it reads the templates, which
costs more than a small export.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

TEMPLATE = "cyps_report"
#: Cells papermill's parameters live in: never shown in a report.
HIDDEN_TAGS: frozenset[str] = frozenset({"parameters", "injected-parameters"})

REPORT_CSS = """
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1a1a1a;
  margin: 0 auto; max-width: 1400px; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; } h2 { font-size: 1.3rem; margin-top: 1.6rem; }
h3 { font-size: 1.1rem; }
a { color: #1d3f73; }
.jp-Cell { margin-bottom: .6rem; }
.jp-OutputArea-output pre { white-space: pre-wrap; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
img.chart { display: block; width: 100%; max-width: 900px; height: auto; }
figure.chart-card { margin: 0 0 1.2rem; }
.jp-OutputPrompt, .jp-InputPrompt, .jp-Collapser { display: none; }
.anchor-link { display: none; }
.report-footer { margin-top: 2rem; font-size: .85rem; color: #444; }
table { border-collapse: collapse; }
"""

_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?P<attr>[^"'\s>]+))"""
    r"""|(?:@import\s+(?:url\()?\s*["']?(?P<imp>[^"')\s;]+))"""
    r"""|(?:url\(\s*["']?(?P<url>[^"')]+))""",
    re.IGNORECASE,
)


@cache
def exporter():
    """The HTML exporter every report goes through (made once per process)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    config.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    templates = Path(str(resources.files("cyps_analysis.reports") / "templates"))
    made = HTMLExporter(
        config=config, template_name=TEMPLATE, extra_template_basedirs=[str(templates)]
    )
    made.register_filter("b64encode_text", _b64encode_text)
    return made


def _b64encode_text(value: str) -> str:
    import base64

    return base64.b64encode(value.encode("utf-8")).decode("ascii")


#: nbconvert makes every output area a keyboard stop (``tabindex="0"``): in a report
#: they are empty stops with nothing to do. Scroll regions set their own.
_OUTPUT_TABSTOP = re.compile(
    r'(<div class="[^"]*\bjp-OutputArea-output\b[^"]*"[^>]*?) tabindex="0"'
)


def notebook_html(notebook, page: dict[str, str] | None = None) -> str:
    """An executed notebook (an ``nbformat`` node) as a self-contained HTML page.

    ``page`` is the pack's furniture for it (:func:`cyps_analysis.reports.page.furniture`:
    title, skip link, header, nav, footer, print styles); without it the page has a
    plain footer."""
    page = page or {}
    body, _ = exporter().from_notebook_node(
        notebook,
        resources={
            "report_css": REPORT_CSS,
            "page_css": page.get("css", ""),
            "page_top": page.get("top", ""),
            "page_bottom": page.get("bottom", ""),
        },
    )
    return _OUTPUT_TABSTOP.sub(r"\1", body)


def external_references(html: str) -> list[str]:
    """Everything in ``html`` that a browser would fetch from outside the page: every
    ``src``, ``href``, ``@import`` and ``url(`` that is not a ``data:`` URI, an anchor
    within the page, or (``relative`` links between a pack's pages aside) a file.

    Examples
    --------
    >>> external_references('<img src="data:image/png;base64,AA"><a href="#top">top</a>')
    []
    >>> external_references('<script src="https://cdn.example/x.js"></script>')
    ['https://cdn.example/x.js']
    >>> external_references('<style>@import url("//fonts.example/f.css");</style>')
    ['//fonts.example/f.css']
    """
    found = []
    for match in _EXTERNAL.finditer(html):
        ref = next(g for g in match.groups() if g is not None).strip()
        if ref.startswith(("data:", "#")):
            continue
        found.append(ref)
    return found
