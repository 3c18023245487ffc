"""The narrative's settings (the optional ``narrative:`` block of ``settings.yaml``):
how close a value must be to a benchmark to be "in line with" it, and how many bullets
each section may hold.

See ``docs/narrative.md#settings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cyps_analysis.exceptions import Problem

#: "In line with" tolerance per unit. Percentages and scores: a difference in points
#: (percentage points for percentages); rates, days and counts: a relative difference
#: (0.02 is 2% of the benchmark).
DEFAULT_IN_LINE: dict[str, float] = {
    "percent": 1.0,
    "rate_per_10k": 0.02,
    "days": 0.02,
    "count": 0.02,
    "score": 0.5,
}
#: Units whose tolerance is a difference in points rather than a relative difference.
POINTS_UNITS: frozenset[str] = frozenset({"percent", "score"})
DEFAULT_MAX_BULLETS = 5
_KEYS = ("in_line", "max_bullets")
_EXAMPLE = "e.g. 'narrative: {max_bullets: 5, in_line: {percent: 1, rate_per_10k: 0.02}}'"


@dataclass(frozen=True)
class NarrativeSettings:
    """How the narrative is written.

    ``in_line`` holds (unit, tolerance) pairs: points for ``percent`` and ``score``, a
    relative difference for the other units; ``max_bullets`` is the most generated
    bullets in one section of one service area (an analyst's own bullets are always
    shown).
    """

    in_line: tuple[tuple[str, float], ...] = tuple(DEFAULT_IN_LINE.items())
    max_bullets: int = DEFAULT_MAX_BULLETS

    def tolerance(self, unit: str) -> float:
        """The "in line with" tolerance of a unit."""
        return dict(self.in_line)[unit]


def parse_narrative_settings(
    raw: object, file: str, rows: dict[str, int] | None = None
) -> tuple[NarrativeSettings, list[Problem]]:
    """Narrative settings from the raw ``narrative`` setting (a mapping, or ``None``).

    ``rows`` gives, in a workbook's settings sheet, the row of each setting
    (``narrative.in_line.percent``). Returns the settings (the defaults where a problem
    was found) and every problem, each naming the setting and the fix.
    """
    if raw is None:
        return NarrativeSettings(), []
    problems: list[Problem] = []
    rows = rows or {}

    def problem(key: str, message: str, fix: str) -> None:
        problems.append(Problem(file, rows.get(key, rows.get("narrative")), key, message, fix))

    if not isinstance(raw, dict):
        problem("narrative", "narrative is not a list of settings", f"Write {_EXAMPLE}")
        return NarrativeSettings(), problems
    for key in raw:
        if key not in _KEYS:
            problem(
                f"narrative.{key}",
                f"{str(key)!r} is not a narrative setting",
                f"Remove it or correct its name; the narrative settings are: {', '.join(_KEYS)}",
            )
    max_bullets = DEFAULT_MAX_BULLETS
    if raw.get("max_bullets") is not None:
        number = _number(raw["max_bullets"])
        if number is None or number != int(number) or number < 1:
            problem(
                "narrative.max_bullets",
                f"{str(raw['max_bullets'])!r} is not a whole number of at least 1",
                "Write the most bullets a section may hold, e.g. 'max_bullets: 5'",
            )
        else:
            max_bullets = int(number)
    in_line = dict(DEFAULT_IN_LINE)
    given = raw.get("in_line") or {}
    if not isinstance(given, dict):
        problem("narrative.in_line", "in_line is not a list of units", f"Write {_EXAMPLE}")
        given = {}
    for unit, value in given.items():
        key = f"narrative.in_line.{unit}"
        if unit not in DEFAULT_IN_LINE:
            problem(key, f"{str(unit)!r} is not a unit", f"Use one of: {', '.join(in_line)}")
            continue
        number = _number(value)
        relative = unit not in POINTS_UNITS
        if number is None or number < 0 or (relative and number >= 1):
            problem(
                key,
                f"{str(value)!r} is not a tolerance for {unit}",
                "Write a relative difference below 1 (0.02 for 2%)"
                if relative
                else "Write a difference in points of 0 or more, e.g. 1",
            )
            continue
        in_line[unit] = number
    return NarrativeSettings(tuple(in_line.items()), max_bullets), problems


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number == number else None
