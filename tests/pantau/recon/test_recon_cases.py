"""The exception queue on both stores: due times, resolution with a note, clearing, overdue alerts,
and a run over the demo campus."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ledger_rows import NOW, PAID_AT, add_bill, add_credit
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import Alert, AuditEntry, Bill, ReconCase
from pantau.recon import CaseError, ReconSettings, overdue_alert, reconcile, resolve_case
from pantau.settings import Settings

SETTINGS = Settings()


def _cases(engine) -> list[ReconCase]:
    with session_scope(engine) as session:
        return list(session.scalars(select(ReconCase).order_by(ReconCase.id)))


def test_rcs001_a_case_is_due_1x24_jam_after_detection_or_as_configured(store):
    with session_scope(store) as session:
        add_bill(session, "2001", 3_000_000)
        add_credit(session, "C1", 3_000_000, va="988102001")
    reconcile(store, SETTINGS, now=NOW)
    [case] = _cases(store)
    assert (case.kind, case.status, case.due_at - case.detected_at) == ("bank_paid_app_unpaid", "open",
                                                                        timedelta(hours=24))
    with session_scope(store) as session:
        add_credit(session, "C2", 50_000, va="000000")
    reconcile(store, SETTINGS, now=NOW + timedelta(hours=1), config=ReconSettings(case_due_hours=8))
    late = _cases(store)[-1]
    assert late.kind == "no_bill" and late.due_at - late.detected_at == timedelta(hours=8)


def test_rcs002_resolving_needs_a_note_is_audited_and_stays_resolved(store):
    with session_scope(store) as session:
        add_credit(session, "C3", 125_000, va="123")
    reconcile(store, SETTINGS, now=NOW)
    [case] = _cases(store)
    with pytest.raises(CaseError, match="note"), session_scope(store) as session:
        resolve_case(session, case.id, user="bendahara", note="  ")
    with session_scope(store) as session:
        resolve_case(session, case.id, user="bendahara", note="Dana dikembalikan ke penyetor", ip="127.0.0.1")
    reconcile(store, SETTINGS, now=NOW + timedelta(hours=1))
    [again] = _cases(store)
    assert (again.status, again.resolved_by, again.resolution_note) == ("resolved", "bendahara",
                                                                         "Dana dikembalikan ke penyetor")
    with session_scope(store) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "recon.case.resolve")).one()
        assert (entry.actor, entry.target, entry.detail["note"]) == ("bendahara", f"recon_case:{case.id}",
                                                                     "Dana dikembalikan ke penyetor")
        with pytest.raises(CaseError, match="already resolved"):
            resolve_case(session, case.id, user="bendahara", note="lagi")


def test_rcs003_a_case_clears_when_its_condition_goes_and_reopens_when_it_returns(store):
    with session_scope(store) as session:
        bill = add_bill(session, "2002", 2_000_000).id
        add_credit(session, "C4", 2_000_000, va="988102002")
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        paid = session.get(Bill, bill)
        paid.app_paid, paid.app_paid_amount, paid.app_paid_at = True, paid.amount, NOW
        paid.synced_at = NOW + timedelta(minutes=30)
    reconcile(store, SETTINGS, now=NOW + timedelta(hours=1))
    assert [(c.status, c.resolved_by) for c in _cases(store)] == [("cleared", "system")]
    with session_scope(store) as session:
        unpaid = session.get(Bill, bill)
        unpaid.app_paid, unpaid.app_paid_amount, unpaid.synced_at = False, 0, NOW + timedelta(hours=2)
    reconcile(store, SETTINGS, now=NOW + timedelta(hours=3))
    [case] = _cases(store)
    assert (case.status, case.detected_at) == ("open", NOW + timedelta(hours=3))


def test_rcs004_a_payment_just_recorded_in_the_app_waits_for_the_bank_statement(store):
    with session_scope(store) as session:
        add_bill(session, "2003", 1_000_000, paid=True, paid_at=NOW - timedelta(hours=2))
        add_bill(session, "2004", 1_000_000, paid=True, paid_at=PAID_AT)
    run = reconcile(store, SETTINGS, now=NOW)
    assert run.bills == {"app_paid_no_bank": 2}
    assert [case.case_key.split(":")[0] for case in _cases(store)] == ["app_paid_no_bank"]


def test_rcs005_overdue_cases_raise_one_bendahara_alert_until_none_is_left(store):
    with session_scope(store) as session:
        add_credit(session, "C5", 10_000, va="1")
        add_credit(session, "C6", 20_000, va="2")
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        assert overdue_alert(session, now=NOW + timedelta(hours=23)) == 0
        assert overdue_alert(session, now=NOW + timedelta(hours=25), language="en") == 2
        alert = session.scalars(select(Alert).where(Alert.source == "reconciliation")).one()
        assert (alert.role, alert.severity, alert.state, alert.link) == ("bendahara", "critical", "open", "/pembayaran")
        assert alert.body.startswith("2 open cases are past their due time")
        for case in session.scalars(select(ReconCase)):
            resolve_case(session, case.id, user="bendahara", note="Sudah dicek dengan bank")
        session.flush()
        assert overdue_alert(session, now=NOW + timedelta(hours=26)) == 0
        assert session.get(Alert, alert.id).state == "resolved"


def test_rcs006_the_demo_campus_reconciles_with_its_planted_mismatches(engine):
    from app.demo import generate

    generate(engine, "small", seed=3, now=NOW)
    run = reconcile(engine, SETTINGS, now=NOW)
    assert run.bills["matched"] > 10 * run.bills.get("partial", 0)
    for state in ("bank_paid_app_unpaid", "app_paid_no_bank", "unpaid"):
        assert run.bills.get(state, 0) > 0, state
    assert run.credits.get("no_bill", 0) > 0
    assert run.cases.opened > 0
