"""Bank statement imports, bank transactions, reconciliation results and the exception queue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
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
)


class BankImport(Base):
    """One file read from a bank feed; its checksum makes a dropped-again file add nothing."""

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


class BankTransaction(Base):
    """A credit or debit on the institution's account, from a statement or an H2H notification log."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        Index(None, "va_number"),
        Index(None, "booked_at"),
        Index(None, "weak_key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("bank_imports.id"))
    source_format: Mapped[str] = mapped_column(String(16))
    bank_ref: Mapped[str] = mapped_column(String(64))
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True)
    weak_key: Mapped[str | None] = mapped_column(String(160))
    account: Mapped[str | None] = mapped_column(String(34))
    va_number: Mapped[str | None] = mapped_column(String(32))
    payer_name: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Money)
    direction: Mapped[str] = mapped_column(String(6))
    is_reversal: Mapped[bool] = mapped_column(default=False)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    value_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    line_no: Mapped[int | None]


class ReconResult(Base):
    """The state the latest reconciliation run gave a bank credit and/or a bill."""

    __tablename__ = "recon_results"
    __table_args__ = (
        Index(None, "state"),
        Index(None, "bill_id"),
        Index(None, "bank_transaction_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"))
    bank_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(String(24))
    rule: Mapped[str] = mapped_column(String(32))
    amount_diff: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class ReconCase(Base):
    """An exception the bendahara must resolve, due 1x24 jam after detection by default."""

    __tablename__ = "recon_cases"
    __table_args__ = (
        UniqueConstraint("kind", "bill_id", "bank_transaction_id"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
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
