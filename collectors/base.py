"""The collector contract: a named job that reads a source, writes the store and says what it did."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import Engine

from pantau.settings import Settings


@dataclass(frozen=True)
class CollectorResult:
    """What one run did: how many items it handled and a line for people to read."""

    items: int = 0
    message: str = ""


class Collector(ABC):
    """One kind of source. Subclasses set `name`, implement `run`, and may read their interval from settings."""

    name: ClassVar[str]
    default_interval_s: ClassVar[float] = 60

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine

    @property
    def interval_s(self) -> float:
        """Seconds between two runs; override to take it from the settings."""
        return self.default_interval_s

    @abstractmethod
    def run(self) -> CollectorResult:
        """Collect once. Raise on failure: the scheduler records the error and runs again next interval."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} every {self.interval_s:g}s>"
