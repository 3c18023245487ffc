"""A plain, indicator-by-indicator reading of docs/method.md, to check the vectorised
scorecard against.

Written from the method's words alone: loops, dicts and exact decimal arithmetic, no
numpy, and nothing shared with ``cyps_analysis`` beyond the ``Dataset`` it reads. It is
slow on purpose: every figure is worked out the way an analyst would work it out by
hand, so that a disagreement points at a bug in one of the two.

:func:`expected_scorecard` gives one dict per indicator; :func:`differences` lists how a
scorecard from :func:`cyps_analysis.build_scorecard` departs from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

SCALE = {"percent": Decimal(100), "rate_per_10k": Decimal(10_000)}
# The calendar month (1-12) each type of year starts in.
YEAR_START_MONTH = {"financial": 4, "academic": 9, "calendar": 1}
BENCHMARKS = (
    "stat_neighbour_avg",
    "best_stat_neighbour",
    "national_avg",
    "top_quartile",
    "regional_avg",
)
VALUE_KEYS = (
    "quarter",
    "outturn",
    "previous_year",
    "previous_year_to_date",
    "same_month_last_year",
    "previous_month",
)
TEXT_KEYS = (
    "year",
    "dot_month",
    "dot_month_change",
    "rag_month",
    "rag_month_label",
    "dot_year",
    "dot_year_change",
    "rag_year",
    "rag_year_label",
)


# ---------------------------------------------------------------------------------------
# Months and periods. A month is numbered year * 12 + (calendar month - 1), so that
# month arithmetic is plain subtraction: 2025-03 minus 12 is 2024-03.


def month_number(text: str) -> int:
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(number: int) -> str:
    return f"{number // 12}-{number % 12 + 1:02d}"


def period_months(period: str) -> list[int]:
    """The months of a period written ``2025-03``, ``2024-25-Q4`` or ``2024-25``."""
    parts = period.split("-")
    if len(parts) == 3:
        first_year, quarter = int(parts[0]), int(parts[2][1])
        start = first_year * 12 + 3 + 3 * (quarter - 1)  # Q1 starts in April
        return list(range(start, start + 3))
    first, second = int(parts[0]), int(parts[1])
    if second == (first + 1) % 100:
        start = first * 12 + 3  # April
        return list(range(start, start + 12))
    return [month_number(period)]


def year_start(month: int, year_type: str) -> int:
    """The first month of the indicator's year that contains ``month``."""
    start = month
    while start % 12 != YEAR_START_MONTH[year_type] - 1:
        start -= 1
    return start


def year_label(start: int, year_type: str) -> str:
    year = start // 12
    if year_type == "calendar":
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def year_written_start(text: str, year_type: str) -> int | None:
    """The first month of a year as written in targets or benchmarks (``2024/25``,
    ``2024-25``, ``2025``), or None if it is not a year of that type."""
    text = text.strip()
    if year_type == "calendar":
        return int(text) * 12 if text.isdigit() and len(text) == 4 else None
    for sep in ("/", "-"):
        if sep in text:
            first, second = text.split(sep)
            if int(second) == (int(first) + 1) % 100:
                return int(first) * 12 + YEAR_START_MONTH[year_type] - 1
    return None


# ---------------------------------------------------------------------------------------
# Numbers: exact decimals from the floats the dataset holds, rounded half up.


def to_decimal(x) -> Decimal | None:
    if x is None:
        return None
    try:
        if math.isnan(x):
            return None
    except TypeError:  # pandas' NA
        return None
    return Decimal(repr(float(x)))


def round_half_up(x: Decimal | None, decimals: int) -> Decimal | None:
    if x is None:
        return None
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------
# Band notation: X+, >=X, ≥X, >X, <X, <=X, ≤X, X-Y, - or blank; % optional.


@dataclass(frozen=True)
class Band:
    low: Fraction | None  # None: no lower bound
    low_inclusive: bool
    high: Fraction | None  # None: no upper bound
    high_inclusive: bool

    def holds(self, value: Fraction, scale: Fraction) -> bool:
        if self.low is not None:
            low = self.low * scale
            if value < low or (value == low and not self.low_inclusive):
                return False
        if self.high is not None:
            high = self.high * scale
            if value > high or (value == high and not self.high_inclusive):
                return False
        return True


def parse_band(text) -> Band | None:
    """A band as written; None for an empty band."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    try:
        s = str(text)
    except TypeError:
        return None
    s = s.replace(" ", "").replace("%", "").replace("≥", ">=").replace("≤", "<=")
    if s in ("", "-", "<NA>", "nan"):
        return None
    if s.endswith("+"):
        return Band(Fraction(s[:-1]), True, None, False)
    if s.startswith(">="):
        return Band(Fraction(s[2:]), True, None, False)
    if s.startswith(">"):
        return Band(Fraction(s[1:]), False, None, False)
    if s.startswith("<="):
        return Band(None, False, Fraction(s[2:]), True)
    if s.startswith("<"):
        return Band(None, False, Fraction(s[1:]), False)
    low, high = s.split("-")
    return Band(Fraction(low), True, Fraction(high), True)


def rate(value: Decimal | None, bands: dict, scale: Fraction) -> str | None:
    """Green if in the Green band, else Red if in the Red band, else Amber if in the
    Amber band; ``value`` is already rounded to the displayed precision."""
    if value is None or bands is None:
        return None
    v = Fraction(value)
    for name, rating in (("green", "Green"), ("red", "Red"), ("amber", "Amber")):
        band = bands[name]
        if band is not None and band.holds(v, scale):
            return rating
    return None


# ---------------------------------------------------------------------------------------
# Direction of travel.


def direction(now: Decimal | None, before: Decimal | None) -> str | None:
    if now is None or before is None:
        return None
    if now > before:
        return "up"
    if now < before:
        return "down"
    return "same"


def change(way: str | None, polarity: str, kind: str) -> str | None:
    if way is None:
        return None
    if way == "same":
        return "no change"
    if kind == "activity" or polarity == "none":
        return "not applicable"
    good = "up" if polarity == "high" else "down"
    return "improving" if way == good else "declining"


# ---------------------------------------------------------------------------------------
# Windows of monthly records.


@dataclass(frozen=True)
class Record:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class Indicator:
    """One indicator's catalogue entry and its monthly records."""

    def __init__(self, row: dict, records: dict[int, Record]):
        self.row = row
        self.id = row["id"]
        self.aggregation = row["aggregation"]
        self.unit = row["unit"]
        self.records = records
        self.pooled = self.aggregation == "ratio" or (
            self.aggregation == "rolling12" and self.unit in SCALE
        )

    def ratio(self, numerator: Decimal, denominator: Decimal) -> Decimal | None:
        if denominator == 0:
            return None
        return numerator / denominator * SCALE[self.unit]

    def rolling_complete(self, month: int) -> bool:
        return all(m in self.records for m in range(month - 11, month + 1))

    def rolling(self, month: int) -> Decimal | None:
        """The rolling twelve months to ``month``, or None without all twelve."""
        if not self.rolling_complete(month):
            return None
        recs = [self.records[m] for m in range(month - 11, month + 1)]
        if self.pooled:
            return self.ratio(
                sum(r.numerator for r in recs),
                sum(r.denominator for r in recs),
            )
        return sum(r.value for r in recs)

    def window(self, first: int, last: int) -> Decimal | None:
        """The value of the months ``first`` .. ``last`` under the aggregation rule."""
        recs = [self.records[m] for m in range(first, last + 1) if m in self.records]
        rule = self.aggregation
        if rule == "rolling12":
            return self.rolling(last)
        if rule == "snapshot":
            return self.records[last].value if last in self.records else None
        if not recs:
            return None
        if rule == "ratio":
            return self.ratio(
                sum(r.numerator for r in recs),
                sum(r.denominator for r in recs),
            )
        if rule == "sum":
            return sum(r.value for r in recs)
        if rule == "mean":
            return sum(r.value for r in recs) / len(recs)
        if rule == "annual":
            return recs[-1].value
        raise ValueError(f"unknown aggregation {rule!r}")

    def denominator(self, first: int, last: int) -> Decimal | None:
        """The cases a pooled window pools (None if it has no records)."""
        if self.aggregation == "rolling12":
            first = last - 11
        recs = [self.records[m] for m in range(first, last + 1) if m in self.records]
        if not recs:
            return None
        return sum(r.denominator for r in recs)


# ---------------------------------------------------------------------------------------
# The scorecard.


def _records(dataset) -> dict[str, dict[int, Record]]:
    out: dict[str, dict[int, Record]] = {}
    for row in dataset.observations.to_dict("records"):
        out.setdefault(row["indicator"], {})[month_number(row["month"])] = Record(
            to_decimal(row["value"]),
            to_decimal(row["numerator"]),
            to_decimal(row["denominator"]),
        )
    return out


def _targets(dataset) -> dict[tuple[str, int], dict]:
    """Bands by (indicator, first month of the year)."""
    year_types = dict(zip(dataset.indicators["id"], dataset.indicators["year_type"], strict=True))
    out = {}
    for row in dataset.targets.to_dict("records"):
        start = year_written_start(str(row["year"]), year_types[row["indicator"]])
        out[(row["indicator"], start)] = {
            name: parse_band(row[name]) for name in ("red", "amber", "green")
        }
    return out


def _benchmarks(dataset) -> dict[str, list[tuple[int, dict]]]:
    year_types = dict(zip(dataset.indicators["id"], dataset.indicators["year_type"], strict=True))
    out: dict[str, list[tuple[int, dict]]] = {}
    for row in dataset.benchmarks.to_dict("records"):
        start = year_written_start(str(row["year"]), year_types[row["indicator"]])
        out.setdefault(row["indicator"], []).append((start, row))
    return out


def expected_scorecard(dataset, period: str) -> list[dict]:
    """The scorecard's figures for every indicator, worked out one by one."""
    months = period_months(period)
    end = months[-1]
    records = _records(dataset)
    targets = _targets(dataset)
    benchmarks = _benchmarks(dataset)
    labels = dict(dataset.settings.band_labels)
    small = dataset.settings.small_denominator
    rows = []
    with localcontext() as context:
        context.prec = 60
        for row in dataset.indicators.to_dict("records"):
            ind = Indicator(row, records.get(row["id"], {}))
            rows.append(
                _indicator_row(
                    ind, months, end, targets, benchmarks.get(row["id"], []), labels, small
                )
            )
    return rows


def _indicator_row(ind, months, end, targets, benchmarks, labels, small) -> dict:
    row = ind.row
    decimals = int(row["decimals"])
    kind, polarity, frequency = row["kind"], row["polarity"], row["frequency"]
    start = year_start(end, row["year_type"])
    quarter_start = end - end % 3  # Jan, Apr, Jul or Oct

    def shown(x):
        return round_half_up(x, decimals)

    month_values = {m: shown(ind.window(m, m)) for m in months}
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[frequency]
    values = {
        "quarter": shown(ind.window(quarter_start, end)),
        "outturn": shown(ind.window(start, end)),
        "previous_year": shown(ind.window(start - 12, start - 1)),
        "previous_year_to_date": shown(ind.window(start - 12, end - 12)),
        "same_month_last_year": shown(ind.window(end - 12, end - 12)),
        "previous_month": shown(ind.window(end - step, end - step)),
    }
    out = {"id": ind.id, "year": year_label(start, row["year_type"])}
    out["months"] = {month_text(m): _float(v) for m, v in month_values.items()}
    out.update({k: _float(v) for k, v in values.items()})

    out["dot_month"] = direction(month_values[end], values["previous_month"])
    out["dot_month_change"] = change(out["dot_month"], polarity, kind)
    out["dot_year"] = direction(values["outturn"], values["previous_year_to_date"])
    out["dot_year_change"] = change(out["dot_year"], polarity, kind)

    bands = targets.get((ind.id, start)) if kind == "benchmarking" else None
    is_sum = ind.aggregation == "sum"
    month_scale = Fraction(step, 12) if is_sum else Fraction(1)
    year_scale = Fraction(end - start + 1, 12) if is_sum else Fraction(1)
    out["rag_month"] = rate(month_values[end], bands, month_scale)
    out["rag_year"] = rate(values["outturn"], bands, year_scale)
    for key in ("rag_month", "rag_year"):
        out[f"{key}_label"] = None if out[key] is None else labels[out[key].lower()]

    out["benchmarks"] = {}
    for name in BENCHMARKS:
        best = None
        for year, bench in benchmarks:
            usable = year <= start and to_decimal(bench[name]) is not None
            if usable and (best is None or year > best[0]):
                best = (year, bench[name])
        out["benchmarks"][name] = (
            (None, None)
            if best is None
            else (_float(shown(to_decimal(best[1]))), year_label(best[0], row["year_type"]))
        )

    out["flags"] = _flags(ind, months, end, start, quarter_start, bands, values, small)
    return out


def _flags(ind, months, end, start, quarter_start, bands, values, small) -> set[str]:
    row = ind.row
    flags = set()

    def expected(m: int) -> bool:
        if row["frequency"] == "quarterly":
            return m % 3 == 2
        if row["frequency"] == "annual":
            return m % 12 == (start + 11) % 12
        return True

    # The year to date, and the period's own months: dataset.md has every month shown
    # in the scorecard with no row flagged, and a year period shows months before the
    # start of a calendar or academic year.
    shown_months = set(range(start, end + 1)) | set(months)
    if any(expected(m) and m not in ind.records for m in shown_months):
        flags.add("missing_months")

    if ind.pooled:
        windows = [(m, m) for m in months] + [(quarter_start, end), (start, end)]
        if any(ind.denominator(a, b) == 0 for a, b in windows):
            flags.add("zero_denominator")
        for a, b in ((end, end), (quarter_start, end), (start, end)):
            cases = ind.denominator(a, b)
            if cases is not None and 0 < cases < small:
                flags.add("small_denominator")

    if end % 3 != 2:
        flags.add("partial_quarter")

    if ind.aggregation == "rolling12":
        for m in months:
            if m in ind.records and not ind.rolling_complete(m):
                flags.add("incomplete_rolling12")

    if row["kind"] == "benchmarking" and bands is None:
        flags.add("no_target")
    if ind.aggregation == "annual" and values["outturn"] is None:
        flags.add("not_yet_published")
    return flags


def _float(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


# ---------------------------------------------------------------------------------------
# Comparing a scorecard with the expected figures.


def _same(a, b) -> bool:
    missing_a = a is None or (isinstance(a, float) and math.isnan(a))
    missing_b = b is None or (isinstance(b, float) and math.isnan(b))
    if missing_a or missing_b:
        return missing_a and missing_b
    return a == b


def _text(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return str(x)


def card_rows(card) -> dict[str, dict]:
    """A scorecard DataFrame in the oracle's shape, by indicator id."""
    month_columns = [c for c in card.columns if len(c) == 7 and c[4] == "-" and c[:4].isdigit()]
    out = {}
    for row in card.to_dict("records"):
        got = {"id": row["id"], "year": row["year"]}
        got["months"] = {c: row[c] for c in month_columns}
        got.update({k: row[k] for k in VALUE_KEYS})
        got.update({k: _text(row[k]) for k in TEXT_KEYS})
        got["benchmarks"] = {name: (row[name], _text(row[f"{name}_year"])) for name in BENCHMARKS}
        got["flags"] = {flag["code"] for flag in row["flags"]}
        out[row["id"]] = got
    return out


def differences(card, expected: list[dict], *, limit: int = 20) -> list[str]:
    """How ``card`` (a scorecard DataFrame) departs from the expected rows."""
    got = card_rows(card)
    problems = []
    if set(got) != {e["id"] for e in expected}:
        problems.append(f"indicators differ: {sorted(set(got) ^ {e['id'] for e in expected})}")
    for exp in expected:
        row = got.get(exp["id"])
        if row is None:
            continue
        for key, want in exp.items():
            have = row[key]
            if key == "months":
                if set(have) != set(want):
                    problems.append(f"{exp['id']} months: {sorted(have)} != {sorted(want)}")
                    continue
                bad = [m for m in want if not _same(have[m], want[m])]
                for m in bad:
                    problems.append(f"{exp['id']} {m}: card {have[m]!r}, expected {want[m]!r}")
            elif key == "benchmarks":
                for name, (value, year) in want.items():
                    hv, hy = have[name]
                    if not (_same(hv, value) and _same(hy, year)):
                        problems.append(
                            f"{exp['id']} {name}: card {(hv, hy)!r}, expected {(value, year)!r}"
                        )
            elif not _same(have, want):
                problems.append(f"{exp['id']} {key}: card {have!r}, expected {want!r}")
    return problems[:limit] if limit else problems
