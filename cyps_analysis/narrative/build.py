"""The narrative: "What's working well" and "Areas of challenge and focus" for each
service area, and a short summary for the whole service, written from the scorecard,
the history and the benchmarks.

:func:`build_narrative` chooses and orders the bullets (the facts behind them come from
:mod:`cyps_analysis.narrative.facts`, the words from :mod:`cyps_analysis.narrative.wording`),
puts in the analysts' own (:mod:`cyps_analysis.dataset.commentary`) and marks drafts;
:func:`narrative_to_dict` and :func:`narrative_to_markdown` present it. See
``docs/narrative.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.narrative.commentary import apply_commentary, signoffs_for
from cyps_analysis.narrative.facts import NARRATIVE_BENCHMARKS, indicator_facts
from cyps_analysis.narrative.whats_next import whats_next_sentences
from cyps_analysis.narrative.wording import bullet_texts, hidden_sentences, month_words
from cyps_analysis.rules.periods import Period, month_key, parse_period

SECTIONS: tuple[str, ...] = ("working_well", "challenges")
SECTION_TITLES: dict[str, str] = {
    "working_well": "What's working well",
    "challenges": "Areas of challenge and focus",
    "summary": "Summary",
}
#: Columns of :attr:`Narrative.bullets`.
BULLET_COLUMNS: tuple[str, ...] = (
    "service_area",
    "section",
    "indicator",
    "text",
    "facts",
    "source",
    "draft",
)
#: How many of the challenges furthest from target the summary names.
SUMMARY_NAMED = 3


@dataclass(frozen=True)
class Narrative:
    """A period's narrative.

    ``bullets`` has one row per bullet, in report order, with the columns in
    ``BULLET_COLUMNS``: ``service_area`` (NA for the summary), ``section``
    (``working_well``, ``challenges`` or ``summary``), ``indicator`` (NA for a summary
    line about many), ``text``, ``facts`` (a dict: what the sentence states, see
    docs/narrative.md), ``source`` (``generated`` or ``analyst``) and ``draft`` (a
    generated bullet not yet signed off). ``signoffs`` holds the period's sign-offs
    (``service_area, signed_off_by, date``).
    """

    period: str
    period_title: str
    authority: str
    service_areas: tuple[str, ...]
    bullets: pd.DataFrame
    signoffs: pd.DataFrame

    def section(self, service_area: str | None, section: str) -> pd.DataFrame:
        """The bullets of one section of a service area (``None``: the summary)."""
        b = self.bullets
        area = (
            b["service_area"].isna() if service_area is None else b["service_area"] == service_area
        )
        return b[area & (b["section"] == section)].reset_index(drop=True)


def build_narrative(
    dataset: Dataset, period: str | Period, *, scorecard: pd.DataFrame | None = None
) -> Narrative:
    """The narrative of a period (``2025-03``, ``2024-25-Q4``, ``2024-25``).

    ``scorecard`` is the period's :func:`~cyps_analysis.scorecard.build.build_scorecard`, if
    already built. Nothing passed in is changed.

    Examples
    --------
    >>> from pathlib import Path
    >>> import cyps_analysis
    >>> demo = Path(cyps_analysis.__file__).parents[1] / "data" / "demo"
    >>> n = build_narrative(cyps_analysis.load_dataset(demo), "2024-25-Q4")
    >>> n.section("Family Help", "working_well")["indicator"].tolist()
    ['fh_eh_assess45', 'fh_eh_rereferral']
    """
    from cyps_analysis.scorecard.build import build_scorecard

    period = parse_period(period) if isinstance(period, str) else period
    card = build_scorecard(dataset, period, spc=True) if scorecard is None else scorecard
    settings = dataset.settings
    facts = indicator_facts(dataset, card, period, settings.narrative)
    facts["text"] = bullet_texts(facts) + whats_next_sentences(card, facts, period).to_numpy()
    if "min_count" in card.attrs:  # a published pack's: hidden figures say only that
        hidden = hidden_sentences(facts, period, card.attrs["min_count"]).to_numpy()
        facts["text"] = np.where(facts["hidden"], hidden, facts["text"])
    chosen = facts[facts["section"].notna()].sort_values("order")
    chosen = chosen[
        chosen.groupby(["service_area", "section"]).cumcount() < settings.narrative.max_bullets
    ]
    areas = _area_order(settings.service_areas, card["service_area"])
    chosen = chosen.assign(
        _area=chosen["service_area"].map({a: i for i, a in enumerate(areas)}),
        _section=chosen["section"].map({s: i for i, s in enumerate(SECTIONS)}),
    ).sort_values(["_area", "_section", "order"], kind="stable")
    generated = pd.DataFrame(
        {
            "service_area": chosen["service_area"].to_numpy(dtype=object),
            "section": chosen["section"].to_numpy(dtype=object),
            "indicator": chosen["id"].to_numpy(dtype=object),
            "text": chosen["text"].to_numpy(dtype=object),
            "facts": bullet_facts(chosen, period),
        }
    )
    summary = _summary(facts, period, settings)
    bullets = pd.concat([summary, generated], ignore_index=True)
    signoffs = signoffs_for(dataset.signoff, period.label)
    bullets = apply_commentary(
        bullets, dataset.commentary, dataset.indicators, period.label, set(signoffs["service_area"])
    )
    # Report order: the summary, then each service area's two sections; an analyst's
    # bullet that stands at the end of its section moves up to it.
    rank = {"summary": -1, **{s: i for i, s in enumerate(SECTIONS)}}
    bullets = bullets.assign(
        _area=bullets["service_area"].map({a: i for i, a in enumerate(areas)}).fillna(-1),
        _section=bullets["section"].map(rank),
    )
    bullets = bullets.sort_values(["_area", "_section"], kind="stable").reset_index(drop=True)
    return Narrative(
        period=period.label,
        period_title=period.title,
        authority=settings.authority,
        service_areas=areas,
        bullets=bullets[list(BULLET_COLUMNS)],
        signoffs=signoffs,
    )


def _area_order(settings_areas: tuple[str, ...], used: pd.Series) -> tuple[str, ...]:
    extra = [a for a in pd.unique(used.dropna()) if a not in settings_areas]
    return (*settings_areas, *extra)


def _number(x) -> float | None:
    return None if pd.isna(x) else float(x)


def _text(x) -> str | None:
    return None if pd.isna(x) else str(x)


def bullet_facts(facts: pd.DataFrame, period: Period) -> list[dict]:
    """Each bullet's facts as a plain dict (what the sentence states; keys in
    docs/narrative.md)."""
    records = facts.to_dict("records")
    out = []
    for r in records:  # building one small dict per bullet: tens of rows, not a table
        when = r["comparator_when"]
        out.append(
            {
                "indicator": r["id"],
                "value": _number(r["value"]),
                "unit": r["unit"],
                "polarity": r["polarity"],
                "rag": _text(r["rag"]),
                "rag_basis": "month" if period.kind == "month" else "year_to_date",
                "comparator": "last_year" if pd.notna(r["comparator_value"]) else None,
                "comparator_value": _number(r["comparator_value"]),
                "comparator_when": when if pd.notna(r["comparator_value"]) else None,
                "comparator_period": (
                    r["comparator_month"] if when == "month" else r["comparator_year"]
                )
                if pd.notna(r["comparator_value"])
                else None,
                "direction": _text(r["direction"]),
                "change": _text(r["change"]),
                "target": _number(r["target"]),
                "target_relation": _text(r["target_relation"]),
                "benchmarks": {
                    name: {
                        "value": _number(r[name]),
                        "year": _text(r[f"{name}_year"]),
                        "relation": _text(r[f"{name}_relation"]),
                    }
                    for name in NARRATIVE_BENCHMARKS
                    if pd.notna(r[f"{name}_relation"])
                },
                "record": _text(r["record"]),
                "record_since": _text(r["record_since"]),
                "caution": list(r["caution_codes"]),
                "variation": _text(r.get("spc_variation")),
                "uncertain_rag": r.get("interval_uncertain_rag"),
            }
        )
    return out


def _summary(facts: pd.DataFrame, period: Period, settings) -> pd.DataFrame:
    """The whole service in a few lines: the ratings, the direction, and the challenges
    furthest from target."""
    label = settings.label
    when = (
        f"For {month_words(month_key(period.end))}"
        if period.kind == "month"
        else "For the year to date"
    )
    rag = facts["rag"]
    counts = {r: int((rag == r).sum()) for r in ("Red", "Amber", "Green")}
    rated = sum(counts.values())
    lines: list[tuple[str, dict]] = []
    if rated:
        red = counts["Red"]
        text = (
            f"{when}, {red} of {rated} rated indicators {'is' if red == 1 else 'are'} "
            f"{label('Red')}, {counts['Amber']} {label('Amber')} and {counts['Green']} {label('Green')}."
        )
        lines.append(
            (
                text,
                {
                    "rag_basis": "month" if period.kind == "month" else "year_to_date",
                    "rated": rated,
                    "red": counts["Red"],
                    "amber": counts["Amber"],
                    "green": counts["Green"],
                },
            )
        )
    judged = facts[(facts["kind"] == "benchmarking") & ~facts["neutral"] & facts["change"].notna()]
    moves = {c: int((judged["change"] == c).sum()) for c in ("improving", "declining", "no change")}
    if sum(moves.values()):
        n = moves["improving"]
        text = (
            f"Compared with last year, {n} indicator{'' if n == 1 else 's'} improved, "
            f"{moves['declining']} declined and {moves['no change']} "
            f"{'was' if moves['no change'] == 1 else 'were'} unchanged."
        )
        lines.append(
            (
                text,
                {
                    "improving": moves["improving"],
                    "declining": moves["declining"],
                    "no_change": moves["no change"],
                },
            )
        )
    worst = facts[facts["rag"].isin(["Red", "Amber"]) & (facts["section"] == "challenges")]
    worst = worst.sort_values("order").head(SUMMARY_NAMED)
    if len(worst):
        named = [
            f"{t} ({label(r)}, {a})"
            for t, r, a in zip(worst["title"], worst["rag"], worst["service_area"], strict=True)
        ]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        lines.append(
            (
                f"Furthest from target: {listed}.",
                {"indicators": worst["id"].tolist(), "rags": worst["rag"].tolist()},
            )
        )
    return pd.DataFrame(
        {
            "service_area": pd.Series([None] * len(lines), dtype=object),
            "section": "summary",
            "indicator": pd.Series([None] * len(lines), dtype=object),
            "text": [t for t, _ in lines],
            "facts": [f for _, f in lines],
        }
    )


def _bullet_dict(row) -> dict:
    return {
        "indicator": _text(row["indicator"]),
        "text": row["text"],
        "facts": row["facts"],
        "source": row["source"],
        "draft": bool(row["draft"]),
    }


def narrative_to_dict(narrative: Narrative) -> dict:
    """The narrative as the ``narrative --format json`` command writes it:
    ``{"period", "service_areas": {NAME: {"working_well": [...], "challenges": [...]}},
    "summary": [...]}``, each bullet ``{"indicator", "text", "facts", "source",
    "draft"}``."""
    b = narrative.bullets
    as_dicts = pd.Series([_bullet_dict(row) for row in b.to_dict("records")], index=b.index)
    area = b["service_area"].astype(object)

    def pick(mask: pd.Series) -> list[dict]:
        return as_dicts[mask.fillna(False).astype(bool)].tolist()

    return {
        "period": narrative.period,
        "service_areas": {
            name: {s: pick((area == name) & (b["section"] == s)) for s in SECTIONS}
            for name in narrative.service_areas
        },
        "summary": pick(b["section"] == "summary"),
    }


def narrative_to_markdown(
    narrative: Narrative,
    *,
    service_area: str | None = None,
    level: int = 1,
    area_heading: bool = True,
) -> str:
    """The narrative as Markdown: the whole report, or one service area's two sections
    (``service_area``). ``level`` is the top heading's level. Generated bullets not yet
    signed off end with *(draft)*. Without ``area_heading``, one service area's text
    starts at its sign-off line, its sections at ``level``: for a page whose title
    names the area already."""
    h = "#" * level
    lines: list[str] = []
    if service_area is None:
        lines += [f"{h} {narrative.authority}: narrative, {narrative.period_title}", ""]
        lines += [f"{h}# {SECTION_TITLES['summary']}", ""]
        lines += _markdown_bullets(narrative.section(None, "summary"))
        areas = narrative.service_areas
        sub = h + "#"
    else:
        areas = (service_area,)
        sub = h if area_heading else h[:-1]
    for area in areas:
        if service_area is None or area_heading:
            lines += [f"{sub} {area}", ""]
        lines += [_signoff_line(narrative, area), ""]
        for s in SECTIONS:
            lines += [f"{sub}# {SECTION_TITLES[s]}", ""]
            lines += _markdown_bullets(narrative.section(area, s))
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_bullets(bullets: pd.DataFrame) -> list[str]:
    if bullets.empty:
        return ["- Nothing to report this period.", ""]
    draft = np.where(bullets["draft"], " *(draft)*", "")
    return [*("- " + bullets["text"] + draft), ""]


def _signoff_line(narrative: Narrative, area: str) -> str:
    s = narrative.signoffs[narrative.signoffs["service_area"] == area]
    if s.empty:
        return "*Draft: the generated text has not been signed off for this period.*"
    row = s.iloc[0]
    return f"*Signed off by {row['signed_off_by']} on {row['date']}.*"
