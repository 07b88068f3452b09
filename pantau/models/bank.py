"""Bank statement imports, bank transactions, reconciliation results and the exception queue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, Money, UTCDateTime, utcnow

RECON_STATES = (
    "matched",
    "partial",
    "overpaid",
    "no_bill",
    "bank_paid_app_unpaid",
    "app_paid_no_bank",
    "duplicate",
    "unpaid",
)
"""What reconciliation says about a bill or a bank credit; ``unpaid`` is a bill neither side paid."""

NOTIFICATION_FORMATS = frozenset({"bni", "briva", "snap"})
"""Bank feeds that are H2H payment notifications (the other formats are statements and exports)."""

CASE_STATUSES = ("open", "resolved", "cleared")
"""A case is open until the bendahara resolves it, or cleared when its condition goes away by itself."""


class BankImport(Base):
    """One file read from a bank feed; its checksum makes a dropped-again file add nothing.

    ``added`` counts the entries stored, ``linked`` those among them that are evidence of a payment
    already known, and ``relinked`` the stored entries this import made evidence of its own (a
    notification arriving after its statement line), which asks the next reconciliation to run whole.
    """

    __tablename__ = "bank_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64))
    lines_read: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    linked: Mapped[int] = mapped_column(default=0)
    relinked: Mapped[int] = mapped_column(default=0)


class BankStatement(Base):
    """One account statement (an MT940 ``:20:`` block, a camt ``Stmt``): its place in the account's
    series and its balances, which chain it to the statements before and after it.

    ``statement_key`` (account, number and closing date) finds the same statement again: with the
    same ``fingerprint`` it adds nothing, with another it is a corrected re-send that replaces it.
    """

    __tablename__ = "bank_statements"
    __table_args__ = (Index(None, "account", "closing_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_key: Mapped[str] = mapped_column(String(128), unique=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("bank_imports.id"))
    account: Mapped[str | None] = mapped_column(String(34))
    number: Mapped[str | None] = mapped_column(String(40))
    opening_date: Mapped[date | None] = mapped_column(Date)
    closing_date: Mapped[date | None] = mapped_column(Date)
    opening_balance: Mapped[Decimal] = mapped_column(Money)
    closing_balance: Mapped[Decimal] = mapped_column(Money)
    entries: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(32))
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BankTransaction(Base):
    """A credit or debit on the institution's account as one channel reported it: a statement line,
    an export line or an H2H notification. Each row is a piece of evidence; a payment is the row with
    no ``payment_id`` and every row whose ``payment_id`` names it (the same money seen again through
    another channel or an overlapping statement). Only payments are reconciled and counted.

    ``dedup_key`` is the entry's identity (see :mod:`collectors.bankfeeds.entry`); ``to_check`` marks
    an entry whose link could not be made unambiguously (shown to the bendahara). ``bill_ref`` is the
    bill number a notification names (BNI ``trx_id``, SNAP ``trxId``), matched against
    :attr:`Bill.source_key`; ``value_date`` is the booking date on the campus calendar. Only the keys
    a bulk import needs are indexed: ``dedup_key`` (unique) and ``booked_at`` (the range a file's
    links are looked up in), so a million-line file stores quickly; besides, a partial index holds only
    the entries to check, newest first as the payments page lists them.
    """

    __tablename__ = "bank_transactions"
    __table_args__ = (Index(None, "booked_at"),
                      Index("ix_bank_transactions_to_check", "booked_at", "id", sqlite_where=text("to_check"),
                            postgresql_where=text("to_check")))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("bank_imports.id"))
    source_format: Mapped[str] = mapped_column(String(16))
    bank_ref: Mapped[str | None] = mapped_column(String(64))
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True)
    payment_ref: Mapped[str | None] = mapped_column(String(64))
    payment_id: Mapped[int | None] = mapped_column(BigId)
    to_check: Mapped[bool] = mapped_column(default=False)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("bank_statements.id"))
    account: Mapped[str | None] = mapped_column(String(34))
    va_number: Mapped[str | None] = mapped_column(String(32))
    bill_ref: Mapped[str | None] = mapped_column(String(40))
    payer_name: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Money)
    direction: Mapped[str] = mapped_column(String(6))
    is_reversal: Mapped[bool] = mapped_column(default=False)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    value_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    line_no: Mapped[int | None]


class BillState(Base):
    """The latest reconciliation's state of a live bill, the rule that decided it, and what the bank
    received for it (repeated full payments left out). One narrow row per bill, written only when
    it changes, so a run over a million bills writes little once the first run is done.

    Like :class:`CreditState` it is derived data the reconciliation keeps in step with the bills (it
    drops the states of bills gone or deleted), so it carries no foreign keys: checking a million of
    them row by row would cost more than the rest of the run on PostgreSQL."""

    __tablename__ = "bill_states"

    bill_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    state: Mapped[str] = mapped_column(String(24))
    rule: Mapped[str] = mapped_column(String(32))
    received: Mapped[Decimal] = mapped_column(Money)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CreditState(Base):
    """The latest reconciliation's state of a bank credit and the bill it paid (debits and reversals
    are recorded but not reconciled, so they have none)."""

    __tablename__ = "credit_states"

    credit_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int | None] = mapped_column(BigId)
    state: Mapped[str] = mapped_column(String(24))
    rule: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReconResult(Base):
    """A change of state found by a reconciliation run: the history of every bill and credit.

    A bill's row has no ``bank_transaction_id``; a credit's row has one, and ``bill_id`` when the
    credit was tied to a bill. A subject's first state is only in :class:`BillState` or
    :class:`CreditState`; each later change lands here too.
    ``amount`` is the bill's or the credit's own amount; ``amount_diff`` is what the bank received
    for the bill minus what it bills (for a credit: its bill's, or the credit itself when it paid
    no bill or paid a bill twice). ``rule`` names the matching rule that decided.
    """

    __tablename__ = "recon_results"
    __table_args__ = (
        Index(None, "bill_id"),
        Index(None, "bank_transaction_id"),
        Index(None, "run_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"))
    bank_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(String(24))
    previous_state: Mapped[str] = mapped_column(String(24))
    rule: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    amount_diff: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class ReconSummary(Base):
    """Counts and sums per state of the latest run, for bills and for credits (small, read by pages)."""

    __tablename__ = "recon_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subject: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(24))
    items: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)
    amount_diff: Mapped[Decimal] = mapped_column(Money)


class ReconCase(Base):
    """An exception the bendahara must resolve, due 1x24 jam after detection by default.

    ``case_key`` (``<kind>:bill:<id>`` or ``<kind>:credit:<id>``) makes one case per condition:
    a later run finds the same case instead of opening another.
    """

    __tablename__ = "recon_cases"
    __table_args__ = (Index(None, "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"))
    bank_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id", ondelete="CASCADE")
    )
    amount_diff: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="open")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
