"""The normalised bank entry every feed parser produces, and the statement that holds them.

Amounts are :class:`~decimal.Decimal` Rupiah with two places (``Decimal("1500000.00")``): statements
and camt files may carry sen, and a Decimal keeps sums exact. An entry's amount is always positive;
``direction`` says which way the money went.

Identity
--------
Each entry has an identity key (:attr:`BankEntry.dedup_key`) built from what its channel guarantees,
so that the same entry read again is recognised and two genuine entries never share a key:

* a **notification** (BNI eCollection, BRIVA, SNAP) by its own id: ``ntf:<format>:<id>`` with the
  BNI ``payment_ntb``, the BRIVA ``journalSeq`` or the SNAP ``paymentRequestId``;
* a **statement entry** (MT940, camt.053) by its place in the account's statement chain:
  ``stmt:<statement>:<position>``, the statement being the account with the statement's number
  (``:28C:``, ``ElctrncSeqNb``) and closing date, the position counting entries from 1;
* a line of a **bank export** (CSV, XLSX), which has no statement number, by the bank's reference,
  account, booking date, mark and amount, numbered ``#n`` among equal lines of the file:
  ``line:<account>:<bank_ref>:<date>:<mark>:<amount>#<n>``.

The same payment seen through two channels (a notification and a statement line, or two
overlapping statements) keeps two identities: the store links the entries as evidence of one
payment (:mod:`collectors.bankstore.linking`). :attr:`BankEntry.link_key` is what a notification and
a statement line of the same payment have in common. ``<mark>`` is ``C``, ``D``, ``RC`` (reversal
of a credit) or ``RD``; ``<amount>`` has two decimals; ``<date>`` is the booking date in
Asia/Jakarta. docs/bank-feeds.md tells the design with its examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pantau.models.bank import NOTIFICATION_FORMATS

JAKARTA = ZoneInfo("Asia/Jakarta")
CENT = Decimal("0.01")

SourceFormat = Literal["mt940", "camt053", "csv", "xlsx", "bni", "briva", "snap"]
Direction = Literal["credit", "debit"]


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
    statement_key: str | None = None
    position: int | None = None

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
        """The identity key: equal keys are the same entry read again (see the module doc)."""
        if self.channel == "notification":
            return f"ntf:{self.source_format}:{self.payment_ref}"
        if self.statement_key is not None:
            return f"stmt:{self.statement_key}:{self.position}"
        return (
            f"line:{self.account or ''}:{self.bank_ref or ''}:{self.booking_date.isoformat()}"
            f":{self.mark}:{self.amount:.2f}#{self.occurrence}"
        )

    @property
    def link_key(self) -> str | None:
        """VA, mark, amount and booking date: what a notification and its statement line share."""
        if not self.va_number:
            return None
        return f"va:{self.va_number}:{self.mark}:{self.amount:.2f}:{self.booking_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class StatementPart:
    """One account statement of a file, as the store keeps it for the balance chain.

    ``key`` names it in its account's series (see :func:`statement_key`); ``fingerprint`` changes
    when its entries do, which tells a corrected re-send from the same statement read again.
    """

    key: str
    account: str | None
    number: str | None
    opening_date: date | None
    closing_date: date | None
    opening_balance: Decimal
    closing_balance: Decimal
    entries: int
    fingerprint: str
    first_line: int


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
    parts: tuple[StatementPart, ...] = ()

    @property
    def payments(self) -> list[BankEntry]:
        """The entries that count as payments received (credits, reversals excluded)."""
        return [entry for entry in self.entries if entry.is_payment]
