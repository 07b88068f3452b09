"""Bills and bank credits written by hand for the reconciliation tests, and their states read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from pantau.models import BankTransaction, Bill, BillVa
from pantau.models.bank import BillState, CreditState

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
PAID_AT = NOW - timedelta(days=5)


def add_bill(session, key: str, amount: int, *, va: str | None = None, vas: list[tuple[str | None, str]] | None = None,
             paid: bool = False,
             paid_amount: int | None = None,
             paid_at: datetime | None = PAID_AT, due: date = date(2026, 3, 1), semester: str = "20252",
             kind: str = "herregistrasi") -> Bill:
    bill = Bill(source="test", source_key=key, kind=kind, payer_name=f"Mahasiswa {key}", semester=semester,
                amount=Decimal(amount), va_number=va or f"98810{key}", due_date=due, app_paid=paid,
                app_paid_at=paid_at if paid else None,
                app_paid_amount=Decimal(amount if paid and paid_amount is None else paid_amount or 0),
                synced_at=NOW - timedelta(days=1))
    if vas:
        bill.va_number = vas[0][1]
        bill.vas = [BillVa(bank=bank, va_number=number, position=position) for position, (bank, number) in
                    enumerate(vas)]
    session.add(bill)
    session.flush()
    return bill


def add_credit(session, ref: str, amount: int, *, va: str | None = None, bill_ref: str | None = None,
               booked: datetime = PAID_AT, fmt: str = "bni", direction: str = "credit",
               account: str | None = None) -> BankTransaction:
    credit = BankTransaction(source_format=fmt, bank_ref=ref, dedup_key=f"ntf:{fmt}:{ref}", payment_ref=ref,
                             va_number=va, account=account,
                             bill_ref=bill_ref, amount=Decimal(amount), direction=direction, is_reversal=False,
                             booked_at=booked, value_date=(booked + timedelta(hours=7)).date())
    session.add(credit)
    session.flush()
    return credit


def bill_state(engine, bill_id: int) -> tuple[str, Decimal] | None:
    with engine.connect() as connection:
        row = connection.execute(select(BillState.state,
                                        BillState.received).where(BillState.bill_id == bill_id)).first()
    return None if row is None else (row.state, row.received)


def credit_state(engine, credit_id: int) -> tuple[str, int | None] | None:
    with engine.connect() as connection:
        row = connection.execute(select(CreditState.state, CreditState.bill_id)
                                 .where(CreditState.credit_id == credit_id)).first()
    return None if row is None else (row.state, row.bill_id)
