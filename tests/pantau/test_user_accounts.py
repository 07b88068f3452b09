"""Users with argon2 hashes; log-ins checked, audited and throttled from the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pantau.accounts import Throttle, authenticate, create_user, set_active
from pantau.db import session_scope
from pantau.models import AuditEntry, User

THREE = Throttle(per_pair=3, per_address=50, window=timedelta(minutes=15))


def _make(store, name="bendahara1", role="bendahara", password="rahasia-123"):
    with session_scope(store) as session:
        return create_user(session, name, role, password=password, actor="test")


def test_acct001_passwords_are_stored_as_argon2id(store):
    _make(store)
    with session_scope(store) as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and "rahasia-123" not in stored


def test_acct002_generated_password_logs_in(store):
    created = _make(store, password=None)
    with session_scope(store) as session:
        assert authenticate(session, "bendahara1", created.password).user.role == "bendahara"


def test_acct003_unknown_role_and_duplicate_names_are_refused(store):
    _make(store)
    with pytest.raises(ValueError, match="unknown role 'rektor'"), session_scope(store) as session:
        create_user(session, "x", "rektor")
    with pytest.raises(ValueError, match="already exists"), session_scope(store) as session:
        create_user(session, "bendahara1", "bendahara")


def test_acct004_throttle_after_repeated_failures_even_with_the_right_password(store):
    _make(store)
    for _ in range(3):
        with session_scope(store) as session:
            assert authenticate(session, "bendahara1", "salah", ip="10.0.0.9", throttle=THREE).user is None
    with session_scope(store) as session:
        outcome = authenticate(session, "bendahara1", "rahasia-123", ip="10.0.0.9", throttle=THREE)
    assert outcome.throttled and outcome.user is None
    assert 0 < outcome.retry_after <= 15 * 60
    with session_scope(store) as session:
        assert authenticate(session, "bendahara1", "rahasia-123", ip="10.0.0.9",
                            throttle=Throttle(3, 50, timedelta(seconds=0))).user is not None


def test_acct005_disabled_users_cannot_log_in_and_changes_are_audited(store):
    _make(store)
    _make(store, "admin1", "admin")
    with session_scope(store) as session:
        set_active(session, "bendahara1", False, actor="admin1")
    with session_scope(store) as session:
        assert authenticate(session, "bendahara1", "rahasia-123").user is None
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["user.deactivate", "login.failed"]


def test_acct006_an_admin_cannot_disable_themself(store):
    _make(store, "admin1", "admin")
    with pytest.raises(ValueError, match="your own account"), session_scope(store) as session:
        set_active(session, "admin1", False, actor="admin1")
