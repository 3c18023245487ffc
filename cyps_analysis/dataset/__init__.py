"""A dataset: its files read, its settings parsed and every value checked."""

from cyps_analysis.dataset.load import OPTIONAL_TABLES, TABLES, Dataset, load_dataset
from cyps_analysis.dataset.settings import DEFAULT_BAND_LABELS, Settings

__all__ = [
    "DEFAULT_BAND_LABELS",
    "OPTIONAL_TABLES",
    "TABLES",
    "Dataset",
    "Settings",
    "load_dataset",
]
