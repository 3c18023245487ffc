"""Synthetic datasets for checking and timing the scorecard: any number of indicators and
years of monthly data, for one authority or many, made deterministically from a seed.

The indicators cycle through every aggregation, frequency, year type, polarity, unit and
kind. The data has what real returns have: months with no row, months with no cases
(0 of 0), small denominators, values exactly on a threshold and exactly half a displayed
step (81.95), indicators that started recently, years with no target, and typed-in
benchmarks with gaps. Every dataset made here passes the kit's own checks.

Generation is vectorised over indicators and months, so 150 authorities of 200
indicators and ten years take a few seconds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cyps_analysis.dataset._parsed import without_parsed_columns
from cyps_analysis.dataset.load import Dataset, Settings

END_MONTH = 2025 * 12 + 2  # 2025-03, numbered year * 12 + month - 1
SERVICE_AREAS = ("Family Help", "Children's Social Care", "Education", "Inclusion")
YEAR_TYPES = ("financial", "academic", "calendar")
# The calendar month (0 = January) each type of year ends in.
YEAR_END = {"financial": 2, "academic": 7, "calendar": 11}
BENCHMARKS = (
    "stat_neighbour_avg",
    "best_stat_neighbour",
    "national_avg",
    "top_quartile",
    "regional_avg",
)
#: (aggregation, unit, frequency, kind, polarity). Seventeen, not a multiple of three,
#: so that cycling them beside the three year types meets every pairing.
ARCHETYPES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ratio", "percent", "monthly", "benchmarking", "high"),
    ("ratio", "rate_per_10k", "monthly", "benchmarking", "low"),
    ("ratio", "percent", "quarterly", "benchmarking", "low"),
    ("snapshot", "rate_per_10k", "monthly", "benchmarking", "low"),
    ("snapshot", "percent", "quarterly", "benchmarking", "high"),
    ("snapshot", "count", "annual", "activity", "none"),
    ("sum", "count", "monthly", "activity", "none"),
    ("sum", "count", "monthly", "benchmarking", "high"),
    ("sum", "count", "quarterly", "benchmarking", "low"),
    ("mean", "days", "monthly", "benchmarking", "low"),
    ("mean", "score", "monthly", "benchmarking", "high"),
    ("mean", "days", "quarterly", "activity", "high"),
    ("rolling12", "percent", "monthly", "benchmarking", "low"),
    ("rolling12", "count", "monthly", "activity", "none"),
    ("rolling12", "rate_per_10k", "monthly", "benchmarking", "high"),
    ("annual", "percent", "annual", "benchmarking", "high"),
    ("annual", "score", "annual", "benchmarking", "none"),
)
SCALE = {"percent": 100.0, "rate_per_10k": 10_000.0}


def _month_text(months: np.ndarray) -> np.ndarray:
    return np.array([f"{m // 12}-{m % 12 + 1:02d}" for m in months])


def make_indicators(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` catalogue rows cycling through the archetypes and year types."""
    picks = [ARCHETYPES[i % len(ARCHETYPES)] for i in range(n)]
    agg, unit, freq, kind, pol = (np.array(c) for c in zip(*picks, strict=True))
    year_type = np.array([YEAR_TYPES[i % 3] for i in range(n)])
    decimals = rng.integers(0, 3, n)
    decimals = np.where(unit == "count", 0, decimals)
    decimals = np.where((unit == "score") & (rng.random(n) < 0.3), 4, decimals)
    ids = [f"ind{i:03d}_{a}" for i, a in enumerate(agg)]
    return pd.DataFrame(
        {
            "id": ids,
            "title": [f"Indicator {i}" for i in range(n)],
            "service_area": [SERVICE_AREAS[i % 4] for i in range(n)],
            "kind": kind,
            "polarity": pol,
            "unit": unit,
            "decimals": decimals.astype("int64"),
            "aggregation": agg,
            "frequency": freq,
            "year_type": year_type,
            "_row": np.arange(2, n + 2),
        }
    )


def _levels(ind: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Each indicator's typical value, in its unit."""
    n = len(ind)
    unit = ind["unit"].to_numpy()
    return np.select(
        [unit == "percent", unit == "rate_per_10k", unit == "days", unit == "score"],
        [
            rng.uniform(55, 97, n),
            rng.uniform(20, 700, n),
            rng.uniform(10, 60, n),
            np.where(rng.random(n) < 0.4, 0.0, rng.uniform(20, 60, n)),
        ],
        rng.uniform(5, 400, n),  # counts
    )


def make_observations(
    ind: pd.DataFrame, years: int, rng: np.random.Generator, levels: np.ndarray
) -> pd.DataFrame:
    """``years`` years of records to March 2025, indicator by month, all at once."""
    n, t = len(ind), 12 * years
    months = np.arange(END_MONTH - t + 1, END_MONTH + 1)
    agg, unit, freq = (ind[c].to_numpy()[:, None] for c in ("aggregation", "unit", "frequency"))
    year_end = ind["year_type"].map(YEAR_END).to_numpy()[:, None]
    decimals = ind["decimals"].to_numpy()[:, None]

    on_time = np.select(
        [freq == "quarterly", freq == "annual"],
        [(months % 3 == 2)[None, :], months[None, :] % 12 == year_end],
        True,
    )
    # Some indicators are new (no history before a recent month); some returns have gaps.
    first = np.where(rng.random(n) < 0.1, END_MONTH - rng.integers(3, 30, n), months[0])
    p_missing = rng.choice([0.0, 0.0, 0.02, 0.1], n)[:, None]
    recorded = on_time & (months[None, :] >= first[:, None]) & (rng.random((n, t)) >= p_missing)

    pooled = (agg == "ratio") | (
        (agg == "rolling12") & ((unit == "percent") | (unit == "rate_per_10k"))
    )
    percent = unit == "percent"
    # Percentages: cases per month from a handful (small denominators, 0 of 0) to hundreds.
    cases = rng.choice([2, 6, 15, 60, 400], n)[:, None]
    den_pct = rng.poisson(np.broadcast_to(cases, (n, t)))
    p = np.clip(levels[:, None] / 100 + rng.normal(0, 0.05, (n, t)), 0, 1)
    num_pct = rng.binomial(den_pct, p)
    # Rates per 10,000: a child population and the children counted in it.
    population = rng.integers(20_000, 80_000, n)[:, None] + rng.integers(-500, 500, (n, t))
    num_rate = rng.poisson(population * levels[:, None] / 10_000)
    den = np.where(percent, den_pct, population).astype(float)
    num = np.where(percent, num_pct, num_rate).astype(float)
    no_cases = rng.random((n, t)) < np.where(percent, 0.02, 0.005)
    # Now and then a whole quarter with no cases at all.
    quiet_quarter = rng.random((n, t // 3 + 1)) < 0.02
    no_cases |= percent & quiet_quarter[:, (months - months[0]) // 3]
    den = np.where(no_cases, 0.0, den)
    num = np.where(den == 0, 0.0, num)
    scale = np.where(percent, 100.0, 10_000.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = num / den * scale
    # A third of pooled indicators give the value as well, rounded as a spreadsheet shows it.
    give_value = (rng.random(n) < 0.34)[:, None]
    shown = np.power(10.0, decimals)
    as_shown = np.floor(np.round(derived * shown, 6) + 0.5) / shown  # half up, as Excel
    pooled_value = np.where(give_value & (den > 0), as_shown, np.nan)

    # Other values: one more decimal than shown, so that halves (81.95) turn up. Whole
    # numbers of tenths (or hundredths ...) divided by ten are the floats the CSV text
    # would give (81.95, not 81.95000000000001).
    finer = np.power(10.0, decimals + 1)
    noisy = levels[:, None] * (1 + rng.normal(0, 0.08, (n, t))) + rng.normal(0, 1, (n, t))
    noisy = np.where(unit == "percent", np.clip(noisy, 0, 100), noisy)
    noisy = np.where(unit == "score", noisy, np.abs(noisy))
    counts = rng.poisson(np.broadcast_to(levels[:, None], (n, t))).astype(float)
    value = np.where(unit == "count", counts, np.round(noisy * finer) / finer)

    rows, cols = np.nonzero(recorded)
    is_pooled = pooled[rows, 0]
    obs = pd.DataFrame(
        {
            "indicator": ind["id"].to_numpy()[rows],
            "month": _month_text(months)[cols],
            "value": np.where(is_pooled, pooled_value[rows, cols], value[rows, cols]),
            "numerator": np.where(is_pooled, num[rows, cols], np.nan),
            "denominator": np.where(is_pooled, den[rows, cols], np.nan),
        }
    )
    obs = obs.iloc[rng.permutation(len(obs))].reset_index(drop=True)
    obs["_row"] = np.arange(2, len(obs) + 2)
    return obs


def _texts(x: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Numbers written with each one's decimals, as an object array of text."""
    out = np.empty(len(x), dtype=object)
    for d in np.unique(decimals):
        at = decimals == d
        out[at] = np.char.mod(f"%.{d}f", x[at]).astype(object)
    return out


def _year_texts(first_years: np.ndarray, year_types: np.ndarray, dash=False) -> np.ndarray:
    """Years as written: ``2024/25`` (or ``2024-25`` where ``dash``), ``2025`` for
    calendar years."""
    first = first_years.astype(str).astype(object)
    second = np.char.zfill(((first_years + 1) % 100).astype(str), 2).astype(object)
    sep = np.where(dash, "-", "/").astype(object)
    return np.where(year_types == "calendar", first, first + sep + second)


def _band_texts(high, unit, green, amber, decimals, form) -> tuple[np.ndarray, ...]:
    """Red, amber and green as written, one row per target, for a Green threshold and
    an Amber one beyond it (below Green for high polarity, above for low), each row in
    one of six notations for its polarity (``form``)."""
    k = len(green)
    s = np.power(10.0, -decimals)
    g, a, a1, g1, g2 = (
        _texts(x, decimals) for x in (green, amber, amber - s, green - s, green + s)
    )
    pc = np.where((unit == "percent") & (form % 2 == 0), "%", "").astype(object)

    def same(text):
        return np.full(k, text, dtype=object)

    high_forms = (
        ("<" + a + pc, a + pc + "+", g + pc + "+"),
        ("<" + a, a + "-" + g1, ">=" + g),
        ("<" + g, same("-"), g + "+"),
        ("<=" + a1, ">" + a1, "≥" + g),
        ("< " + g + " " + pc, same(""), ">= " + g + pc),
        ("<=" + g1, same("-"), ">" + g1),
    )
    low_forms = (
        (a + pc + "+", same("-"), "<" + a + pc),
        (">" + a, g + "-" + a, "<" + g),
        (">=" + a, "<" + a, "<=" + g),
        ("≥" + a, "≤" + a1, "<" + g),
        (a + "+", g2 + "-" + a1, np.where(unit == "score", "<=" + g, "0-" + g)),
        (g + "+", same(None), "<" + g),
    )
    choice = np.where(high, form, form + len(high_forms))
    return tuple(
        np.stack([f[c] for f in (*high_forms, *low_forms)])[choice, np.arange(k)] for c in range(3)
    )


def make_targets(
    ind: pd.DataFrame, years: int, rng: np.random.Generator, levels: np.ndarray
) -> pd.DataFrame:
    """A target for most years of each rated indicator, near its typical value."""
    rated = np.flatnonzero(
        (ind["kind"].to_numpy() == "benchmarking") & (ind["polarity"].to_numpy() != "none")
    )
    r = ind.iloc[rated]
    year_type = r["year_type"].to_numpy()
    last = END_MONTH // 12 - np.where(year_type == "calendar", 0, 1)
    firsts = last[:, None] + np.arange(-years, 2)[None, :]
    shape = firsts.shape
    d = r["decimals"].to_numpy()[:, None]
    s = np.power(10.0, -d)
    is_sum = (r["aggregation"].to_numpy() == "sum")[:, None]
    level = levels[rated][:, None] * np.where(is_sum, 12, 1)
    greens = level * (1 + rng.normal(0, 0.03, shape))
    widths = np.maximum(np.abs(level) * rng.uniform(0.02, 0.1, shape), 3 * s)
    # Sums: mostly whole-year targets that split evenly into months and quarters.
    greens = np.where(is_sum & (rng.random(shape) < 0.7), np.round(greens / 12) * 12, greens)
    greens = np.round(np.maximum(greens, 4 * s) / s) * s
    high = (r["polarity"].to_numpy() == "high")[:, None]
    ambers = np.round((greens + np.where(high, -widths, widths)) / s) * s
    percent = (r["unit"].to_numpy() == "percent")[:, None]
    greens = np.where(percent, np.clip(greens, 3 * s, 100 - 3 * s), greens)
    ambers = np.where(percent, np.clip(ambers, s, 100 - s), ambers)
    keep = (rng.random(shape) < 0.85) & np.where(high, ambers < greens, ambers > greens)
    form = np.broadcast_to(rng.integers(0, 6, len(r))[:, None], shape)

    i, j = np.nonzero(keep)
    y = firsts[i, j]
    unit = r["unit"].to_numpy()[i]
    red, amber, green = _band_texts(
        high[i, 0], unit, greens[i, j], ambers[i, j], d[i, 0], form[i, j]
    )
    national = np.where(y % 3 == 0, _texts(greens[i, j], d[i, 0]) + "+", None)
    targets = pd.DataFrame(
        {
            "indicator": r["id"].to_numpy()[i],
            "year": _year_texts(y, year_type[i], dash=y % 2 == 1),
            "red": red,
            "amber": amber,
            "green": green,
            "national_standard": national,
        }
    ).astype("string")
    targets["_row"] = np.arange(2, len(targets) + 2)
    return targets


def make_benchmarks(
    ind: pd.DataFrame, years: int, rng: np.random.Generator, levels: np.ndarray
) -> pd.DataFrame:
    """Typed-in benchmarks for about half the rated indicators, with gaps."""
    chosen = np.flatnonzero(
        (ind["kind"].to_numpy() == "benchmarking") & (rng.random(len(ind)) < 0.5)
    )
    year_type = ind["year_type"].to_numpy()[chosen]
    last = END_MONTH // 12 - np.where(year_type == "calendar", 0, 1)
    firsts = last[:, None] + np.arange(-min(years, 4), 2)[None, :]
    i, j = np.nonzero(rng.random(firsts.shape) >= 0.2)
    k = len(i)
    values = np.abs(levels[chosen][i])[:, None] * rng.uniform(0.8, 1.2, (k, len(BENCHMARKS)))
    values = np.round(values, 2)
    percent = ind["unit"].to_numpy()[chosen][i] == "percent"
    values = np.where(percent[:, None], np.minimum(values, 100.0), values)
    values[rng.random(values.shape) < 0.3] = np.nan
    bench = pd.DataFrame(
        {
            "indicator": ind["id"].to_numpy()[chosen][i],
            "year": _year_texts(firsts[i, j], year_type[i]),
        }
        | {name: values[:, c] for c, name in enumerate(BENCHMARKS)}
    )
    bench = bench.astype({"indicator": "string", "year": "string"})
    bench["_row"] = np.arange(2, len(bench) + 2)
    return bench


def make_dataset(
    n_indicators: int = 60, years: int = 4, *, seed: int = 0, name: str = "Synthetic Borough"
) -> Dataset:
    """One authority's dataset: ``n_indicators`` indicators, ``years`` years of months
    to March 2025."""
    rng = np.random.default_rng(seed)
    ind = make_indicators(n_indicators, rng)
    levels = _levels(ind, rng)
    settings = Settings(
        authority=name,
        as_at=dt.date(2025, 4, 14),
        service_areas=SERVICE_AREAS,
        band_labels=(
            ("red", "Red"),
            ("amber", "Yellow" if seed % 2 else "Amber"),
            ("green", "Green"),
        ),
        small_denominator=int(rng.choice([10, 10, 20])),
    )
    return Dataset(
        indicators=ind,
        targets=make_targets(ind, years, rng, levels),
        observations=make_observations(ind, years, rng, levels),
        benchmarks=make_benchmarks(ind, years, rng, levels),
        settings=settings,
        source=f"synthetic seed {seed}",
    )


def make_authorities(
    k: int, n_indicators: int = 60, years: int = 4, *, seed: int = 0
) -> dict[str, Dataset]:
    """``k`` authorities' datasets, by name, each from its own seed."""
    names = [f"Authority {j:03d}" for j in range(k)]
    return {
        name: make_dataset(n_indicators, years, seed=seed * 10_000 + j, name=name)
        for j, name in enumerate(names)
    }


def write_dataset(dataset: Dataset, folder: Path) -> Path:
    """Write a dataset as the folder of CSV files and ``settings.yaml`` that
    :func:`cyps_analysis.load_dataset` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in ("indicators", "targets", "observations", "benchmarks"):
        frame = without_parsed_columns(table, getattr(dataset, table).drop(columns="_row"))
        frame.to_csv(folder / f"{table}.csv", index=False)
    s = dataset.settings
    settings = {
        "authority": s.authority,
        "as_at": s.as_at,
        "service_areas": list(s.service_areas),
        "band_labels": dict(s.band_labels),
        "small_denominator": s.small_denominator,
    }
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    (folder / "settings.yaml").write_text(text, encoding="utf-8")
    return folder
