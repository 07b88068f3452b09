"""The normalised bank entry every feed parser produces, and the statement that holds them.

Amounts are :class:`~decimal.Decimal` Rupiah with two places (``Decimal("1500000.00")``): statements
and camt files may carry sen, and a Decimal keeps sums exact. An entry's amount is always positive;
``direction`` says which way the money went.

Duplicate detection
-------------------
The same payment can reach Pantau twice: once as the H2H notification the payment server logged,
once as a line of the bank statement, and a statement file can be dropped twice or overlap the
previous one. Each entry therefore carries two keys (:attr:`BankEntry.dedup_keys`):

``dedup_key`` (identity, always present)
    * ``ref:<payment_ref>:<mark>:<amount>`` when the entry carries the payment network's own
      reference: the BNI ``payment_ntb``, the BRIVA ``journalSeq``, the SNAP ``paymentRequestId``, or
      an NTB / journal sequence written in a statement's narrative. A statement line and the H2H
      notification of the same payment then have the *same* identity key.
    * otherwise ``line:<account>:<bank_ref>:<date>:<mark>:<amount>#<n>``: the bank's reference of the
      statement line with booking date, amount and account, numbered ``n`` among identical lines
      of one file, so two genuine equal lines without a reference (``NONREF``) stay two payments
      while the same file imported again, or an overlapping statement, adds nothing.

    Equal identity keys always mean the same payment, whatever the formats.

``weak_key`` (only when the VA number is known)
    ``va:<va_number>:<mark>:<amount>:<date>#<n>``, ``n`` numbering equal VA/amount/date entries of one
    file (a repeated notification with the same reference keeps the number of its first copy).
    Statements rarely carry the NTB, so this is what ties a statement line to its notification.
    Equal weak keys mean the same payment only between the two channels, a ``statement`` entry
    and a ``notification`` entry, and only when the two do not carry different payment references;
    within one channel two entries with equal weak keys are distinct payments.
    :func:`collectors.bankfeeds.dedup.same_payment` states the rule as code.

``<mark>`` is ``C``, ``D``, ``RC`` (reversal of a credit) or ``RD``; ``<amount>`` has two decimals;
``<date>`` is the booking date in Asia/Jakarta. A payment booked on the statement the day after the
notification (around midnight) does not meet its notification by weak key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
CENT = Decimal("0.01")

SourceFormat = Literal["mt940", "camt053", "csv", "xlsx", "bni", "briva", "snap"]
Direction = Literal["credit", "debit"]
NOTIFICATION_FORMATS = frozenset({"bni", "briva", "snap"})


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One credit or debit on a bank account, as read from a statement or an H2H notification."""

    source_format: SourceFormat
    amount: Decimal
    direction: Direction
    booked_at: datetime
    line_no: int
    bank_ref: str | None = None
    payment_ref: str | None = None
    account: str | None = None
    va_number: str | None = None
    bill_ref: str | None = None
    payer_name: str | None = None
    currency: str = "IDR"
    is_reversal: bool = False
    value_date: date | None = None
    description: str | None = None
    occurrence: int = 1
    weak_occurrence: int = 1

    @property
    def channel(self) -> Literal["statement", "notification"]:
        """``notification`` for H2H callback logs, ``statement`` for bank statements and exports."""
        return "notification" if self.source_format in NOTIFICATION_FORMATS else "statement"

    @property
    def mark(self) -> str:
        """The MT940-style debit/credit mark: ``C``, ``D``, ``RC`` or ``RD``."""
        if self.is_reversal:
            return "RC" if self.direction == "debit" else "RD"
        return "C" if self.direction == "credit" else "D"

    @property
    def is_payment(self) -> bool:
        """Whether the entry counts as a payment received: a credit that is not a reversal."""
        return self.direction == "credit" and not self.is_reversal

    @property
    def booking_date(self) -> date:
        """The booking date on the Jakarta calendar."""
        return self.booked_at.astimezone(JAKARTA).date()

    @property
    def dedup_key(self) -> str:
        """The identity key: equal keys are the same payment in any format (see the module doc)."""
        amount = f"{self.amount:.2f}"
        if self.payment_ref:
            return f"ref:{self.payment_ref}:{self.mark}:{amount}"
        return (
            f"line:{self.account or ''}:{self.bank_ref or ''}:{self.booking_date.isoformat()}"
            f":{self.mark}:{amount}#{self.occurrence}"
        )

    @property
    def weak_key(self) -> str | None:
        """The VA/amount/date key tying a statement line to its notification, if the VA is known."""
        if not self.va_number:
            return None
        return (
            f"va:{self.va_number}:{self.mark}:{self.amount:.2f}:{self.booking_date.isoformat()}"
            f"#{self.weak_occurrence}"
        )

    @property
    def dedup_keys(self) -> tuple[str, ...]:
        """The identity key followed by the weak key when there is one."""
        weak = self.weak_key
        return (self.dedup_key, weak) if weak else (self.dedup_key,)


@dataclass(frozen=True, slots=True)
class Statement:
    """The result of parsing one file: its entries and, for statements, the balances checked."""

    file: Path
    source_format: SourceFormat
    entries: list[BankEntry] = field(default_factory=list)
    account: str | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    lines_read: int = 0

    @property
    def payments(self) -> list[BankEntry]:
        """The entries that count as payments received (credits, reversals excluded)."""
        return [entry for entry in self.entries if entry.is_payment]
