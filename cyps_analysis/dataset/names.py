"""Names in file names: each indicator's id and each service area's name becomes part
of a report's file name, so no two may become the same one; and the months a dataset
may hold, which end at its ``as_at`` date."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd

from cyps_analysis.dataset._checks import problems_at
from cyps_analysis.exceptions import Problem


def slug(text: str) -> str:
    """A file-name-safe form of a name: lower case letters and digits joined by ``-``.
    A name with nothing to keep (``"---"``, ``"!!"``, Arabic script) gets a stable
    made-up one from its text, so that it still has a file of its own.

    Examples
    --------
    >>> slug("Children's Social Care")
    'childrens-social-care'
    >>> slug("CSC_CPP_RATE") == slug("csc-cpp-rate")
    True
    >>> slug("!!!")[:5], len(slug("!!!")), slug("!!!") == slug("!!!") != slug("???")
    ('name-', 13, True)
    """
    text = str(text)
    kept = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")
    if kept:
        return kept
    return "name-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def check_unique_slugs(
    indicators: pd.DataFrame,
    file: str,
    service_areas: tuple[str, ...] = (),
    settings_file: str = "settings.yaml",
) -> list[Problem]:
    """Indicator ids, and service-area names, that become the same file name as an
    earlier one (``a_b`` and ``a-b``, ``X`` and ``x``): one problem each, naming both."""
    problems: list[Problem] = []
    for column in ("id", "service_area"):
        rows = indicators[indicators[column].notna()].drop_duplicates(column)
        slugs = rows[column].map(slug)
        keep = ~slugs.duplicated()
        first = pd.Series(rows.loc[keep, column].to_numpy(), index=slugs[keep].to_numpy())
        what = "id" if column == "id" else "service area"
        problems += problems_at(
            rows.assign(_slug=slugs, _first=slugs.map(first)),
            (~keep).to_numpy(),
            file,
            column,
            lambda r, c=column, w=what: (
                f"the {w} {r[c]!r} and the {w} {r['_first']!r} give one report file "
                f"name ({r['_slug']!r})"
            ),
            f"Give each {what} a name that differs in more than case, spaces or punctuation",
        )
    areas = pd.Series(list(service_areas), dtype=object)
    twins = areas.map(slug).duplicated()
    for name in areas[twins.to_numpy()]:
        other = areas[(areas.map(slug) == slug(name)).to_numpy()].iloc[0]
        problems.append(
            Problem(
                settings_file,
                None,
                "service_areas",
                f"the service areas {name!r} and {other!r} give one report file name",
                "Give each service area a name that differs in more than case or punctuation",
            )
        )
    return problems


def check_months_to(observations: pd.DataFrame, as_at: dt.date, file: str) -> list[Problem]:
    """Months after the month of ``as_at`` (the date the data was extracted): a typo in
    a year, or an ``as_at`` date left from an earlier extract. ``as_at``'s own month may
    be there (a part month)."""
    months = observations["month_number"]  # read at load (cyps_analysis.dataset._parsed)
    last = as_at.year * 12 + as_at.month - 1
    later = (months > last).fillna(False).to_numpy(dtype=bool)
    return problems_at(
        observations,
        later,
        file,
        "month",
        lambda r: f"the month {r['month']} is after the data's as_at date ({as_at.isoformat()})",
        "Correct the month, or set as_at in the settings to the date the data was extracted",
    )
