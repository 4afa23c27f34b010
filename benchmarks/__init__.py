"""The benchmark suite: a synthetic carrier-graph generator and timed measurements (``make bench``)."""
