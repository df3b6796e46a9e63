"""Benchmarks (`make bench`): synthetic libraries made from the real cases, timed end to end."""
