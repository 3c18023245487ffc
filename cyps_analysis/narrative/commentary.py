"""Analysts' own words in the narrative: their bullets put among the generated ones,
what is still a draft, and the sign-offs of a period (the files are read and checked in
:mod:`cyps_analysis.dataset.commentary`). See ``docs/narrative.md``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.dataset.commentary import period_labels


def signoffs_for(signoff: pd.DataFrame, period: str) -> pd.DataFrame:
    """The sign-offs of one period (its label): ``service_area, signed_off_by, date``."""
    rows = signoff[period_labels(signoff["period"]) == period]
    return rows[["service_area", "signed_off_by", "date"]].reset_index(drop=True)


def apply_commentary(
    bullets: pd.DataFrame,
    commentary: pd.DataFrame,
    indicators: pd.DataFrame,
    period: str,
    signed_off: set[str],
) -> pd.DataFrame:
    """The bullets with an analyst's own for ``period`` put in, and ``draft`` set.

    ``bullets`` holds the generated bullets (``service_area, section, indicator, text,
    facts``) in report order. A ``replace`` row removes the indicator's generated
    bullet and puts the analyst's text where it stood (at the end of its section if it
    moves section, or if none was generated); an ``add`` row goes after the indicator's
    generated bullet in the same section, or at the end of the section. A ``replace``
    row in ``summary`` replaces the whole generated summary. Generated bullets are drafts
    until their service area is in ``signed_off``; the summary until every service area
    with bullets is.
    """
    rows = commentary[period_labels(commentary["period"]) == period]
    area_of = indicators.set_index("id")["service_area"]
    generated = bullets.assign(
        source="generated", _pos=np.arange(len(bullets), dtype="float64"), _sub=0
    )
    replaced = rows.loc[(rows["mode"] == "replace") & (rows["section"] != "summary"), "indicator"]
    keep = ~(generated["indicator"].isin(set(replaced)) & (generated["section"] != "summary"))
    if ((rows["mode"] == "replace") & (rows["section"] == "summary")).any():
        keep &= generated["section"] != "summary"
    analyst = pd.DataFrame(
        {
            "service_area": rows["indicator"].map(area_of).where(rows["section"] != "summary"),
            "section": rows["section"],
            "indicator": rows["indicator"],
            "text": rows["text"],
            "facts": [{} for _ in range(len(rows))],
            "source": "analyst",
        }
    ).reset_index(drop=True)
    # Where each analyst bullet stands: beside its indicator's generated bullet when that
    # is in the same section, else after every bullet; a replacement just before that
    # position (its bullet is gone), an addition just after, in file order.
    at = generated.drop_duplicates(["section", "indicator"]).set_index(["section", "indicator"])
    key = pd.MultiIndex.from_arrays([analyst["section"], analyst["indicator"]])
    beside = at["_pos"].reindex(key).to_numpy(dtype="float64", copy=True)
    beside[(analyst["section"] == "summary").to_numpy()] = np.nan
    analyst["_pos"] = np.where(np.isnan(beside), len(generated), beside)
    order = np.arange(1, len(analyst) + 1)
    analyst["_sub"] = np.where(
        rows["mode"].to_numpy() == "replace", order - len(analyst) - 1, order
    )
    out = pd.concat([generated[keep], analyst], ignore_index=True)
    out = out.sort_values(["_pos", "_sub"], kind="stable").drop(columns=["_pos", "_sub"])
    areas = set(bullets["service_area"].dropna())
    summary_signed = bool(areas) and areas <= signed_off
    signed = np.where(
        out["section"] == "summary", summary_signed, out["service_area"].isin(signed_off)
    )
    out["draft"] = (out["source"] == "generated") & ~signed
    for column in ("service_area", "indicator"):  # missing as None, whatever the input held
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.reset_index(drop=True)
