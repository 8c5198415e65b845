"""The benchmarking app has no tables of its own: it reads published values and target
sets, and keeps its scores in process memory (``scoreboard``)."""
