"""People who log in: creating them, listing them, and checking a log-in against throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .i18n import Refusal
from .models import AuditEntry, User, utcnow
from .security import generate_password, hash_password, needs_rehash, verify_password
from .settings import ROLES

USERNAME_MAX = 64
"""Longest user name (the column's width): a longer one is refused before any query."""
PASSWORD_MAX = 1024
"""Longest password checked: hashing megabytes of 'password' would be a cheap way to tie up a worker."""


@dataclass(frozen=True)
class LoginOutcome:
    """`user` when the log-in succeeded; `throttled` when too many recent failures refused it unchecked, with
    `retry_after` the seconds until another attempt is checked."""

    user: User | None
    throttled: bool = False
    retry_after: int = 0


@dataclass(frozen=True)
class Throttle:
    """Failures allowed inside `window`: `per_pair` of one name from one address, `per_address` of any names."""

    per_pair: int = 5
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)


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
        raise Refusal("unknown role {role}; choose one of {roles}", role=repr(role), roles=", ".join(ROLES))
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise Refusal("user name {name} may hold letters, digits, '.', '_' and '-' only", name=repr(username))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Refusal("user {name} already exists", name=repr(username))
    secret = password or generate_password()
    user = User(username=username, role=role, full_name=full_name, unit=unit, password_hash=hash_password(secret))
    session.add(user)
    audit.record(session, actor, "user.create", username, {"role": role, "unit": unit})
    return NewUser(user, secret)


def set_password(session: Session, username: str, password: str, *, actor: str) -> None:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise Refusal("no user named {name}", name=repr(username))
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(session, actor, "user.password", username)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password, verified for unknown or disabled names so they take as long as a wrong
    password for a real user (no user enumeration by timing)."""
    return hash_password(generate_password())


def _failures(session: Session, since: datetime, ip: str | None, username: str | None) -> list[datetime]:
    """Times of failed log-ins since `since` from this address (and for this name, when given), newest first."""
    query = select(AuditEntry.at).where(AuditEntry.action == "login.failed", AuditEntry.at >= since,
                                        AuditEntry.ip == ip if ip else AuditEntry.ip.is_(None))
    if username is not None:
        query = query.where(AuditEntry.target == username)
    return list(session.scalars(query.order_by(AuditEntry.at.desc()).limit(1000)))


def locked_until(session: Session, username: str, ip: str | None, throttle: Throttle) -> datetime | None:
    """When the next attempt of `username` from `ip` will be checked again, if it is locked out now.

    A lock lasts until so many failures have left the window that fewer than the limit remain: the limit-th
    newest failure plus the window, for the (name, address) pair and for the address alone."""
    now = utcnow()
    since = now - throttle.window
    until = None
    for name, limit in ((username, throttle.per_pair), (None, throttle.per_address)):
        times = _failures(session, since, ip, name)
        if len(times) >= limit:
            lifted = _aware(times[limit - 1]) + throttle.window
            until = lifted if until is None or lifted > until else until
    return until if until and until > now else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    throttle: Throttle = Throttle(),
) -> LoginOutcome:
    """Check a log-in; while locked out (see `locked_until`) the password is not even checked.

    Every outcome is written to the audit log, which is also what the throttle counts, so the limit holds
    across all web workers and hosts sharing the store. A name or password too long to be real is refused
    (and audited, the name cut to its column) before anything else is asked of the store. An unknown or
    disabled name is verified against a dummy hash, so it costs what a wrong password costs.
    """
    if len(username) > USERNAME_MAX or len(password) > PASSWORD_MAX or not username or not password:
        audit.record(session, username[:USERNAME_MAX] or "-", "login.failed", username[:USERNAME_MAX], ip=ip,
                     detail={"reason": "invalid length"})
        return LoginOutcome(None)
    until = locked_until(session, username, ip, throttle)
    if until is not None:
        audit.record(session, username, "login.throttled", username, ip=ip)
        return LoginOutcome(None, throttled=True, retry_after=max(1, int((until - utcnow()).total_seconds()) + 1))
    user = session.scalars(select(User).where(User.username == username, User.active.is_(True))).first()
    if user is None:
        verify_password(_dummy_hash(), password)
    if user is None or not verify_password(user.password_hash, password):
        audit.record(session, username, "login.failed", username, ip=ip)
        session.flush()
        _record_lockout(session, username, ip, throttle)
        return LoginOutcome(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(session, username, "login.ok", username, ip=ip)
    return LoginOutcome(user)


def _record_lockout(session: Session, username: str, ip: str | None, throttle: Throttle) -> None:
    """Audit the failure that starts a lock-out (the one that reaches a limit), once per lock."""
    since = utcnow() - throttle.window
    for scope, name, limit in (("user+address", username, throttle.per_pair), ("address", None, throttle.per_address)):
        if len(_failures(session, since, ip, name)) == limit:
            audit.record(session, username, "login.lockout", username, ip=ip,
                         detail={"scope": scope, "failures": limit,
                                 "minutes": int(throttle.window.total_seconds() // 60)})


def end_sessions(session: Session, username: str, *, actor: str, ip: str | None = None,
                 action: str = "user.logout_everywhere") -> None:
    """End every session of `username` at once (every copy of every cookie): their session version rises."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise Refusal("no user named {name}", name=repr(username))
    user.session_version += 1
    audit.record(session, actor, action, username, ip=ip)


def set_active(session: Session, username: str, active: bool, *, actor: str, ip: str | None = None) -> None:
    """Enable or disable a log-in; an administrator cannot disable their own account."""
    if username == actor and not active:
        raise Refusal("you cannot deactivate your own account")
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise Refusal("no user named {name}", name=repr(username))
    user.active = active
    user.session_version += 1
    audit.record(session, actor, "user.activate" if active else "user.deactivate", username, ip=ip)
