"""The period pack: which reports it holds, its index, and that a failed run never
replaces the previous good pack."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.reports.pack import index_html, plan, run_pack, slug
from cyps_analysis.reports.report import open_report, rag_summary
from cyps_analysis.reports.runner import Result
from tests.conftest import INDICATORS, write_dataset

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"

# Assessments: 2024/25 year to date is (84+...+92 + 81+82+83) / 1200 = 86.5%, which
# is Red against these bands (Red below 90, no Amber): a deep dive. The CIN rate at
# Mar-25 is 220.3, Green against <227.1. Contacts are an activity: no rating.
RED_TARGETS = """\
indicator,year,red,amber,green
assess45,2024/25,<90%,-,90%+
cin_rate,2024/25,227.1+,-,<227.1
"""


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data", targets=RED_TARGETS)


def test_plan_has_scorecard_areas_benchmarking_and_red_deep_dives(dataset):
    jobs = plan(open_report(dataset, "2024-25-Q4"), dataset)
    assert [(j.notebook, j.name) for j in jobs] == [
        ("scorecard", "scorecard"),
        ("service_area", "service-area-family-help"),
        ("service_area", "service-area-childrens-social-care"),
        ("benchmarking", "benchmarking"),
        ("deep_dive", "deep-dive-assess45"),
    ]
    assert jobs[2].parameters["service_area"] == "Children's Social Care"
    assert jobs[4].parameters == {
        "data": str(dataset),
        "period": "2024-25-Q4",
        "indicator": "assess45",
    }


def test_month_period_uses_the_months_rating(dataset):
    # Mar-25: 83 of 100 = 83.0%, Red; Feb-25 was 82.0%: improving, still a deep dive.
    jobs = plan(open_report(dataset, "2025-03"), dataset)
    assert [j.name for j in jobs if j.notebook == "deep_dive"] == ["deep-dive-assess45"]


def test_declining_amber_gets_a_deep_dive_and_improving_amber_does_not(tmp_path):
    # Amber 82-90: the quarter is 82.0% YTD? No: YTD is 86.5% (Amber), and the same
    # months last year were also 86.5%: no change, so no deep dive.
    # SPC limits start again in January 2024 (spc_baseline.csv), so that March 2025 (83)
    # is within them (82.94 to 88.26: tests/scorecard/test_spc.py): common cause.
    targets = "indicator,year,red,amber,green\nassess45,2024/25,<82%,82%+,90%+\n"
    baseline = "indicator,month,reason\nassess45,2024-01,New team\n"
    data = write_dataset(tmp_path / "d", targets=targets, spc_baseline=baseline)
    assert [j.name for j in plan(open_report(data, "2024-25-Q4"), data)][-1] == "benchmarking"
    # Month period: Mar-25 83.0% is Amber and up from 82.0%: improving, no deep dive;
    # Jan-25 81.0% is Red (below 82) against Dec-24 92.0%: a deep dive.
    assert not [j for j in plan(open_report(data, "2025-03"), data) if j.notebook == "deep_dive"]
    assert [j.name for j in plan(open_report(data, "2025-01"), data)][-1] == "deep-dive-assess45"


def test_a_special_cause_of_concern_gets_a_deep_dive(tmp_path):
    # Without a baseline, the limits come from all 27 months (83.34 to 88.66:
    # tests/scorecard/test_spc.py) and March 2025 (83) is below them: a special cause of
    # concern, though the quarter's headline is Amber and unchanged on last year.
    targets = "indicator,year,red,amber,green\nassess45,2024/25,<82%,82%+,90%+\n"
    data = write_dataset(tmp_path / "d", targets=targets)
    report = open_report(data, "2024-25-Q4")
    row = report.scorecard.set_index("id").loc["assess45"]
    assert (row["rag_year"], row["dot_year_change"]) == ("Amber", "no change")
    assert row["spc_variation"] == "special_cause_concern"
    assert [j.name for j in plan(report, data)][-1] == "deep-dive-assess45"


def test_index_lists_deep_dives_under_their_service_areas(tmp_path):
    # The CIN rate moved to Family Help and Red from 220 (Mar-25 is 220.3, low is
    # better); assessments Red as above: a deep dive in each area, Family Help first as
    # the settings list it.
    indicators = INDICATORS.replace(
        "cin_rate,Children in need rate,Children's Social Care",
        "cin_rate,Children in need rate,Family Help",
    )
    targets = RED_TARGETS.replace(
        "cin_rate,2024/25,227.1+,-,<227.1", "cin_rate,2024/25,220+,-,<220"
    )
    data = write_dataset(tmp_path / "d", indicators=indicators, targets=targets)
    report = open_report(data, "2024-25-Q4")
    results = tuple(Result(job, 1.0) for job in plan(report, data))
    page = index_html(report, results)
    deep = page[page.index("Deep dives</h2>") : page.index("<h2>Downloads</h2>")]
    assert re.findall(r"<h3>(.*?)</h3>|<li><a href='([^']+)'", deep) == [
        ("Family Help", ""),
        ("", "deep-dive-cin-rate.html"),
        ("Children&#x27;s Social Care", ""),
        ("", "deep-dive-assess45.html"),
    ]
    # The other reports are not split by area.
    areas = page[page.index("Service areas</h2>") : page.index("Benchmarking</h2>")]
    assert "<h3>" not in areas


def test_rag_summary_counts_benchmarking_indicators_by_area(dataset):
    summary = rag_summary(open_report(dataset, "2024-25-Q4").scorecard)
    assert summary.loc["Children's Social Care"].to_dict() == {
        "Red": 1,
        "Amber": 0,
        "Green": 1,
        "Not rated": 0,
    }
    assert summary.loc["Family Help"].sum() == 0
    assert summary.loc["All service areas", "Red"] == 1


def test_notebooks_read_the_report_the_run_opened_not_the_data(tmp_path):
    # The run opens the dataset once and its notebooks read that report: the pack is
    # made even when the data has gone by the time they run.
    data = write_dataset(tmp_path / "data", targets=RED_TARGETS)
    report = open_report(data, "2024-25-Q4")
    shutil.rmtree(data)
    result = run_pack(report, data, tmp_path / "out", notebooks=NOTEBOOK_DIR, workers=2)
    assert result.ok, result.failures
    assert (result.folder / "deep-dive-assess45.html").is_file()
    # The year to date worked out above, in the deep dive; the saved report not kept.
    assert "86.5%" in (result.folder / "deep-dive-assess45.html").read_text(encoding="utf-8")
    assert not list(result.folder.rglob("*.pickle"))


def test_slug():
    assert slug("Children's Social Care") == "childrens-social-care"
    assert slug("SEND & Inclusion") == "send-inclusion"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(*args: str):
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def good_pack(tmp_path_factory):
    """One pack of the small dataset, run on two processes."""
    base = tmp_path_factory.mktemp("pack")
    data = write_dataset(base / "data", targets=RED_TARGETS)
    root = base / "out"
    result = _run("--data", str(data), "--period", "2024-25-Q4", "--out", str(root), "--jobs", "2")
    assert result.exit_code == 0, result.output
    return data, root, result


def test_pack_holds_reports_index_and_scorecard_files(good_pack):
    _, root, result = good_pack
    pack = root / "2024-25-Q4"
    assert result.stdout.strip() == str(pack / "index.html")
    assert sorted(p.name for p in pack.iterdir()) == sorted(
        [
            "_internal",
            "index.html",
            "scorecard.csv",
            "scorecard.xlsx",
            "scorecard.html",
            "service-area-family-help.html",
            "service-area-childrens-social-care.html",
            "benchmarking.html",
            "deep-dive-assess45.html",
        ]
    )
    internal = sorted(p.name for p in (pack / "_internal").iterdir())
    # Five executed notebooks, the run's log and the figures the pack used.
    assert {"run.log", "scorecard.ipynb", "figures.csv"} <= set(internal) and len(internal) == 7


def test_index_links_every_report_and_never_internal(good_pack):
    _, root, _ = good_pack
    pack = root / "2024-25-Q4"
    index = (pack / "index.html").read_text(encoding="utf-8")
    main = index[index.index("<main") : index.index("</main>")]
    links = re.findall(r"href='([^']+)'|href=\"([^\"]+)\"", main)
    links = {a or b for a, b in links}
    reports = {p.name for p in pack.glob("*.html")} - {"index.html"}
    assert reports | {"scorecard.csv", "scorecard.xlsx"} == links
    # The nav of every page: the index, every report but the deep dives, and the deep
    # dives' list on the index (one deep dive here).
    nav = re.findall(r'href="([^"]+)"', index[index.index("<nav") : index.index("</nav>")])
    assert nav == [
        "index.html",
        "scorecard.html",
        "service-area-family-help.html",
        "service-area-childrens-social-care.html",
        "benchmarking.html",
        "index.html#deep-dives",
    ]
    assert "id='deep-dives'" in main
    assert "_internal" not in " ".join(links)
    assert "10 April 2025" in index  # as_at of the small dataset
    assert "Test Borough" in index and "2024/25 Q4" in index
    # The summary: Children's Social Care has one Red and one Green.
    row = re.search(r"Children&#x27;s Social Care</th>(.*?)</tr>", index).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "0", "1", "0"]
    assert "(Red)" in index  # the deep dive is labelled with its rating


def test_failed_run_keeps_the_earlier_pack(good_pack, tmp_path):
    data, root, _ = good_pack
    pack = root / "2024-25-Q4"
    before = _digest(pack)
    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, broken)
    nb = (broken / "deep_dive.ipynb").read_text(encoding="utf-8")
    (broken / "deep_dive.ipynb").write_text(
        nb.replace("reports.indicator_summary(rep, indicator)", "1 / 0"), encoding="utf-8"
    )
    result = _run(
        "--data", str(data), "--period", "2024-25-Q4", "--out", str(root),
        "--notebooks", str(broken),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "deep_dive.ipynb" in result.output and "cell 3 (1 / 0)" in result.output
    assert "ZeroDivisionError" in result.output
    assert _digest(pack) == before
    failed = root / "2024-25-Q4.failed"
    assert (failed / "_internal" / "run.log").read_text().count("FAILED") == 1
    assert (failed / "scorecard.html").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".")], "staging left behind"


def test_bad_input_exits_2_and_writes_nothing(good_pack, tmp_path):
    _, root, _ = good_pack
    before = _digest(root / "2024-25-Q4")
    bad = write_dataset(
        tmp_path / "bad", targets="indicator,year,red,amber,green\nnope,2024/25,<1,-,1+\n"
    )
    result = _run("--data", str(bad), "--period", "2024-25-Q4", "--out", str(root))
    assert result.exit_code == 2
    assert "targets.csv" in result.output and "Traceback" not in result.output
    assert _digest(root / "2024-25-Q4") == before


def test_replacing_a_pack_never_renames_over_a_folder(tmp_path, monkeypatch):
    """Windows refuses to rename onto an existing folder: the swap must not need to."""
    from cyps_analysis.reports import _placing as pack  # where a pack is moved into place

    real = os.replace

    def windows_replace(src, dst):
        if Path(dst).exists():
            raise PermissionError(f"[WinError 5] Access is denied: {dst}")
        real(src, dst)

    monkeypatch.setattr(pack.os, "replace", windows_replace)
    target = tmp_path / "2024-25-Q4"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = tmp_path / ".staging"
    staging.mkdir()
    (staging / "new.html").write_text("new")
    pack._replace_folder(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-25-Q4"]


def test_pack_files_are_readable_by_others(good_pack):
    """Written as any new file is (umask), not private to whoever ran the pack."""
    _, root, _ = good_pack
    mask = os.umask(0)
    os.umask(mask)
    expected = 0o666 & ~mask
    for name in ("scorecard.csv", "scorecard.xlsx", "index.html", "scorecard.html"):
        assert (root / "2024-25-Q4" / name).stat().st_mode & 0o777 == expected, name
