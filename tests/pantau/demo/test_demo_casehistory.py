"""The demo's reconciliation queue carries a history: cases dated from when their condition arose, most of the
older ones resolved (audited) by the demo bendahara, some still open and overdue."""

from __future__ import annotations

from datetime import timedelta

from demo_helpers import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.demo.casehistory import HISTORY, SETTLED_AFTER, replay_cases
from pantau.models import AuditEntry, ReconCase
from pantau.recon import reconcile
from pantau.settings import Settings


def test_dch001_cases_are_dated_from_their_condition_and_the_settled_ones_resolved_with_an_audit_trail(campus):
    engine, _ = campus
    reconcile(engine, Settings(), now=NOW)

    replayed = replay_cases(engine, now=NOW, due_hours=24)

    with Session(engine) as session:
        cases = session.scalars(select(ReconCase)).all()
        audits = {entry.target: entry for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recon.case.resolve"))}
    assert replayed["dated"] == len(cases) > 0 and 0 < replayed["resolved"] < len(cases)
    assert all(NOW - HISTORY < case.detected_at <= NOW and case.due_at == case.detected_at + timedelta(hours=24)
               for case in cases)
    assert len({case.detected_at for case in cases}) > 1
    resolved = [case for case in cases if case.status == "resolved"]
    assert len(resolved) == replayed["resolved"] == len(audits)
    for case in resolved:
        entry = audits[f"recon_case:{case.id}"]
        assert case.detected_at < case.resolved_at <= NOW and NOW - case.detected_at > SETTLED_AFTER
        assert (entry.at, entry.actor, case.resolved_by) == (case.resolved_at, "bendahara", "bendahara")
        assert case.resolution_note and entry.detail["note"] == case.resolution_note
    assert any(case.status == "open" and case.due_at < NOW for case in cases)


def test_dch002_a_later_reconciliation_keeps_the_history(campus):
    engine, _ = campus
    with Session(engine) as session:
        before = {case.case_key: (case.detected_at, case.status) for case in session.scalars(select(ReconCase))}

    reconcile(engine, Settings(), now=NOW + timedelta(minutes=5))

    with Session(engine) as session:
        after = {case.case_key: (case.detected_at, case.status) for case in session.scalars(select(ReconCase))}
    assert after == before
