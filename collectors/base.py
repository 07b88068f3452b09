"""The collector contract: a named job that reads a source, writes the store and says what it did."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import Engine

from pantau.settings import Settings
from pantau.sources import SourceRef


@dataclass(frozen=True)
class CollectorResult:
    """What one run did: how many items it handled and a line for people to read."""

    items: int = 0
    message: str = ""


class SourceFailures(RuntimeError):
    """Some of a collector's sources failed, each recorded on its own source's status (with its own alert):
    the run failed, but the collector itself ran."""


class Collector(ABC):
    """One kind of source. Subclasses set `name`, implement `run`, and may read their interval from settings.

    A collector that reads several sources (monitors, bill sources, event sources, the bank inbox) lists them
    in `sources`, records each one's attempts (`pantau.sources.record_attempt`) and may check one alone in
    `check_source` (the sources page's "check now"); the scheduler records the collector's own runs.
    """

    name: ClassVar[str]
    default_interval_s: ClassVar[float] = 60
    courier: ClassVar[bool] = False
    """True for the collector that sends the alert outbox: the scheduler runs it after any run that filled it."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.run_lock = threading.Lock()
        """Held by the scheduler for each run or requested check, so they never overlap."""

    @property
    def interval_s(self) -> float:
        """Seconds between two runs; override to take it from the settings."""
        return self.default_interval_s

    @abstractmethod
    def run(self) -> CollectorResult:
        """Collect once. Raise on failure: the scheduler records the error and runs again next interval."""

    def observe(self) -> CollectorResult | None:
        """What this collector does while the store cannot be reached (the scheduler cannot confirm its lease):
        nothing by default. One that can keep what it observes in memory (the monitors) checks and keeps it."""
        return None

    def sources(self) -> list[SourceRef]:
        """The sources this collector reads, each with its expected interval (none besides itself by default)."""
        return []

    def check_source(self, kind: str, name: str) -> CollectorResult:
        """Check one of `sources()` now; by default the whole collector runs."""
        return self.run()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} every {self.interval_s:g}s>"
