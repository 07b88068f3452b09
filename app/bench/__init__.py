"""`pantau bench`: each subject registers benchmarks; the runner measures them at small and large scale."""

from .registry import BenchContext, Measurement, benchmark, registered

__all__ = ["BenchContext", "Measurement", "benchmark", "registered"]
