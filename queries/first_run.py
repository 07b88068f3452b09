"""What a new installation still lacks: the administrator's first-run checklist and the start-up summary.

Each item is ticked when it works, read from the settings and the store: monitors configured and reporting,
bill sources and the bank inbox configured and read without failure, an alert channel for every role and a
message delivered, users of the campus's own (not only the demo log-ins), and the campus's own name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from pantau.models import AlertDelivery, AuditEntry, Monitor, SourceStatus
from pantau.settings import ROLES, Settings
from pantau.sources.kinds import BANK_INBOX, BILL_SOURCE

DEFAULT_INSTITUTION = Settings.model_fields["institution"].default
DEMO_ACTOR = "demo"


@dataclass(frozen=True)
class Item:
    """One step of the checklist: English message ids for its title and what to set, whether it works, a
    detail (placeholders filled by the caller's translation) and where it is done."""

    key: str
    title: str
    how: str
    done: bool
    detail: str
    values: dict
    link: str | None
    """The page where it shows whether it works (None: only the settings file says)."""


def missing_channels(settings: Settings) -> list[str]:
    """Roles whose alerts no channel carries (a channel without roles carries every role)."""
    channels = settings.alerts.channels
    if any(not channel.roles for channel in channels):
        return []
    carried = {role for channel in channels for role in channel.roles}
    return [role for role in ROLES if role not in carried]


def startup_warnings(settings: Settings) -> list[str]:
    """One line per thing that is not configured, for the console of `pantau run` and `pantau collect`."""
    lines = []
    roles = missing_channels(settings)
    if roles:
        lines.append(f"alerts: no channel for role {', '.join(roles)} — set alerts.channels")
    if not settings.public_url:
        lines.append(f"alert mails: links point at {settings.resolved_public_url} — set public_url")
    return lines


def checklist(engine: Engine, settings: Settings) -> list[Item]:
    """The first-run checklist, in the order an administrator would work through it."""
    with engine.connect() as connection:
        configured = [monitor.get("name") for monitor in settings.monitors if isinstance(monitor, dict)]
        up = connection.scalar(select(func.count()).select_from(Monitor).where(
            Monitor.name.in_(configured), Monitor.status.in_(("up", "degraded")))) if configured else 0
        sources = {kind: _source_health(connection, kind) for kind in (BILL_SOURCE, BANK_INBOX)}
        delivered = connection.scalar(select(func.count()).select_from(AlertDelivery).where(
            AlertDelivery.sent_at.is_not(None), AlertDelivery.error.is_(None), AlertDelivery.attempts > 0))
        own_users = connection.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "user.create", AuditEntry.actor != DEMO_ACTOR))
    bills = list((settings.sources.get("bills") or {}).keys())
    inbox = (settings.feeds or {}).get("inbox")
    missing = missing_channels(settings)
    return [
        Item("monitors", "Configure the monitors", "[[monitors]] in pantau.toml", bool(configured) and up > 0,
             "{up} of {count} configured monitors are up", {"up": up, "count": len(configured)}, "/server"),
        Item("bills", "Connect the bill sources", "[sources.bills.NAME] in pantau.toml",
             bool(bills) and sources[BILL_SOURCE][0] > 0 and not sources[BILL_SOURCE][1],
             "{count} configured; {ok} read without failure", {"count": len(bills), "ok": sources[BILL_SOURCE][0]},
             "/sumber"),
        Item("inbox", "Set up the bank inbox", "[feeds] inbox in pantau.toml",
             bool(inbox) and sources[BANK_INBOX][0] > 0 and not sources[BANK_INBOX][1],
             "{folder}", {"folder": str(inbox or "–")}, "/sumber"),
        Item("channels", "Add alert channels", "[[alerts.channels]] in pantau.toml",
             not missing and delivered > 0, "{count} channels; roles without one: {roles}; {sent} messages delivered",
             {"count": len(settings.alerts.channels), "roles": ", ".join(missing) or "–", "sent": delivered},
             "/peringatan"),
        Item("users", "Create the campus's users", "Users & audit", own_users > 0,
             "{count} users created besides the demo log-ins", {"count": own_users}, "/pengguna"),
        Item("campus", "Set the campus name", "institution in pantau.toml",
             settings.institution != DEFAULT_INSTITUTION, "{name}", {"name": settings.institution}, None),
    ]


def _source_health(connection, kind: str) -> tuple[int, int]:
    """(sources of `kind` last read without failure, sources of `kind` failing now)."""
    ok = connection.scalar(select(func.count()).select_from(SourceStatus).where(
        SourceStatus.kind == kind, SourceStatus.last_success_at.is_not(None), SourceStatus.consecutive_failures == 0))
    failing = connection.scalar(select(func.count()).select_from(SourceStatus).where(
        SourceStatus.kind == kind, SourceStatus.consecutive_failures > 0))
    return ok or 0, failing or 0
