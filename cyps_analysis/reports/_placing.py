"""Moving a finished pack into place: renames only, an earlier pack replaced whole or
left as it was, and a published pack's internals kept outside it
(:func:`internals_folder`)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from cyps_analysis.reports._leftovers import OWNER_FILE, claim, remove_leftovers


def internals_folder(pack: Path, *, publish: bool) -> Path:
    """Where the internals of the pack in folder ``pack`` (``ROOT/<period>/`` or
    ``ROOT/<period>.failed/``) go: the executed notebooks, ``run.log`` and the run's
    other records. ``pack/_internal/``; for a published pack (``run --publish``), never
    inside it: ``ROOT/.internal/<period>/`` (``<period>.failed/`` for a failed one).

    Examples
    --------
    >>> internals_folder(Path("outputs/2024-25-Q4"), publish=True).as_posix()
    'outputs/.internal/2024-25-Q4'
    >>> internals_folder(Path("outputs/2024-25-Q4"), publish=False).as_posix()
    'outputs/2024-25-Q4/_internal'
    """
    return pack.parent / ".internal" / pack.name if publish else pack / "_internal"


def place_pack(staging: Path, target: Path, *, publish: bool) -> None:
    """Move the staging folder of a pack to ``target``, replacing any pack there; a
    published pack's ``_internal/`` goes first to :func:`internals_folder` (replacing
    the internals there), so that nothing of it stays in the published folder."""
    if publish:
        internals = internals_folder(target, publish=True)
        internals.parent.mkdir(exist_ok=True)
        remove_leftovers(internals.parent)
        _replace_folder(staging / "_internal", internals)
    _replace_folder(staging, target)


def remove_failed(target: Path, *, publish: bool) -> None:
    """After a good pack is in place at ``target``: remove the failed one of its period
    (``<period>.failed/``) and, for a published pack, its internals."""
    failed = target.with_name(f"{target.name}.failed")
    shutil.rmtree(failed, ignore_errors=True)
    if publish:
        shutil.rmtree(internals_folder(failed, publish=True), ignore_errors=True)


def _replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``, replacing any folder there. Renames only, never
    a rename over an existing folder (which Windows refuses)."""
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    (staging / OWNER_FILE).unlink(missing_ok=True)
    if target.exists():
        os.replace(target, old)
        claim(old)
    try:
        os.replace(staging, target)
    except OSError:
        if old.exists():
            (old / OWNER_FILE).unlink(missing_ok=True)
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
