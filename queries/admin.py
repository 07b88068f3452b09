"""Users and the audit log, for the administrator."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from pantau.models import AuditEntry, User

from .frames import read_frame

USER_COLUMNS = ["id", "username", "full_name", "role", "unit", "active", "created_at", "last_login_at"]
AUDIT_COLUMNS = ["at", "actor", "action", "target", "ip", "detail"]


def list_users(engine: Engine) -> pd.DataFrame:
    query = select(*(getattr(User, c) for c in USER_COLUMNS)).order_by(User.role, User.username)
    with engine.connect() as connection:
        frame = read_frame(connection, query, USER_COLUMNS)
    for column in ("created_at", "last_login_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def audit_log(engine: Engine, *, action_prefix: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Newest entries first, optionally only actions starting with `action_prefix` (e.g. `login`)."""
    query = select(*(getattr(AuditEntry, c) for c in AUDIT_COLUMNS))
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    with engine.connect() as connection:
        frame = read_frame(connection, query, AUDIT_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame
