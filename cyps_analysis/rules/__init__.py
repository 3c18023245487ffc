"""The rules: periods, rounding, bands (targets notation), RAG, direction of travel,
aggregation and flags. Pure functions on tables; nothing here reads a file."""
