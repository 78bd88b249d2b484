"""Hostile-input benchmark: wall time and peak memory of every scanner and importer on every hostile case
(run: python -m bench.hostile)."""
