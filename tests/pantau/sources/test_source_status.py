"""Source status: every attempt recorded, a failing source alerts its owner once after N failures in a row and
the alert resolves with the outage's length when it recovers; sources declared, retired, checked on request;
the collector's heartbeat; a silent agent; failures in plain words. On both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from pantau.db import session_scope
from pantau.models import Alert, AlertDelivery, SourceStatus
from pantau.settings import Settings
from pantau.sources import (
    AGENT,
    BANK_INBOX,
    BILL_SOURCE,
    COLLECTOR,
    EVENT_SOURCE,
    MONITOR,
    NotCheckable,
    SourceRef,
    check_silent,
    declare,
    describe_error,
    failure_text,
    finish_check,
    heartbeat,
    pending_checks,
    record_attempt,
    request_check,
    stopped,
)

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, source_status={"failures": {"bill_source": 3, "agent": 2}})


def attempt(store, settings, kind, name, ok, at, error=None, **extra):
    with session_scope(store) as session:
        record_attempt(session, settings, kind, name, ok=ok, at=at, error=error, **extra)


def row(store, kind, name) -> SourceStatus:
    with session_scope(store) as session:
        found = session.get(SourceStatus, (kind, name))
        session.expunge_all()
        return found


def alerts(store) -> list[Alert]:
    with session_scope(store) as session:
        found = session.scalars(select(Alert).order_by(Alert.id)).all()
        session.expunge_all()
        return found


def test_src001_attempts_successes_and_errors_are_recorded_per_source(store, settings):
    attempt(store, settings, BILL_SOURCE, "keuangan", True, T0, message="10 read", interval_s=300)
    attempt(store, settings, BILL_SOURCE, "keuangan", False, T0 + timedelta(minutes=5),
            error=ConnectionRefusedError(111, "Connection refused"))

    found = row(store, BILL_SOURCE, "keuangan")
    assert (found.last_attempt_at, found.last_success_at, found.last_error_at) == (
        T0 + timedelta(minutes=5), T0, T0 + timedelta(minutes=5))
    assert (found.consecutive_failures, found.failing_since, found.interval_s) == (1, T0 + timedelta(minutes=5), 300)
    assert (found.last_error_kind, found.last_message) == ("unreachable", "10 read")
    assert "Connection refused" in found.last_error and "Traceback" not in found.last_error


def test_src002_after_n_failures_in_a_row_one_alert_goes_to_the_owner_and_recovery_resolves_it_with_the_outage(
        store, settings):
    for minute in range(0, 25, 5):
        attempt(store, settings, BILL_SOURCE, "keuangan", False, T0 + timedelta(minutes=minute),
                error=OperationalError("SELECT 1", {}, Exception("(2003, \"Can't connect to MySQL server on "
                                                                 "'10.0.0.5' ([Errno 111] Connection refused)\")")))
        if minute == 5:
            assert alerts(store) == [], "two failures are below the threshold of three"

    live = alerts(store)
    assert len(live) == 1
    alert = live[0]
    assert (alert.role, alert.source, alert.state, alert.dedup_key, alert.link) == (
        "bendahara", "sources", "open", "source:bill_source:keuangan:failing", "/pembayaran")
    assert alert.title == "Sumber tagihan keuangan gagal"
    assert "5 percobaan berturut-turut gagal sejak 7 Des 2026 09.00 WIB" in alert.body
    assert "tidak dapat dihubungi" in alert.body and "SELECT" not in alert.body

    attempt(store, settings, BILL_SOURCE, "keuangan", True, T0 + timedelta(hours=2, minutes=5))
    resolved = alerts(store)[0]
    assert (resolved.state, resolved.resolved_by) == ("resolved", "system")
    assert resolved.resolution_note == "Pulih setelah 2 jam 5 menit; 5 percobaan berturut-turut telah gagal."
    assert row(store, BILL_SOURCE, "keuangan").consecutive_failures == 0
    with session_scope(store) as session:
        events = session.scalars(select(AlertDelivery.event).order_by(AlertDelivery.id)).all()
    assert events == ["opened", "resolved"]


@pytest.mark.parametrize(("kind", "name", "role", "link"), [
    (BANK_INBOX, "/srv/bank/masuk", "bendahara", "/pembayaran"),
    (EVENT_SOURCE, "siakad", "admin", "/sumber"),
    (COLLECTOR, "monitors", "kepala_it", "/sumber"),
    (COLLECTOR, "bills", "bendahara", "/pembayaran"),
    (COLLECTOR, "ktm-photos", "admin", "/sumber"),
    (AGENT, "server-pembayaran", "kepala_it", "/sumber"),
])
def test_src003_each_kind_alerts_the_role_that_owns_it(engine, tmp_path, kind, name, role, link):
    settings = Settings(data_dir=tmp_path, language="en")
    for minute in range(3):
        attempt(engine, settings, kind, name, False, T0 + timedelta(minutes=minute), error="disk full")

    (alert,) = alerts(engine)
    assert (alert.role, alert.link) == (role, link)
    assert alert.title.endswith(f"{name} is failing")


def test_src004_monitors_never_get_a_second_alert_and_a_zero_threshold_turns_a_kind_off(engine, tmp_path):
    settings = Settings(data_dir=tmp_path, source_status={"failures": {"event_source": 0}})
    for minute in range(10):
        attempt(engine, settings, MONITOR, "h2h-server", False, T0 + timedelta(minutes=minute), error="timed out")
        attempt(engine, settings, EVENT_SOURCE, "siakad", False, T0 + timedelta(minutes=minute), error="refused")

    assert alerts(engine) == []
    assert row(engine, MONITOR, "h2h-server").consecutive_failures == 10


def test_src005_declared_sources_are_listed_before_their_first_attempt_and_retired_ones_go(store, settings):
    for minute in range(3):
        attempt(store, settings, BILL_SOURCE, "lama", False, T0 + timedelta(minutes=minute), error="gone")
    with session_scope(store) as session:
        declare(session, [SourceRef(COLLECTOR, "bills", 300), SourceRef(BILL_SOURCE, "keuangan", 300),
                          SourceRef(BILL_SOURCE, "lama", 300)])
    attempt(store, settings, AGENT, "server-pembayaran", True, T0, pushed=True, interval_s=60)

    with session_scope(store) as session:
        declare(session, [SourceRef(COLLECTOR, "bills", 600), SourceRef(BILL_SOURCE, "keuangan", 600)], retire=True)
        names = session.execute(select(SourceStatus.kind, SourceStatus.name, SourceStatus.interval_s)
                                .order_by(SourceStatus.kind, SourceStatus.name)).all()

    assert [tuple(n) for n in names] == [(AGENT, "server-pembayaran", 60.0), (BILL_SOURCE, "keuangan", 600.0),
                                         (COLLECTOR, "bills", 600.0)]
    (alert,) = alerts(store)
    assert (alert.state, alert.resolution_note) == ("resolved", "Tidak lagi dikonfigurasi.")


def test_src006_a_check_request_waits_for_the_collector_and_only_its_own_run_clears_it(store, settings):
    with session_scope(store) as session:
        declare(session, [SourceRef(BILL_SOURCE, "keuangan", 300)])
        request_check(session, BILL_SOURCE, "keuangan", by="user.kepala_it", at=T0)
    with session_scope(store) as session:
        assert pending_checks(session) == [(BILL_SOURCE, "keuangan", T0)]
        request_check(session, BILL_SOURCE, "keuangan", by="user.admin", at=T0 + timedelta(seconds=5))
    with session_scope(store) as session:
        finish_check(session, BILL_SOURCE, "keuangan", T0)
    with session_scope(store) as session:
        assert pending_checks(session) == [(BILL_SOURCE, "keuangan", T0 + timedelta(seconds=5))], \
            "a request made while the check ran stays"
        finish_check(session, BILL_SOURCE, "keuangan", T0 + timedelta(seconds=5))
    with session_scope(store) as session:
        assert pending_checks(session) == []


def test_src007_pushed_sources_and_unknown_ones_cannot_be_checked_from_here(store, settings):
    attempt(store, settings, AGENT, "server-pembayaran", True, T0, pushed=True)
    with session_scope(store) as session:
        with pytest.raises(NotCheckable):
            request_check(session, AGENT, "server-pembayaran", by="user.admin")
        with pytest.raises(LookupError):
            request_check(session, BILL_SOURCE, "tidak-ada", by="user.admin")


def test_src008_the_heartbeat_is_one_row_by_the_stores_clock_and_a_stop_is_said(store):
    first = heartbeat(store, interval_s=15, who="host a, pid 1")
    second = heartbeat(store, interval_s=15, who="host a, pid 1")
    stopped(store, who="host a, pid 1")

    found = row(store, "process", "collector")
    assert second >= first and found.last_success_at == second and found.interval_s == 15
    assert (found.last_error_kind, found.last_message) == ("stopped", "host a, pid 1")


def test_src009_an_agent_silent_beyond_two_intervals_fails_each_interval_and_its_next_push_resolves_it(
        store, settings):
    attempt(store, settings, AGENT, "server-pembayaran", True, T0, pushed=True, interval_s=60)
    with session_scope(store) as session:
        assert check_silent(session, settings, now=T0 + timedelta(seconds=110)) == []
        assert check_silent(session, settings, now=T0 + timedelta(seconds=150)) == ["server-pembayaran"]
    assert (row(store, AGENT, "server-pembayaran").consecutive_failures, alerts(store)) == (1, [])
    with session_scope(store) as session:
        check_silent(session, settings, now=T0 + timedelta(seconds=200))
    (alert,) = alerts(store)
    assert (alert.role, alert.title) == ("kepala_it", "Agen host server-pembayaran gagal")
    assert "Agen host server-pembayaran tidak mengirim apa pun" in alert.body

    attempt(store, settings, AGENT, "server-pembayaran", True, T0 + timedelta(minutes=10), pushed=True)
    (alert,) = alerts(store)
    assert alert.state == "resolved" and alert.resolution_note.startswith("Pulih setelah 9 menit;")


@pytest.mark.parametrize(("error", "kind", "detail"), [
    (OperationalError("SELECT * FROM tagihan", {}, Exception(
        "(2003, \"Can't connect to MySQL server on '10.0.0.5' ([Errno 111] Connection refused)\")")),
     "unreachable", "(2003, \"Can't connect to MySQL server on '10.0.0.5' ([Errno 111] Connection refused)\")"),
    (OperationalError("SELECT 1", {}, Exception("(1045, \"Access denied for user 'pantau'@'10.0.0.9'\")")),
     "login", "(1045, \"Access denied for user 'pantau'@'10.0.0.9'\")"),
    (FileNotFoundError(2, "No such file or directory", "/srv/bank/masuk"), "not_found",
     "[Errno 2] No such file or directory: '/srv/bank/masuk'"),
    (PermissionError(13, "Permission denied", "/srv/tagihan.csv"), "permission",
     "[Errno 13] Permission denied: '/srv/tagihan.csv'"),
    (ValueError("bill source 'keuangan' row 7, field amount '1.5x': not a number"), "data",
     "bill source 'keuangan' row 7, field amount '1.5x': not a number"),
    ("Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: boom", "other",
     "RuntimeError: boom"),
])
def test_src010_failures_are_said_in_plain_words_without_sql_or_traceback(error, kind, detail):
    assert describe_error(error) == (kind, detail)


def test_src011_a_failure_in_words_names_the_source_and_what_failed_in_both_languages():
    assert failure_text(BILL_SOURCE, "keuangan", "unreachable", "timed out", "id") == \
        "Sumber tagihan keuangan tidak dapat dihubungi: timed out"
    assert failure_text(BANK_INBOX, "/srv/bank/masuk", "not_found", "", "en") == \
        "Bank inbox /srv/bank/masuk was not found"
