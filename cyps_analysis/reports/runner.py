"""Running report notebooks with papermill and exporting them to HTML, one after
another or on several processes at once.

Everything runs inside Python (papermill's and nbconvert's APIs, one exporter per
process): starting the ``papermill`` and ``jupyter nbconvert`` commands per notebook
costs about as much again. Kernels are shut down immediately (a graceful shutdown
sometimes stalls for seconds) and, where the system has them, talk to their worker
over Unix sockets rather than TCP ports, so parallel workers never clash over a port.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Seconds a notebook cell may run before the run gives up on it.
CELL_TIMEOUT = 600
#: Kernel folders this process made and has not yet removed.
_KERNEL_FOLDERS: set[Path] = set()


@dataclass(frozen=True)
class Job:
    """One notebook run: the template, the parameters and where its outputs go.

    ``name`` is the stem of the report's files (``service-area-education`` gives
    ``service-area-education.html``); ``charts`` is how many charts it draws (used
    to start the longest runs first); ``page`` its title, header, nav, footer and
    print styles.
    """

    notebook: str
    name: str
    title: str
    parameters: dict = field(default_factory=dict)
    group: str = ""
    charts: int = 0
    #: The page furniture the pack gives the report (cyps_analysis.reports.page.furniture).
    page: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """What became of a job: ``error`` names the failing cell when it failed."""

    job: Job
    seconds: float
    error: str | None = None
    html_bytes: int = 0
    log: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def kernel_manager_class() -> str | None:
    """The kernel manager to run notebooks with: Unix-socket transport where the
    system has it (no TCP ports to clash between parallel workers), else nbclient's
    own (TCP, asynchronous). Both are asynchronous: with a blocking client nbclient's
    event loop stalls waiting for a message, and neither the cell timeout nor the
    check that the kernel is alive ever runs."""
    return "cyps_analysis.reports.runner.IPCKernelManager" if os.name == "posix" else None


def _ipc_kernel_manager():
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    from cyps_analysis.reports._leftovers import KERNEL_PREFIX, claim

    class _IPCKernelManager(AsyncKernelManager):
        """An asynchronous kernel manager whose kernel listens on Unix sockets in a
        private folder, removed with the kernel (and, if this process is killed, by
        the next run: the folder names its process)."""

        def __init__(self, *args, **kwargs):
            folder = Path(tempfile.mkdtemp(prefix=KERNEL_PREFIX))
            claim(folder)
            kernel_id = uuid.uuid4().hex
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(folder / "k"))
            kwargs.setdefault("connection_file", str(folder / f"kernel-{kernel_id}.json"))
            super().__init__(*args, **kwargs)
            self._folder = folder
            _KERNEL_FOLDERS.add(folder)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._folder, ignore_errors=True)
                _KERNEL_FOLDERS.discard(self._folder)

        cleanup_resources = _async_cleanup_resources

    return _IPCKernelManager


def __getattr__(name: str):
    # The kernel manager class is made on first use: importing jupyter_client is slow
    # and this module is imported by the command line before any notebook runs.
    if name == "IPCKernelManager":
        cls = _ipc_kernel_manager()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def _failing_cell(notebook) -> str:
    """Where a run failed, numbered as in the template notebook (from 1, the
    parameters cell first; papermill's own cells not counted)."""
    added = {"injected-parameters", "papermill-error-cell-tag"}
    cells = [c for c in notebook.cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for number, cell in enumerate(cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                source = cell.source.strip().splitlines()
                first = source[0] if source else ""
                return (
                    f"cell {number} ({first[:80]}): {output.get('ename')}: "
                    f"{str(output.get('evalue', ''))[:300]}"
                )
    return "before any cell ran"


def run_job(job: Job, notebooks: Path, out: Path, *, timeout: int = CELL_TIMEOUT) -> Result:
    """Execute one notebook into ``out/_internal/`` and export it to ``out/<name>.html``.

    A failure is returned, not raised: the result names the failing cell, and the
    log holds the traceback. A cell running longer than ``timeout`` seconds fails the
    notebook, and so does a kernel that dies (noticed within a few seconds)."""
    import papermill as pm
    from nbclient.exceptions import DeadKernelError

    from cyps_analysis.reports.html import notebook_html

    start = time.perf_counter()
    executed = out / "_internal" / f"{job.name}.ipynb"
    engine = {"shutdown_kernel": "immediate"}
    manager = kernel_manager_class()
    if manager:
        engine["kernel_manager_class"] = manager
    try:
        nb = None
        for attempt in (1, 2):
            try:
                nb = pm.execute_notebook(
                    str(notebooks / f"{job.notebook}.ipynb"),
                    str(executed),
                    parameters=job.parameters,
                    cwd=str(notebooks),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    execution_timeout=timeout,
                    **engine,
                )
                break
            except RuntimeError as err:  # a kernel that died starting (e.g. a port taken)
                if attempt == 2 or "kernel" not in str(err).lower():
                    raise
                if isinstance(err, DeadKernelError):
                    # It died running the notebook, not starting: that is the answer.
                    raise
        nb.metadata["title"] = job.page.get("title", job.title)
        html = notebook_html(nb, job.page)
        (out / f"{job.name}.html").write_text(html, encoding="utf-8")
        return Result(job, time.perf_counter() - start, html_bytes=len(html.encode()))
    except Exception as err:
        import nbformat

        where = "before any cell ran"
        if executed.exists():
            # An unreadable partial notebook: say what we know.
            with contextlib.suppress(Exception):
                where = _failing_cell(nbformat.read(executed, as_version=4))
        if type(err).__name__ != "PapermillExecutionError":
            where = f"{where}; {type(err).__name__}: {err}"
        return Result(
            job,
            time.perf_counter() - start,
            error=f"{job.notebook}.ipynb ({job.name}) failed at {where}",
            log=traceback.format_exc(),
        )
    finally:
        # A kernel interrupted while starting is never cleaned up by nbclient: its
        # folder (which holds its connection key) goes here. Jobs in one process run
        # one at a time, so any folder left now is this job's.
        remove_kernel_folders()


def remove_kernel_folders() -> None:
    """Remove the folders of the kernels this process started and has not removed
    (each holds its kernel's connection key)."""
    while _KERNEL_FOLDERS:
        shutil.rmtree(_KERNEL_FOLDERS.pop(), ignore_errors=True)


def _ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the parent (which stops the workers), and
    turn SIGTERM into an exception, so that the running notebook's kernel and folders
    are removed on the way out."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, raise_interrupt)


def raise_interrupt(signum, frame) -> None:
    """A signal handler that stops the run as Ctrl-C does (with clean-up)."""
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _worker(args: tuple[int, Job, Path, Path, int]) -> tuple[int, Result]:
    i, job, notebooks, out, timeout = args
    return i, run_job(job, notebooks, out, timeout=timeout)


def run_jobs(
    jobs: Sequence[Job],
    notebooks: Path,
    out: Path,
    *,
    workers: int = 1,
    timeout: int = CELL_TIMEOUT,
    on_done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run every job, on ``workers`` processes; results come back in ``jobs``' order.

    The longest runs (most charts) start first so that parallel workers finish
    together. ``on_done`` is called as each job finishes (for a progress bar). A cell
    running longer than ``timeout`` seconds fails its notebook. When the run is
    interrupted the workers are stopped, and each removes its kernel.
    """
    (out / "_internal").mkdir(parents=True, exist_ok=True)
    return run_tasks(
        [(job, out) for job in jobs], notebooks, workers=workers, timeout=timeout, on_done=on_done
    )


def longest_first(tasks: Sequence[tuple[Job, Path]]) -> list[int]:
    """The order tasks start in: most charts first, else as given."""
    return sorted(range(len(tasks)), key=lambda i: -tasks[i][0].charts)


def run_tasks(
    tasks: Sequence[tuple[Job, Path]],
    notebooks: Path,
    *,
    workers: int = 1,
    timeout: int = CELL_TIMEOUT,
    on_done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run jobs that each have their own output folder (one queue for the notebooks of
    many packs) on ``workers`` processes, as :func:`run_jobs` does; results come back
    in ``tasks``' order. Each folder must hold an ``_internal/`` folder."""
    order = longest_first(tasks)
    results: dict[int, Result] = {}
    if workers <= 1 or len(tasks) <= 1:
        for i in order:
            job, out = tasks[i]
            results[i] = run_job(job, notebooks, out, timeout=timeout)
            if on_done:
                on_done(results[i])
    else:
        import multiprocessing

        # Fresh worker processes ("spawn", as on Windows): a process forked after a
        # notebook ran in the parent inherits its kernel client's locks and can hang.
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(min(workers, len(tasks)), initializer=_ignore_interrupts)
        try:
            args = [(i, tasks[i][0], notebooks, tasks[i][1], timeout) for i in order]
            for i, result in pool.imap_unordered(_worker, args):
                results[i] = result
                if on_done:
                    on_done(result)
            pool.close()
        except BaseException:
            # SIGTERM to each worker: it shuts its kernel down on the way out.
            pool.terminate()
            raise
        finally:
            pool.join()
    return [results[i] for i in range(len(tasks))]


def summarise(results: Iterable[Result]) -> str:
    """The run log: one line per job, then each failure's traceback."""
    lines, details = [], []
    for r in results:
        status = "ok" if r.ok else "FAILED"
        lines.append(f"{status:6} {r.seconds:6.1f}s  {r.job.name}  ({r.job.notebook}.ipynb)")
        if not r.ok:
            details += ["", r.error or "", r.log]
    return "\n".join(lines + details) + "\n"
