"""Runs that always end: a hung cell fails at the timeout, a killed kernel fails its
notebook within 30 s, and Ctrl-C or SIGTERM stops a whole run within 10 s leaving no
kernel, no staging folder and the last good pack as it was. Folders a killed run left
behind are removed by the next run on the host."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

if not Path("/proc").is_dir():
    pytest.skip("the runner tests look for kernel processes in /proc", allow_module_level=True)

from cyps_analysis.reports._leftovers import OWNER_FILE, remove_leftovers
from cyps_analysis.reports.pack import NOTEBOOKS
from cyps_analysis.reports.runner import Job, run_job
from tests.conftest import write_dataset

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
CLI = Path(sys.executable).with_name("cyps-analysis")


def _notebook(folder: Path, name: str, *sources: str) -> None:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{i}",
            "metadata": {"tags": ["parameters"]} if i == 0 else {},
            "outputs": [],
            "source": src,
        }
        for i, src in enumerate(["data = ''\nperiod = ''", *sources])
    ]
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def _kernel_processes(tmp: Path) -> list[str]:
    """Kernel processes whose connection file is under ``tmp`` (read from /proc, so
    that no ``ps`` is needed)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        if str(tmp) in args and "ipykernel" in args:
            found.append(args)
    return found


def test_a_hung_cell_fails_at_the_timeout(tmp_path: Path) -> None:
    _notebook(tmp_path, "hang", "import time\ntime.sleep(300)")
    (tmp_path / "out" / "_internal").mkdir(parents=True)
    start = time.monotonic()
    result = run_job(Job("hang", "hang", "Hang"), tmp_path, tmp_path / "out", timeout=3)
    took = time.monotonic() - start
    assert not result.ok
    assert "timed out" in result.error.lower() or "Timeout" in result.error
    # 3 s of timeout plus a kernel's start and stop, far below the 300 s sleep.
    assert took < 30


def test_a_killed_kernel_fails_its_notebook_within_30_seconds(tmp_path: Path) -> None:
    _notebook(tmp_path, "die", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    (tmp_path / "out" / "_internal").mkdir(parents=True)
    start = time.monotonic()
    result = run_job(Job("die", "die", "Die"), tmp_path, tmp_path / "out", timeout=600)
    assert not result.ok
    assert "DeadKernelError" in result.error or "died" in result.error.lower()
    assert time.monotonic() - start < 30


def _hanging_notebooks(folder: Path) -> Path:
    """The report templates with the scorecard replaced by one that never ends."""
    folder.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(NOTEBOOK_DIR / f"{name}.ipynb", folder)
    _notebook(folder, "scorecard", "import time\ntime.sleep(300)")
    return folder


@pytest.mark.parametrize(
    ("sig", "jobs"),
    [
        (signal.SIGINT, "1"),
        (signal.SIGTERM, "2"),
        # A batch on a Dask local cluster: the futures are cancelled, the cluster and
        # its workers stopped, and the workers' kernels with them.
        (signal.SIGINT, "local:2"),
    ],
)
def test_a_signal_stops_the_run_cleanly(tmp_path: Path, sig: int, jobs: str) -> None:
    data = write_dataset(tmp_path / "data")
    notebooks = _hanging_notebooks(tmp_path / "nb")
    out = tmp_path / "out"
    good = out / "2024-25-Q4"
    good.mkdir(parents=True)
    (good / "index.html").write_text("the last good pack", encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    args = [str(CLI), "run", "--data", str(data), "--period", "2024-25-Q4"]
    args += ["--out", str(out), "--notebooks", str(notebooks)]
    args += ["--scheduler", jobs] if jobs.startswith("local:") else ["--jobs", jobs]
    proc = subprocess.Popen(
        args, env={**os.environ, "TMPDIR": str(tmp)}, stderr=subprocess.PIPE, text=True
    )
    try:
        # Wait until the hanging scorecard has a kernel running.
        deadline = time.monotonic() + 120
        while not _kernel_processes(tmp) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _kernel_processes(tmp), "no kernel started"
        time.sleep(1)
        start = time.monotonic()
        proc.send_signal(sig)
        proc.wait(timeout=10)
        assert time.monotonic() - start < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    time.sleep(0.5)
    assert _kernel_processes(tmp) == []
    assert list(tmp.glob("cyps-kernel-*")) == []
    assert [p.name for p in out.iterdir()] == ["2024-25-Q4"]
    assert (good / "index.html").read_text(encoding="utf-8") == "the last good pack"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_run_removes_what_a_killed_run_left(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    host = socket.gethostname()
    dead, alive = f"{_dead_pid()} {host}\n", f"{os.getpid()} {host}\n"
    folders = {
        tmp_path / "out" / ".2024-25-Q4.partial-aaaa": dead,
        tmp_path / "out" / ".2024-25-Q4.old-bbbb": dead,
        tmp_path / "tmp" / "cyps-kernel-cccc": dead,
        tmp_path / "out" / ".2024-25-Q4.partial-dddd": alive,  # a run still going
        tmp_path / "tmp" / "cyps-kernel-eeee": f"{_dead_pid()} another-host\n",
        tmp_path / "out" / ".2024-25-Q3.partial-ffff": None,  # no owner: not ours
    }
    for folder, owner in folders.items():
        folder.mkdir(parents=True)
        if owner:
            (folder / OWNER_FILE).write_text(owner, encoding="utf-8")
    removed = remove_leftovers(tmp_path / "out")
    assert sorted(p.name for p in removed) == [
        ".2024-25-Q4.old-bbbb",
        ".2024-25-Q4.partial-aaaa",
        "cyps-kernel-cccc",
    ]
    assert sorted(p.name for p in folders if p.exists()) == [
        ".2024-25-Q3.partial-ffff",
        ".2024-25-Q4.partial-dddd",
        "cyps-kernel-eeee",
    ]


def test_a_refused_final_rename_leaves_no_staging_folder(tmp_path: Path, monkeypatch) -> None:
    # The reports "run" instantly (no notebooks); the move of the finished pack into
    # place is refused, as a folder held open on Windows or a read-only share refuses it.
    from cyps_analysis.reports import pack
    from cyps_analysis.reports.report import open_report

    data = write_dataset(tmp_path / "data")
    root = tmp_path / "out"
    good = root / "2024-25-Q4"
    good.mkdir(parents=True)
    (good / "index.html").write_text("the last good pack", encoding="utf-8")
    monkeypatch.setattr(pack, "run_jobs", lambda *a, **k: [])
    real_replace = os.replace

    def refuse(src, dst):
        if ".partial-" in Path(src).name:  # the finished pack, not a file within it
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    from cyps_analysis.reports import _placing  # where a pack is moved into place

    monkeypatch.setattr(_placing.os, "replace", refuse)
    with pytest.raises(PermissionError):
        pack.run_pack(open_report(data, "2024-25-Q4"), data, root, notebooks=NOTEBOOK_DIR)
    assert [p.name for p in root.iterdir()] == ["2024-25-Q4"]
    assert (good / "index.html").read_text(encoding="utf-8") == "the last good pack"


def test_after_a_sigkill_the_next_run_cleans_up(tmp_path: Path) -> None:
    # kill -9 cannot be caught: the staging folder and the kernel's folder stay, and
    # the next run (here its first step) removes them, their process being gone.
    data = write_dataset(tmp_path / "data")
    notebooks = _hanging_notebooks(tmp_path / "nb")
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    args = [str(CLI), "run", "--data", str(data), "--period", "2024-25-Q4"]
    args += ["--out", str(out), "--notebooks", str(notebooks)]
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(args, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not _kernel_processes(tmp) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _kernel_processes(tmp), "no kernel started"
    finally:
        proc.kill()
        proc.wait()
    assert list(out.glob(".2024-25-Q4.partial-*")) and list(tmp.glob("cyps-kernel-*"))
    # The orphaned kernel notices its parent has gone and stops within seconds.
    deadline = time.monotonic() + 15
    while _kernel_processes(tmp) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _kernel_processes(tmp) == []
    code = (
        "import sys; from pathlib import Path; "
        "from cyps_analysis.reports._leftovers import remove_leftovers; "
        "print(len(remove_leftovers(Path(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], env=env, capture_output=True, text=True
    )
    assert done.stdout.strip() == "2", done.stderr
    assert list(out.iterdir()) == [] and list(tmp.iterdir()) == []
