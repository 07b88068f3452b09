"""Drain the alert outbox through apprise: every pending message goes to the channels of its alert's role."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import apprise
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.models import Alert, AlertDelivery, utcnow
from pantau.settings import AlertChannel
from pantau.sla.context import catalogue as builtin_catalogue
from pantau.sops import Sop

from .audience import audience, sees
from .message import Message, compose

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class DeliveryReport:
    """What one drain did: messages sent, attempts that failed, messages no channel carries (and their roles)."""

    sent: int = 0
    failed: int = 0
    unrouted: int = 0
    unrouted_roles: tuple[str, ...] = ()


def channels_for(role: str, channels: Sequence[AlertChannel]) -> list[AlertChannel]:
    """The channels that carry alerts for `role` (a channel without roles carries every role)."""
    return [channel for channel in channels if not channel.roles or role in channel.roles]


def channels_for_alert(alert: Alert, channels: Sequence[AlertChannel],
                       catalogue: Mapping[str, Sop]) -> list[AlertChannel]:
    """The channels that carry `alert`: a channel without roles carries every alert (like the administrator);
    a channel of the alert's role carries it when that role may see it (`pantau.alerts.audience`), an operator
    channel as an operator of one of its `units` would."""
    def carries(channel: AlertChannel) -> bool:
        if not channel.roles:
            return True
        if alert.role not in channel.roles:
            return False
        return any(sees(audience(catalogue, alert.role, unit), alert.role, alert.sop_code, alert.step_key)
                   for unit in channel.units or [None])

    return [channel for channel in channels if carries(channel)]


def deliver_pending(
    session: Session,
    channels: Sequence[AlertChannel],
    *,
    language: str = "id",
    zone: str = "Asia/Jakarta",
    now: datetime | None = None,
    max_attempts: int = 5,
    catalogue: Mapping[str, Sop] | None = None,
    public_url: str = "",
) -> DeliveryReport:
    """Send every unsent delivery that has attempts left; record success, or the error and the attempt.

    A delivery goes to all channels that carry its alert (`channels_for_alert`, with the SOP `catalogue`:
    the built-in one unless given) and counts as sent when every one accepted it;
    otherwise it stays pending and is tried again on the next drain, up to `max_attempts` times. A
    delivery whose role no channel carries is closed with that reason: the alert still shows in the app.
    Sending happens before any write, so the store is not locked while a mail server is slow. Links are made
    absolute under `public_url`. Messages without a channel are logged at debug level only: `pantau run` and
    `pantau collect` say once which roles have no channel (`pantau.setup_status`).
    """
    now = now or utcnow()
    catalogue = builtin_catalogue() if catalogue is None else catalogue
    pending = session.execute(
        select(AlertDelivery, Alert)
        .join(Alert, Alert.id == AlertDelivery.alert_id)
        .where(AlertDelivery.sent_at.is_(None), AlertDelivery.attempts < max_attempts)
        .order_by(AlertDelivery.created_at, AlertDelivery.id)
    ).all()
    sent = failed = unrouted = 0
    unrouted_roles: set[str] = set()
    for delivery, alert in pending:
        targets = channels_for_alert(alert, channels, catalogue)
        if not targets:
            reason = f"no channel for role {alert.role}" + (f" that may see SOP {alert.sop_code}" if alert.sop_code
                                                             else "")
            log.debug("alert %s: %s; shown in the app only", alert.id, reason)
            delivery.sent_at, delivery.error = now, reason
            unrouted += 1
            unrouted_roles.add(alert.role)
            continue
        message = compose(alert, delivery.event, language=language, zone=zone, public_url=public_url)
        errors = [error for channel in targets if (error := _send(channel, message))]
        delivery.attempts += 1
        if errors:
            delivery.error = "; ".join(errors)
            log.warning(
                "alert %s %s not delivered (attempt %d): %s",
                alert.id, delivery.event, delivery.attempts, delivery.error,
            )
            failed += 1
        else:
            delivery.sent_at, delivery.error = now, None
            sent += 1
    return DeliveryReport(sent=sent, failed=failed, unrouted=unrouted, unrouted_roles=tuple(sorted(unrouted_roles)))


def has_unsent(session: Session) -> bool:
    """Whether a message waits that no drain has tried yet (a collector has just raised or cleared an alert)."""
    return session.scalar(select(AlertDelivery.id).where(
        AlertDelivery.sent_at.is_(None), AlertDelivery.attempts == 0).limit(1)) is not None


def _send(channel: AlertChannel, message: Message) -> str | None:
    """Send `message` through one channel; return None on success, else why it failed."""
    notifier = apprise.Apprise()
    if not notifier.add(channel.url):
        return f"{channel.name or 'channel'}: not a valid apprise URL"
    label = channel.name or notifier[0].url(privacy=True)
    warnings: list[str] = []
    result = notifier.notify(
        title=message.title,
        body=message.html or message.body,
        body_format=apprise.NotifyFormat.HTML if message.html else apprise.NotifyFormat.TEXT,
        notify_type=message.notify_type,
        log_callback=lambda entry, _plugin: warnings.append(entry.message),
    )
    if result:
        return None
    return f"{label}: {'; '.join(warnings) or 'not delivered'}"
