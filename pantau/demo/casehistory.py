"""The demo's reconciliation queue as if Pantau had watched the bank feed all along.

Reconciling a freshly generated campus would detect every case at once, at the moment of seeding: no case
overdue, no history. :func:`replay_cases` dates each open case from the moment its condition arose (the
credit's booking, or the bill's payment in the application), one collector run later, and has the demo
bendahara resolve most of those detected more than a few days before ``now``, some of them late, through
the same audited resolution a user makes. What stays open is partly still within 1x24 jam and partly overdue.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pantau.models import BankTransaction, Bill, ReconCase
from pantau.models.bank import CreditState
from pantau.recon.cases import resolve_case

RESOLVER = "bendahara"
DETECTION_DELAY = timedelta(hours=1)
"""A condition is found by the next collector run after it arose."""
HISTORY = timedelta(days=45)
"""Conditions older than this were found when the demo's watch began."""
SETTLED_AFTER = timedelta(days=3)
"""Cases detected longer ago than this are mostly resolved by ``now``."""
SETTLED_SHARE = 0.85
NOTES = {
    "bank_paid_app_unpaid": "Dicocokkan dengan rekening koran; status tagihan di aplikasi diperbarui.",
    "app_paid_no_bank": "Bukti setor dari mahasiswa diterima; setoran ditemukan di mutasi hari berikutnya.",
    "partial": "Mahasiswa dihubungi; kekurangan bayar ditagihkan pada VA yang sama.",
    "overpaid": "Kelebihan bayar dikembalikan sesuai surat permohonan mahasiswa.",
    "no_bill": "Setoran diidentifikasi dari berita transfer dan dibukukan ke tagihan yang benar.",
    "duplicate": "Setoran ganda dikembalikan ke rekening pembayar.",
}


def replay_cases(engine: Engine, *, now: datetime, due_hours: float, seed: int = 42) -> dict[str, int]:
    """Re-date the open cases and resolve the settled ones; returns how many were re-dated and resolved."""
    rng = random.Random(seed)
    due = timedelta(hours=due_hours)
    start = now - HISTORY
    resolved = 0
    with Session(engine) as session, session.begin():
        cases = session.scalars(select(ReconCase).where(ReconCase.status == "open").order_by(ReconCase.id)).all()
        arose = _arising(session, cases)
        for case in cases:
            detected = min(max(arose.get(case.id) or start, start) + DETECTION_DELAY, now)
            case.detected_at, case.due_at = detected, detected + due
            if now - detected > SETTLED_AFTER and rng.random() < SETTLED_SHARE:
                took = due * rng.uniform(0.1, 1.6)
                resolve_case(session, case.id, user=RESOLVER, note=NOTES.get(case.kind, "Diselesaikan."),
                             at=min(detected + took, now))
                resolved += 1
    return {"dated": len(cases), "resolved": resolved}


def _arising(session: Session, cases: list[ReconCase]) -> dict[int, datetime]:
    """When each case's condition arose: its credit's booking, else the latest credit to its bill, else the
    bill's payment in the application."""
    credits = {t.id: t.booked_at for t in session.execute(
        select(BankTransaction.id, BankTransaction.booked_at)
        .where(BankTransaction.id.in_({c.bank_transaction_id for c in cases if c.bank_transaction_id})))}
    bills = {c.bill_id for c in cases if c.bill_id and not c.bank_transaction_id}
    latest_credit = dict(session.execute(
        select(CreditState.bill_id, func.max(BankTransaction.booked_at))
        .join(BankTransaction, BankTransaction.id == CreditState.credit_id)
        .where(CreditState.bill_id.in_(bills)).group_by(CreditState.bill_id)).all())
    app_paid = dict(session.execute(select(Bill.id, Bill.app_paid_at).where(Bill.id.in_(bills))).all())
    out = {}
    for case in cases:
        moment = (credits.get(case.bank_transaction_id) if case.bank_transaction_id
                  else latest_credit.get(case.bill_id) or app_paid.get(case.bill_id))
        if moment is not None:
            out[case.id] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return out
