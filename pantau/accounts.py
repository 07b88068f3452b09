"""People who log in: creating them, listing them, and checking a log-in against throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import audit
from .models import AuditEntry, User, utcnow
from .security import generate_password, hash_password, needs_rehash, verify_password
from .settings import ROLES


@dataclass(frozen=True)
class LoginOutcome:
    """`user` when the log-in succeeded; `throttled` when too many recent failures refused it unchecked."""

    user: User | None
    throttled: bool = False


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str


def create_user(
    session: Session,
    username: str,
    role: str,
    *,
    password: str | None = None,
    full_name: str = "",
    unit: str | None = None,
    actor: str = "system",
) -> NewUser:
    """Add a user with an argon2 hash; a password is generated when none is given."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"user name {username!r} may hold letters, digits, '.', '_' and '-' only")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    secret = password or generate_password()
    user = User(username=username, role=role, full_name=full_name, unit=unit, password_hash=hash_password(secret))
    session.add(user)
    audit.record(session, actor, "user.create", username, {"role": role, "unit": unit})
    return NewUser(user, secret)


def set_password(session: Session, username: str, password: str, *, actor: str) -> None:
    user = session.scalars(select(User).where(User.username == username)).one()
    user.password_hash = hash_password(password)
    audit.record(session, actor, "user.password", username)


def recent_failures(session: Session, username: str, ip: str | None, window: timedelta) -> int:
    """Failed log-ins for this name or from this address inside the window, from the audit log."""
    since = utcnow() - window
    who = [AuditEntry.target == username] + ([AuditEntry.ip == ip] if ip else [])
    query = select(func.count()).where(
        AuditEntry.action == "login.failed", AuditEntry.at >= since, or_(*who)
    )
    return session.scalar(query) or 0


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    max_failures: int = 5,
    window: timedelta = timedelta(minutes=15),
) -> LoginOutcome:
    """Check a log-in; after `max_failures` failures inside `window` the password is not even checked.

    Every outcome is written to the audit log, which is also what the throttle counts, so the limit holds
    across all web workers and hosts sharing the store.
    """
    if recent_failures(session, username, ip, window) >= max_failures:
        audit.record(session, username or "-", "login.throttled", username, ip=ip)
        return LoginOutcome(None, throttled=True)
    user = session.scalars(select(User).where(User.username == username, User.active.is_(True))).first()
    if user is None or not verify_password(user.password_hash, password):
        audit.record(session, username or "-", "login.failed", username, ip=ip)
        return LoginOutcome(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(session, username, "login.ok", username, ip=ip)
    return LoginOutcome(user)


def set_active(session: Session, username: str, active: bool, *, actor: str, ip: str | None = None) -> None:
    """Enable or disable a log-in; an administrator cannot disable their own account."""
    if username == actor and not active:
        raise ValueError("you cannot deactivate your own account")
    user = session.scalars(select(User).where(User.username == username)).one()
    user.active = active
    audit.record(session, actor, "user.activate" if active else "user.deactivate", username, ip=ip)
