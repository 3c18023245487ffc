"""Errors the kit raises, each saying what is wrong and how to put it right."""

from __future__ import annotations

import re
from dataclasses import dataclass


class CypsError(Exception):
    """Base class for the kit's errors."""


class PeriodError(CypsError, ValueError):
    """A reporting period or year that cannot be read."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a dataset: where it is, what is wrong and how to fix it.

    ``row`` is the row as Excel numbers it (the header is row 1); ``None`` where the
    problem concerns a whole file or column. ``cell`` is the cell of a workbook's sheet
    the problem is in (``observations!C14``), where there is one.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    fix: str
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell:
            book = self.file.split(" [")[0]
            return f"{book}, {self.cell} (column {self.column!r}): {self.message}. {self.fix}"
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            settings = self.file.endswith(("settings.yaml", "[settings]"))
            where += f", {'setting' if settings else 'column'} {self.column!r}"
        return f"{where}: {self.message}. {self.fix}"


class DatasetError(CypsError):
    """A dataset that fails its checks; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = [f"The dataset has {n} problem{'s' if n != 1 else ''}:"]
        # Each check's first SHOWN problems, then how many more of that check: a file
        # of a million bad rows gives a screenful, not a million lines.
        counts: dict[tuple, int] = {}
        first: dict[tuple, Problem] = {}
        for p in self.problems:
            key = _check_of(p)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, p)
            if counts[key] <= SHOWN:
                lines.append(f"- {p}")
        for key, count in counts.items():
            if count > SHOWN:
                p = first[key]
                lines.append(
                    f'- ... and {count - SHOWN} more problems like "{p.message}" in {p.file}'
                )
        super().__init__("\n".join(lines))


#: How many problems of one check a message lists before counting the rest.
SHOWN = 50


def _check_of(problem: Problem) -> tuple:
    """Which check a problem comes from: its file and column and its message with the
    quoted values and numbers left out (one message template)."""
    template = re.sub(r"'[^']*'|\"[^\"]*\"|\d+(?:\.\d+)?", "_", problem.message)
    return problem.file, problem.column, template
