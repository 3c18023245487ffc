"""Folders a run makes for a while (a pack's staging folder, the previous pack moved
aside, a kernel's private folder) and the clean-up of those a dead run left behind.

Every exit path Python can handle (normal exit, exception, SIGINT, SIGTERM) removes
a run's own folders. SIGKILL cannot be caught, so each folder records the process and
host that made it (an ``owner`` file); the next run on that host removes the folders
whose process is gone. Folders with no owner file, or made on another host, are left
alone: they may belong to a run this host cannot see.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

#: The file in each temporary folder that names its process and host.
OWNER_FILE = ".cyps-owner"
#: Prefix of a kernel's private folder in the system's temporary folder.
KERNEL_PREFIX = "cyps-kernel-"


def claim(folder: Path) -> None:
    """Record in ``folder`` that this process, on this host, owns it."""
    (folder / OWNER_FILE).write_text(f"{os.getpid()} {socket.gethostname()}\n", encoding="utf-8")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return True
    return True


def is_abandoned(folder: Path) -> bool:
    """Whether ``folder`` was made by a process on this host that is no longer running."""
    try:
        pid_text, host = (folder / OWNER_FILE).read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    return host == socket.gethostname() and pid != os.getpid() and not _process_alive(pid)


def remove_leftovers(root: Path) -> list[Path]:
    """Remove the staging (``.<period>.partial-*``) and moved-aside (``.<period>.old-*``)
    folders in ``root``, and ``cyps-kernel-*`` folders in the temporary folder, whose
    process on this host is gone. Returns what was removed."""
    candidates: list[Path] = []
    if root.is_dir():
        candidates += [p for p in root.glob(".*.partial-*") if p.is_dir()]
        candidates += [p for p in root.glob(".*.old-*") if p.is_dir()]
    candidates += [p for p in Path(tempfile.gettempdir()).glob(f"{KERNEL_PREFIX}*") if p.is_dir()]
    removed = []
    for folder in candidates:
        if is_abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
