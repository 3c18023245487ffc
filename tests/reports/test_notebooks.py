"""The report notebooks: committed clean, one typed parameters cell, and every one runs
with its defaults and exports to HTML that shows no code and loads nothing from outside."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from cyps_analysis.reports.html import external_references
from cyps_analysis.reports.pack import NOTEBOOKS
from cyps_analysis.reports.runner import Job, run_job

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"


def _notebook(name: str) -> dict:
    return json.loads((NOTEBOOK_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def test_the_four_reports_are_there():
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_valid_and_committed_without_outputs(name):
    import nbformat

    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: outputs committed"
            assert cell.execution_count is None, f"{name}: execution count committed"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_typed_commented_parameters_cell(name):
    from papermill.inspection import inspect_notebook

    cells = [c for c in _notebook(name)["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(cells) == 1
    params = inspect_notebook(str(NOTEBOOK_DIR / f"{name}.ipynb"))
    assert {"data", "period"} <= set(params)
    for p in params.values():
        assert p["inferred_type_name"] == "str" and p["help"], p


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_hold_no_logic(name):
    for cell in _notebook(name)["cells"]:
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class|for|while|if)\b", source, re.M), source


def _demo_indicators(service_area: str) -> int:
    with open(DEMO / "indicators.csv", encoding="utf-8-sig", newline="") as f:
        return sum(row["service_area"] == service_area for row in csv.DictReader(f))


def _expected_charts(name: str) -> int:
    # Drawn by each notebook with its defaults: an XmR chart per indicator of the
    # service area (Children's Social Care), one XmR chart in a deep dive.
    return {
        "scorecard": 0,
        "service_area": _demo_indicators("Children's Social Care"),
        "benchmarking": 0,
        "deep_dive": 1,
    }[name]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, str]:
    """Each notebook run with its default parameters and exported, as the pack does."""
    out = tmp_path_factory.mktemp("executed")
    (out / "_internal").mkdir()
    pages = {}
    for name in NOTEBOOKS:
        result = run_job(Job(name, name, name), NOTEBOOK_DIR, out)
        assert result.ok, result.error + "\n" + result.log
        pages[name] = (out / f"{name}.html").read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_html_shows_no_code_and_no_parameters(executed, name):
    page = html.unescape(executed[name])
    for cell in _notebook(name)["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            line = line.strip()
            if len(line) > 8:
                assert line not in page, f"{name}: code shown: {line}"
    assert "injected-parameters" not in page
    assert "papermill" not in page.lower()
    assert str(ROOT) not in page, "a local path is in the report"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_html_loads_nothing_from_outside(executed, name):
    assert external_references(executed[name]) == []
    assert "<script" not in executed[name].lower()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chart_is_embedded_with_alt_text(executed, name):
    images = re.findall(r"<img\b[^>]*>", executed[name])
    charts = [img for img in images if "data:image/png;base64," in img]
    assert len(charts) == _expected_charts(name)
    for img in charts:
        assert 'src="data:image/png;base64,' in img
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) > 30 and "No description" not in alt.group(1), img
    # The rest are the scorecard's variation and assurance icons, embedded, each with
    # a text alternative (and the words beside it).
    icons = [img for img in images if img not in charts]
    assert all(re.search(r"src=[\"']data:image/svg\+xml;base64,", img) for img in icons), icons
    assert all(
        re.search(r"alt=[\"'](Variation|Assurance) icon: [a-z ,]+[\"']", img) for img in icons
    )
    if name == "scorecard":
        assert len(icons) >= 2 * 30  # a variation and an assurance icon on most rows


def test_service_area_report_names_its_area_in_one_heading(executed):
    # The title names the area; its narrative, trends and monthly figures are sections
    # under it, not a second heading of the area's name.
    headings = [
        (int(level), re.sub(r"<[^>]+>|¶", "", text).strip())
        for level, text in re.findall(
            r"<h([1-6])\b[^>]*>(.*?)</h\1>", html.unescape(executed["service_area"]), re.S
        )
    ]
    assert [h for h in headings if "Children's Social Care" in h[1]] == [
        (1, "Children's Social Care: 2024/25 Q4")
    ]
    assert [h for h in headings if h[0] == 2] == [
        (2, "What's working well"),
        (2, "Areas of challenge and focus"),
        (2, "Trends"),
        (2, "Monthly figures"),
    ]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_states_authority_period_as_at_and_run_date(executed, name):
    import datetime as dt

    page = executed[name]
    today = dt.date.today()
    assert "Demo Borough" in page
    assert "2024/25 Q4" in page  # the demo's latest complete quarter (data end Mar-25)
    assert "14 April 2025" in page  # as_at in data/demo/settings.yaml
    assert f"{today.day} {today:%B %Y}" in page


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_is_under_2_mb(executed, name):
    assert len(executed[name].encode()) < 2_000_000


def test_benchmarking_report_charts_neighbours_and_quartiles_from_published_data(tmp_path):
    """A dataset naming Rotherham and the real DfE files: its three mapped indicators
    (assessments, CIN rate, CPP rate; see tests/test_dataset_benchmarks.py, where
    their values are worked out) each get a neighbours chart, and the quartile table
    shows Rotherham's assessment band C and 82.2%."""
    from tests.benchmarking.test_for_dataset import _dataset

    data = _dataset(tmp_path)
    out = tmp_path / "out"
    (out / "_internal").mkdir(parents=True)
    job = Job(
        "benchmarking", "benchmarking", "Benchmarking", {"data": str(data), "period": "2023-24-Q4"}
    )
    result = run_job(job, NOTEBOOK_DIR, out)
    assert result.ok, f"{result.error}\n{result.log}"
    page = (out / "benchmarking.html").read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", page)
    assert len(images) == 3
    assert all("Rotherham (us) " in html.unescape(img) for img in images)
    assert "Barnsley" in html.unescape(images[0])
    assert "82.2%" in page and ">C<" in page
    assert external_references(page) == []


def test_deep_dive_shows_every_neighbours_value_where_published(tmp_path):
    """Rotherham's assessments in 2023/24: 82.2%, its first neighbour Barnsley 85.8%
    (values from LAIT, worked out in tests/test_dataset_benchmarks.py)."""
    from tests.benchmarking.test_for_dataset import _dataset

    data = _dataset(tmp_path)
    out = tmp_path / "out"
    (out / "_internal").mkdir(parents=True)
    params = {"data": str(data), "period": "2023-24-Q4", "indicator": "assess45"}
    result = run_job(Job("deep_dive", "dd", "Deep dive", params), NOTEBOOK_DIR, out)
    assert result.ok, f"{result.error}\n{result.log}"
    page = html.unescape((out / "dd.html").read_text(encoding="utf-8"))
    assert len(re.findall(r"<img\b[^>]*>", page)) == 2  # XmR chart and neighbours
    assert "Neighbour 1" in page and "Barnsley" in page and "85.8%" in page


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_jupyterlab_server_opens_the_notebook(name):
    """JupyterLab reads notebooks through jupyter_server's contents manager: it must
    load each as a trusted-format notebook without validation messages."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    model = FileContentsManager(root_dir=str(NOTEBOOK_DIR)).get(f"{name}.ipynb")
    assert model["type"] == "notebook" and model["format"] == "json"
    assert not model.get("message"), model.get("message")
    assert model["content"]["cells"][0]["metadata"]["tags"] == ["parameters"]
