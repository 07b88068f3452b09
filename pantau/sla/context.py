"""What the SLA engine measures with: the SOP catalogue, the working calendar and the at-risk share."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, func, select

from pantau.models import SopVersion
from pantau.settings import Settings
from pantau.sla.config import SopSettings
from pantau.sops import Sop, load_catalogue
from pantau.sops.campus import catalogue_for_campus
from pantau.workcalendar import CalendarConfig, WorkingCalendar


@dataclass(frozen=True)
class SlaContext:
    """The catalogue by SOP code, the campus's working calendar and the `[sops]` settings.

    `catalogue` is the current catalogue: the files, each SOP replaced by its newest published version where
    it has one (`versions`, by code and version); `files` is the catalogue of the files alone, which cases
    without a version follow (None: the same as `catalogue`). `issued` holds when each version was published,
    `current` each code's newest version (codes without one follow their file)."""

    catalogue: dict[str, Sop]
    calendar: WorkingCalendar
    config: SopSettings
    files: dict[str, Sop] | None = None
    versions: dict[tuple[str, int], Sop] = field(default_factory=dict)
    issued: dict[tuple[str, int], datetime] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)

    @property
    def at_risk_share(self) -> float:
        return self.config.at_risk_share

    @property
    def file_catalogue(self) -> dict[str, Sop]:
        return self.catalogue if self.files is None else self.files

    def definition(self, code: str, version: int | None) -> Sop | None:
        """The SOP a case of `code` started on: its published `version`, or the file for a case without one."""
        if version is None:
            return self.file_catalogue.get(code)
        return self.versions.get((code, version))

    def fingerprint(self, code: str) -> str:
        """A digest of everything an SOP's results depend on besides its events (published versions never
        change, so the files' definition, the calendar and the at-risk share)."""
        payload = {
            "sop": self.file_catalogue[code].model_dump(mode="json"),
            "calendar": self.calendar.config.model_dump(mode="json"),
            "at_risk_share": self.at_risk_share,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def sla_context(settings: Settings, engine: Engine | None = None) -> SlaContext:
    """The context for `settings`; catalogue and calendar are cached per configuration. With the store's
    `engine`, the SOPs published there replace their files (`with_published`)."""
    config = calendar_config(settings)
    ctx = SlaContext(
        catalogue=catalogue(tuple(settings.sops.dirs), settings.institution),
        calendar=_calendar(config.model_dump_json()),
        config=settings.sops,
    )
    return ctx if engine is None else with_published(ctx, engine)


def with_published(ctx: SlaContext, engine: Engine) -> SlaContext:
    """`ctx` with the store's published versions: each SOP's newest one is current, old ones measure old cases.

    Published versions never change, so they are read from the store once per process and kept; each call asks
    the store only how many there are (one small query), reading them again when that changed."""
    with engine.connect() as connection:
        mark = tuple(connection.execute(select(func.count(SopVersion.id), func.max(SopVersion.id))).one())
        if not mark[0]:
            return ctx
        key = (str(engine.url), mark)
        with _LOCK:
            found = _PUBLISHED.get(key)
        if found is None:
            found = _read_published(connection)
            with _LOCK:
                for stale in [k for k in _PUBLISHED if k[0] == key[0]]:
                    del _PUBLISHED[stale]
                _PUBLISHED[key] = found
    definitions, issued = found
    current: dict[str, int] = {}
    for code, version in definitions:
        current[code] = max(version, current.get(code, 0))
    newest = {code: definitions[(code, version)] for code, version in sorted(current.items())}
    return SlaContext({**ctx.file_catalogue, **newest}, ctx.calendar, ctx.config, files=ctx.file_catalogue,
                      versions=definitions, issued=issued, current=current)


_LOCK = threading.Lock()
_PUBLISHED: dict[tuple[str, tuple], tuple[dict[tuple[str, int], Sop], dict[tuple[str, int], datetime]]] = {}


def _read_published(connection) -> tuple[dict[tuple[str, int], Sop], dict[tuple[str, int], datetime]]:
    definitions, issued = {}, {}
    for row in connection.execute(select(SopVersion.sop_code, SopVersion.version, SopVersion.definition,
                                         SopVersion.published_at)):
        definitions[(row.sop_code, row.version)] = Sop.model_validate(row.definition)
        issued[(row.sop_code, row.version)] = row.published_at
    return definitions, issued


def calendar_config(settings: Settings) -> CalendarConfig:
    """The `[calendar]` section; its zone is the campus `timezone` unless the section names its own."""
    if "timezone" in settings.calendar.model_fields_set:
        return settings.calendar
    return settings.calendar.model_copy(update={"timezone": settings.timezone})


@lru_cache(maxsize=8)
def catalogue(dirs: tuple[Path, ...] = (), institution: str = "") -> dict[str, Sop]:
    """The SOP catalogue with the built-in files and `dirs`, loaded once per process; with the campus's
    `institution`, the SOPs name it wherever their documents named the institution they came from."""
    return catalogue_for_campus(load_catalogue(dirs), institution)


@lru_cache(maxsize=8)
def _calendar(config_json: str) -> WorkingCalendar:
    return WorkingCalendar.from_config(CalendarConfig.model_validate_json(config_json))
