"""The ``cyps-analysis`` command, one module per group of commands."""

from cyps_analysis.cli.main import main

__all__ = ["main"]
