"""Readers of the DfE's published files: LAIT, explore education statistics, the
statistical neighbour model, the list of authorities and the measures derived from them."""
