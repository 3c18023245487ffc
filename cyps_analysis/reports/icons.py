"""The variation and assurance icons of NHS England's "Making Data Count", drawn here
as small SVG images (a circle and a letter, in the programme's colours: blue for
improvement or a target consistently passed, orange for concern or consistently
failed, purple for a change that is neither, grey for common cause or hit and miss),
each with a text alternative and always beside the words."""

from __future__ import annotations

import base64
from html import escape

#: (fill colour, letter) of each variation; H and L say whether the special cause is
#: high or low, given below from the polarity.
_VARIATION_COLOURS: dict[str, str] = {
    "improvement": "#1565c0",
    "concern": "#b34700",
    "neutral": "#6a1b9a",
    "common": "#616161",
}
_ASSURANCE: dict[str, tuple[str, str]] = {
    "consistent_pass": ("#1565c0", "P"),
    "consistent_fail": ("#b34700", "F"),
    "hit_and_miss": ("#616161", "?"),
}


def _svg(colour: str, mark: str) -> str:
    """A 24-pixel circle in ``colour`` holding a white letter, or (``mark`` empty) the
    zig-zag of common-cause variation."""
    inner = (
        f"<text x='12' y='16.5' font-family='Arial,sans-serif' font-size='13' "
        f"font-weight='bold' fill='#fff' text-anchor='middle'>{escape(mark)}</text>"
        if mark
        else "<polyline points='5,13 8,10 11,14 14,9 17,13 19,11' fill='none' "
        "stroke='#fff' stroke-width='2'/>"
    )
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' width='24' height='24' viewBox='0 0 24 24'>"
        f"<circle cx='12' cy='12' r='11' fill='{colour}'/>{inner}</svg>"
    )


def _img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f"<img src='data:image/svg+xml;base64,{data}' alt='{escape(alt, quote=True)}' "
        "width='18' height='18' style='vertical-align:middle;margin-right:4px'>"
    )


def variation_icon(variation: str | None, polarity: str) -> str:
    """The variation icon as an ``<img>`` with its text alternative ('' for none).

    >>> "alt='Variation icon: special cause of improvement, high'" in variation_icon(
    ...     "special_cause_improvement", "high")
    True
    """
    if not isinstance(variation, str):
        return ""
    if variation == "common_cause":
        return _img(_svg(_VARIATION_COLOURS["common"], ""), "Variation icon: common cause")
    kind = variation.removeprefix("special_cause_")
    if kind in ("high", "low"):
        letter, colour, words = kind[0].upper(), _VARIATION_COLOURS["neutral"], "special cause"
    else:
        high = (kind == "improvement") == (polarity == "high")
        letter, colour = ("H" if high else "L"), _VARIATION_COLOURS[kind]
        words = f"special cause of {kind}"
    side = "high" if letter == "H" else "low"
    return _img(_svg(colour, letter), f"Variation icon: {words}, {side}")


def assurance_icon(assurance: str | None) -> str:
    """The assurance icon as an ``<img>`` with its text alternative ('' for none)."""
    if not isinstance(assurance, str):
        return ""
    colour, letter = _ASSURANCE[assurance]
    return _img(_svg(colour, letter), f"Assurance icon: {assurance.replace('_', ' ')}")
