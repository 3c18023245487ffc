"""The ``benchmarking:`` block of ``settings.yaml``: which published files the
scorecard's benchmarks come from, which year's benchmarks a report shows, and
explore-education-statistics (EES) files as sources beside LAIT.

.. code-block:: yaml

    benchmarking:
      lait: ../dfe/bds_long_0.parquet
      lait_dictionary: ../dfe/lait_data_dictionary.csv
      neighbours: ../dfe/sn_may_2025.xlsx
      year_lag: 1                    # a 2024/25 report shows 2023/24 benchmarks
      ees:                           # named EES measures; indicators give the name
        cin_rate_2024:               #   in national_code
          file: ../dfe/b1_children_in_need_2013_to_2024.csv
          measure: At31_episodes_rate
          filter: {}                 # as the benchmark command's --filter
          population: null           # as --population (a count becomes a rate)
          polarity: low              # as --polarity

Paths are relative to the dataset's folder. See docs/benchmarking.md.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Settings under ``benchmarking:`` that point at the published files.
BENCHMARKING_FILES: dict[str, str] = {
    "lait": "LAIT's long data, e.g. 'lait: ../dfe/bds_long_0.parquet'",
    "lait_dictionary": "LAIT's dictionary, e.g. 'lait_dictionary: ../dfe/lait_data_dictionary.csv'",
    "neighbours": "the statistical neighbour model, e.g. 'neighbours: ../dfe/sn_may_2025.xlsx'",
}
#: Every key ``benchmarking:`` may hold.
BENCHMARKING_KEYS: tuple[str, ...] = (*BENCHMARKING_FILES, "year_lag", "ees")
#: Keys of one EES source.
EES_KEYS: dict[str, str] = {
    "file": "the EES CSV, e.g. 'file: ../dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv'",
    "measure": "a column of the file or a derived measure, e.g. 'measure: rereferral_percent'",
    "filter": "rows to keep, e.g. 'filter: {population_type: Children looked after at 31 March}'",
    "population": "the ONS population file, to make a count a rate per 10,000",
    "polarity": "high, low or none",
}


@dataclass(frozen=True)
class EesSource:
    """One measure of an EES file named in ``benchmarking: ees:``; an indicator whose
    ``national_code`` is ``name`` is benchmarked from it."""

    name: str
    file: str
    measure: str
    filters: tuple[tuple[str, str], ...] = ()
    population: str | None = None
    polarity: str | None = None


@dataclass(frozen=True)
class BenchmarkingSettings:
    """What ``benchmarking:`` says, checked."""

    files: tuple[tuple[str, str], ...] = ()
    year_lag: int = 0
    ees: tuple[EesSource, ...] = ()


def parse_benchmarking(given: object, problem) -> BenchmarkingSettings:
    """``benchmarking:`` as :class:`BenchmarkingSettings`; each mistake is reported
    through ``problem(key, message, fix)``."""
    if given is None:
        return BenchmarkingSettings()
    if not isinstance(given, dict):
        problem(
            "benchmarking",
            "benchmarking is not a list of settings",
            "Write 'lait:', 'lait_dictionary:' and 'neighbours:' under 'benchmarking:', "
            "each with a file path (and optionally 'year_lag:' and 'ees:')",
        )
        return BenchmarkingSettings()
    unknown = [str(k) for k in given if str(k) not in BENCHMARKING_KEYS]
    if unknown:
        problem(
            "benchmarking",
            f"{unknown[0]!r} is not a benchmarking file or setting",
            f"Use {', '.join(BENCHMARKING_KEYS)}",
        )
    files = tuple(
        (str(k), str(v).strip()) for k, v in given.items() if str(k) in BENCHMARKING_FILES and v
    )
    return BenchmarkingSettings(
        files=files,
        year_lag=_year_lag(given.get("year_lag"), problem),
        ees=_ees_sources(given.get("ees"), problem),
    )


def _year_lag(given: object, problem) -> int:
    if given is None or str(given).strip() == "":
        return 0
    text = str(given).strip()
    if not text.isdigit() or int(text) > 10:
        problem(
            "benchmarking",
            f"year_lag {text!r} is not a whole number of years from 0 to 10",
            "Write e.g. 'year_lag: 1' under 'benchmarking:' (a 2024/25 report then shows "
            "2023/24 benchmarks), or leave it out for the latest year",
        )
        return 0
    return int(text)


def _ees_sources(given: object, problem) -> tuple[EesSource, ...]:
    if given is None:
        return ()
    fix = (
        "Under 'ees:' give each source a name (the indicators' national_code) and under it "
        "'file:' and 'measure:' (optionally 'filter:', 'population:', 'polarity:')"
    )
    if not isinstance(given, dict):
        problem("benchmarking", "benchmarking.ees is not a list of named sources", fix)
        return ()
    sources = []
    for name, spec in given.items():
        where = f"benchmarking.ees.{name}"
        if not isinstance(spec, dict):
            problem("benchmarking", f"{where} is not a list of settings", fix)
            continue
        unknown = [str(k) for k in spec if str(k) not in EES_KEYS]
        if unknown:
            problem(
                "benchmarking",
                f"{unknown[0]!r} in {where} is not a setting",
                f"Use {', '.join(EES_KEYS)}",
            )
        missing = [k for k in ("file", "measure") if not str(spec.get(k) or "").strip()]
        if missing:
            problem("benchmarking", f"{where} has no {missing[0]}", f"Add {EES_KEYS[missing[0]]}")
            continue
        filters = spec.get("filter") or {}
        if not isinstance(filters, dict):
            problem("benchmarking", f"{where}.filter is not a list", f"Give {EES_KEYS['filter']}")
            continue
        polarity = spec.get("polarity")
        if polarity is not None and str(polarity).strip() not in ("high", "low", "none"):
            problem(
                "benchmarking",
                f"{where}.polarity {str(polarity)!r} is not high, low or none",
                "Write high, low or none",
            )
            continue
        sources.append(
            EesSource(
                name=str(name).strip(),
                file=str(spec["file"]).strip(),
                measure=str(spec["measure"]).strip(),
                filters=tuple((str(k), str(v)) for k, v in filters.items()),
                population=str(spec["population"]).strip() if spec.get("population") else None,
                polarity=None if polarity is None else str(polarity).strip(),
            )
        )
    return tuple(sources)
