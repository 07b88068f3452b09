"""The alert lifecycle: conditions raise and clear alerts, people acknowledge and resolve them.

One condition is one alert: a collector raises the same `dedup_key` every cycle while the condition
holds and gets the same live alert back; only a new alert puts an "opened" message in the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau import audit
from pantau.i18n import DEFAULT_LANGUAGE
from pantau.models import Alert, AlertDelivery, utcnow
from pantau.models.alerts import SEVERITIES
from pantau.settings import ROLES

from .texts import TITLE_LENGTH, Words, in_every_language

LIVE_STATES = ("open", "acknowledged")
SYSTEM_ACTOR = "system"
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_LIVE = text("state != 'resolved'")  # the predicate of the partial unique index on dedup_key


class AlertStateError(ValueError):
    """A person asked for a transition the alert's state does not allow."""


class ReminderWaitingError(AlertStateError):
    """A reminder of the alert is queued and not sent yet."""


class UnknownAlertError(LookupError):
    """No alert has the given id."""


def live_alert(session: Session, dedup_key: str) -> Alert | None:
    """The open or acknowledged alert for `dedup_key`, if there is one."""
    return session.scalars(
        select(Alert).where(Alert.dedup_key == dedup_key, Alert.state.in_(LIVE_STATES))
    ).one_or_none()


def raise_alert(
    session: Session,
    *,
    dedup_key: str,
    source: str,
    role: str,
    title: str = "",
    body: str = "",
    words: Words | None = None,
    lang: str = DEFAULT_LANGUAGE,
    severity: str = "warning",
    link: str | None = None,
    now: datetime | None = None,
    level: int = 0,
    sop_code: str | None = None,
    step_key: str | None = None,
) -> tuple[Alert, bool]:
    """Report that a condition holds; return its live alert and whether it was created just now.

    The alert says `title` and `body` as written, or, given `words` (language -> title, body), says them in `lang`
    (the installation's language, for its messages) and keeps them in every language of the pages (`texts`).

    A live alert with the same key is kept (its `last_seen_at` and body are refreshed); raised at a higher
    `level` or severity than it has, it is escalated: it takes the new title, level and severity (never a
    lower severity), opens again if someone had acknowledged it, and an "escalated" delivery is queued.
    Otherwise a new alert is opened and an "opened" delivery queued. An alert about an SOP names it
    (`sop_code`, and `step_key` for one step): who sees and hears of it follows the pages' rule
    (`pantau.alerts.audience`). When two writers race for the same key, the
    store's partial unique index lets one insert win (INSERT ... ON CONFLICT DO NOTHING, atomic on both
    SQLite and PostgreSQL without a savepoint); the other gets the winner's alert back.
    """
    if role not in ROLES:
        raise ValueError(f"alert {dedup_key!r}: role {role!r} is not one of {', '.join(ROLES)}")
    if severity not in SEVERITIES:
        raise ValueError(f"alert {dedup_key!r}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    now = now or utcnow()
    texts = in_every_language(words) if words is not None else None
    if words is not None:
        title, body = words(lang)
    title = title[:TITLE_LENGTH]
    values = dict(
        dedup_key=dedup_key,
        source=source,
        role=role,
        title=title,
        body=body,
        texts=texts,
        severity=severity,
        link=link,
        level=level,
        sop_code=sop_code,
        step_key=step_key,
        state="open",
        opened_at=now,
        last_seen_at=now,
    )
    insert = (
        _INSERTS[session.get_bind().dialect.name](Alert)
        .values(values)
        .on_conflict_do_nothing(index_elements=["dedup_key"], index_where=_LIVE)
        .returning(Alert.id)
    )
    while (existing := live_alert(session, dedup_key)) is None:
        new_id = session.scalar(insert)
        if new_id is not None:
            session.add(AlertDelivery(alert_id=new_id, event="opened", created_at=now))
            return session.get(Alert, new_id), True
    if level > existing.level or _RANK[severity] > _RANK[existing.severity]:
        _escalate(session, existing, title=title, severity=severity, level=level, now=now)
    if sop_code is not None and existing.sop_code is None:
        existing.sop_code, existing.step_key = sop_code, step_key
    return _seen_again(existing, body, texts, now), False


_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def _escalate(session: Session, alert: Alert, *, title: str, severity: str, level: int, now: datetime) -> None:
    alert.title = title
    alert.level = max(alert.level, level)
    alert.severity = max(alert.severity, severity, key=_RANK.__getitem__)
    if alert.state == "acknowledged":
        alert.state, alert.acknowledged_at, alert.acknowledged_by = "open", None, None
    session.add(AlertDelivery(alert_id=alert.id, event="escalated", created_at=now))


def _seen_again(alert: Alert, body: str, texts: dict | None, now: datetime) -> Alert:
    """Refreshed: when it was last seen, and its body (and words in every language, which carry the title an
    escalation has just set)."""
    alert.last_seen_at = max(alert.last_seen_at, now)
    if body:
        alert.body = body
    if texts is not None:
        alert.texts = texts
    return alert


def clear_condition(
    session: Session, dedup_key: str, *, note: str | None = None, now: datetime | None = None
) -> Alert | None:
    """Report that a condition is gone: resolve its live alert and queue a "resolved" delivery."""
    alert = live_alert(session, dedup_key)
    if alert is None:
        return None
    _resolve(session, alert, by=SYSTEM_ACTOR, note=note, now=now or utcnow())
    return alert


def acknowledge(session: Session, alert_id: int, *, user: str, ip: str | None = None) -> Alert:
    """A person takes an open alert on: it stops reminding and shows who is on it."""
    alert = _get(session, alert_id)
    if alert.state != "open":
        by = alert.acknowledged_by if alert.state == "acknowledged" else alert.resolved_by
        raise AlertStateError(
            f"alert {alert_id} is already {alert.state} (by {by}); only open alerts can be acknowledged"
        )
    alert.state = "acknowledged"
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by = user
    audit.record(session, user, "alert.acknowledge", f"alert:{alert.id}", {"dedup_key": alert.dedup_key}, ip)
    return alert


def resolve(session: Session, alert_id: int, *, user: str, note: str, ip: str | None = None) -> Alert:
    """A person closes an open or acknowledged alert, saying what was done."""
    alert = _get(session, alert_id)
    if alert.state not in LIVE_STATES:
        raise AlertStateError(f"alert {alert_id} is already resolved (by {alert.resolved_by})")
    if not note or not note.strip():
        raise ValueError(f"alert {alert_id}: a resolution note is required")
    _resolve(session, alert, by=user, note=note.strip(), now=utcnow())
    detail = {"dedup_key": alert.dedup_key, "note": alert.resolution_note}
    audit.record(session, user, "alert.resolve", f"alert:{alert.id}", detail, ip)
    return alert


def remind(session: Session, alert_id: int, *, user: str, ip: str | None = None,
           now: datetime | None = None) -> AlertDelivery:
    """A person asks for a reminder of an open alert now, to its role's channels, without waiting for the cadence.

    Refused for alerts someone has taken on or closed, and while an earlier reminder still waits in the outbox.
    """
    alert = _get(session, alert_id)
    if alert.state != "open":
        raise AlertStateError(f"alert {alert_id} is {alert.state}; only open alerts are reminded about")
    waiting = session.scalar(select(AlertDelivery.id).where(
        AlertDelivery.alert_id == alert.id, AlertDelivery.event == "reminder", AlertDelivery.sent_at.is_(None)))
    if waiting is not None:
        raise ReminderWaitingError(f"alert {alert_id}: a reminder is already waiting to be sent")
    delivery = AlertDelivery(alert_id=alert.id, event="reminder", created_at=now or utcnow())
    session.add(delivery)
    audit.record(session, user, "alert.remind", f"alert:{alert.id}", {"dedup_key": alert.dedup_key}, ip)
    return delivery


def _get(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise UnknownAlertError(f"no alert with id {alert_id}")
    return alert


def _resolve(session: Session, alert: Alert, *, by: str, note: str | None, now: datetime) -> None:
    alert.state = "resolved"
    alert.resolved_at = now
    alert.resolved_by = by
    alert.resolution_note = note
    session.add(AlertDelivery(alert_id=alert.id, event="resolved", created_at=now))


def enqueue_reminders(session: Session, *, every: timedelta, now: datetime | None = None) -> int:
    """Queue a "reminder" for each open, unacknowledged alert last announced at least `every` ago.

    An announcement is an "opened", "reminder" or "escalated" message, dated when it was sent (or queued, while it
    waits), so an alert mailed late is not reminded about at once. Returns how many were queued.
    """
    now = now or utcnow()
    announced_at = func.coalesce(AlertDelivery.sent_at, AlertDelivery.created_at)
    last_announced = (
        select(AlertDelivery.alert_id, func.max(announced_at).label("at"))
        .where(AlertDelivery.event.in_(("opened", "reminder", "escalated")))
        .group_by(AlertDelivery.alert_id)
        .subquery()
    )
    due = session.scalars(
        select(Alert.id)
        .outerjoin(last_announced, last_announced.c.alert_id == Alert.id)
        .where(Alert.state == "open", func.coalesce(last_announced.c.at, Alert.opened_at) <= now - every)
        .order_by(Alert.id)
    ).all()
    session.add_all(AlertDelivery(alert_id=alert_id, event="reminder", created_at=now) for alert_id in due)
    return len(due)
