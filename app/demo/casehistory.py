"""The demo's reconciliation queue as if Pantau had watched the bank feed all along.

Reconciling a freshly generated campus would detect every case at once, at the moment of seeding: no case
overdue, no history. :func:`replay_cases` dates each open case from the moment Pantau could first see its
condition (the import of the credit behind it, or the application's payment once the bank's lag has passed
with no credit), one collector run later, however long ago that was: the demo's bank feed goes back years,
and so does its queue. The demo bendahara resolves every case older than a few weeks and most of those
detected more than a few days before ``now``, some of them late, through the same audited resolution a user
makes, but never the latest few. What stays open is recent: partly still within 1x24 jam and partly overdue.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pantau.models import BankImport, BankTransaction, Bill, ReconCase
from pantau.models.bank import CreditState
from pantau.recon.cases import resolve_case

RESOLVER = "bendahara"
DETECTION_DELAY = timedelta(hours=1)
"""A condition is found by the next collector run after it arose."""
SETTLED_AFTER = timedelta(days=3)
"""Cases detected longer ago than this are mostly resolved by ``now``."""
SETTLED_SHARE = 0.85
ALL_SETTLED_AFTER = timedelta(days=30)
"""Cases detected longer ago than this are all resolved (but for the latest few): no case stays open for months."""
LATEST_OPEN = 3
"""The latest cases stay open however old they are, so that the queue is never empty, even in a season (or at a
scale) where no condition arose in the last days."""
NOTES = {
    "bank_paid_app_unpaid": "Dicocokkan dengan rekening koran; status tagihan di aplikasi diperbarui.",
    "app_paid_no_bank": "Bukti setor dari mahasiswa diterima; setoran ditemukan di mutasi hari berikutnya.",
    "partial": "Mahasiswa dihubungi; kekurangan bayar ditagihkan pada VA yang sama.",
    "overpaid": "Kelebihan bayar dikembalikan sesuai surat permohonan mahasiswa.",
    "no_bill": "Setoran diidentifikasi dari berita transfer dan dibukukan ke tagihan yang benar.",
    "duplicate": "Setoran ganda dikembalikan ke rekening pembayar.",
}


def replay_cases(engine: Engine, *, now: datetime, due_hours: float, lag_hours: float = 36,
                 seed: int = 42) -> dict[str, int]:
    """Re-date the open cases and resolve the settled ones; returns how many were re-dated and resolved.

    ``lag_hours`` is the reconciliation's ``bank_lag_hours``: how long a payment in the application waits for
    its bank credit before it is a case."""
    rng = random.Random(seed)
    due = timedelta(hours=due_hours)
    resolved = 0
    with Session(engine) as session, session.begin():
        cases = session.scalars(select(ReconCase).where(ReconCase.status == "open").order_by(ReconCase.id)).all()
        arose = _arising(session, cases, timedelta(hours=lag_hours))
        for case in cases:
            moment = arose.get(case.id)
            detected = min(moment + DETECTION_DELAY, now) if moment is not None else case.detected_at
            case.detected_at, case.due_at = detected, detected + due
        latest = {case.id for case in sorted(cases, key=lambda c: (c.detected_at, c.id))[-LATEST_OPEN:]}
        for case in (case for case in cases if case.id not in latest):
            age = now - case.detected_at
            if age > ALL_SETTLED_AFTER or (age > SETTLED_AFTER and rng.random() < SETTLED_SHARE):
                took = due * rng.uniform(0.1, 1.6)
                resolve_case(session, case.id, user=RESOLVER, note=NOTES.get(case.kind, "Diselesaikan."),
                             at=min(case.detected_at + took, now))
                resolved += 1
    return {"dated": len(cases), "resolved": resolved}


def _arising(session: Session, cases: list[ReconCase], lag: timedelta) -> dict[int, datetime]:
    """When Pantau could first see each case's condition: a credit's case when the credit was imported (its
    booking when no import is known); a payment in the application with no bank credit once ``lag`` has
    passed after it; any other bill's case when its latest credit was imported."""
    seen = func.coalesce(BankImport.imported_at, BankTransaction.booked_at)
    credits = dict(session.execute(
        select(BankTransaction.id, seen).outerjoin(BankImport, BankImport.id == BankTransaction.import_id)
        .where(BankTransaction.id.in_({c.bank_transaction_id for c in cases if c.bank_transaction_id}))).all())
    bills = {c.bill_id for c in cases if c.bill_id and not c.bank_transaction_id}
    latest_credit = dict(session.execute(
        select(CreditState.bill_id, func.max(seen))
        .join(BankTransaction, BankTransaction.id == CreditState.credit_id)
        .outerjoin(BankImport, BankImport.id == BankTransaction.import_id)
        .where(CreditState.bill_id.in_(bills)).group_by(CreditState.bill_id)).all())
    app_paid = dict(session.execute(select(Bill.id, Bill.app_paid_at).where(Bill.id.in_(bills))).all())
    out = {}
    for case in cases:
        if case.bank_transaction_id:
            moment = credits.get(case.bank_transaction_id)
        elif case.kind == "app_paid_no_bank" and app_paid.get(case.bill_id) is not None:
            moment = _aware(app_paid[case.bill_id]) + lag
        else:
            moment = latest_credit.get(case.bill_id) or app_paid.get(case.bill_id)
        if moment is not None:
            out[case.id] = _aware(moment)
    return out


def _aware(moment: datetime | str) -> datetime:
    """``moment`` in UTC (a bare time is UTC in the store; SQLite may give an aggregate's time as text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
