"""What the SLA engine measures with: the SOP catalogue, the working calendar and the at-risk share."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pantau.settings import Settings
from pantau.sla.config import SopSettings
from pantau.sops import Sop, load_catalogue
from pantau.workcalendar import CalendarConfig, WorkingCalendar


@dataclass(frozen=True)
class SlaContext:
    """The catalogue by SOP code, the campus's working calendar and the `[sops]` settings."""

    catalogue: dict[str, Sop]
    calendar: WorkingCalendar
    config: SopSettings

    @property
    def at_risk_share(self) -> float:
        return self.config.at_risk_share

    def fingerprint(self, code: str) -> str:
        """A digest of everything an SOP's results depend on besides its events."""
        payload = {
            "sop": self.catalogue[code].model_dump(mode="json"),
            "calendar": self.calendar.config.model_dump(mode="json"),
            "at_risk_share": self.at_risk_share,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def sla_context(settings: Settings) -> SlaContext:
    """The context for `settings`; catalogue and calendar are cached per configuration."""
    config = calendar_config(settings)
    return SlaContext(
        catalogue=catalogue(tuple(settings.sops.dirs)),
        calendar=_calendar(config.model_dump_json()),
        config=settings.sops,
    )


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
