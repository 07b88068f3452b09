"""The ``[monitoring]`` section: retention, host metrics and the thresholds of server alerts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pantau.settings import Settings

from .config import MonitorConfig, MonitorConfigError, parse_monitors


class MonitoringSettings(BaseModel):
    """How long each kind of monitoring data is kept, how hosts are read, and when to alert."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    raw_retention_hours: float = Field(48, gt=0, description="raw probe samples")
    minute_retention_days: float = Field(7, gt=1, description="minute rollups (the 24 h views need a day)")
    hour_retention_days: float = Field(400, gt=31, description="hour rollups (the 30 d views need a month)")
    day_retention_days: float | None = Field(None, gt=366, description="day rollups; None keeps them forever")
    host_retention_days: float = Field(30, gt=0, description="host metric readings")
    host_full_hours: float = Field(48, gt=0, description="host readings kept at full rate, then thinned")
    host_thin_s: int = Field(300, ge=60, le=86_400, description="one host reading per this many seconds")
    retention_every_s: int = Field(3600, ge=60)
    host_every_s: int = Field(60, ge=5)
    host_processes: tuple[str, ...] = ()
    host_mounts: tuple[str, ...] | None = None
    disk_alert_percent: float = Field(90, gt=0, le=100)
    cert_alert_days: float = Field(14, ge=0)

    @property
    def raw_retention(self) -> timedelta:
        return timedelta(hours=self.raw_retention_hours)

    def rollup_retention(self) -> dict[str, timedelta | None]:
        """How far back each rollup level is kept (None: forever)."""
        day = None if self.day_retention_days is None else timedelta(days=self.day_retention_days)
        return {"minute": timedelta(days=self.minute_retention_days),
                "hour": timedelta(days=self.hour_retention_days), "day": day}


def monitoring_settings(settings: Settings) -> MonitoringSettings:
    """The typed ``[monitoring]`` section; ValueError names the field that is wrong."""
    try:
        return MonitoringSettings.model_validate(settings.monitoring)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(section)"
        raise ValueError(f"[monitoring] field {field}: {first['msg']} (got {first['input']!r})") from None


def load_monitors(settings: Settings) -> list[MonitorConfig]:
    """The configured ``[[monitors]]``, checked (see :func:`parse_monitors`)."""
    return parse_monitors(settings.monitors, zone=settings.timezone, source=settings.config)


def zone_of(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.timezone)


__all__ = ["MonitorConfigError", "MonitoringSettings", "load_monitors", "monitoring_settings", "zone_of"]
