"""What next and why, in words for a deep dive: where the year is heading and what the
months left need (the scorecard's ``forecast``), and how much of a rate's change came
from its numerator and how much from its denominator (``attribution``). Each takes one
indicator's scorecard object (``scorecard --format json``'s) and returns plain text;
the report escapes it."""

from __future__ import annotations

from cyps_analysis.rules.rounding import round_half_up


def _shown(value: float, item: dict) -> str:
    decimals = int(item["decimals"])
    text = f"{float(round_half_up(value, decimals)):,.{decimals}f}"
    return text + {"percent": "%", "days": " days"}.get(item["unit"], "")


def forecast_words(item: dict) -> str:
    """ "At this pace the year ends at 84.1% (Amber); the remaining 5 months need 93.0%
    to reach 90%." ("" where there is no forecast: no target, or no months left.)

    Examples
    --------
    >>> forecast_words({"decimals": 1, "unit": "percent", "bands": {"green": "90%+"},
    ...     "forecast": {"projected_outturn": 84.1, "projected_rag": "Amber",
    ...                  "needed": 93.0, "possible": True, "months_left": 5}})
    'At this pace the year ends at 84.1% (Amber); the remaining 5 months need 93.0% to reach the target (90%+).'
    """
    f = item["forecast"]
    if f["projected_outturn"] is None:
        return ""
    text = f"At this pace the year ends at {_shown(f['projected_outturn'], item)}"
    text += f" ({f['projected_rag']})" if f["projected_rag"] else ""
    if f["needed"] is not None:
        months = f["months_left"]
        left = f"the remaining {months} month{'s' if months != 1 else ''}"
        if f["possible"] is False:
            text += f"; {left} would need {_shown(f['needed'], item)}, which is out of reach"
        else:
            target = item["bands"]["green"]
            text += f"; {left} need {_shown(f['needed'], item)} to reach the target ({target})"
    return text + "."


def attribution_words(item: dict) -> str:
    """How a rate's change splits between its numerator and its denominator ("" where
    there is no split).

    Examples
    --------
    >>> attribution_words({"decimals": 1, "unit": "rate_per_10k",
    ...     "attribution": {"change": -10.48, "numerator_effect": 5.0,
    ...                     "denominator_effect": -15.48}})
    'Of the change of -10.5 on the same point last year, +5.0 came from the number counted and -15.5 from what it is measured against.'
    """
    a = item["attribution"]
    if a["change"] is None:
        return ""
    decimals = int(item["decimals"])

    def signed(x: float) -> str:
        return f"{float(round_half_up(x, decimals)):+,.{decimals}f}"

    return (
        f"Of the change of {signed(a['change'])} on the same point last year, "
        f"{signed(a['numerator_effect'])} came from the number counted and "
        f"{signed(a['denominator_effect'])} from what it is measured against."
    )
