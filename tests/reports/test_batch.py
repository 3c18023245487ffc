"""Batch runs: which periods and datasets a batch names, where packs go, the shared
queue (local workers and a Dask local cluster give the same files), a failure kept
in its own pack, skipping complete packs, and the batch's own pages."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cyps_analysis.cli.main import main
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.exceptions import CypsError
from cyps_analysis.reports._batch_inputs import expand_periods, find_datasets, period_range
from cyps_analysis.reports.batch import plan_batch, run_batch
from cyps_analysis.reports.batch_pages import regional_summary_html, regional_tables
from cyps_analysis.reports.revisions import NO_EARLIER_PACK, NOTHING_REVISED
from cyps_analysis.reports.runner import Job
from tests.conftest import SETTINGS, observations_csv, write_dataset

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"


def _renamed_copy(source: Path, folder: Path, name: str) -> Path:
    shutil.copytree(source, folder)
    settings = folder / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    old = load_dataset(source).settings.authority
    settings.write_text(text.replace(f"authority: {old}", f"authority: {name}"), encoding="utf-8")
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _data_sheet(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book[book.sheetnames[0]].iter_rows(values_only=True)]


# --- which periods -----------------------------------------------------------


def test_ranges_of_quarters_months_and_years_step_by_their_kind():
    # 2023-24 Q1 to 2024-25 Q4 is two financial years of four quarters: eight.
    quarters = [p.label for p in period_range("2023-24-Q1", "2024-25-Q4")]
    assert quarters == [f"{y}-Q{q}" for y in ("2023-24", "2024-25") for q in (1, 2, 3, 4)]
    # April 2024 to March 2025: twelve months, across the calendar year's end.
    months = [p.label for p in period_range("2024-04", "2025-03")]
    assert months[:3] == ["2024-04", "2024-05", "2024-06"] and months[-1] == "2025-03"
    assert len(months) == 12
    assert [p.label for p in period_range("2021-22", "2024-25")] == [
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
    ]


def test_a_range_of_mixed_kinds_or_backwards_is_refused():
    with pytest.raises(CypsError, match="same kind"):
        period_range("2024-25-Q1", "2025-03")
    with pytest.raises(CypsError, match="ends before it starts"):
        period_range("2024-25-Q4", "2024-25-Q1")


def test_lists_latest_and_repeats(small_dataset):
    dataset = load_dataset(small_dataset)
    # The data ends Mar-25: latest is 2024-25 Q4, named twice here but run once.
    labels = [p.label for p in expand_periods("2024-25-Q3, latest,2024-25-Q4", dataset)]
    assert labels == ["2024-25-Q3", "2024-25-Q4"]
    # The data starts Jan-23: 2021-22 has no months in it.
    with pytest.raises(CypsError, match="no monthly values"):
        expand_periods("2021-22:2022-23", dataset)


def test_repeating_period_is_an_error(small_dataset, tmp_path):
    args = ["run", "--data", str(small_dataset), "--out", str(tmp_path / "o")]
    res = CliRunner().invoke(main, [*args, "--period", "2024-25-Q3", "--period", "2024-25-Q4"])
    assert res.exit_code == 2
    assert "--period is given more than once" in res.output
    assert not (tmp_path / "o").exists()


# --- which datasets and where packs go --------------------------------------


def test_a_folder_of_datasets_and_duplicate_authorities(tmp_path):
    write_dataset(tmp_path / "all" / "b")
    write_dataset(tmp_path / "all" / "a", settings=SETTINGS.replace("Test Borough", "Other Town"))
    (tmp_path / "all" / "notes").mkdir()  # no settings.yaml: not a dataset
    assert find_datasets([tmp_path / "all"]) == [tmp_path / "all" / "a", tmp_path / "all" / "b"]
    with pytest.raises(CypsError, match=r"no settings\.yaml and no dataset"):
        find_datasets([tmp_path / "all" / "notes"])
    # Two datasets both called Test Borough would share a folder.
    write_dataset(tmp_path / "c")
    with pytest.raises(CypsError, match="both 'Test Borough'"):
        plan_batch(
            [tmp_path / "all", tmp_path / "c"], "latest", tmp_path / "o", notebooks=NOTEBOOK_DIR
        )


def test_one_authority_keeps_root_period_and_many_get_their_slug(tmp_path):
    one = write_dataset(tmp_path / "one")
    two = write_dataset(tmp_path / "two", settings=SETTINGS.replace("Test Borough", "St. Helens"))
    root = tmp_path / "out"
    packs = plan_batch([one], "2024-25-Q3:2024-25-Q4", root, notebooks=NOTEBOOK_DIR)
    assert [p.folder for p in packs] == [root / "2024-25-Q3", root / "2024-25-Q4"]
    packs = plan_batch([one, two], "latest", root, notebooks=NOTEBOOK_DIR)
    assert [p.folder for p in packs] == [
        root / "test-borough" / "2024-25-Q4",
        root / "st-helens" / "2024-25-Q4",
    ]
    # The dataset is loaded once for both periods: the two reports share it.
    packs = plan_batch([one], "2024-25-Q3,2024-25-Q4", root, notebooks=NOTEBOOK_DIR)
    assert packs[0].report.dataset is packs[1].report.dataset


# --- the regional summary ----------------------------------------------------


def test_regional_summary_counts_values_and_escapes(tmp_path):
    one = write_dataset(tmp_path / "one")
    evil = SETTINGS.replace("Test Borough", "<script>alert(1)</script> Town")
    two = write_dataset(tmp_path / "two", settings=evil)
    packs = plan_batch([one, two], "2024-25-Q4", tmp_path / "o", notebooks=NOTEBOOK_DIR)
    counts, values = regional_tables(packs)["2024-25-Q4"]
    # Assessments 2024/25 to date 86.5% is Amber (82-90); the CIN rate at Mar-25,
    # 220.3, is Green (<227.1); contacts are an activity, not rated.
    assert counts.loc["Test Borough"].tolist() == [0, 1, 1, 0]
    # Contacts Apr-24..Mar-25: (104+...+112) + (101+102+103) = 972 + 306 = 1278.
    assert values.loc["contacts", "Test Borough"] == 1278
    assert values.loc["assess45", "Test Borough"] == pytest.approx(86.5)
    assert values.loc["cin_rate", "Test Borough"] == pytest.approx(220.3)
    page = regional_summary_html(packs)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Town" in page
    assert "1,278" in page and "86.5%" in page
    assert page.count("src='data:image/svg+xml;base64,") == 1


# --- running a batch ---------------------------------------------------------


@pytest.fixture
def two_demos(tmp_path):
    other = _renamed_copy(DEMO, tmp_path / "data" / "other", "Copy Borough")
    return [DEMO, other]


def test_jobs_2_and_dask_local_cluster_give_the_same_packs(two_demos, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1744588800")  # 14 April 2025
    period = "2024-25-Q3:2024-25-Q4"
    roots = {"jobs": tmp_path / "jobs", "dask": tmp_path / "dask"}
    # Only the scorecard notebook, to keep the test short: the queue is the same.
    packs = plan_batch(
        two_demos, period, roots["jobs"], notebooks=NOTEBOOK_DIR, templates=("scorecard",)
    )
    local = run_batch(packs, roots["jobs"], notebooks=NOTEBOOK_DIR, workers=2)
    packs = plan_batch(
        two_demos, period, roots["dask"], notebooks=NOTEBOOK_DIR, templates=("scorecard",)
    )
    dask = run_batch(packs, roots["dask"], notebooks=NOTEBOOK_DIR, scheduler="local:2")
    assert local.ok and dask.ok
    expected = [
        f"{a}/{p}" for a in ("demo-borough", "copy-borough") for p in ("2024-25-Q3", "2024-25-Q4")
    ]
    assert [o.folder.relative_to(roots["dask"]).as_posix() for o in dask.packs] == expected
    assert _files(roots["jobs"]) == _files(roots["dask"])
    for pack in expected:
        a, b = roots["jobs"] / pack, roots["dask"] / pack
        assert (a / "scorecard.html").is_file()
        assert (a / "scorecard.csv").read_bytes() == (b / "scorecard.csv").read_bytes()
        assert _data_sheet(a / "scorecard.xlsx") == _data_sheet(b / "scorecard.xlsx")
        figures = "_internal/figures.csv"
        assert (a / figures).read_bytes() == (b / figures).read_bytes()
        # Each period compared with the one before, in either queue: Q3 has no earlier
        # pack; Q4 is compared with the Q3 pack just made, from the same data.
        sentence = NOTHING_REVISED if pack.endswith("Q4") else NO_EARLIER_PACK
        for root in (a, b):
            assert f"<p>{sentence}</p>" in (root / "index.html").read_text(encoding="utf-8")
    index = (roots["dask"] / "index.html").read_text(encoding="utf-8")
    for pack in expected:
        assert f"href='{pack}/index.html'" in index
    assert "href='summary.html'" in index and (roots["dask"] / "summary.html").is_file()
    # The two authorities' packs differ in their name only.
    demo_csv = (roots["jobs"] / expected[0] / "scorecard.csv").read_bytes()
    copy_csv = (roots["jobs"] / expected[2] / "scorecard.csv").read_bytes()
    assert demo_csv == copy_csv


@pytest.fixture
def dask_cluster(tmp_path):
    """A Dask scheduler and one worker, started as on a cluster's machines
    (``dask scheduler``, ``dask worker``); yields the scheduler's address."""
    from distributed import Client

    dask = Path(sys.executable).with_name("dask")
    file = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                file,
            ],
            **quiet,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        processes.append(
            subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
                **quiet,
            )
        )
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)


def test_a_running_cluster_by_address_gives_the_same_packs(small_dataset, tmp_path, dask_cluster):
    assert dask_cluster.startswith("tcp://127.0.0.1:")
    period = "2024-25-Q3,2024-25-Q4"
    roots = {"local": tmp_path / "local", "tcp": tmp_path / "tcp"}
    results = {}
    for name, options in (("local", {"workers": 1}), ("tcp", {"scheduler": dask_cluster})):
        packs = plan_batch(
            [small_dataset], period, roots[name], notebooks=NOTEBOOK_DIR, templates=("scorecard",)
        )
        results[name] = run_batch(packs, roots[name], notebooks=NOTEBOOK_DIR, **options)
    assert results["local"].ok and results["tcp"].ok
    assert [o.status for o in results["tcp"].packs] == ["built", "built"]
    # The notebooks ran on the cluster's worker, into the same files.
    assert _files(roots["tcp"]) == _files(roots["local"])
    for quarter in ("2024-25-Q3", "2024-25-Q4"):
        a, b = (roots[name] / quarter for name in ("local", "tcp"))
        assert (a / "scorecard.csv").read_bytes() == (b / "scorecard.csv").read_bytes()
        assert (b / "scorecard.html").is_file()


def test_a_failing_authority_fails_alone_and_exits_1(tmp_path, monkeypatch):
    import cyps_analysis.reports.batch as batch

    write_dataset(tmp_path / "data" / "good")
    bad = write_dataset(tmp_path / "data" / "bad", settings=SETTINGS.replace("Test", "Bad"))
    real_plan = batch.plan_batch

    def plan_then_break(*args, **kwargs):
        # One authority's pack gets a report that fails in its notebook: a deep dive
        # into an indicator its data does not have.
        packs = real_plan(*args, **kwargs)
        for k, pack in enumerate(packs):
            if pack.data.resolve() == bad.resolve():
                job = Job("deep_dive", "deep-dive-missing", "Missing", {"indicator": "none"})
                job = dataclasses.replace(
                    job, parameters={**pack.jobs[0].parameters, **job.parameters}
                )
                packs[k] = dataclasses.replace(pack, jobs=(*pack.jobs, job))
        return packs

    monkeypatch.setattr(batch, "plan_batch", plan_then_break)
    root = tmp_path / "out"
    args = ["run", "--data", str(tmp_path / "data"), "--period", "latest", "--out", str(root)]
    res = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert res.exit_code == 1, res.output
    assert (root / "test-borough" / "2024-25-Q4" / "index.html").is_file()
    assert not (root / "bad-borough" / "2024-25-Q4").exists()
    log = root / "bad-borough" / "2024-25-Q4.failed" / "_internal" / "run.log"
    assert "No indicator 'none' in indicators.csv" in log.read_text(encoding="utf-8")
    # The failed pack keeps its reports but not the run's saved report.
    assert not (log.parent / "report.pickle").exists()
    assert "1 made, 0 already up to date (--force rebuilds them), 1 failed" in res.output
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "href='test-borough/2024-25-Q4/index.html'" in index
    assert "failed: see bad-borough/2024-25-Q4.failed/_internal/run.log" in index


def test_rerun_skips_complete_packs_and_force_rebuilds(tmp_path):
    data = write_dataset(tmp_path / "d")
    root = tmp_path / "out"

    def run(force=False):
        packs = plan_batch(
            [data], "2024-25-Q3,2024-25-Q4", root, notebooks=NOTEBOOK_DIR, templates=("scorecard",)
        )
        return [o.status for o in run_batch(packs, root, notebooks=NOTEBOOK_DIR, force=force).packs]

    assert run() == ["built", "built"]
    made = (root / "2024-25-Q4" / "scorecard.html").stat().st_mtime_ns
    assert run() == ["skipped", "skipped"]
    assert (root / "2024-25-Q4" / "scorecard.html").stat().st_mtime_ns == made
    # A changed input (the targets file) makes the packs out of date.
    (data / "targets.csv").write_text(
        (data / "targets.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert run() == ["built", "built"]
    assert run(force=True) == ["built", "built"]
    assert "(up to date, kept)" not in (root / "index.html").read_text(encoding="utf-8")


def test_a_bad_scheduler_is_refused_before_anything_runs(small_dataset, tmp_path):
    out = tmp_path / "o"
    args = ["run", "--data", str(small_dataset), "--period", "latest", "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "--scheduler", "local:zero"])
    assert res.exit_code == 2
    assert "is not a Dask scheduler: write local:N" in res.output
    assert not out.exists()


def test_one_authoritys_bad_data_does_not_stop_the_others(tmp_path):
    write_dataset(tmp_path / "data" / "good")
    # A month that does not exist: the dataset fails its checks.
    broken = observations_csv() + "contacts,2024-13,5,,\n"
    write_dataset(tmp_path / "data" / "bad", observations=broken)
    root = tmp_path / "out"
    args = ["run", "--data", str(tmp_path / "data"), "--period", "latest", "--out", str(root)]
    res = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert res.exit_code == 1, res.output
    assert "Not run: " in res.output and "2024-13" in res.output
    assert (root / "test-borough" / "2024-25-Q4" / "index.html").is_file()
    assert "1 pack: 1 made, 0 already up to date (--force rebuilds them), 0 failed" in res.output
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "bad <span class='failed'>not run" in index
    # One dataset alone with bad data is bad input, as before: exit 2, nothing run.
    res = CliRunner().invoke(
        main,
        [
            "run",
            "--data",
            str(tmp_path / "data" / "bad"),
            "--period",
            "latest,2024-25-Q3",
            "--out",
            str(tmp_path / "o2"),
        ],
    )
    assert res.exit_code == 2
    assert not (tmp_path / "o2").exists()
