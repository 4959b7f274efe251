"""Benchmark scripts that print figures, and the data generators they share with the tests."""
