"""Whether each indicator's unit can match the published measure it is mapped to.

An indicator counted in children (``unit: count``) whose ``national_code`` names a rate
per 10,000 would be given the rate's benchmarks, quartiles and best neighbour: wrong
figures, with no sign of it. :func:`check_units` makes that a dataset problem, naming
the row of ``indicators.csv``, before any benchmark is worked out; ``validate``,
``scorecard``, ``narrative`` and ``run`` all go through it.

The published unit is, for a LAIT measure, the one its dictionary's free-text unit
(``y_axis_name``) names (:func:`~cyps_analysis.sources.dfe_measures.unit_from_text`);
for an EES source (``benchmarking: ees:``), a rate per 10,000 when the settings give a
population file, else what the measure's column name says
(:func:`~cyps_analysis.sources.ees.measure_unit`). A unit the text does not name (a
spend, "Case Load") is not checked; LAIT's rates per 100,000 or per 1,000 match none of
the kit's units.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cyps_analysis.exceptions import DatasetError, Problem

#: The kit's units a published measure cannot be, when its name says neither
#: percentage nor rate.
_SHARES = ("percent", "rate_per_10k")


def check_units(dataset) -> None:
    """Raise :class:`DatasetError` listing every mapped indicator whose unit cannot
    match its published measure (nothing to check if the settings name no published
    files or no indicator has a ``national_code``).

    Raises
    ------
    DatasetError
        One problem per indicator: ``indicators.csv``, its row, column ``unit``.
        Also, as the benchmarks would, for a published file or the LAIT dictionary
        that does not exist.
    """
    problems = unit_problems(dataset)
    if problems:
        raise DatasetError(problems)


def unit_problems(dataset) -> list[Problem]:
    """The problems :func:`check_units` raises, as a list."""
    from cyps_analysis.benchmarking.for_dataset import benchmarking_files

    ind = dataset.indicators
    if not dataset.settings.benchmarking or "national_code" not in ind:
        return []
    files = benchmarking_files(dataset)
    codes = ind["national_code"].astype("string").str.strip().fillna("")
    mapped = ind.assign(code=codes.to_numpy())[codes.ne("").to_numpy()]
    if mapped.empty:
        return []
    published = _published_units(dataset, files, set(mapped["code"]))
    found = mapped.merge(published, on="code", how="left")
    unit = found["unit"].astype(str)
    theirs = found["published_unit"]
    ees = found["kind_of_source"].eq("ees")
    wrong = theirs.notna() & theirs.ne(unit)
    # An EES column named neither percent nor rate is a count, days or another figure.
    wrong |= ees & theirs.isna() & unit.isin(_SHARES)
    # LAIT's rates per 100,000 (or per 1,000) are none of the kit's units.
    other_rate = found["text"].fillna("").str.lower().str.contains("rate per")
    wrong |= ~ees & theirs.isna() & other_rate
    hit = found[wrong]
    file = _indicators_file(dataset)
    return [
        Problem(
            file,
            int(r["_row"]),
            "unit",
            f"{r['id']} has unit {r['unit']} but its national_code {r['code']!r} is "
            f"{_their_unit(r)}, so its benchmarks could not match",
            (
                f"Use unit {r['published_unit']}, as {r['code']!r} is"
                if pd.notna(r["published_unit"])
                else f"Use the unit {r['code']!r} is in"
            )
            + f", or map the indicator to a measure that is {_unit_words(r['unit'])} (or "
            "leave national_code blank)",
        )
        for _, r in hit.iterrows()
    ]


def _published_units(dataset, files: dict[str, Path], codes: set[str]) -> pd.DataFrame:
    """``code``, ``published_unit`` (the kit's unit, missing if none is named),
    ``text`` (how the source writes it) and ``kind_of_source`` (``lait``, ``ees``) of
    each mapped code that a source names."""
    from cyps_analysis.sources.dfe_measures import read_measure_dictionary
    from cyps_analysis.sources.ees import measure_unit
    from cyps_analysis.sources.load import lait_dictionary

    ees = {s.name: s for s in dataset.settings.ees_sources if s.name in codes}
    frames = [
        pd.DataFrame(
            {
                "code": list(ees),
                "published_unit": [
                    measure_unit(s.measure, population=bool(s.population)) for s in ees.values()
                ],
                "text": [s.measure for s in ees.values()],
                "kind_of_source": "ees",
            },
            dtype=object,
        )
    ]
    if "lait" in files and codes - set(ees):
        dictionary = read_measure_dictionary(
            lait_dictionary(files["lait"], files.get("lait_dictionary"))
        )
        lait = dictionary[dictionary["code"].isin(codes - set(ees)).to_numpy()]
        frames.append(
            pd.DataFrame(
                {
                    "code": lait["code"].to_numpy(),
                    "published_unit": lait["unit"].to_numpy(dtype=object),
                    "text": lait["unit_text"].to_numpy(dtype=object),
                    "kind_of_source": "lait",
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table["published_unit"] = table["published_unit"].where(table["published_unit"].notna(), None)
    return table


_UNIT_WORDS = {"rate_per_10k": "a rate per 10,000", "percent": "a percentage", "count": "a count"}


def _unit_words(unit: str) -> str:
    return _UNIT_WORDS.get(unit, f"in {unit}")


def _their_unit(row) -> str:
    if row["kind_of_source"] == "ees":
        what = (
            _unit_words(row["published_unit"])
            if pd.notna(row["published_unit"])
            else "neither a percentage nor a rate (a count or another figure)"
        )
        return f"{what} (EES measure {row['text']!r})"
    what = (
        _unit_words(row["published_unit"])
        if pd.notna(row["published_unit"])
        else "a rate the kit has no unit for"
    )
    return f"{what} in LAIT (its dictionary says {row['text']!r})"


def _indicators_file(dataset) -> str:
    source = Path(dataset.source)
    return f"{source.name} [indicators]" if source.suffix.lower() == ".xlsx" else "indicators.csv"
