"""Next year's targets and tolerances, proposed from benchmarks and recent performance
("set in consideration of available national and statistical neighbour benchmarking
data, and recent performance levels"). See docs/method.md#proposed-targets.

The default rule, for an indicator whose good performance is high (mirrored for low):

- Green: at least the more challenging of the statistical neighbour average and the
  last full year's outturn;
- Red: below the less challenging of the England average and that outturn;
- Amber: between the two. Where the two are the same value, the Amber band is as wide
  as this year's (Green threshold to Red boundary), or empty if there is none.

Other rules: ``top_quartile`` (the top quartile threshold in place of the neighbour
average) and ``hold`` (this year's bands as they are). Without benchmarks, the
trajectory: the last outturn, improved by the average yearly change of the last three
years where that change was an improvement.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from cyps_analysis.rules.rounding import round_half_up

#: The rules a dataset can propose by (``targets: {rule: ...}`` in settings).
TARGET_RULES: tuple[str, ...] = ("benchmarks", "top_quartile", "hold")


@dataclass(frozen=True)
class Evidence:
    """What one indicator's proposal is made from; NaN where there is none. ``history``
    holds the outturns of the years before ``last`` (oldest first); ``width`` this
    year's tolerance (Green threshold to Red boundary)."""

    polarity: str
    unit: str
    decimals: int
    last: float
    last_year: str
    stat_neighbour_avg: float = math.nan
    national_avg: float = math.nan
    top_quartile: float = math.nan
    benchmark_year: str = ""
    history: tuple[float, ...] = ()
    width: float = math.nan
    bands: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Proposal:
    """Proposed bands in the notation of targets.csv (None where there is no
    proposal), the rule that set them, and the reasoning in words."""

    red: str | None
    amber: str | None
    green: str | None
    rule: str
    reasoning: str


def propose(e: Evidence, *, rule: str = "benchmarks") -> Proposal:
    """One indicator's proposal.

    Examples
    --------
    Re-referrals, lower is better: last year 23.0%, neighbours 21.5%, England 22.4%.
    Green at 21.5% or less (the neighbours, more challenging than 23.0%); Red above
    23.0% (the outturn, less challenging than England's 22.4%).

    >>> p = propose(Evidence("low", "percent", 1, 23.0, "2024/25", 21.5, 22.4))
    >>> p.red, p.amber, p.green
    ('>23.0%', '<=23.0%', '<=21.5%')
    """
    high = e.polarity == "high"
    if rule == "hold":
        if e.bands is None:
            return Proposal(None, None, None, "hold", "No bands this year to hold.")
        red, amber, green = e.bands
        return Proposal(red, amber, green, "hold", "This year's bands, held.")
    if math.isnan(e.last):
        return Proposal(None, None, None, "none", f"No outturn for {e.last_year}: no proposal.")
    best = max if high else min
    worst = min if high else max
    outturn = f"{e.last_year}'s outturn of {_number(e.last, e)}"
    aim_name = "top quartile" if rule == "top_quartile" else "statistical neighbour average"
    aim = e.top_quartile if rule == "top_quartile" else e.stat_neighbour_avg
    if math.isnan(aim) and math.isnan(e.national_avg):
        return _trajectory(e, outturn)
    if math.isnan(aim):
        green, green_why = e.last, f"{outturn} (no {aim_name})"
    else:
        green = best(aim, e.last)
        source = f"the {aim_name} ({e.benchmark_year})" if green == aim else outturn
        other = outturn if green == aim else f"the {aim_name} of {_number(aim, e)}"
        green_why = f"{source}, more challenging than {other}"
    if math.isnan(e.national_avg):
        red, red_why = e.last, f"{outturn} (no England average)"
    else:
        red = worst(e.national_avg, e.last)
        source = f"the England average ({e.benchmark_year})" if red == e.national_avg else outturn
        other = outturn if red == e.national_avg else f"England's {_number(e.national_avg, e)}"
        red_why = f"{source}, less challenging than {other}"
    return _bands(e, green, red, rule, green_why, red_why)


def _trajectory(e: Evidence, outturn: str) -> Proposal:
    """Green from the trend of the last three years' outturns, Red beyond the last."""
    years = [*e.history, e.last][-4:]
    changes = [b - a for a, b in itertools.pairwise(years) if not math.isnan(a - b)]
    if not changes:
        return Proposal(
            None, None, None, "none", "No benchmarks and no earlier years: no proposal."
        )
    step = sum(changes) / len(changes)
    improving = step > 0 if e.polarity == "high" else step < 0
    green = e.last + step if improving else e.last
    trend = (
        f"improved by the average yearly improvement of {_number(abs(step), e)} over the "
        f"last {len(changes)} years"
        if improving
        else f"held, as the last {len(changes)} years did not improve on average"
    )
    return _bands(e, green, e.last, "trajectory", f"{outturn}, {trend} (no benchmarks)", outturn)


def _bands(e: Evidence, green: float, red: float, rule: str, green_why: str, red_why: str):
    high = e.polarity == "high"
    green = float(round_half_up(green, e.decimals))
    red = float(round_half_up(red, e.decimals))
    width_note = ""
    if green == red and not math.isnan(e.width) and e.width > 0:
        red = float(round_half_up(red - e.width if high else red + e.width, e.decimals))
        width_note = f"; the same value, so Amber is this year's width of {_number(e.width, e)}"
    g, r = _number(green, e), _number(red, e)
    if high:
        bands = (f"<{r}", f"{r}+" if red < green else "-", f"{g}+")
    else:
        bands = (f">{r}", f"<={r}" if red > green else "-", f"<={g}")
    amber = "Amber between." if bands[1] != "-" else "No Amber band."
    reasoning = (
        f"Green at {_number(green, e)}: {green_why}. Red {'below' if high else 'above'} "
        f"{_number(red, e)}: {red_why}{width_note}. {amber}"
    )
    return Proposal(*bands, rule, reasoning)


def _number(x: float, e: Evidence) -> str:
    """A value at the indicator's decimals, with % for percentages."""
    shown = f"{float(round_half_up(x, e.decimals)):.{e.decimals}f}"
    return shown + ("%" if e.unit == "percent" else "")
