"""Benchmarks register here; each gets a store filled at one scale and returns its measurements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from sqlalchemy import Engine

from pantau.settings import Settings


@dataclass
class BenchContext:
    settings: Settings
    engine: Engine
    scale: str
    workdir: Path
    cache: Path
    """Where benchmarks keep stores they build themselves, from one run to the next."""


@dataclass
class Measurement:
    """Samples of one metric at one scale; `unit` "s" for timings, else a rate or a size."""

    metric: str
    samples: list[float]
    unit: str = "s"
    baseline: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def baseline_ratio(self) -> float | None:
        """Ours ÷ a naive baseline measured in the same run (below 1 means faster)."""
        return self.median / median(self.baseline) if self.baseline else None


Benchmark = Callable[[BenchContext], list[Measurement]]
_REGISTRY: dict[str, Benchmark] = {}
_OWN_STORE: set[str] = set()
BUILTIN_MODULES = ("app.bench.shell", "app.bench.servers", "app.bench.sla", "app.bench.overview",
                   "app.bench.payments", "app.bench.bills", "app.bench.growth", "app.bench.status", "app.bench.pages",
                   "app.bench.load_pages")


def benchmark(name: str, *, demo: bool = True) -> Callable[[Benchmark], Benchmark]:
    """Register a benchmark; `demo=False` for one that builds its own stores and needs no demo campus."""

    def decorate(function: Benchmark) -> Benchmark:
        _REGISTRY[name] = function
        if not demo:
            _OWN_STORE.add(name)
        return function

    return decorate


def registered() -> dict[str, Benchmark]:
    import importlib

    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def needs_demo(name: str) -> bool:
    """Whether the benchmark reads the runner's demo campus."""
    return name not in _OWN_STORE
