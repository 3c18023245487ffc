"""No script gets through: a payload in every free-text field of a dataset, a pack
built from it, and every HTML file of the pack parsed for scripts, event handlers,
``javascript:`` URLs and anything loaded from outside the file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.reports.safe_html import commentary_html
from tests.conftest import INDICATORS, TARGETS, write_dataset

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"

#: A script, an event handler, a javascript: link and a remote image, in one line
#: (no commas or double quotes, so it sits in a CSV cell or a quoted YAML string).
P = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))![p](https://evil.example/p.png)"


def payload_dataset(folder: Path) -> Path:
    area_a, area_b = f"Family Help {P}", f"Social Care {P}"
    indicators = (
        INDICATORS.replace("Family Help", area_a)
        .replace("Children's Social Care", area_b)
        .replace("Contacts,", f"Contacts {P},", 1)
        .replace("Assessments within 45 days", f"Assessments {P}")
        .replace("Children in need rate", f"CIN rate {P}")
    )
    lines = indicators.splitlines()
    # Definitions and sources: a payload in each.
    indicators = "\n".join(
        [lines[0] + ",definition,source"] + [f"{ln},Def {P},Src {P}" for ln in lines[1:]]
    )
    # Red below 90: assessments Red at 86.5% year to date, so the pack has a deep dive.
    targets = TARGETS.replace("<82%,82%+,90%+", "<90%,-,90%+")
    settings = f"""\
authority: "{P}"
as_at: 2025-04-10
service_areas: ["{area_a}", "{area_b}"]
band_labels: {{red: "Red {P}", amber: "Amber {P}", green: "Green {P}"}}
"""
    commentary = (
        "indicator,period,section,text,mode\n"
        f"assess45,2024-25-Q4,challenges,Comment {P} <a href=javascript:alert(4)>y</a>,add\n"
        f",2024-25-Q4,summary,Summary {P},add\n"
    )
    signoff = (
        f"period,service_area,signed_off_by,date\n2024-25-Q4,{area_b},Analyst {P},2025-04-20\n"
    )
    return write_dataset(
        folder,
        indicators=indicators + "\n",
        targets=targets,
        settings=settings,
        commentary=commentary,
        signoff=signoff,
    )


class _Scan(HTMLParser):
    """Collects what a browser would run or fetch."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if value.lower().replace(" ", "").startswith(("javascript:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")
            if name in ("src", "srcset", "poster", "data", "action") and not value.startswith(
                "data:"
            ):
                self.found.append(f"{tag} {name}={value}")
            if tag == "link" and name == "href" and "://" in value:
                self.found.append(f"link href={value}")


def test_commentary_markdown_keeps_inline_tags_and_safe_links_only() -> None:
    html = commentary_html(
        "**Review** due; see [plan](https://example.org/p) or [mail](mailto:a@b.org). "
        "<b onclick=x>raw</b> [bad](javascript:alert(1)) ![img](https://example.org/i.png)"
    )
    assert "<strong>Review</strong>" in html
    assert '<a href="https://example.org/p"' in html and 'href="mailto:a@b.org"' in html
    # Raw HTML is shown as text; the javascript: link is left as words; no image.
    assert "&lt;b onclick=x&gt;raw&lt;/b&gt;" in html
    assert "javascript:" not in html.split("[bad]")[0] and "<img" not in html
    assert 'href="javascript' not in html


@pytest.mark.skipif(not NOTEBOOK_DIR.is_dir(), reason="notebooks/ not found")
def test_pack_with_a_payload_in_every_free_text_field_runs_nothing(tmp_path: Path) -> None:
    data = payload_dataset(tmp_path / "data")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["run", "--data", str(data), "--period", "2024-25-Q4", "--out", str(out), "--jobs", "2"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    pages = sorted((out / "2024-25-Q4").glob("*.html"))
    # index, scorecard, two service areas, benchmarking, one deep dive.
    assert len(pages) == 6, [p.name for p in pages]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        scan = _Scan()
        scan.feed(text)
        assert scan.found == [], (page.name, scan.found[:5])
        # The payload is there, as text, where the fields are shown.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page.name
        assert "evil.example" not in text or "![p](https://evil.example/p.png)" in text
