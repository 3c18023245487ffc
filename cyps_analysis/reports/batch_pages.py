"""The pages of a batch: ``index.html`` linking every pack, and ``summary.html``
comparing the authorities (headline RAG counts, each shared indicator's value, and a
small-multiples chart). Every name and title is data: all of it is escaped."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from cyps_analysis.reports.pack import INDEX_CSS
from cyps_analysis.reports.report import RAG_ORDER, long_date, rag_summary
from cyps_analysis.reports.safe_html import text
from cyps_analysis.scorecard.layout import format_values

if TYPE_CHECKING:
    from cyps_analysis.reports.batch import BatchResult, PackPlan

_STATUS = {"built": "made in this run", "skipped": "up to date, kept", "failed": "FAILED"}


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title)}</title><style>{INDEX_CSS}</style></head>
<body><main>
<h1>{text(title)}</h1>
{body}
</main></body></html>
"""


def batch_index_html(result: BatchResult, *, summary: bool) -> str:
    """The batch's front page: a link to each pack's ``index.html`` (relative to the
    batch folder), by authority, with what became of it in this run."""
    sections: dict[str, list[str]] = {}
    for outcome in result.packs:
        p = outcome.plan
        rel = outcome.folder.relative_to(result.root).as_posix()
        label = text(p.report.period.title)
        if outcome.status == "failed":
            item = (
                f"<li>{label} <span class='failed'>failed: see "
                f"{text(rel)}/_internal/run.log</span></li>"
            )
        else:
            item = (
                f"<li><a href='{text(rel)}/index.html'>{label}</a> "
                f"<span class='meta'>({_STATUS[outcome.status]})</span></li>"
            )
        sections.setdefault(p.report.authority, []).append(item)
    body = "".join(
        f"<h2>{text(authority)}</h2><ul>{''.join(items)}</ul>"
        for authority, items in sections.items()
    )
    if result.data_failures:
        # The folder's name only: the messages name local paths (they are on screen).
        items = "".join(
            f"<li>{text(f.data.name)} <span class='failed'>not run: its data could not be "
            "loaded (the run's messages say why)</span></li>"
            for f in result.data_failures
        )
        body += f"<h2>Datasets not run</h2><ul>{items}</ul>"
    first = result.packs[0].plan.report if result.packs else None
    made = f"<p class='meta'>Batch made {text(long_date(first.run_date))}</p>" if first else ""
    link = (
        "<p><a href='summary.html'>Regional summary: the authorities compared</a></p>"
        if summary
        else ""
    )
    return _page("Performance packs", made + link + body)


def _headline_values(report) -> pd.DataFrame:
    """Each indicator's headline value (the year to date's for quarters and years, the
    month's for months) with its title, unit and decimals."""
    card = report.scorecard
    value = card[report.period.label] if report.is_month else card["outturn"]
    return pd.DataFrame(
        {
            "id": card["id"],
            "title": card["title"],
            "unit": card["unit"],
            "decimals": card["decimals"],
            "value": pd.to_numeric(value, errors="coerce"),
        }
    )


def regional_tables(packs: Sequence[PackPlan]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """For each period: the authorities' headline RAG counts (benchmarking indicators,
    all service areas), and the headline value of each indicator every authority has
    (by id, in the first authority's order; one column per authority)."""
    out = {}
    for label in dict.fromkeys(p.report.period.label for p in packs):
        reports = [p.report for p in packs if p.report.period.label == label]
        counts = pd.DataFrame(
            [rag_summary(r.scorecard).loc["All service areas"] for r in reports],
            index=pd.Index([r.authority for r in reports], name="Authority"),
        )[list(RAG_ORDER)]
        values = [_headline_values(r).set_index("id") for r in reports]
        shared = [i for i in values[0].index if all(i in v.index for v in values[1:])]
        table = values[0].loc[shared, ["title", "unit", "decimals"]].copy()
        for r, v in zip(reports, values, strict=True):
            table[r.authority] = v.loc[shared, "value"]
        out[label] = (counts, table)
    return out


def small_multiples(table: pd.DataFrame, authorities: list[str]):
    """One small bar chart per shared indicator, a bar per authority, as a
    :class:`~cyps_analysis.reports.plots.Chart` with a text alternative giving every
    value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cyps_analysis.reports.plots import COLOURS, Chart, _render

    n = max(len(table), 1)
    cols = min(3, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 0.6 + 0.45 * len(authorities) * rows))
    axes = [axes] if n == 1 else list(getattr(axes, "flat", axes))
    alt = []
    for ax, (_, row) in zip(axes, table.iterrows(), strict=False):
        values = pd.to_numeric(row[authorities], errors="coerce").astype("float64")
        words = format_values(
            values.to_numpy(),
            pd.Series([row["unit"]] * len(values)),
            pd.Series([row["decimals"]] * len(values)),
        )
        ax.barh(range(len(authorities)), values.fillna(0).to_numpy(), color=COLOURS["value"])
        ax.set_yticks(range(len(authorities)), authorities, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(str(row["title"])[:40], fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        alt.append(
            f"{row['title']}: "
            + ", ".join(f"{a} {w or 'no value'}" for a, w in zip(authorities, words, strict=True))
        )
    for ax in axes[len(table) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return Chart(_render(fig), "Headline values by authority. " + "; ".join(alt) + ".")


def regional_summary_html(packs: Sequence[PackPlan]) -> str:
    """The regional summary: for each period of the batch, the authorities' headline
    Red, Amber and Green counts, and their headline value of each indicator they all
    have, in a table and a small-multiples chart."""
    sections = []
    for label, (counts, table) in regional_tables(packs).items():
        title = next(p.report.period.title for p in packs if p.report.period.label == label)
        authorities = list(counts.index)
        head = "".join(f"<th scope='col'>{text(c)}</th>" for c in ["Authority", *counts.columns])
        rows = "".join(
            f"<tr><th scope='row'>{text(a)}</th>"
            + "".join(
                f"<td class='{text(c.lower())}'>{int(n)}</td>"
                if c in ("Red", "Amber", "Green")
                else f"<td>{int(n)}</td>"
                for c, n in r.items()
            )
            + "</tr>"
            for a, r in counts.iterrows()
        )
        vhead = "".join(f"<th scope='col'>{text(c)}</th>" for c in ["Indicator", *authorities])
        vrows = "".join(
            f"<tr><th scope='row'>{text(r['title'])}</th>"
            + "".join(
                f"<td>{text(w)}</td>"
                for w in format_values(
                    pd.to_numeric(r[authorities], errors="coerce").to_numpy(dtype="float64"),
                    pd.Series([r["unit"]] * len(authorities)),
                    pd.Series([r["decimals"]] * len(authorities)),
                )
            )
            + "</tr>"
            for _, r in table.iterrows()
        )
        chart = ""
        if len(table):
            c = small_multiples(table, authorities)
            svg = base64.b64encode(c.svg.encode("utf-8")).decode("ascii")
            chart = f"<img class='chart' src='data:image/svg+xml;base64,{svg}' alt='{text(c.alt)}'>"
        sections.append(
            f"<h2>{text(title)}</h2>"
            f"<table><caption>Headline ratings of benchmarking indicators</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"<table><caption>Headline values of the indicators every authority has"
            f"</caption><thead><tr>{vhead}</tr></thead><tbody>{vrows}</tbody></table>{chart}"
        )
    return _page("Regional summary", "".join(sections))


__all__ = ["batch_index_html", "regional_summary_html", "regional_tables", "small_multiples"]
