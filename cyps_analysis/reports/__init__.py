"""The reports: what the notebooks call (this module's names, the only ones they use),
the pack, the runner and the HTML export.

A notebook opens a dataset for a period with :func:`open_report` and shows what the
other functions return: tables, charts and words, every rule computed in the package.

Examples
--------
In JupyterLab, from ``notebooks/``:

>>> from pathlib import Path
>>> import cyps_analysis
>>> from cyps_analysis import reports
>>> demo = Path(cyps_analysis.__file__).parents[1] / "data" / "demo"
>>> rep = reports.open_report(demo, "2024-25-Q4")
>>> rep.period.title, len(rep.scorecard)
('2024/25 Q4', 39)
"""

from cyps_analysis.reports.benchmarking_page import (
    benchmark_position,
    neighbour_charts,
    published_comparisons,
    quartile_position,
)
from cyps_analysis.reports.investigate import (
    benchmark_history,
    history_chart,
    indicator_row,
    monthly_detail,
    same_month_table,
    target_history,
)
from cyps_analysis.reports.investigate import neighbours as indicator_neighbours
from cyps_analysis.reports.investigate import summary as indicator_summary
from cyps_analysis.reports.report import (
    Report,
    header,
    monthly_table,
    narrative,
    open_report,
    rag_summary_table,
    show_all,
    trend_charts,
)
from cyps_analysis.reports.revisions import revisions_section
from cyps_analysis.reports.tables import publication_table
from cyps_analysis.reports.variation import spc_summary, xmr_chart, xmr_charts
from cyps_analysis.reports.whats_next import whats_next

__all__ = [
    "Report",
    "benchmark_history",
    "benchmark_position",
    "header",
    "history_chart",
    "indicator_neighbours",
    "indicator_row",
    "indicator_summary",
    "monthly_detail",
    "monthly_table",
    "narrative",
    "neighbour_charts",
    "open_report",
    "publication_table",
    "published_comparisons",
    "quartile_position",
    "rag_summary_table",
    "revisions_section",
    "same_month_table",
    "show_all",
    "spc_summary",
    "target_history",
    "trend_charts",
    "whats_next",
    "xmr_chart",
    "xmr_charts",
]
