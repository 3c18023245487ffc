"""Measures the DfE derives from the columns of its published files.

Some figures that LAIT and the DfE's reports show are not columns of the underlying
data: the share of initial child protection conferences (ICPCs) held within 15 working
days of the strategy discussion is worked out from the ICPCs by days taken. The
registry :data:`DERIVED` names each such measure and how it is made, so that
``--measure icpc_within_15_days`` reads it from the file that holds its columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DerivedMeasure:
    """A percentage (or rate) worked out from a file's columns:
    ``scale * sum(numerator columns) / denominator column``."""

    name: str
    title: str
    numerator: tuple[str, ...]
    denominator: str
    scale: float = 100.0
    polarity: str = "none"
    #: The LAIT measure that publishes the same figure, for checking.
    lait_code: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the measure needs."""
        return (*self.numerator, self.denominator)


DERIVED: dict[str, DerivedMeasure] = {
    m.name: m
    for m in (
        DerivedMeasure(
            name="icpc_within_15_days",
            title="Initial child protection conferences within 15 working days of the "
            "start of the section 47 enquiry (%)",
            numerator=("Duration_0-10_days", "Duration_11-15_days"),
            denominator="ICPC",
            polarity="high",
            lait_code="CP_conf_15days",
        ),
    )
}


def derive(numbers: pd.DataFrame, measure: DerivedMeasure) -> np.ndarray:
    """The derived measure from the numeric columns it needs (NaN where any is missing
    or the denominator is 0).

    Examples
    --------
    >>> frame = pd.DataFrame({"Duration_0-10_days": [10.0, 5.0], "Duration_11-15_days": [70.0, None],
    ...                       "ICPC": [100.0, 20.0]})
    >>> derive(frame, DERIVED["icpc_within_15_days"]).tolist()
    [80.0, nan]
    """
    top = numbers[list(measure.numerator)].to_numpy(dtype="float64").sum(axis=1)
    bottom = numbers[measure.denominator].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, measure.scale * top / bottom, np.nan)
