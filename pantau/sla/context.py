"""What the SLA engine measures with: the SOP catalogue, the working calendar and the at-risk share."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from pantau.settings import Settings
from pantau.sla.config import SopSettings
from pantau.sops import Sop, load_catalogue
from pantau.sops.versions import versions as published_versions
from pantau.workcalendar import CalendarConfig, WorkingCalendar


@dataclass(frozen=True)
class SlaContext:
    """The catalogue by SOP code, the campus's working calendar and the `[sops]` settings.

    `catalogue` is the current catalogue: the files, each SOP replaced by its newest published version where
    it has one (`versions`, by code and version); `files` is the catalogue of the files alone, which cases
    without a version follow (None: the same as `catalogue`)."""

    catalogue: dict[str, Sop]
    calendar: WorkingCalendar
    config: SopSettings
    files: dict[str, Sop] | None = None
    versions: dict[tuple[str, int], Sop] = field(default_factory=dict)

    @property
    def at_risk_share(self) -> float:
        return self.config.at_risk_share

    @property
    def file_catalogue(self) -> dict[str, Sop]:
        return self.catalogue if self.files is None else self.files

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
        catalogue=catalogue(tuple(settings.sops.dirs)),
        calendar=_calendar(config.model_dump_json()),
        config=settings.sops,
    )
    return ctx if engine is None else with_published(ctx, engine)


def with_published(ctx: SlaContext, engine: Engine) -> SlaContext:
    """`ctx` with the store's published versions: each SOP's newest one is current, old ones measure old cases."""
    with engine.connect() as connection:
        found = published_versions(connection)
    if not found:
        return ctx
    newest: dict[str, tuple[int, Sop]] = {}
    for (code, version), sop in found.items():
        if code not in newest or version > newest[code][0]:
            newest[code] = (version, sop)
    current = {**ctx.file_catalogue, **{code: sop for code, (_, sop) in sorted(newest.items())}}
    return SlaContext(current, ctx.calendar, ctx.config, files=ctx.file_catalogue, versions=found)


def calendar_config(settings: Settings) -> CalendarConfig:
    """The `[calendar]` section; its zone is the campus `timezone` unless the section names its own."""
    if "timezone" in settings.calendar.model_fields_set:
        return settings.calendar
    return settings.calendar.model_copy(update={"timezone": settings.timezone})


@lru_cache(maxsize=8)
def catalogue(dirs: tuple[Path, ...] = ()) -> dict[str, Sop]:
    """The SOP catalogue with the built-in files and `dirs`, loaded once per process."""
    return load_catalogue(dirs)


@lru_cache(maxsize=8)
def _calendar(config_json: str) -> WorkingCalendar:
    return WorkingCalendar.from_config(CalendarConfig.model_validate_json(config_json))
