"""Charts for the reports, each with the text alternative a screen reader reads.

A chart is returned as a :class:`Chart`: an SVG and its alt text, which Jupyter shows as
an image and the HTML export writes as ``<img src="data:image/svg+xml..." alt="...">``
(an ``<img>``, not inline SVG, so that the ids inside one chart never clash with
another's; the public sector accessibility regulations ask for a text alternative to
every chart). Charts are drawn 7.5 inches wide with 10-point text and shown up to
900 px wide: 15 px text on a 1280 px page. The target, statistical-neighbour and
England lines differ in line style and label as well as colour (Okabe and Ito's
colour-blind-safe palette).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.rules.bands import parse_bands
from cyps_analysis.scorecard.layout import BENCHMARK_HEADINGS, format_values

#: Line colours from Okabe and Ito's colour-blind-safe palette (dark enough for 3:1
#: non-text contrast on white), and each benchmark's line style.
COLOURS: dict[str, str] = {
    "value": "#0072B2",
    "target": "#007A5A",
    "stat_neighbour_avg": "#D55E00",
    "national_avg": "#000000",
    "regional_avg": "#56B4E9",
    "best_stat_neighbour": "#6d4c41",
    "top_quartile": "#37474f",
    "authority": "#D55E00",
    "neighbour": "#7a8a99",
}
STYLES: dict[str, str] = {"target": "--", "stat_neighbour_avg": ":", "national_avg": "-."}
FONT_PT = 10


@dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG text and the text alternative that describes it."""

    svg: str
    alt: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg, "text/plain": self.alt}, {
            "image/svg+xml": {"alt": self.alt}
        }

    def card(self, heading_html: str):
        """The chart with a line of HTML above it (already escaped), as one block that
        stays together on a printed page."""
        import base64

        from cyps_analysis.reports.safe_html import Html, text

        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return Html(
            f'<figure class="chart-card">{heading_html}'
            f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{text(self.alt)}">'
            "</figure>"
        )


def _render(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    # No date in the file and ids from a fixed salt: the same chart gives the same bytes.
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def _figure(width: float = 7.5, height: float = 3.0):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Seaborn's "whitegrid" look, as matplotlib ships it: importing seaborn itself to
    # set its theme takes two seconds (it imports scipy.stats), in every notebook.
    plt.style.use("seaborn-v0_8-whitegrid")
    plt.rcParams.update(
        {
            # No tick marks beside the grid, as seaborn's theme draws it.
            "xtick.bottom": False,
            "ytick.left": False,
            "font.size": FONT_PT,
            "axes.labelsize": FONT_PT,
            "xtick.labelsize": FONT_PT,
            "ytick.labelsize": FONT_PT,
            "legend.fontsize": FONT_PT,
            "axes.titlesize": FONT_PT + 2,
            "svg.fonttype": "path",
            "svg.hashsalt": "cyps-analysis",
            "font.family": "DejaVu Sans",
        }
    )
    # Constrained layout makes room for tick labels, axis labels and the legend in the
    # one drawing the save does (nothing clipped, and no second draw).
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def _text(value: float, unit: str, decimals: int) -> str:
    return format_values([value], pd.Series([unit]), pd.Series([decimals]))[0]


def trend_chart(
    history: pd.DataFrame, indicator: pd.Series, targets: pd.DataFrame | None = None
) -> Chart:
    """One indicator's monthly values with its target and latest benchmarks drawn in.

    Parameters
    ----------
    history
        The indicator's rows of :func:`cyps_analysis.scorecard.history.monthly_history`.
    indicator
        Its scorecard row (title, unit, decimals, benchmarks and their years).
    targets
        Its rows of ``targets.csv`` (``year``, ``green``): the Green threshold is drawn
        for each year it covers.
    """
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    fig, ax = _figure()
    # Months as numbers, labelled at the start of each year: quicker than a date axis.
    x = history["month_number"]
    ax.plot(x, history["value"], color=COLOURS["value"], marker="o", markersize=3, label="Value")
    described = []
    if len(history):
        last = history.iloc[-1]
        # A month hidden in a published report (no value) is not drawn, nor described.
        latest = _text(last["value"], unit, decimals) or "not published"
        described.append(
            f"{indicator['title']}, {history.iloc[0]['label']} to {last['label']}: "
            f"latest {latest} in {last['label']}"
        )
        if history["value"].notna().any():
            low, high = history["value"].idxmin(), history["value"].idxmax()
            described.append(
                f"lowest {_text(history.loc[low, 'value'], unit, decimals)} "
                f"({history.loc[low, 'label']}), highest "
                f"{_text(history.loc[high, 'value'], unit, decimals)} "
                f"({history.loc[high, 'label']})"
            )
    else:
        described.append(f"{indicator['title']}: no monthly values recorded")
    if targets is not None and len(targets):
        steps = _target_steps(history, targets)
        if len(steps):
            ax.step(
                steps["month_number"],
                steps["threshold"],
                where="post",
                color=COLOURS["target"],
                linestyle=STYLES["target"],
                linewidth=1.8,
                label="Target (Green)",
            )
            described.append(f"target {indicator['green']}" if indicator.get("green") else "")
    for key in ("stat_neighbour_avg", "national_avg"):
        value = indicator.get(key)
        if value is not None and not pd.isna(value):
            label = f"{BENCHMARK_HEADINGS[key]} {indicator[f'{key}_year']}"
            ax.axhline(value, color=COLOURS[key], linestyle=STYLES[key], linewidth=1.8, label=label)
            described.append(f"{label} {_text(value, unit, decimals)}")
    ticks = history.loc[history["label"].str.startswith(_first_month(indicator)), "month_number"]
    if ticks.empty:
        # Annual and some quarterly figures fall in no year's first month: label each.
        ticks = history["month_number"]
    ax.set_xticks(ticks.to_numpy(), history.set_index("month_number").loc[ticks, "label"])
    ax.set_title(indicator["title"], loc="left")
    ax.set_ylabel(_axis_label(unit))
    fig.legend(loc="outside lower center", frameon=False, ncols=4)
    alt = "Line chart. " + "; ".join(d for d in described if d) + "."
    return Chart(_render(fig), alt)


def _first_month(indicator: pd.Series) -> str:
    """The month the indicator's year starts in, as labels write it (``Apr``)."""
    return {"financial": "Apr", "academic": "Sep", "calendar": "Jan"}.get(
        indicator.get("year_type"), "Apr"
    )


def _axis_label(unit: str) -> str:
    return {
        "percent": "%",
        "rate_per_10k": "per 10,000 children",
        "days": "days",
        "count": "number",
        "score": "score",
    }[unit]


def _target_steps(history: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """The Green threshold for each month of the history (from the target of the month's
    year): the band's lower bound, or upper bound for low-is-good bands."""
    bands = parse_bands(targets["green"].fillna("-"))
    threshold = np.where(np.isfinite(bands["lo"]), bands["lo"], bands["hi"])
    by_year = dict(zip(targets["year"], threshold, strict=True))
    steps = history[["month_number", "year"]].copy()
    steps["threshold"] = steps["year"].map(by_year).astype("float64")
    return steps.dropna(subset=["threshold"])


def neighbours_chart(rows: pd.DataFrame, *, title: str, unit: str, decimals: int) -> Chart:
    """The authority's published value beside each statistical neighbour's, with the
    neighbour average and England drawn in.

    ``rows`` are one indicator's rows of
    :func:`cyps_analysis.benchmarking.to_neighbours.compare_to_neighbours` (``la_name``,
    ``value``, ``role``, ``stat_neighbour_avg``, ``national``, ``year_label``).
    """
    frame = rows.sort_values("value", ascending=True, na_position="first")
    fig, ax = _figure(7.5, 0.3 * len(frame) + 1.4)
    colours = [
        COLOURS["authority"] if r == "authority" else COLOURS["neighbour"] for r in frame["role"]
    ]
    ax.barh(frame["la_name"].astype(str), frame["value"].fillna(0), color=colours)
    first = rows.iloc[0]
    year = first["year_label"]
    described = [
        f"{n}{' (us)' if r == 'authority' else ''} "
        f"{_text(v, unit, decimals) if not pd.isna(v) else 'no value'}"
        for n, v, r in zip(
            frame["la_name"][::-1], frame["value"][::-1], frame["role"][::-1], strict=True
        )
    ]
    for key, column, label in (
        ("stat_neighbour_avg", "stat_neighbour_avg", "Stat neighbour average"),
        ("national_avg", "national", "England"),
    ):
        value = first[column]
        if not pd.isna(value):
            ax.axvline(value, color=COLOURS[key], linestyle=STYLES[key], linewidth=1.8, label=label)
            described.append(f"{label} {_text(value, unit, decimals)}")
    fig.legend(loc="outside lower center", frameon=False, ncols=2)
    ax.set_title(f"{title} ({year})", loc="left")
    ax.set_xlabel(_axis_label(unit))
    alt = f"Bar chart. {title}, {year}, highest first: " + "; ".join(described) + "."
    return Chart(_render(fig), alt)
