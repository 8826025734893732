"""Benchmarks of heping-data: a corpus generator and the benchmark runner (run.py)."""
