"""The published files a dataset's settings point at (LAIT's data and the neighbour
model, EES files), read and compared for the measures its indicators name in
``national_code``: :func:`dataset_table`. What the scorecard takes from them is in
:mod:`cyps_analysis.benchmarking.for_scorecard`; the table of each indicator against its
neighbours in :mod:`cyps_analysis.benchmarking.to_neighbours`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cyps_analysis.dataset.settings import BENCHMARKING_SETTINGS
from cyps_analysis.exceptions import DatasetError, Problem
from cyps_analysis.sources.published import PublishedData


def benchmarking_files(dataset) -> dict[str, Path]:
    """The published files a dataset's settings point at (relative to its folder); empty
    if it names none. Raises :class:`DatasetError` for a file that does not exist."""
    given = dict(dataset.settings.benchmarking)
    if not given:
        return {}
    base = Path(dataset.source)
    base = base if base.is_dir() else base.parent
    files = {key: (base / value).resolve() for key, value in given.items()}
    problems = [
        Problem(
            "settings.yaml",
            None,
            f"benchmarking.{key}",
            f"the file {Path(given[key]).name!r} does not exist (looked for it relative to "
            "the dataset's folder)",
            f"Give {BENCHMARKING_SETTINGS[key]}",
        )
        for key, path in files.items()
        if not path.exists()
    ]
    if "neighbours" not in files:
        problems.append(
            Problem(
                "settings.yaml",
                None,
                "benchmarking.neighbours",
                "the setting is missing",
                f"Add {BENCHMARKING_SETTINGS['neighbours']}",
            )
        )
    if problems:
        raise DatasetError(problems)
    return files


def dataset_table(dataset) -> tuple[pd.DataFrame, str] | None:
    """The comparisons for the dataset's mapped indicators (polarity as the dataset
    gives it; each row's ``source`` named) and its authority's LA number; None if the
    dataset points at no published files or maps no indicator."""
    from cyps_analysis.benchmarking.compare import compare_authorities
    from cyps_analysis.sources.authorities import resolve_authority
    from cyps_analysis.sources.neighbours import read_neighbours

    files = benchmarking_files(dataset)
    ind = dataset.indicators
    if not files or "national_code" not in ind:
        return None
    codes = ind["national_code"].astype("string").str.strip()
    mapped = ind[codes.notna().to_numpy() & codes.ne("").fillna(False).to_numpy()]
    if mapped.empty:
        return None
    settings = dataset.settings
    if not settings.la_code:
        raise DatasetError(
            [
                Problem(
                    "settings.yaml",
                    None,
                    "la_code",
                    "benchmarking from published files needs the authority's code",
                    "Add la_code: the LA number (e.g. '372') or ONS code (E08000018)",
                )
            ]
        )
    la = resolve_authority(settings.la_code)
    neighbours = _read_cached(read_neighbours, files["neighbours"])
    tables = []
    for published in _published_sources(dataset, files, set(mapped["national_code"].str.strip())):
        # The dataset's polarity decides best and top quartile; one run per polarity
        # used, so that two indicators may read one measure with different polarities.
        for pol in sorted(set(mapped["polarity"].astype(str))):
            table = compare_authorities(published, neighbours, polarity=pol)
            tables.append(
                table[(table["la_code"] == la).to_numpy()].assign(source=published.source)
            )
    table = pd.concat(tables, ignore_index=True)
    for column in ("measure", "polarity", "la_code"):
        table[column] = table[column].astype(str)
    return table, la


def _published_sources(dataset, files: dict[str, Path], codes: set[str]) -> list[PublishedData]:
    """The published figures of the mapped measures: LAIT's for LAIT codes, each named
    EES source's (``benchmarking: ees:``) for its name."""
    from cyps_analysis.sources.lait import read_lait
    from cyps_analysis.sources.load import lait_dictionary

    ees = {s.name: s for s in dataset.settings.ees_sources}
    out = []
    lait_codes = codes - set(ees)
    if lait_codes:
        if "lait" not in files:
            raise DatasetError(
                [
                    Problem(
                        "settings.yaml",
                        None,
                        "benchmarking.lait",
                        f"indicators map to LAIT measures ({', '.join(sorted(lait_codes)[:3])}) "
                        "but the setting is missing",
                        f"Add {BENCHMARKING_SETTINGS['lait']}, or name the measures under 'ees:'",
                    )
                ]
            )
        dictionary = lait_dictionary(files["lait"], files.get("lait_dictionary"))
        data = _read_cached(read_lait, files["lait"], dictionary)
        values = data.values[data.values["measure"].isin(lait_codes).to_numpy()]
        values = values.assign(measure=values["measure"].cat.remove_unused_categories())
        out.append(PublishedData(values=values, measures=data.measures, source=data.source))
    base = _folder(dataset)
    for name in sorted(codes & set(ees)):
        out.append(_ees_source(ees[name], base))
    return out


def _ees_source(source, base: Path) -> PublishedData:
    """One named EES source's figures, its measure called by the source's name."""
    from cyps_analysis.sources.ees import read_ees

    file = (base / source.file).resolve()
    population = (base / source.population).resolve() if source.population else None
    for key, path in (("file", file), ("population", population)):
        if path is not None and not path.exists():
            raise DatasetError(
                [
                    Problem(
                        "settings.yaml",
                        None,
                        f"benchmarking.ees.{source.name}.{key}",
                        f"the file {path.name!r} does not exist (looked for it relative to "
                        "the dataset's folder)",
                        "Give the explore-education-statistics CSV as downloaded",
                    )
                ]
            )
    data = _read_cached(
        read_ees,
        file,
        measure=source.measure,
        filters=dict(source.filters),
        population=population,
        polarity=source.polarity,
    )
    values = data.values.assign(measure=source.name)
    measures = data.measures.assign(measure=source.name)
    return PublishedData(values=values, measures=measures, source=data.source)


def _folder(dataset) -> Path:
    base = Path(dataset.source)
    return base if base.is_dir() else base.parent


def _read_cached(reader, *paths: Path | None, **options):
    """``reader(*paths, **options)``, read once per file version: many authorities'
    scorecards built together usually point at the same published files."""
    stamp = tuple((str(p), p.stat().st_mtime_ns) if p is not None else None for p in paths)
    key = (reader.__module__, reader.__name__, stamp, repr(sorted(options.items())))
    if key not in _CACHE:
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = reader(*paths, **options)
    return _CACHE[key]


#: Published files already read (see :func:`_read_cached`); small, oldest out first.
_CACHE: dict = {}


def published_year_ends(table: pd.DataFrame) -> pd.Series:
    """The calendar year each published year of ``table`` ends in."""
    from cyps_analysis.sources.published import year_ends

    return pd.Series(year_ends(table["year"].astype(str)), index=table.index)
