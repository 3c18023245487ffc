"""``python -m cyps_analysis``: the same as the ``cyps-analysis`` command."""

from cyps_analysis.cli.main import main

main()
