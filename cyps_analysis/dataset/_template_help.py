"""What each column of a dataset means, with an example, for the template's Instructions
sheet (the same words as docs/dataset.md)."""

from __future__ import annotations

#: table -> column -> (meaning, example).
COLUMN_HELP: dict[str, dict[str, tuple[str, str]]] = {
    "indicators": {
        "id": ("A stable identifier used in every other sheet: letters, digits, _ and -; "
               "unique.", "csc_assess45"),
        "title": ("The indicator's name as shown in reports.",
                  "Assessments completed within 45 working days"),
        "service_area": ("The service area; one of the service_areas in settings (pick "
                         "from the list).", "Children's Social Care"),
        "kind": ("benchmarking: how do we compare? (targets, RAG, benchmarks); activity: "
                 "how much have we done? (volumes, no RAG).", "benchmarking"),
        "polarity": ("Good performance is high, low, or none (neither).", "high"),
        "unit": ("percent, rate_per_10k, days, count or score.", "percent"),
        "decimals": ("Displayed precision, 0 to 4; RAG and direction are judged at it.", "1"),
        "aggregation": ("How quarter and year values come from the months: ratio, "
                        "snapshot, sum, mean, rolling12 or annual.", "ratio"),
        "frequency": ("monthly (default), quarterly or annual.", "monthly"),
        "year_type": ("financial (default), academic or calendar.", "financial"),
        "national_code": ("Optional: the national code of the same measure (LAIT's short "
                          "code), to fill in published benchmarks.", "Continue_Assess_Comp"),
        "definition": ("Optional: how the indicator is defined.",
                       "Assessments completed within 45 working days of referral"),
        "source": ("Optional: where the figures come from.", "Case management system"),
    },
    "targets": {
        "indicator": ("An id of a benchmarking indicator.", "csc_assess45"),
        "year": ("The indicator's year: 2024/25 (financial or academic) or 2025 "
                 "(calendar).", "2024/25"),
        "red": ("The Red band, in band notation (- for an empty band).", "<82%"),
        "amber": ("The Amber band (- for an empty band).", "82%+"),
        "green": ("The Green band: the target.", "90%+"),
        "national_standard": ("Optional: a national standard beside the local target, in "
                              "the same notation.", "80%+"),
    },
    "observations": {
        "indicator": ("An id from the indicators sheet.", "csc_assess45"),
        "month": ("The month the value belongs to, YYYY-MM (a date Excel makes of it is "
                  "read as its month).", "2025-03"),
        "value": ("The month's value; percentages as 0-100. Ratio indicators may leave it "
                  "blank (it comes from numerator and denominator).", "89.2"),
        "numerator": ("Needed for ratio indicators: e.g. assessments within 45 days.", "107"),
        "denominator": ("Needed for ratio indicators: e.g. assessments completed.", "120"),
    },
    "benchmarks": {
        "indicator": ("An id from the indicators sheet.", "csc_assess45"),
        "year": ("The year the benchmark refers to, written as for targets.", "2023/24"),
        "stat_neighbour_avg": ("Optional: the statistical neighbours' average.", "85.1"),
        "best_stat_neighbour": ("Optional: the best statistical neighbour's value.", "95.2"),
        "national_avg": ("Optional: the England figure.", "82.3"),
        "top_quartile": ("Optional: the boundary of the best quartile.", "91.0"),
        "regional_avg": ("Optional: the region's figure.", "84.0"),
    },
    "commentary": {
        "indicator": ("An indicator id (blank only for a summary line).", "csc_assess45"),
        "period": ("The reporting period the bullet belongs to.", "2024-25-Q4"),
        "section": ("working_well, challenges or summary.", "working_well"),
        "text": ("The bullet, in Markdown.", "Timeliness recovered after the new triage."),
        "mode": ("replace the generated bullet, or add to it.", "replace"),
    },
    "signoff": {
        "period": ("The reporting period signed off.", "2024-25-Q4"),
        "service_area": ("A service area from settings.", "Children's Social Care"),
        "signed_off_by": ("Who signed the narrative off.", "Head of Service"),
        "date": ("When, YYYY-MM-DD.", "2025-04-20"),
    },
    "spc_baseline": {
        "indicator": ("The id of the indicator whose control limits start again.", "csc_assess45"),
        "month": ("The first month of the new limits, YYYY-MM.", "2024-04"),
        "reason": ("Why the process changed (shown in the deep dive).", "Service redesign"),
    },
}  # fmt: skip

#: The settings sheet's keys: (meaning, example).
SETTINGS_HELP: dict[str, tuple[str, str]] = {
    "authority": ("Required: the authority's name, shown on every report.", "Demo Borough"),
    "la_code": ("The LA number, or the E06/E08/E09/E10 code.", "999"),
    "region": ("The authority's region.", "North West"),
    "as_at": ("Required: the date the data was extracted, YYYY-MM-DD.", "2025-04-14"),
    "service_areas": ("The service areas in report order, one a line (or separated by ;).",
                      "Family Help; Children's Social Care"),
    "band_labels.red": ("Optional: the name of the Red band.", "Red"),
    "band_labels.amber": ("Optional: the middle band's name (some say Yellow).", "Amber"),
    "band_labels.green": ("Optional: the name of the Green band.", "Green"),
    "small_denominator": ("Optional: denominators below this are flagged (default 10).", "10"),
    "publish.min_count": ("Optional: in a published pack (run --publish), a count below this, "
                          "or a percentage or rate from fewer cases, is shown as [c] "
                          "(default 5).", "5"),
}  # fmt: skip

INTRODUCTION: tuple[str, ...] = (
    "How to fill in this workbook",
    "Each sheet after this one is one table of the dataset (docs/dataset.md): settings, "
    "indicators, targets, observations, benchmarks, commentary, signoff. Keep the sheet "
    "names and the column names in row 1.",
    "Rows already in the sheets are examples (or, when made from a dataset, that "
    "dataset's catalogue, targets, benchmarks and settings): delete or change them. "
    "Add each month's values to the observations sheet.",
    "Cells with a drop-down (kind, polarity, unit, aggregation, frequency, year_type, "
    "service_area) take only the listed values, from the Lists sheet; a new service area "
    "is allowed after a warning, and must be added to service_areas in settings too.",
    "Check the workbook with: cyps-analysis validate --data FILE.xlsx. Each problem is "
    "named by sheet and cell (observations!C14) with what to do.",
)
