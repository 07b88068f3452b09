"""The `alerts` collector: remind about alerts nobody has taken on, and send what the outbox holds.

It runs on its own interval and also right after any collector whose run put a message in the outbox
(`collectors.scheduler`), so an alert is mailed in the pass that raised it."""

from __future__ import annotations

from datetime import timedelta

from pantau.alerts import deliver_pending, enqueue_reminders
from pantau.db import session_scope
from pantau.sla.context import sla_context

from .base import Collector, CollectorResult
from .registry import register


@register
class AlertsCollector(Collector):
    """Queue reminders every `alerts.reminder_minutes`, then deliver through `alerts.channels`."""

    name = "alerts"
    courier = True

    @property
    def interval_s(self) -> float:
        return self.settings.alerts.deliver_every_s

    def run(self) -> CollectorResult:
        config = self.settings.alerts
        with session_scope(self.engine) as session:
            reminders = enqueue_reminders(session, every=timedelta(minutes=config.reminder_minutes))
        with session_scope(self.engine) as session:
            report = deliver_pending(
                session, config.channels, language=self.settings.language, zone=self.settings.timezone,
                catalogue=sla_context(self.settings, self.engine).catalogue,
                public_url=self.settings.resolved_public_url,
            )
        return CollectorResult(
            items=report.sent,
            message=(
                f"{reminders} reminders queued; {report.sent} sent, {report.failed} failed, "
                f"{report.unrouted} without a channel"
                + (f" (roles {', '.join(report.unrouted_roles)}: set alerts.channels)" if report.unrouted else "")
            ),
        )
