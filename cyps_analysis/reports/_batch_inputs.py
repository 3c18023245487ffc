"""What a batch run is given: the periods ``--period`` names (a range, a list or
``latest``), the datasets ``--data`` names (repeated, or a folder of datasets), and the
manifest that says whether a pack already made is still up to date."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.exceptions import CypsError
from cyps_analysis.rules.periods import Period, month_key, parse_period, year_start

#: Months between one period and the next, by kind.
_STEP = {"month": 1, "quarter": 3, "year": 12}


def _period_starting(kind: str, start: int) -> Period:
    """The period of ``kind`` whose first month is ``start`` (a month number)."""
    if kind == "month":
        return parse_period(month_key(start))
    fy = year_start(start, "financial") // 12
    year = f"{fy}-{(fy + 1) % 100:02d}"
    if kind == "year":
        return parse_period(year)
    return parse_period(f"{year}-Q{(start - fy * 12 - 3) // 3 + 1}")


def period_range(first: str, last: str) -> list[Period]:
    """Every period from ``first`` to ``last`` (both included), of the same kind.

    Examples
    --------
    >>> [p.label for p in period_range("2024-25-Q3", "2025-26-Q1")]
    ['2024-25-Q3', '2024-25-Q4', '2025-26-Q1']
    >>> [p.label for p in period_range("2024-11", "2025-02")]
    ['2024-11', '2024-12', '2025-01', '2025-02']
    >>> [p.label for p in period_range("2021-22", "2023-24")]
    ['2021-22', '2022-23', '2023-24']
    """
    a, b = parse_period(first), parse_period(last)
    if a.kind != b.kind:
        raise CypsError(
            f"--period {first}:{last} mixes a {a.kind} and a {b.kind}: a range runs from "
            "one period to another of the same kind, e.g. 2023-24-Q1:2024-25-Q4."
        )
    if a.start > b.start:
        raise CypsError(
            f"--period {first}:{last} ends before it starts: write the earlier period first."
        )
    return [_period_starting(a.kind, m) for m in range(a.start, b.start + 1, _STEP[a.kind])]


def expand_periods(text: str, dataset: Dataset) -> list[Period]:
    """The periods ``--period`` names for ``dataset``: one period, ``latest``, a range
    ``FIRST:LAST``, or a comma-separated list of those; each once, in the order given.
    Raises :class:`~cyps_analysis.CypsError` for a period the data has no values in."""
    from cyps_analysis.reports.report import resolve_period

    periods: list[Period] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            raise CypsError(
                f"--period {text!r} has an empty item: separate periods with one comma."
            )
        if ":" in part:
            first, _, last = part.partition(":")
            periods += period_range(first.strip(), last.strip())
        else:
            periods.append(resolve_period(dataset, part))
    unique = {p.label: p for p in periods}
    return [resolve_period(dataset, p) for p in unique.values()]


def is_batch_period(text: str) -> bool:
    """Whether ``--period`` names more than one period (a range or a list)."""
    return "," in text or ":" in text


def find_datasets(paths: list[Path]) -> list[Path]:
    """The datasets ``--data`` names: each path that is a dataset (a workbook, or a
    folder with ``settings.yaml``), and each dataset sub-folder of a folder that has no
    ``settings.yaml`` of its own (in name order)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not (path / "settings.yaml").exists():
            subs = sorted(
                p for p in path.iterdir() if p.is_dir() and (p / "settings.yaml").is_file()
            )
            if not subs:
                raise CypsError(
                    f"{path} has no settings.yaml and no dataset sub-folders (folders with "
                    "settings.yaml): give a dataset, or a folder of datasets."
                )
            found += subs
        else:
            found.append(path)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_files(path: Path) -> dict[str, str]:
    """SHA-256 of each file of a dataset (a folder's files but hidden ones, or one
    workbook), by its path relative to the dataset."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        return {p.relative_to(path).as_posix(): _sha256(p) for p in files}
    return {path.name: _sha256(path)} if path.is_file() else {}


def inputs_manifest(dataset: Dataset, data: Path, notebooks: Path, templates) -> dict:
    """Checksums of what a pack is made from, without local paths: the dataset's
    files, the published files its settings name, the notebook templates, and the
    kit's version. Two packs made from equal manifests are the same pack."""
    from importlib.metadata import version

    base = data if data.is_dir() else data.parent
    named = [(name, path) for name, path in dataset.settings.benchmarking]
    named += [(f"ees:{s.name}", s.file) for s in dataset.settings.ees_sources]
    published = {}
    for name, rel in named:
        file = base / rel
        published[name] = _sha256(file) if file.is_file() else "missing"
    return {
        "kit_version": version("cyps-analysis"),
        "dataset": dataset_files(data),
        "published": published,
        "templates": {t: _sha256(notebooks / f"{t}.ipynb") for t in templates},
    }
