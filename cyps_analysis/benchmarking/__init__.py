"""Benchmarks: statistical neighbours, England, region, quartiles, bands and ranks, for
the ``benchmark`` command and for a dataset's scorecard."""

from cyps_analysis.benchmarking.compare import compare_authorities

__all__ = ["compare_authorities"]
