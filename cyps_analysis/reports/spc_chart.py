"""The XmR chart of an indicator (Making Data Count): its points, the mean and process
limits of each segment (a step where limits start again from a baseline month), the
target, and special-cause points coloured by improvement or concern and marked by
shape as well, so that colour is never the only cue. The text alternative says the
same in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.reports.plots import COLOURS, Chart, _axis_label, _figure, _render, _text
from cyps_analysis.scorecard.layout import ASSURANCE_WORDS, VARIATION_WORDS

#: Special-cause points: (colour, marker, legend). Blue for improvement and orange for
#: concern as the programme's icons; purple where neither is better. Each shape differs.
SPECIAL_STYLES: dict[str, tuple[str, str, str]] = {
    "improvement": ("#1565c0", "^", "Improvement"),
    "concern": ("#b34700", "v", "Concern"),
    "high": ("#6a1b9a", "D", "Unusually high"),
    "low": ("#6a1b9a", "s", "Unusually low"),
}
#: How the text alternative names each kind (with the marker's shape).
SPECIAL_WORDS: dict[str, str] = {
    "improvement": "special cause of improvement (blue triangles up)",
    "concern": "special cause of concern (orange triangles down)",
    "high": "special cause, higher than usual (purple diamonds)",
    "low": "special cause, lower than usual (purple squares)",
}
LINE_COLOURS: dict[str, str] = {"point": "#616161", "mean": "#212121", "limit": "#424242"}


def point_kinds(points: pd.DataFrame, polarity: str) -> np.ndarray:
    """Each point's kind for the chart: ``improvement``, ``concern``, ``high``, ``low``,
    or ``common`` (by :func:`cyps_analysis.rules.spc.variation_codes`)."""
    from cyps_analysis.rules.spc import VARIATIONS, variation_codes

    codes = variation_codes(points, np.full(len(points), polarity, dtype=object))
    words = np.array(
        ["common" if v == "common_cause" else v.removeprefix("special_cause_") for v in VARIATIONS]
        + ["common"],
        dtype=object,
    )
    return words[codes]


def xmr_chart(
    points: pd.DataFrame,
    indicator: pd.Series,
    *,
    target: pd.DataFrame | None = None,
    baselines: list[dict] | None = None,
) -> Chart:
    """One indicator's XmR chart.

    Parameters
    ----------
    points
        Its rows of :func:`cyps_analysis.scorecard.spc.spc_points` (``month_number``,
        ``label``, ``value``, ``segment``, ``mean``, ``lower``, ``upper``, the rules).
    indicator
        Its scorecard row with SPC columns (title, unit, decimals, polarity,
        ``spc_variation``, ``spc_assurance``, ``spc_reason``).
    target
        ``month_number`` and ``threshold``: the Green threshold of each month's year.
    baselines
        ``{"month", "reason"}`` of each baseline month shown.
    """
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    title = indicator["title"]
    fig, ax = _figure()
    x = points["month_number"].to_numpy()
    ax.plot(x, points["value"], color=LINE_COLOURS["point"], marker="o", markersize=3,
            linewidth=1.2, label="Value")  # fmt: skip
    described = []
    if len(points):
        last = points.iloc[-1]
        # A point hidden in a published report (no value) is not drawn, nor described.
        latest = _text(last["value"], unit, decimals) or "not published"
        described.append(
            f"{title}, {points.iloc[0]['label']} to {last['label']}: latest "
            f"{latest} in {last['label']}"
        )
    else:
        described.append(f"{title}: no values recorded")
    first_of_segment = True
    for _, seg in points.groupby("segment", sort=True):
        if seg["mean"].isna().all():
            continue
        sx = seg["month_number"].to_numpy()
        for column, style, label in (
            ("mean", "-", "Mean"),
            ("upper", "--", "Process limits"),
            ("lower", "--", None),
        ):
            ax.plot(sx, seg[column], color=LINE_COLOURS["mean" if column == "mean" else "limit"],
                    linestyle=style, linewidth=1.2,
                    label=label if first_of_segment else None)  # fmt: skip
        first_of_segment = False
    if len(points) and not points["mean"].isna().all():
        latest = points[points["segment"] == points["segment"].iloc[-1]].iloc[-1]
        if not pd.isna(latest["mean"]):
            shown = decimals + 1
            described.append(
                f"mean {_text(latest['mean'], unit, shown)}, process limits "
                f"{_text(latest['lower'], unit, shown)} to {_text(latest['upper'], unit, shown)}"
            )
    kinds = point_kinds(points, indicator["polarity"]) if len(points) else np.array([])
    for kind, (colour, marker, label) in SPECIAL_STYLES.items():
        hit = points[(kinds == kind) & points["value"].notna().to_numpy()]
        if len(hit):
            ax.scatter(hit["month_number"], hit["value"], color=colour, marker=marker, s=42,
                       zorder=3, label=label)  # fmt: skip
            months = ", ".join(hit["label"].head(6)) + (" and others" if len(hit) > 6 else "")
            described.append(f"{SPECIAL_WORDS[kind]} at {len(hit)} points ({months})")
    if target is not None and len(target):
        ax.step(target["month_number"], target["threshold"], where="post",
                color=COLOURS["target"], linestyle=":", linewidth=1.8, label="Target (Green)")  # fmt: skip
        if indicator.get("green"):
            described.append(f"target {indicator['green']}")
    for b in baselines or []:
        at = points.loc[points["month"] == b["month"], "month_number"]
        if len(at):
            ax.axvline(at.iloc[0], color="#9e9e9e", linestyle="-.", linewidth=1)
            described.append(f"limits start again in {b['month']} ({b['reason']})")
    variation = indicator.get("spc_variation")
    if isinstance(variation, str):
        described.append(f"latest point: {VARIATION_WORDS[variation].lower()}")
    elif isinstance(indicator.get("spc_reason"), str):
        described.append(f"no limits: {indicator['spc_reason']}")
    assurance = indicator.get("spc_assurance")
    if isinstance(assurance, str):
        described.append(ASSURANCE_WORDS[assurance].lower())
    start = {"financial": "Apr", "academic": "Sep", "calendar": "Jan"}.get(
        indicator.get("year_type"), "Apr"
    )
    ticks = points.loc[points["label"].str.startswith(start), ["month_number", "label"]]
    ax.set_xticks(ticks["month_number"].to_numpy(), ticks["label"].tolist())
    ax.set_title(f"{title}: XmR chart", loc="left", fontsize=11)
    ax.set_ylabel(_axis_label(unit))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    alt = "XmR chart. " + "; ".join(d for d in described if d) + "."
    return Chart(_render(fig), alt)
