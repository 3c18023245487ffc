"""``cyps-analysis run --publish``: a pack fit for a public agenda. Every published file
is read back (HTML as text, the CSV, the workbook with openpyxl) and holds no small
count, no local path or account name, nothing of ``_internal/`` and no deep dive."""

from __future__ import annotations

import csv
import getpass
import html
import io
import json
import math
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.reports.report import open_report
from cyps_analysis.scorecard.build import build_scorecard
from cyps_analysis.scorecard.export import render_scorecard
from tests.conftest import write_dataset

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _run(*args: str):
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


def small_demo(folder: Path, settings: str = "") -> Path:
    """The demo with small numbers: assessments in Oct-24 2 of 3 (were 144 of 158),
    contacts in Nov-24 3 (were 987)."""
    shutil.copytree(DEMO, folder)
    path = folder / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    at = (obs["indicator"] == "csc_assess45") & (obs["month"] == "2024-10")
    obs.loc[at, ["numerator", "denominator"]] = ["2", "3"]
    at = (obs["indicator"] == "fh_contacts") & (obs["month"] == "2024-11")
    obs.loc[at, "value"] = "3"
    obs.to_csv(path, index=False)
    if settings:
        with open(folder / "settings.yaml", "a", encoding="utf-8") as f:
            f.write(settings)
    return folder


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish")
    data = small_demo(base / "data")
    root = base / "out"
    result = _run(
        "--data", str(data), "--period", "2024-11", "--out", str(root), "--jobs", "2",
        "--publish",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return base, data, root


def _text(path: Path) -> str:
    """An HTML page's words (tags dropped, entities read)."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _csv(pack: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((pack / "scorecard.csv").read_text(encoding="utf-8")))
    return {row["id"]: row for row in rows}


def test_the_pack_holds_the_reports_but_no_deep_dive_and_no_internals(published):
    _, _, root = published
    pack = root / "2024-11"
    assert sorted(p.name for p in pack.iterdir()) == [
        "benchmarking.html",
        "index.html",
        "scorecard.csv",
        "scorecard.html",
        "scorecard.xlsx",
        "service-area-childrens-social-care.html",
        "service-area-education.html",
        "service-area-family-help.html",
        "service-area-inclusion.html",
    ]
    # The internals went beside the packs, where the next run (and the revisions
    # check) looks for them.
    internals = root / ".internal" / "2024-11"
    assert (internals / "run.log").read_text().count("ok") == 6
    assert (internals / "scorecard.ipynb").is_file()
    assert not list(root.rglob("report.pickle"))
    assert sorted(p.name for p in root.iterdir()) == [".internal", "2024-11"]
    # Unpublished, the same period has deep dives: the published pack left them out.
    report = open_report(published[1], "2024-11")
    from cyps_analysis.reports.pack import plan

    assert any(j.notebook == "deep_dive" for j in plan(report, published[1]))


def test_nothing_links_or_names_the_deep_dives_or_internals(published):
    pack = published[2] / "2024-11"
    for page in pack.glob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "deep-dive" not in raw and "Deep dive" not in raw, page.name
        assert "_internal" not in raw and ".internal" not in raw, page.name
        assert "report.pickle" not in raw, page.name


def test_nothing_local_in_any_published_file(published):
    base, data, root = published
    pack = root / "2024-11"
    local = {str(base), str(data.resolve()), str(Path.home()), getpass.getuser(), "/tmp/"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in pack.glob("*.html")}
    texts["scorecard.csv"] = (pack / "scorecard.csv").read_text(encoding="utf-8")
    with zipfile.ZipFile(pack / "scorecard.xlsx") as z:  # every part: cells, properties
        texts |= {f"xlsx:{n}": z.read(n).decode("utf-8") for n in z.namelist()}
    for name, text in texts.items():
        for word in local:
            assert word not in text, f"{word!r} in {name}"
    book = openpyxl.load_workbook(pack / "scorecard.xlsx")
    assert book.properties.creator == "openpyxl"
    assert book.properties.lastModifiedBy is None


def test_small_counts_are_c_in_the_csv_and_figures_by_hand_stand(published):
    rows = _csv(published[2] / "2024-11")
    contacts, assess = rows["fh_contacts"], rows["csc_assess45"]
    # Contacts: Nov-24 is 3, hidden; its RAG-less row keeps the quarter to date, Oct-24
    # 951 + Nov-24 3 = 954 (a total that reveals it: secondary suppression is left to
    # the council, as docs/reports.md says).
    assert contacts["2024-11"] == "[c]"
    assert float(contacts["quarter"]) == 954
    # Assessments: Oct-24 2 of 3 is the previous month, hidden; Nov-24 153 of 172 is
    # 89.0%; the quarter to date (2 + 153) / (3 + 172) = 155 / 175 = 88.6%; the year to
    # date, Apr-Nov 2024, (131 + 151 + 132 + 120 + 149 + 141 + 2 + 153) /
    # (160 + 174 + 151 + 141 + 166 + 157 + 3 + 172) = 979 / 1124 = 87.1%, Green.
    assert assess["previous_month"] == "[c]"
    assert assess["2024-11"] == "89.0"
    assert assess["quarter"] == "88.6"
    assert assess["outturn"] == "87.1" and assess["rag_year"] == "Green"
    # The month's direction compared Nov-24 with the hidden Oct-24: not given.
    assert assess["dot_month"] == ""
    # No count from 1 to 4 anywhere among the count indicators' figures.
    for row in rows.values():
        if row["unit"] != "count" or row["aggregation"] == "mean":
            continue
        for key in ("2024-11", "quarter", "outturn", "previous_month", "same_month_last_year"):
            if row[key] not in ("", "[c]"):
                assert not 0 < float(row[key]) < 5, (row["id"], key, row[key])
    # A small-numbers flag names no count below the threshold.
    for row in rows.values():
        for count in re.findall(r"(\d+) cases", row["flags"]):
            assert int(count) >= 5, row["flags"]


def test_the_workbook_shows_c_on_both_sheets(published):
    book = openpyxl.load_workbook(published[2] / "2024-11" / "scorecard.xlsx")
    data = book["Data"]
    head = [c.value for c in data[1]]
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in data.iter_rows(2, values_only=True)}
    assert rows["fh_contacts"]["2024-11"] == "[c]"
    assert rows["csc_assess45"]["previous_month"] == "[c]"
    sheet = book["Scorecard"]
    contacts = next(
        r for r in sheet.iter_rows(values_only=True) if r[0] == rows["fh_contacts"]["title"]
    )
    assert "[c]" in contacts and 3 not in contacts and 3.0 not in contacts


def test_the_html_shows_c_and_the_narrative_says_fewer_than_5(published):
    pack = published[2] / "2024-11"
    family = _text(pack / "service-area-family-help.html")
    assert (
        "Contacts to the children's front door was fewer than 5 in November 2024 "
        "(not published: small numbers)." in family
    )
    # The key, and the monthly table (13 months to Nov-24): Nov-24 is [c].
    assert "[c]: not published, fewer than 5 children or cases" in family
    table = family[family.index("Family Help: monthly values") :]
    row = re.search(r"Contacts to the children's front door ((?:\S+ ){13})", table).group(1)
    assert row.split()[-2:] == ["951", "[c]"]  # Oct-24 as recorded; Nov-24 hidden
    scorecard = _text(pack / "scorecard.html")
    assert "fewer than 5 in November 2024" in scorecard and "[c]" in scorecard
    # Assessments' monthly row: Oct-24 (2 of 3) is [c], Nov-24 89.0%.
    social = _text(pack / "service-area-childrens-social-care.html")
    table = social[social.index("Children's Social Care: monthly values") :]
    row = re.search(r"Assessments completed within 45 working days ((?:\S+ ){13})", table)
    assert row.group(1).split()[-2:] == ["[c]", "89.0%"]


def test_charts_leave_hidden_months_out(published):
    _, data, _ = published
    report = open_report(data, "2024-11", publish=True)
    for frame in (report.history, report.spc_points):
        at = frame.set_index(["indicator", "month"])
        assert math.isnan(at.loc[("fh_contacts", "2024-11"), "value"])
        assert math.isnan(at.loc[("csc_assess45", "2024-10"), "numerator"])
        assert at.loc[("fh_contacts", "2024-10"), "value"] == 951
    # The chart's text alternative does not give the hidden latest month.
    family = (published[2] / "2024-11" / "service-area-family-help.html").read_text()
    alts = [html.unescape(a) for a in re.findall(r'alt="([^"]*)"', family)]
    contacts = next(a for a in alts if a.startswith("XmR chart. Contacts"))
    assert "latest not published in Nov-24" in contacts
    # What the notebooks read (the report the run saved) hides the same.
    from cyps_analysis.reports.pack import prepared_jobs

    staging = published[0] / "staging"
    (staging / "_internal").mkdir(parents=True)
    prepared_jobs(report, [], staging)
    saved = open_report("", "", prepared=staging / "_internal" / "report.pickle")
    assert saved.min_count == 5
    card = saved.scorecard.set_index("id")
    assert math.isnan(card.loc["fh_contacts", "2024-11"])
    for frame in (saved.history, saved.spc_points):
        at = frame.set_index(["indicator", "month"])
        assert math.isnan(at.loc[("fh_contacts", "2024-11"), "value"])


def test_a_higher_threshold_hides_larger_counts(tmp_path):
    # min_count 1000: contacts of 951 in Oct-24 (an unchanged month) are hidden too.
    data = small_demo(tmp_path / "data", "publish:\n  min_count: 1000\n")
    card = build_scorecard(load_dataset(data), "2024-25-Q3", publish=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render_scorecard(card, "csv")))}
    assert rows["fh_contacts"]["2024-10"] == "[c]"
    default = build_scorecard(load_dataset(DEMO), "2024-25-Q3", publish=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render_scorecard(default, "csv")))}
    assert float(rows["fh_contacts"]["2024-10"]) == 951


def test_a_bad_min_count_exits_2_naming_the_file_and_setting(tmp_path):
    data = small_demo(tmp_path / "data", "publish:\n  min_count: five\n")
    out = tmp_path / "out"
    result = _run("--data", str(data), "--period", "2024-11", "--out", str(out), "--publish")
    assert result.exit_code == 2
    assert "settings.yaml" in result.output and "'publish'" in result.output
    assert "min_count 'five' is not a whole number of 1 or more" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_unpublished_scorecards_are_as_before():
    # Without publish, nothing is hidden: the demo's 2024-25-Q3 scorecard has small
    # counts of its own (re-referral plans 2 of 26 in Oct-24) and shows them.
    card = build_scorecard(load_dataset(DEMO), "2024-25-Q3")
    assert "suppressed" not in card and "min_count" not in card.attrs
    assert card.set_index("id").loc["csc_cpp_second", "2024-10"] == 7.7


def test_a_batch_of_periods_publishes_each(tmp_path):
    data = write_dataset(tmp_path / "data")
    root = tmp_path / "out"
    args = ["--data", str(data), "--period", "2025-02,2025-03", "--out", str(root), "--publish"]
    result = _run(*args, "--jobs", "2")
    assert result.exit_code == 0, result.output
    for period in ("2025-02", "2025-03"):
        pack = root / period
        assert not (pack / "_internal").exists()
        assert not list(pack.glob("deep-dive-*"))
        internals = root / ".internal" / period
        assert json.loads((internals / "manifest.json").read_text())["publish"] is True
        assert (internals / "run.log").is_file() and (internals / "scorecard.ipynb").is_file()
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "internal" not in index
    # Run again: both published packs are up to date (their manifests found where
    # published packs keep them); unpublished, they are made again.
    again = _run(*args)
    assert again.exit_code == 0 and "0 made, 2 already up to date" in again.output
    plain = _run(*args[:-1])
    assert plain.exit_code == 0 and "2 made" in plain.output
    assert (root / "2025-03" / "_internal" / "manifest.json").is_file()


def test_published_internals_are_replaced_and_kept_on_failure_as_the_pack_is(tmp_path):
    from cyps_analysis.reports.pack import internals_folder, place_pack, remove_failed

    root = tmp_path / "out"
    root.mkdir()

    def staged(name: str, log: str) -> Path:
        staging = root / f".2025-03.partial-{name}"
        (staging / "_internal").mkdir(parents=True)
        (staging / "_internal" / "run.log").write_text(log)
        (staging / "index.html").write_text(name)
        return staging

    good = root / "2025-03"
    place_pack(staged("first", "ok 1"), good, publish=True)
    assert internals_folder(good, publish=True) == root / ".internal" / "2025-03"
    assert (root / ".internal" / "2025-03" / "run.log").read_text() == "ok 1"
    assert sorted(p.name for p in good.iterdir()) == ["index.html"]
    # A failed run: beside the good pack, its internals beside the good internals.
    failed = root / "2025-03.failed"
    place_pack(staged("failed", "FAILED"), failed, publish=True)
    assert (root / ".internal" / "2025-03.failed" / "run.log").read_text() == "FAILED"
    assert (good / "index.html").read_text() == "first"
    assert (root / ".internal" / "2025-03" / "run.log").read_text() == "ok 1"
    # A later good run replaces both and removes the failed pack and its internals.
    place_pack(staged("second", "ok 2"), good, publish=True)
    remove_failed(good, publish=True)
    assert (good / "index.html").read_text() == "second"
    assert (root / ".internal" / "2025-03" / "run.log").read_text() == "ok 2"
    assert sorted(p.name for p in root.iterdir()) == [".internal", "2025-03"]
    assert sorted(p.name for p in (root / ".internal").iterdir()) == ["2025-03"]
