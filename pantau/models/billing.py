"""Bills (tagihan), the payment application's own payment records, and the rollups pages read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, column, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, Money, UTCDateTime, utcnow

APP_STATES = ("paid", "partial", "unpaid")
"""A bill in the payment application: fully paid, paid in part, or not paid at all."""


def _own_space(context) -> str:
    """A bill inserted without a key space is in its source's own."""
    return context.get_current_parameters().get("source") or "demo"


def _search_indexes() -> list[Index]:
    """The bill list's search, a case-insensitive prefix match on number, VA and payer name (`text_pattern_ops`
    on PostgreSQL, so `LIKE 'x%'` uses them whatever the database's collation)."""
    return [Index(f"ix_bills_search_{name}", func.lower(column(name)).label(f"{name}_lower"),
                  postgresql_ops={f"{name}_lower": "text_pattern_ops"})
            for name in ("source_key", "va_number", "payer_name")]


class Bill(Base):
    """A bill as the payment application holds it, synced read-only from its database or an export.

    A bill is identified by its number in its key space, ``(key_space, source_key)``: the key space is
    the source's name unless the source's settings declare one it shares with other sources, so the
    same number in two sources is two bills. ``source`` names the configured bill source that last
    wrote the row; ``source_updated_at`` is the source's own change time, the watermark of the next
    incremental sync. ``kind`` is a :class:`~pantau.models.kinds.BillKind` code. ``nim`` and ``prodi_code``
    are what the source gave ('' when it gave no programme; NULL for bills synced before they were kept), so
    a later sync can fill ``student_id`` and ``prodi_id`` once the student or programme is known. A bill paid
    at the counter or by transfer has no VA and may have no ``due_date``; ``issued_on`` is the source's issue
    date, else the day it was first synced, and ageing counts an undated bill from it. A bill's VAs, each with
    its bank, are its :class:`BillVa` rows (reconciliation matches any of them); ``va_number`` is only a copy
    of the primary one (the first the source gives), kept for the bill list's search and its column. Its
    reconciliation state is in :class:`~pantau.models.bank.BillState`.
    """

    __tablename__ = "bills"
    __table_args__ = (
        Index(None, "semester", "due_date", "id"),  # one semester's list in that order
        Index(None, "due_date", "id"),  # the bill list's order
        *_search_indexes(),
        Index(None, "app_paid", "due_date"),
        Index(None, "kind", "prodi_id", "angkatan"),
        Index(None, "source", "source_updated_at"),
        UniqueConstraint("source_key", "key_space"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(32), default="demo", server_default="demo")
    key_space: Mapped[str] = mapped_column(String(32), default=_own_space, server_default="demo")
    source_key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    payer_name: Mapped[str] = mapped_column(String(120))
    prodi_id: Mapped[int | None] = mapped_column(ForeignKey("prodi.id"))
    angkatan: Mapped[int | None]
    nim: Mapped[str | None] = mapped_column(String(20))
    prodi_code: Mapped[str | None] = mapped_column(String(16))
    semester: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Money)
    va_number: Mapped[str | None] = mapped_column(String(32))  # the primary VA's number, a copy of BillVa's
    due_date: Mapped[date | None] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date, default=lambda: utcnow().date())
    app_paid: Mapped[bool] = mapped_column(default=False)
    app_paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    app_paid_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    source_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    vas: Mapped[list[BillVa]] = relationship(order_by="BillVa.position", cascade="all, delete-orphan",
                                             passive_deletes=True)


class BillVa(Base):
    """A virtual account a bill can be paid to, at one bank (``bank`` a :mod:`pantau.banks` code; NULL when the
    source did not say, as for VAs synced before banks were kept). A bill has none (paid at the counter or by
    transfer), one, or one per bank; ``position`` 0 is its primary VA, the one ``Bill.va_number`` copies.

    VA numbers are not unique across bills: a campus with a fixed VA per student (prefix and NIM) bills every
    semester to the same VA, and reconciliation then prefers the bill of the credit's amount, still open on the
    payment day. The index serves that look-up by number (and bank) without reading the table."""

    __tablename__ = "bill_vas"
    __table_args__ = (
        UniqueConstraint("bill_id", "bank", "va_number"),
        Index(None, "va_number", "bank", "bill_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int] = mapped_column(BigId, ForeignKey("bills.id", ondelete="CASCADE"))
    bank: Mapped[str | None] = mapped_column(String(16))
    va_number: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)


@event.listens_for(Bill, "after_insert")
def _primary_va(_mapper, connection, bill: Bill) -> None:
    """A bill written through the ORM with a VA number and no VAs gets that number as its one VA (bank not
    known), so ``bills.va_number`` never names a VA reconciliation cannot see. Bulk writers (the sync, the demo)
    write ``bill_vas`` themselves."""
    if bill.va_number and not bill.__dict__.get("vas"):
        connection.execute(BillVa.__table__.insert().values(bill_id=bill.id, bank=None, va_number=bill.va_number,
                                                            position=0))


class BillQuarantine(Base):
    """A row of a bill source set aside by its latest sync (a missing amount, an unknown kind, a date that
    cannot be read, a number given twice), with where it came from and why; the source's other rows were
    synced. Each sync of a source replaces its rows here, so the list is what is wrong at the source now."""

    __tablename__ = "bill_quarantine"
    __table_args__ = (Index(None, "source", "source_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    query: Mapped[str | None] = mapped_column(String(64))
    row: Mapped[str] = mapped_column(String(200))
    source_key: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(32))
    column: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(400))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Payment(Base):
    """A payment the payment application recorded against a bill (its side of the H2H exchange)."""

    __tablename__ = "payments"
    __table_args__ = (Index(None, "bill_id"), Index(None, "paid_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str | None] = mapped_column(String(64))


class BillRollup(Base):
    """Live bills grouped by everything the payments page filters and plots, rebuilt by each
    reconciliation, so the page reads a few thousand rows instead of a million bills.

    ``paid`` counts what the application received up to the bill's amount (an overpayment does not
    lift the collection rate above 100 %); ``received`` is what the bank received; ``paid_on`` is
    the day (campus calendar) the application marked the bills paid, NULL for bills not fully paid
    or paid on a day the application did not record.
    ``app_state`` is one of :data:`APP_STATES`, ``recon_state`` the reconciliation state.
    """

    __tablename__ = "bill_rollups"
    __table_args__ = (Index(None, "semester", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    semester: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    prodi_id: Mapped[int | None]
    angkatan: Mapped[int | None]
    due_date: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    app_state: Mapped[str] = mapped_column(String(8))
    recon_state: Mapped[str] = mapped_column(String(24))
    bills: Mapped[int]
    billed: Mapped[Decimal] = mapped_column(Money)
    paid: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[Decimal] = mapped_column(Money)
