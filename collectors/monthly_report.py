"""The `monthly-report` collector: e-mail last month's report to the directors once a month.

From `day` and `hour` of each month (campus time) it sends the previous month's report through every alert
channel that carries the directors' messages (`[alerts] channels` with role `direktur`, or the roles set
in `[reports] roles`), as HTML. A report that went out is written to the audit log, which is also how a
month is known to be done; a failed send is tried again at the next run.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import apprise
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine, select

from pantau import audit
from pantau.alerts import channels_for
from pantau.db import session_scope
from pantau.models import AuditEntry, utcnow
from pantau.settings import AlertChannel, Role, Settings
from queries import monthly_report as monthly

from .base import Collector, CollectorResult
from .registry import register

ACTION = "report.monthly.sent"


class ReportSettings(BaseModel):
    """The `[reports]` section: when the monthly report goes out and to whose channels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    monthly: bool = True
    day: int = Field(1, ge=1, le=28)
    hour: int = Field(7, ge=0, le=23)
    roles: list[Role] = Field(default_factory=lambda: ["direktur"])
    every_s: int = Field(3600, ge=60)


def report_settings(settings: Settings) -> ReportSettings:
    """The typed `[reports]` section; ValueError names the field that is wrong."""
    try:
        return ReportSettings.model_validate(settings.reports)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "(section)"
        raise ValueError(f"[reports] field {name}: {first['msg']} (got {first['input']!r})") from None


def due_month(now: datetime, zone: str, config: ReportSettings) -> str | None:
    """The month whose report is due at `now` (the previous month, once `day` and `hour` have come)."""
    local = now.astimezone(ZoneInfo(zone))
    if (local.day, local.hour) < (config.day, config.hour):
        return None
    return monthly.previous_month(now, zone)


def recipients(settings: Settings, config: ReportSettings) -> list[AlertChannel]:
    """The alert channels that carry any of the report's roles, each once."""
    seen, out = set(), []
    for role in config.roles:
        for channel in channels_for(role, settings.alerts.channels):
            if channel.url not in seen:
                seen.add(channel.url)
                out.append(channel)
    return out


def send(report: monthly.MonthlyReport, channels: list[AlertChannel], settings: Settings) -> list[str]:
    """Send the report as HTML through each channel; returns what failed, by channel."""
    lang, zone = settings.language, settings.timezone
    title, _ = monthly.heading(report, lang, zone)
    body = monthly.render_html(report, lang, zone)
    errors = []
    for channel in channels:
        notifier = apprise.Apprise()
        if not notifier.add(channel.url):
            errors.append(f"{channel.name or 'channel'}: not a valid apprise URL")
            continue
        warnings: list[str] = []
        if not notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.HTML,
                               log_callback=lambda entry, _plugin, sink=warnings: sink.append(entry.message)):
            errors.append(f"{channel.name or notifier[0].url(privacy=True)}: {'; '.join(warnings) or 'not delivered'}")
    return errors


def deliver(engine: Engine, settings: Settings, report: monthly.MonthlyReport, actor: str = "system") -> int:
    """Send the report to every channel of the report's roles and write it to the audit log; returns the
    number of channels. RuntimeError when there is none, or when any channel did not take it."""
    config = report_settings(settings)
    channels = recipients(settings, config)
    if not channels:
        raise RuntimeError(f"report {report.month} not sent: no alert channel carries {', '.join(config.roles)}")
    errors = send(report, channels, settings)
    if errors:
        raise RuntimeError(f"report {report.month} not delivered: {'; '.join(errors)}")
    with session_scope(engine) as session:
        audit.record(session, actor, ACTION, report.month, {"channels": [c.name or "channel" for c in channels],
                                                            "kpis": len(report.kpis)})
    return len(channels)


@register
class MonthlyReportCollector(Collector):
    """Mail the previous month's report to the directors once it is due."""

    name = "monthly-report"

    @property
    def interval_s(self) -> float:
        return report_settings(self.settings).every_s

    def run(self) -> CollectorResult:
        config = report_settings(self.settings)
        now = utcnow()
        month = due_month(now, self.settings.timezone, config) if config.monthly else None
        if month is None:
            return CollectorResult(0, "no report due")
        with session_scope(self.engine) as session:
            if session.scalar(select(AuditEntry.id).where(AuditEntry.action == ACTION, AuditEntry.target == month)):
                return CollectorResult(0, f"report {month} already sent")
        if not recipients(self.settings, config):
            return CollectorResult(0, f"report {month} not sent: no alert channel carries {', '.join(config.roles)}")
        sent = deliver(self.engine, self.settings, monthly.build(self.engine, self.settings, month, now))
        return CollectorResult(sent, f"report {month} sent through {sent} channels")
