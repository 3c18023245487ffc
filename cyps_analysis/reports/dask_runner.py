"""Running report notebooks on a Dask cluster: an existing one (``tcp://HOST:8786``)
or a ``LocalCluster`` of worker processes started for the run (``local:N``).

Dask does the scheduling: each notebook is one future (``Client.submit``), results
are collected as they finish (``distributed.as_completed``). Each worker runs one
notebook at a time (one thread per worker), as a local worker process does, through
the same :func:`cyps_analysis.reports.runner.run_job`; so the files are the same.
Workers need the kit installed and must see the notebooks, the data and the output
folder at the same paths (shared storage): see docs/batch.md.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from cyps_analysis.exceptions import CypsError
from cyps_analysis.reports.runner import (
    CELL_TIMEOUT,
    Job,
    Result,
    longest_first,
    remove_kernel_folders,
    run_job,
)

_LOCAL = re.compile(r"^local:([1-9][0-9]*)$")
_ADDRESS = re.compile(r"^(tcp|tls|ucx|inproc)://\S+$")


def check_scheduler(scheduler: str) -> str:
    """``scheduler`` if it is ``local:N`` (N at least 1) or a scheduler's address such
    as ``tcp://10.0.0.5:8786``; else a :class:`~cyps_analysis.CypsError` saying what to
    write.

    Examples
    --------
    >>> check_scheduler("local:2")
    'local:2'
    >>> check_scheduler("local:0")
    Traceback (most recent call last):
    ...
    cyps_analysis.exceptions.CypsError: --scheduler 'local:0' is not ...
    """
    s = scheduler.strip()
    if _LOCAL.match(s) or _ADDRESS.match(s):
        return s
    raise CypsError(
        f"--scheduler {scheduler!r} is not a Dask scheduler: write local:N for N worker "
        "processes on this machine (e.g. local:2), or a running scheduler's address "
        "(e.g. tcp://10.0.0.5:8786)."
    )


class KernelFolders(WorkerPlugin):
    """On a local cluster's workers: when a worker is closed with a notebook still
    running (the run stopped by Ctrl-C or SIGTERM), its kernel stops with it and this
    removes the kernel's folder (which holds its connection key)."""

    idempotent = True

    def teardown(self, worker) -> None:
        remove_kernel_folders()


@contextlib.contextmanager
def dask_client(scheduler: str) -> Iterator:
    """A ``distributed.Client`` for ``scheduler``, closed (with the cluster it started,
    for ``local:N``) on the way out."""
    from distributed import Client, LocalCluster

    local = _LOCAL.match(check_scheduler(scheduler))
    if local:
        # One thread per worker process: a worker runs one notebook at a time, as a
        # local --jobs worker does. No dashboard: its port could clash between runs.
        with (
            LocalCluster(
                n_workers=int(local.group(1)),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            client.register_plugin(KernelFolders(), name="cyps-kernel-folders")
            yield client
    else:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as err:
            raise CypsError(
                f"Could not reach the Dask scheduler at {scheduler}: {err}. Check it is "
                "running (dask scheduler) and this machine can reach its port."
            ) from None
        with client:
            yield client


def run_on_dask(
    tasks: Sequence[tuple[Job, Path]],
    notebooks: Path,
    *,
    scheduler: str,
    timeout: int = CELL_TIMEOUT,
    on_done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run each (job, output folder) on the Dask cluster ``scheduler``; results come
    back in ``tasks``' order. The longest runs (most charts) have the highest
    priority. ``on_done`` is called as each finishes. When the run is interrupted
    (Ctrl-C, SIGTERM) the futures are cancelled and a local cluster is stopped."""
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    results: dict[int, Result] = {}
    with dask_client(scheduler) as client:
        futures = {}
        try:
            for i in longest_first(tasks):
                job, out = tasks[i]
                future = client.submit(
                    run_job,
                    job,
                    notebooks,
                    out,
                    timeout=timeout,
                    key=f"cyps-{run}-{i}-{job.name}",
                    priority=job.charts,
                    pure=False,
                )
                futures[future] = i
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                if on_done:
                    on_done(result)
        except BaseException:
            client.cancel(list(futures))
            raise
    return [results[i] for i in range(len(tasks))]
