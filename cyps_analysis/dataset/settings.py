"""An authority's settings: ``settings.yaml`` in a folder, or the ``settings`` sheet
of a workbook (one key and value a row), read and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cyps_analysis.dataset.benchmarking_settings import (
    BENCHMARKING_FILES,
    EesSource,
    parse_benchmarking,
)
from cyps_analysis.dataset.narrative_settings import NarrativeSettings, parse_narrative_settings
from cyps_analysis.exceptions import Problem
from cyps_analysis.rules.rag import RAG_RULES
from cyps_analysis.rules.targets import TARGET_RULES

#: Settings (``benchmarking:`` in settings.yaml) that point at the published files.
BENCHMARKING_SETTINGS: dict[str, str] = BENCHMARKING_FILES

DEFAULT_BAND_LABELS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Settings:
    """An authority's settings (``settings.yaml``)."""

    authority: str
    as_at: dt.date
    la_code: str | None = None
    region: str | None = None
    service_areas: tuple[str, ...] = ()
    band_labels: tuple[tuple[str, str], ...] = tuple(DEFAULT_BAND_LABELS.items())
    small_denominator: int = 10
    narrative: NarrativeSettings = field(default_factory=NarrativeSettings)
    #: Published files to benchmark from (``benchmarking:`` in settings.yaml): pairs of
    #: (``lait`` / ``lait_dictionary`` / ``neighbours``, path relative to the dataset).
    benchmarking: tuple[tuple[str, str], ...] = ()
    #: How off-target values are rated (``rag: {rule: ...}``): see docs/method.md#rag.
    rag_rule: str = "tolerance"
    #: How next year's targets are proposed (``targets: {rule: ...}``): see
    #: docs/method.md#proposed-targets.
    target_rule: str = "benchmarks"
    #: ``benchmarking: year_lag:``: a report for year Y shows benchmarks of year Y - N
    #: at the latest (0: the latest published up to Y).
    year_lag: int = 0
    #: ``benchmarking: ees:``: explore-education-statistics measures, by name.
    ees_sources: tuple[EesSource, ...] = ()
    #: ``publish: {min_count: N}``: in a published pack (``run --publish``) a count
    #: from 1 to N - 1, and a percentage or rate from one, is shown as "[c]".
    min_count: int = 5

    def label(self, rag: str) -> str:
        """The authority's own word for a RAG rating (e.g. ``Yellow`` for Amber)."""
        return dict(self.band_labels).get(rag.lower(), rag)


_SETTINGS: dict[str, str] = {
    "authority": "the authority's name, e.g. 'authority: Demo Borough'",
    "as_at": "the date the data was extracted, e.g. 'as_at: 2025-04-14'",
    "la_code": "the LA number or E-code, e.g. 'la_code: \"999\"'",
    "region": "e.g. 'region: London'",
    "service_areas": "the service areas in report order",
    "band_labels": "e.g. 'band_labels: {red: Red, amber: Yellow, green: Green}'",
    "small_denominator": "a whole number, e.g. 'small_denominator: 10'",
    "narrative": "how the narrative is written: see docs/narrative.md",
    "benchmarking": "the published files to benchmark from (see docs/benchmarking.md)",
    "targets": "how next year's targets are proposed, e.g. 'targets: {rule: top_quartile}' "
    f"(rules: {', '.join(TARGET_RULES)})",
    "publish": "how a published pack (run --publish) hides small numbers, e.g. "
    "'publish: {min_count: 5}'",
    "rag": f"how RAG is rated, e.g. 'rag: {{rule: tolerance}}' (rules: {', '.join(RAG_RULES)})",
}
REQUIRED_SETTINGS: tuple[str, ...] = ("authority", "as_at")
#: Settings that are a piece of text (a code may be written as a number).
_TEXT_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "authority": str,
    "region": str,
    "la_code": (str, int),
}


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a list of settings"
    if isinstance(value, list):
        return "a list"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def service_area_order(raw: dict[str, Any]) -> tuple[str, ...]:
    areas = raw.get("service_areas") or []
    if isinstance(areas, str):
        areas = [areas]
    return tuple(str(a).strip() for a in areas)


def parse_settings(
    raw: dict[str, Any], file: str, rows: dict[str, int] | None = None
) -> tuple[Settings | None, list[Problem]]:
    """Settings from their raw keys and values; ``rows`` gives each key's row in a
    settings sheet, for messages."""
    raw = dict(raw)
    rows = dict(rows or {})
    problems: list[Problem] = []

    def problem(key: str, message: str, fix: str) -> None:
        problems.append(Problem(file, rows.get(key), key, message, fix))

    for key in [k for k in raw if str(k).startswith("band_labels.")]:
        band = str(key).split(".", 1)[1]
        if isinstance(raw.get("band_labels", {}), dict):
            raw.setdefault("band_labels", {})[band] = raw.pop(key)
            rows.setdefault("band_labels", rows.get(key))
    # A workbook writes the narrative block as rows narrative.max_bullets,
    # narrative.in_line.percent ...
    for key in [k for k in raw if str(k).startswith("narrative.")]:
        *parents, leaf = str(key).split(".")[1:]
        block = raw.setdefault("narrative", {})
        for parent in parents:
            block = block.setdefault(parent, {}) if isinstance(block, dict) else block
        if isinstance(block, dict):
            block[leaf] = raw.pop(key)
    for key in [k for k in raw if str(k).startswith("benchmarking.")]:
        # benchmarking.lait, benchmarking.ees.<name>.file ... as nested blocks.
        *parents, leaf = str(key).split(".")[1:]
        block = raw.setdefault("benchmarking", {})
        for parent in parents:
            block = block.setdefault(parent, {}) if isinstance(block, dict) else block
        if isinstance(block, dict):
            block[leaf] = raw.pop(key)
            rows.setdefault("benchmarking", rows.get(key))
    if "publish.min_count" in raw:  # a workbook's row for the block
        raw.setdefault("publish", {})
        if isinstance(raw["publish"], dict):
            raw["publish"]["min_count"] = raw.pop("publish.min_count")
            rows.setdefault("publish", rows.get("publish.min_count"))
    for block in ("rag", "targets"):
        if f"{block}.rule" in raw:  # a workbook's row for the block
            raw.setdefault(block, {})
            if isinstance(raw[block], dict):
                raw[block]["rule"] = raw.pop(f"{block}.rule")
                rows.setdefault(block, rows.get(f"{block}.rule"))
    for key in raw:
        if key not in _SETTINGS:
            problem(
                str(key),
                f"{str(key)!r} is not a setting",
                f"Remove it or correct its name; the settings are: {', '.join(_SETTINGS)}",
            )
    for key in REQUIRED_SETTINGS:
        if raw.get(key) is None or str(raw[key]).strip() == "":
            problem(key, f"the setting {key!r} is missing", f"Add {_SETTINGS[key]}")
    for key, kinds in _TEXT_SETTINGS.items():
        if raw.get(key) is not None and not isinstance(raw[key], kinds):
            problem(
                key,
                f"{key} is not a piece of text (it reads as {_kind(raw[key])})",
                f"Write {_SETTINGS[key]}",
            )
    areas_given = raw.get("service_areas")
    if isinstance(areas_given, list) and not all(isinstance(a, str) for a in areas_given):
        problem(
            "service_areas",
            "a service area is not a piece of text",
            "Write each service area's name as text, one a line after '- '",
        )
    as_at = raw.get("as_at")
    if isinstance(as_at, dt.datetime):
        as_at = as_at.date()
    elif as_at is not None and not isinstance(as_at, dt.date) and str(as_at).strip():
        try:
            as_at = dt.date.fromisoformat(str(as_at).strip())
        except ValueError:
            problem(
                "as_at",
                f"{str(as_at)!r} is not a date",
                "Write the date as YYYY-MM-DD, e.g. 'as_at: 2025-04-14'",
            )
    areas = raw.get("service_areas")
    if areas is not None and not isinstance(areas, str | list):
        problem(
            "service_areas",
            "service_areas is not a list",
            "Write one service area a line, each after '- ', under 'service_areas:'",
        )
    labels = dict(DEFAULT_BAND_LABELS)
    given = raw.get("band_labels") or {}
    unknown = sorted(str(k) for k in given) if isinstance(given, dict) else []
    unknown = [k for k in unknown if k not in labels]
    if not isinstance(given, dict) or unknown:
        problem(
            "band_labels",
            f"{', '.join(map(repr, unknown))} {'is not a band' if len(unknown) == 1 else 'are not bands'}"
            if unknown
            else "band_labels is not a list of labels",
            "Give labels for red, amber and green, e.g. "
            "'band_labels: {red: Red, amber: Yellow, green: Green}'",
        )
    elif not all(isinstance(v, str) for v in given.values() if v is not None):
        problem(
            "band_labels",
            "a band label is not a piece of text",
            "Write each label as text, e.g. 'band_labels: {red: Red, amber: Yellow, green: Green}'",
        )
    else:
        labels.update({k: str(v).strip() for k, v in given.items() if v is not None})
    small = raw.get("small_denominator")
    if small is None:
        small = 10
    else:
        number = pd.to_numeric(pd.Series([str(small)]), errors="coerce").iloc[0]
        if pd.isna(number) or number != int(number) or number < 0:
            problem(
                "small_denominator",
                f"{str(small)!r} is not a whole number",
                "Write a whole number, e.g. 'small_denominator: 10'",
            )
        else:
            small = int(number)
    narrative, more = parse_narrative_settings(raw.get("narrative"), file, rows)
    problems += more
    benchmarking = parse_benchmarking(raw.get("benchmarking"), problem)
    min_count = _min_count(raw.get("publish"), problem)
    rule = _rule(raw, "rag", RAG_RULES, problem)
    target_rule = _rule(raw, "targets", TARGET_RULES, problem)
    if problems:
        return None, problems
    settings = Settings(
        authority=str(raw["authority"]).strip(),
        as_at=as_at,
        la_code=None if raw.get("la_code") is None else str(raw["la_code"]).strip(),
        region=None if raw.get("region") is None else str(raw["region"]).strip(),
        service_areas=service_area_order(raw),
        band_labels=tuple(labels.items()),
        small_denominator=small,
        narrative=narrative,
        benchmarking=benchmarking.files,
        year_lag=benchmarking.year_lag,
        ees_sources=benchmarking.ees,
        rag_rule=rule,
        target_rule=target_rule,
        min_count=min_count,
    )
    return settings, []


def _min_count(block: object, problem) -> int:
    """``publish: {min_count: N}``: a whole number of at least 1 (default 5)."""
    fix = "Write 'publish: {min_count: 5}' (a whole number, 1 or more: counts below it are hidden)"
    if block is None:
        return 5
    if not isinstance(block, dict) or set(block) - {"min_count"}:
        problem("publish", f"{block!r} is not a publish setting", fix)
        return 5
    given = block.get("min_count", 5)
    number = (
        None
        if isinstance(given, bool)
        else pd.to_numeric(pd.Series([str(given)]), errors="coerce").iloc[0]
    )
    if number is None or pd.isna(number) or number != int(number) or number < 1:
        problem(
            "publish", f"publish: min_count {str(given)!r} is not a whole number of 1 or more", fix
        )
        return 5
    return int(number)


def _rule(raw: dict, key: str, rules: tuple[str, ...], problem) -> str | None:
    """A ``key: {rule: RULE}`` block's rule (the first of ``rules`` by default)."""
    block = raw.get(key) or {}
    rule = str(block.get("rule", rules[0])).strip() if isinstance(block, dict) else None
    if rule not in rules or (isinstance(block, dict) and set(block) - {"rule"}):
        problem(
            key,
            f"{block!r} is not a {key} setting",
            f"Write '{key}: {{rule: RULE}}' with RULE one of {', '.join(rules)}",
        )
    return rule
