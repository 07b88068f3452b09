"""The audit log: every login, import, resolution and admin action leaves a row here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEntry, utcnow


def record(
    session: Session,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry to the session's unit of work (it commits with the change it describes), made now
    unless ``at`` says when."""
    entry = AuditEntry(at=at or utcnow(), actor=actor, action=action, target=target, detail=detail or {}, ip=ip)
    session.add(entry)
    return entry
