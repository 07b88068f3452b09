"""Which collectors exist: classes register under their `name`; `build` makes the ones to run."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from sqlalchemy import Engine

from pantau.settings import Settings

from .base import Collector

BUILTIN_MODULES: tuple[str, ...] = ("collectors.alert_delivery", "collectors.monitors", "collectors.workflow",
                                   "collectors.ktm_photos", "collectors.ktm_pipeline", "collectors.accounts_expiry",
                                   "collectors.monthly_report", "collectors.bankstore", "collectors.bills",
                                   "collectors.source_watch")

_registry: dict[str, type[Collector]] = {}


def register(cls: type[Collector]) -> type[Collector]:
    """Class decorator: make a collector available under `cls.name`."""
    name = getattr(cls, "name", "")
    if not name:
        raise TypeError(f"{cls.__qualname__} has no `name`; a collector needs one to be registered")
    taken = _registry.get(name)
    if taken is not None and taken is not cls:
        raise ValueError(f"collector name {name!r} is already taken by {taken.__module__}.{taken.__qualname__}")
    _registry[name] = cls
    return cls


def unregister(name: str) -> None:
    """Forget the collector registered under `name` (nothing happens if there is none)."""
    _registry.pop(name, None)


def registered() -> dict[str, type[Collector]]:
    """Every registered collector class by name."""
    return dict(_registry)


def load_builtin() -> None:
    """Import the modules of Pantau's own collectors so that they register themselves."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)


def build(settings: Settings, engine: Engine, names: Iterable[str] | None = None) -> list[Collector]:
    """Instances of the named collectors (all registered ones, by name, when `names` is None)."""
    load_builtin()
    chosen = sorted(_registry) if names is None else list(names)
    unknown = [name for name in chosen if name not in _registry]
    if unknown:
        raise ValueError(f"unknown collector {', '.join(map(repr, unknown))}; known: {', '.join(sorted(_registry))}")
    return [_registry[name](settings, engine) for name in chosen]
