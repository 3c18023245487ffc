"""The reports: what the notebooks call, the pack, the runner and the HTML export."""
