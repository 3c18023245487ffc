"""One progress bar for the commands that run notebooks (``run``, a batch): the bar and
the two callbacks the runners call, as they start and as each notebook ends."""

from __future__ import annotations

import sys


def progress(unit: str, description: str):
    """A progress bar on stderr, ``started(total)`` and ``done(result)`` (which also
    writes each failure above the bar)."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, desc=description, file=sys.stderr)

    def started(total: int) -> None:
        bar.total = total
        bar.refresh()

    def done(result) -> None:
        bar.update(1)
        if not result.ok:
            tqdm.write(f"Failed: {result.error}", file=sys.stderr)

    return bar, started, done
