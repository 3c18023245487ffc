"""The narrative's words for statistical process control and small numbers: a special
cause said as such ("a sustained improvement: 9 months below the average"), a movement
within the limits qualified ("within normal variation"), and a figure whose interval
crosses a band given with it ("from 5 cases; the true rate could be between 36% and
92%"). Works on the facts table, all rows at once; see docs/narrative.md."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The facts this module reads, from the scorecard's SPC and interval columns.
SPC_FACTS: tuple[str, ...] = (
    "frequency",
    "spc_variation",
    "spc_latest_rules",
    "spc_run",
    "interval_lower",
    "interval_upper",
    "interval_uncertain_rag",
    "interval_cases",
)
_POINTS = {"monthly": "months", "quarterly": "quarters", "annual": "years"}


def spc_facts(out: pd.DataFrame, card: pd.DataFrame) -> None:
    """Copy the scorecard's SPC and interval columns into the facts (nothing where the
    scorecard has none)."""
    for column in SPC_FACTS:
        if column in card:
            out[column] = card[column].to_numpy()


def special_cause_phrases(facts: pd.DataFrame) -> pd.Series:
    """For each row whose latest point is a special cause, what kind, in words:
    outside the limits, a run on one side of the mean, a trend, or two of three points
    near a limit (in that order); '' otherwise.

    Examples
    --------
    >>> f = pd.DataFrame({"frequency": ["monthly"] * 3, "polarity": ["low", "high", "none"],
    ...     "spc_variation": ["special_cause_improvement", "special_cause_concern",
    ...                       "common_cause"],
    ...     "spc_latest_rules": [["shift"], ["outside_limits", "shift"], []],
    ...     "spc_run": [9, 7, 2]})
    >>> special_cause_phrases(f).tolist()
    ['a sustained improvement: 9 months below the average', 'a special cause of concern: below the lower process limit', '']
    """
    if "spc_variation" not in facts:
        return pd.Series("", index=facts.index, dtype=object)
    f = facts.reset_index(drop=True)
    variation = f["spc_variation"].fillna("").astype(str)
    kind = variation.str.removeprefix("special_cause_")
    neutral = kind.isin(["high", "low"])
    # Where the sentence's own comparison (with last year) runs the other way, the
    # special cause is said without calling it an improvement or a concern, so that no
    # sentence says both.
    change = f["change"] if "change" in f else pd.Series("", index=f.index)
    against = ((kind == "improvement") & (change == "declining")) | (
        (kind == "concern") & (change == "improving")
    )
    polarity = f["polarity"].to_numpy(dtype=object)
    # Higher than the mean (or rising) for an improvement where high is good, a concern
    # where low is good, and for "high" where neither is.
    up = np.where(neutral, kind == "high", (kind == "improvement") == (polarity == "high"))
    up = up.astype(bool)
    rules = f["spc_latest_rules"].map(lambda r: list(r) if isinstance(r, list | tuple) else [])
    has = {r: rules.map(lambda x, r=r: r in x).to_numpy(dtype=bool) for r in
           ("outside_limits", "shift", "trend", "two_in_three")}  # fmt: skip
    points = f["frequency"].map(_POINTS).fillna("points")
    run = f["spc_run"].astype("Int64").astype(str)
    plain = (neutral | against).to_numpy()
    what = np.where(plain, "a special cause", "a special cause of " + kind)
    sustained = np.where(plain, "a sustained change", "a sustained " + kind)
    side = np.where(up, "above", "below")
    out = np.select(
        [has["outside_limits"], has["shift"], has["trend"], has["two_in_three"]],
        [
            what + ": " + side + np.where(up, " the upper", " the lower") + " process limit",
            sustained + ": " + run + " " + points + " " + side + " the average",
            sustained
            + ": "
            + run
            + " "
            + points
            + " in a row, each "
            + np.where(up, "higher", "lower")
            + " than the one before",
            what
            + ": two of the last three "
            + points
            + " close to the "
            + np.where(up, "upper", "lower")
            + " process limit",
        ],
        "",
    )
    special = variation.str.startswith("special_cause").to_numpy()
    return pd.Series(np.where(special, out, ""), dtype=object)


def within_normal_variation(facts: pd.DataFrame) -> pd.Series:
    """Rows whose sentence says the value went up or down but whose latest point is
    common cause: the movement is to be qualified."""
    if "spc_variation" not in facts:
        return pd.Series(False, index=range(len(facts)))
    f = facts.reset_index(drop=True)
    moved = f["direction"].isin(["up", "down"])
    return (moved & (f["spc_variation"] == "common_cause")).reset_index(drop=True)


def uncertainty_phrases(facts: pd.DataFrame, lower: pd.Series, upper: pd.Series) -> pd.Series:
    """'from N cases; the true rate could be between A and B' where the interval of the
    headline value crosses a band (``lower`` and ``upper`` are the interval's ends as
    text); '' otherwise."""
    if "interval_uncertain_rag" not in facts:
        return pd.Series("", index=range(len(facts)), dtype=object)
    f = facts.reset_index(drop=True)
    uncertain = f["interval_uncertain_rag"].map(lambda v: v is True).to_numpy(dtype=bool)
    cases = f["interval_cases"].map(lambda n: "" if pd.isna(n) else f"{round(n):,}")
    text = "from " + cases + " cases; the true rate could be between " + lower + " and " + upper
    return pd.Series(np.where(uncertain, text, ""), dtype=object)
