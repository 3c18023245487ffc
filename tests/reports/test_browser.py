"""The demo pack as readers see it, in Chromium (Debian's, driven by Playwright) with
axe-core: at 1280 and 320 px wide, no serious or critical accessibility problem, nothing
loaded from outside the file, no console errors, table headers and ids sound, links
that resolve, no sideways scrolling, page furniture on every page; and the scorecard
printed to PDF with every column on the page.

Run by ``make test`` (marker ``browser``); skipped, saying why, where Chromium or
Playwright is missing. ``.ci/run`` installs both.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.reports.printing import find_chromium, print_pdf

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
PERIOD = "2024-25-Q4"
CHROMIUM = find_chromium()
WIDTHS = (1280, 320)
#: WCAG 2.2 A and AA (2.0, 2.1 and 2.2 rules) and axe's best practice.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

if CHROMIUM is None:
    pytest.skip(
        "Chromium not found (apt-get install chromium; .ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright not installed")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

# What each page is checked for, in the page: one JavaScript function returning findings.
PAGE_FACTS = """() => {
  const out = {badHeaders: [], repeatedIds: [], emptyStops: [], wideUnnamed: [], links: []};
  for (const td of document.querySelectorAll('[headers]')) {
    const table = td.closest('table');
    for (const token of td.getAttribute('headers').trim().split(/\\s+/)) {
      const th = document.getElementById(token);
      if (!th || th.tagName !== 'TH' || th.closest('table') !== table) out.badHeaders.push(token);
    }
  }
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  out.repeatedIds = Object.keys(seen).filter(k => seen[k] > 1);
  const stops = document.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
  for (const el of stops) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    const name = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('title') || '').trim();
    if (!name) out.emptyStops.push(el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    const named = el.getAttribute('aria-label') || (el.querySelector('caption') || {}).innerText;
    if (el.tabIndex !== 0 || !named) out.wideUnnamed.push(el.outerHTML.slice(0, 120));
  }
  out.links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  out.pageWidth = document.documentElement.scrollWidth;
  out.viewport = window.innerWidth;
  out.title = document.title;
  out.furniture = {
    skip: !!document.querySelector('a.skip-link[href="#content"]'),
    header: (document.querySelector('header') || {}).innerText || '',
    nav: document.querySelectorAll('nav a').length,
    footer: (document.querySelector('footer') || {}).innerText || '',
  };
  out.charts = [...document.querySelectorAll('img.chart')].map(
    img => [img.getBoundingClientRect().width, img.naturalWidth]);
  return out;
}"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    """The demo's pack, with the reviewer's screenshots, made after an earlier pack
    (its scorecard only) from a copy of the demo whose Oct-24 assessments were 40 of
    158 instead of 144: the index and the scorecard list that month as revised, and the
    scorecard marks it [r]."""
    from cyps_analysis.reports.batch import plan_batch, run_batch

    out = tmp_path_factory.mktemp("browser")
    earlier = Path(shutil.copytree(DEMO, tmp_path_factory.mktemp("earlier") / "demo"))
    obs = earlier / "observations.csv"
    text = obs.read_text(encoding="utf-8")
    obs.write_text(text.replace("csc_assess45,2024-10,,144,158", "csc_assess45,2024-10,,40,158"))
    packs = plan_batch(
        [earlier], PERIOD, out, notebooks=ROOT / "notebooks", templates=("scorecard",)
    )
    assert run_batch(packs, out, notebooks=ROOT / "notebooks").ok
    args = ["--data", str(DEMO), "--period", PERIOD, "--out", str(out), "--jobs", "2"]
    args += ["--notebooks", str(ROOT / "notebooks"), "--screenshots"]
    result = CliRunner().invoke(main, ["run", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / PERIOD


def _look(pack: Path, width: int) -> dict:
    """Every page of the pack at one width: axe's violations, every request made, the
    console's errors and the page's own facts."""
    axe = axe_module.Axe()
    # WCAG 2.2 A/AA and best practice; only the violations come back (not every
    # passing node), which is all the tests read.
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        # What the page being checked asks for and reports (reset for each page).
        now: dict[str, list] = {"requests": [], "errors": []}
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("request", lambda r: now["requests"].append(r.url))
        page.on("console", lambda m: now["errors"].append(m.text) if m.type == "error" else 0)
        page.on("pageerror", lambda e: now["errors"].append(str(e)))
        for html in sorted(pack.glob("*.html")):
            now["requests"], now["errors"] = [], []
            page.goto(html.as_uri(), wait_until="load")
            facts = page.evaluate(PAGE_FACTS)
            found[(html.name, width)] = {
                "violations": axe.run(page, options=options).response["violations"],
                "requests": now["requests"],
                "errors": now["errors"],
                **facts,
            }
        browser.close()
    return found


@pytest.fixture(scope="module")
def seen(pack: Path) -> dict:
    """Every page of the pack at each width, the widths looked at side by side (one
    browser each, on its own thread, as Playwright allows)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(WIDTHS)) as pool:
        looks = list(pool.map(lambda width: _look(pack, width), WIDTHS))
    return {key: found for look in looks for key, found in look.items()}


def test_every_page_of_the_demo_pack_was_seen_at_both_widths(pack, seen):
    from cyps_analysis.reports.report import needs_deep_dive, open_report

    pages = {p.name for p in pack.glob("*.html")}
    # The demo's pack: index, scorecard, 4 service areas, benchmarking, and a deep dive
    # for each indicator the plan picks (Red, declining Amber, special cause of concern).
    deep_dives = int(needs_deep_dive(open_report(DEMO, PERIOD).scorecard).sum())
    assert len([p for p in pages if p.startswith("deep-dive-")]) == deep_dives
    assert len(pages) == 7 + deep_dives
    assert set(seen) == {(p, w) for p in pages for w in WIDTHS}


def test_the_pages_looked_at_list_a_revision(pack):
    # So that the checks below look at the table of revisions and the [r] markers too.
    for page in ("index.html", "scorecard.html"):
        assert "<caption>Figures revised since the 2024/25 Q4 pack" in (pack / page).read_text(
            encoding="utf-8"
        )
    # Assessments within 45 days, year to date: 1,683 of 1,912 = 88.0%, revised.
    assert "88.0% [r]</td>" in (pack / "scorecard.html").read_text(encoding="utf-8")


def test_no_serious_or_critical_axe_violations(seen):
    bad = {
        key: [(v["id"], v["impact"], len(v["nodes"])) for v in found["violations"]]
        for key, found in seen.items()
        if any(v["impact"] in ("serious", "critical") for v in found["violations"])
    }
    assert bad == {}


def test_nothing_is_requested_but_the_file_itself_and_data_uris(pack, seen):
    for (name, _), found in seen.items():
        others = [u for u in found["requests"] if not u.startswith("data:")]
        assert others == [(pack / name).as_uri()], name


def test_no_console_errors(seen):
    assert {key: f["errors"] for key, f in seen.items() if f["errors"]} == {}


def test_table_headers_and_ids_are_sound(seen):
    for key, found in seen.items():
        assert found["badHeaders"] == [], key
        assert found["repeatedIds"] == [], key


def test_every_local_link_and_fragment_resolves(pack, seen):
    for (name, width), found in seen.items():
        if width != WIDTHS[0]:
            continue
        for href in found["links"]:
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto"):
                continue
            target = pack / unquote(url.path) if url.path else pack / name
            assert target.is_file() and target.parent == pack, (name, href)
            if url.fragment and target.suffix == ".html":
                text = target.read_text(encoding="utf-8")
                assert re.search(rf"""id=["']{re.escape(url.fragment)}["']""", text), (name, href)


def test_no_sideways_scrolling_but_named_keyboard_scroll_regions(seen):
    wide = {key: f["pageWidth"] for key, f in seen.items() if f["pageWidth"] > f["viewport"]}
    assert wide == {}
    assert {key: f["wideUnnamed"] for key, f in seen.items() if f["wideUnnamed"]} == {}


def test_no_empty_keyboard_stops(seen):
    assert {key: f["emptyStops"] for key, f in seen.items() if f["emptyStops"]} == {}


def test_page_furniture_on_every_page(seen):
    titles = re.compile(r"^.+ – Demo Borough – 2024/25 Q4$")
    for (name, _), found in seen.items():
        assert titles.match(found["title"]), (name, found["title"])
        f = found["furniture"]
        assert f["skip"], name
        assert "Demo Borough" in f["header"] and "2024/25 Q4" in f["header"], name
        assert "Performance pack index" in f["header"], name
        # Index, scorecard, 4 service areas, benchmarking and the deep dives' list.
        assert f["nav"] == 8, name
        # The demo's as-at date (settings.yaml) and its indicators' source.
        assert "Data as at 14 April 2025" in f["footer"], name
        assert "Case management system" in f["footer"] and "Report run" in f["footer"], name
    assert seen[("scorecard.html", 1280)]["title"] == "Scorecard – Demo Borough – 2024/25 Q4"


def test_chart_text_is_at_least_12px_on_a_1280px_page(seen):
    from cyps_analysis.reports.plots import FONT_PT

    charts = [c for (_, w), f in seen.items() if w == 1280 for c in f["charts"]]
    assert len(charts) > 30
    for shown, natural in charts:
        # The SVG is 7.5 inches wide, 720 CSS pixels at 96 to the inch; its text of
        # FONT_PT points is FONT_PT * 96 / 72 pixels at that size, scaled by shown / natural.
        assert natural == 720
        assert FONT_PT * 96 / 72 * shown / natural >= 12, (shown, natural)


def test_screenshots_for_reviewers(pack):
    shots = sorted(p.name for p in (pack / "_internal" / "screenshots").glob("*.png"))
    assert shots == [
        "deep-dive-csc-cla-dental.png",
        "index.png",
        "scorecard.png",
        "service-area-childrens-social-care.png",
    ]
    for shot in shots:
        assert (pack / "_internal" / "screenshots" / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scorecard_pdf_has_every_column_on_page_one_and_numbered_pages(pack, tmp_path):
    from pypdf import PdfReader

    pdf = print_pdf(pack / "scorecard.html", tmp_path / "scorecard.pdf", CHROMIUM)
    reader = PdfReader(pdf)
    pages = [page.extract_text() for page in reader.pages]
    # A4 landscape: 297 x 210 mm is 842 x 595 points.
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    # Every column header of the benchmarking table (the demo's quarter: Jan to Mar 2025),
    # headers wrap in print, so the words are compared without line breaks.
    first = re.sub(r"\s+", " ", pages[0]).replace("- ", "-")
    for header in [
        "Jan-25", "Feb-25", "Mar-25", "Qtr", "YTD", "Good perf is", "DOT (month)",
        "RAG (month)", "DOT (yr on yr)", "RAG (yr end)", "Red", "Amber", "Green (target)",
        "Last yr", "Yr on yr trend", "Stat neighbours", "Best stat neighbour", "England",
        "Top quartile", "Region", "Notes", "Target & tolerances", "Latest benchmarking",
    ]:  # fmt: skip
        assert header in first, header
    numbers = [re.search(r"Page (\d+) of (\d+)", text) for text in pages]
    assert all(numbers)
    assert int(numbers[-1].group(1)) == int(numbers[-1].group(2)) == len(pages) > 1
    assert "Scorecard – Demo Borough – 2024/25 Q4" in pages[-1]


def test_a3_prints_from_a_copy_on_a3_the_orientation_kept(pack, tmp_path):
    from pypdf import PdfReader

    card = print_pdf(pack / "scorecard.html", tmp_path / "card.pdf", CHROMIUM, paper="A3")
    area = pack / "service-area-family-help.html"
    portrait = print_pdf(area, tmp_path / "area.pdf", CHROMIUM, paper="A3")
    # A3 is 420 x 297 mm: 1191 x 842 points; the scorecard landscape, the others portrait.
    box = PdfReader(card).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)
    box = PdfReader(portrait).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)
    # The report itself still asks for A4.
    assert "size: A4 landscape" in (pack / "scorecard.html").read_text(encoding="utf-8")
