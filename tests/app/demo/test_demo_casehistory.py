"""The demo's reconciliation queue carries a history: cases dated from when their condition arose, spread over
the bank feed's years rather than piled on one day, the older ones resolved (audited) by the demo bendahara,
some recent ones still open and overdue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from demo_helpers import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.casehistory import ALL_SETTLED_AFTER, DETECTION_DELAY, LATEST_OPEN, SETTLED_AFTER, replay_cases
from pantau.models import AuditEntry, BankImport, BankTransaction, ReconCase
from pantau.recon import reconcile
from pantau.settings import Settings

RECENT = {"S-30H": timedelta(hours=30), "S-2H": timedelta(hours=2)}
"""Transfers with no VA that arrived shortly before ``NOW``: the recent end of the queue."""


def test_dch001_cases_are_dated_from_their_condition_and_the_settled_ones_resolved_with_an_audit_trail(campus):
    engine, _ = campus
    with Session(engine) as session, session.begin():
        session.add_all(BankTransaction(source_format="mt940", bank_ref=ref, dedup_key=f"line:{ref}",
                                        amount=Decimal(250_000), direction="credit", booked_at=NOW - ago,
                                        payer_name="PENGIRIM TANPA VA") for ref, ago in RECENT.items())
    reconcile(engine, Settings(), now=NOW)

    replayed = replay_cases(engine, now=NOW, due_hours=24)

    with Session(engine) as session:
        cases = session.scalars(select(ReconCase)).all()
        audits = {entry.target: entry for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recon.case.resolve"))}
    assert replayed["dated"] == len(cases) > 0 and 0 < replayed["resolved"] < len(cases)
    assert all(case.detected_at <= NOW and case.due_at == case.detected_at + timedelta(hours=24) for case in cases)
    assert len({case.detected_at.date() for case in cases}) >= len(cases) * 3 // 4
    assert min(case.detected_at for case in cases) < NOW - timedelta(days=365)
    by_time = sorted(cases, key=lambda case: (case.detected_at, case.id))
    assert all(case.status == "open" for case in by_time[-LATEST_OPEN:])
    assert all(case.status == "resolved" for case in by_time[:-LATEST_OPEN]
               if NOW - case.detected_at > ALL_SETTLED_AFTER)
    with Session(engine) as session:
        imported = dict(session.execute(select(BankTransaction.id, BankImport.imported_at)
                                        .join(BankImport, BankImport.id == BankTransaction.import_id)).all())
    credit_cases = [case for case in cases if case.bank_transaction_id in imported]
    assert credit_cases and all(case.detected_at == min(imported[case.bank_transaction_id] + DETECTION_DELAY, NOW)
                                for case in credit_cases)
    resolved = [case for case in cases if case.status == "resolved"]
    assert len(resolved) == replayed["resolved"] == len(audits)
    for case in resolved:
        entry = audits[f"recon_case:{case.id}"]
        assert case.detected_at < case.resolved_at <= NOW and NOW - case.detected_at > SETTLED_AFTER
        assert (entry.at, entry.actor, case.resolved_by) == (case.resolved_at, "bendahara", "bendahara")
        assert case.resolution_note and entry.detail["note"] == case.resolution_note
    with Session(engine) as session:
        recent = dict(session.execute(select(BankTransaction.bank_ref, ReconCase.detected_at)
                                      .join(ReconCase, ReconCase.bank_transaction_id == BankTransaction.id)
                                      .where(BankTransaction.bank_ref.in_(RECENT), ReconCase.status == "open")).all())
    assert recent == {ref: NOW - ago + DETECTION_DELAY for ref, ago in RECENT.items()}
    assert any(case.status == "open" and case.due_at < NOW for case in cases)
    assert any(case.status == "open" and case.due_at > NOW for case in cases)


def test_dch002_a_later_reconciliation_keeps_the_history(campus):
    engine, _ = campus
    reconcile(engine, Settings(), now=NOW)
    replay_cases(engine, now=NOW, due_hours=24)
    with Session(engine) as session:
        before = {case.case_key: (case.detected_at, case.status) for case in session.scalars(select(ReconCase))}
    assert before

    reconcile(engine, Settings(), now=NOW + timedelta(minutes=5))

    with Session(engine) as session:
        after = {case.case_key: (case.detected_at, case.status) for case in session.scalars(select(ReconCase))}
    assert after == before
