"""Benchmarks from published files for a dataset: its ``settings.yaml`` points at
LAIT's data and the neighbour model, its indicators name published measures in
``national_code``.

- :func:`fill_from_published` fills the scorecard's benchmark columns (typed-in
  ``benchmarks.csv`` values only where the published data has none);
- :func:`benchmark_indicators` gives, for a period, every mapped indicator's
  comparisons and each neighbour's value, as one tidy table for the benchmarking
  notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.dataset.settings import BENCHMARKING_SETTINGS
from cyps_analysis.exceptions import DatasetError, Problem
from cyps_analysis.sources.published import PublishedData

#: Scorecard benchmark column -> comparison column.
SCORECARD_COLUMNS: dict[str, str] = {
    "stat_neighbour_avg": "stat_neighbour_avg",
    "best_stat_neighbour": "best_stat_neighbour",
    "national_avg": "national",
    "top_quartile": "top_quartile_threshold",
    "regional_avg": "regional",
}


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


def _dataset_table(dataset) -> tuple[pd.DataFrame, str] | None:
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


def fill_from_published(
    typed: dict[str, pd.DataFrame], datasets: Mapping, ind: pd.DataFrame, ys: np.ndarray
) -> dict[str, pd.DataFrame]:
    """The scorecard's benchmark columns: published figures where the authority's
    settings point at published files and the indicator has a ``national_code``;
    ``typed`` (from benchmarks.csv) where they have none. Values are rounded half up
    to each indicator's decimals."""
    from cyps_analysis.rules.rounding import round_half_up

    out = {name: frame.copy() for name, frame in typed.items()}
    authority = ind["authority"].astype(str).to_numpy()
    for name, dataset in datasets.items():
        rows = np.flatnonzero(authority == str(name))
        if not dataset.settings.benchmarking or not len(rows):
            continue
        sub = ind.iloc[rows].reset_index(drop=True)
        if "national_code" not in sub:
            continue
        published = scorecard_benchmarks(dataset, sub, (np.asarray(ys)[rows] + 11) // 12)
        if published is None:
            continue
        decimals = sub["decimals"].to_numpy()
        for column, frame in published.items():
            has = frame["value"].notna().to_numpy()
            target = rows[has]
            out[column].loc[target, "value"] = round_half_up(
                frame["value"].to_numpy(dtype="float64")[has], decimals[has]
            )
            out[column].loc[target, "year"] = frame["year"].to_numpy()[has]
            out[column].loc[target, "source"] = frame["source"].to_numpy()[has]
    return out


def scorecard_benchmarks(
    dataset, indicators: pd.DataFrame, year_end: np.ndarray
) -> dict[str, pd.DataFrame] | None:
    """For each scorecard benchmark column, each indicator's latest published value for
    a year ending no later than ``year_end`` (the calendar year the indicator's
    reporting year ends in, less any ``year_lag``: the caller's ``ys`` carry it), with
    that year and the source; None if the dataset points at no published files."""
    found = _dataset_table(dataset)
    if found is None:
        return None
    table, _ = found
    n = len(indicators)
    codes = indicators["national_code"].astype("string").str.strip().fillna("")
    result = {}
    ends = _year_end(table).to_numpy()
    for column, comparison in SCORECARD_COLUMNS.items():
        have = table[comparison].notna().to_numpy()
        candidates = pd.DataFrame(
            {
                "measure": table["measure"].to_numpy()[have],
                "polarity": table["polarity"].to_numpy()[have],
                "end": ends[have],
                "value": table[comparison].to_numpy(dtype="float64")[have],
                "year": table["year"].astype(str).to_numpy()[have],
                "label": table["year_label"].astype(str).to_numpy()[have],
                "source": table["source"].astype(str).to_numpy()[have],
            }
        )
        wanted = pd.DataFrame(
            {
                "measure": codes.to_numpy(),
                "polarity": indicators["polarity"].astype(str).to_numpy(),
                "year_type": indicators["year_type"].astype(str).to_numpy(),
                "limit": year_end,
                "row": np.arange(n),
            }
        )
        merged = wanted.merge(candidates, on=["measure", "polarity"])
        merged = merged[merged["end"] <= merged["limit"]]
        latest = merged.sort_values(["row", "end"]).drop_duplicates("row", keep="last")
        frame = pd.DataFrame({"value": np.full(n, np.nan), "year": None, "source": None})
        rows = latest["row"].to_numpy()
        frame.loc[rows, "value"] = latest["value"].to_numpy()
        frame.loc[rows, "year"] = _as_indicator_year(latest).to_numpy()
        frame.loc[rows, "source"] = latest["source"].to_numpy()
        result[column] = frame
    return result


def _as_indicator_year(rows: pd.DataFrame) -> pd.Series:
    """A published year written as the indicator's years are (``2023/24`` for a
    financial indicator, even where LAIT writes ``2024``); spans of several years
    (``2014-16``) as published."""
    from cyps_analysis.sources.published import year_labels

    single = rows["year"].str.fullmatch(r"\d{4}|\d{4}[-/]\d{2}|\d{6}").fillna(False).to_numpy()
    own = year_labels(rows["end"].astype(str), rows["year_type"]).to_numpy(dtype=object)
    return pd.Series(np.where(single, own, rows["label"].to_numpy(dtype=object)), index=rows.index)


def indicator_year_end(month: int | np.ndarray, year_type) -> np.ndarray:
    """The calendar year in which the indicator's year containing ``month`` ends: a
    financial year 2024/25 ends in 2025, as LAIT's "2025" for a financial measure.

    Examples
    --------
    >>> from cyps_analysis.rules.periods import parse_month
    >>> indicator_year_end(parse_month("2025-03"), np.array(["financial", "calendar"])).tolist()
    [2025, 2025]
    """
    from cyps_analysis.rules.periods import year_start

    return (np.asarray(year_start(month, year_type)) + 11) // 12


def _year_end(table: pd.DataFrame) -> pd.Series:
    from cyps_analysis.sources.published import year_ends

    return pd.Series(year_ends(table["year"].astype(str)), index=table.index)


def benchmark_indicators(dataset, period) -> pd.DataFrame:
    """Every mapped indicator's published comparisons for a period, as one tidy table
    for charts: one row per indicator and authority shown (the dataset's authority,
    then its neighbours in order).

    Each indicator uses the latest published year ending no later than the period's
    reporting year. Columns: ``indicator``, ``title``, ``measure``, ``year``,
    ``year_label``, ``polarity``, ``role`` (``authority`` or ``neighbour``),
    ``position`` (0 for the authority, 1-10 for neighbours), ``la_code``, ``la_name``,
    ``value``; and, the same on every row of an indicator, ``stat_neighbour_avg``,
    ``stat_neighbours_used``, ``best_stat_neighbour``, ``best_stat_neighbour_la``,
    ``rank_among_neighbours``, ``national``, ``regional``, ``quartile_25``,
    ``quartile_50``, ``quartile_75``, ``band``, ``rank``, ``rank_of``,
    ``top_quartile_threshold``, ``source``. Empty if the dataset maps no indicator.
    """
    from cyps_analysis.rules.periods import Period, parse_period
    from cyps_analysis.sources.authorities import authority_names

    period = parse_period(period) if not isinstance(period, Period) else period
    found = _dataset_table(dataset)
    if found is None:
        return pd.DataFrame()
    table, _ = found
    ind = dataset.indicators
    mapped = ind[ind["national_code"].notna()]
    ends = _year_end(table)
    # benchmarking: year_lag: N shows, for year Y, the benchmarks of Y - N at the latest.
    limit = (
        indicator_year_end(period.end, mapped["year_type"].to_numpy(dtype=object))
        - dataset.settings.year_lag
    )
    choose = pd.DataFrame(
        {
            "indicator": mapped["id"].to_numpy(),
            "title": mapped["title"].to_numpy(),
            "measure": mapped["national_code"].astype(str).str.strip().to_numpy(),
            "polarity": mapped["polarity"].astype(str).to_numpy(),
            "limit": limit,
        }
    )
    rows = table.assign(end=ends.to_numpy())
    rows = rows[rows["value"].notna().to_numpy()]
    both = choose.merge(rows, on=["measure", "polarity"])
    both = both[both["end"] <= both["limit"]]
    latest = both.sort_values(["indicator", "end"]).drop_duplicates("indicator", keep="last")
    summary = [
        "indicator", "title", "measure", "year", "year_label", "polarity",
        "stat_neighbour_avg", "stat_neighbours_used", "best_stat_neighbour",
        "best_stat_neighbour_la", "rank_among_neighbours", "national", "regional",
        "quartile_25", "quartile_50", "quartile_75", "band", "rank", "rank_of",
        "top_quartile_threshold", "source",
    ]  # fmt: skip
    width = sum(1 for c in table.columns if c.startswith("neighbour_") and c.endswith("_value"))
    own = latest[summary].assign(
        role="authority",
        position=0,
        la_code=latest["la_code"].astype(str).to_numpy(),
        la_name=latest["la_name"].astype(str).to_numpy(),
        value=latest["value"].to_numpy(),
    )
    codes = latest[[f"neighbour_{i}" for i in range(1, width + 1)]].astype(object)
    values = latest[[f"neighbour_{i}_value" for i in range(1, width + 1)]]
    neighbours = (
        latest[summary]
        .loc[latest.index.repeat(width)]
        .assign(
            role="neighbour",
            position=np.tile(np.arange(1, width + 1), len(latest)),
            la_code=codes.to_numpy().reshape(-1),
            value=values.to_numpy().reshape(-1),
        )
    )
    neighbours = neighbours[neighbours["la_code"].notna().to_numpy()]
    neighbours["la_name"] = neighbours["la_code"].map(authority_names())
    order = ["indicator", "title", "measure", "year", "year_label", "polarity", "role",
             "position", "la_code", "la_name", "value", *summary[6:]]  # fmt: skip
    out = pd.concat([own, neighbours], ignore_index=True)[order]
    rank = {i: k for k, i in enumerate(mapped["id"])}
    out = out.sort_values(
        ["indicator", "position"], key=lambda s: s.map(rank) if s.name == "indicator" else s
    )
    return out.reset_index(drop=True)
