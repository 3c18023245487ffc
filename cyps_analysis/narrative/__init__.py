"""The narrative: "What's working well" and "Areas of challenge and focus", written from
the scorecard, with analysts' commentary and sign-off."""

from cyps_analysis.narrative.build import (
    Narrative,
    build_narrative,
    narrative_to_dict,
    narrative_to_markdown,
)

__all__ = ["Narrative", "build_narrative", "narrative_to_dict", "narrative_to_markdown"]
