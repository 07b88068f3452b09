"""Statement files made of sections (MT940 ``:20:`` blocks, camt ``Stmt`` elements), each balanced."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .entry import BankEntry, SourceFormat, Statement, StatementPart
from .errors import BalanceMismatch, FeedError

MAX_KEY = 120
"""Longest statement name kept as it is; the entry key adds ``stmt:`` and a position (160 in all)."""


@dataclass(frozen=True)
class Section:
    """One account statement inside a file, with where its closing balance was read.

    ``number`` is the statement's place in the account's series as the bank writes it (MT940
    ``:28C:`` ``00002/001``, camt ``ElctrncSeqNb`` or ``LglSeqNb``, else the camt ``Stmt/Id``);
    ``opening_date`` and ``closing_date`` are the dates of its balances.
    """

    account: str | None
    opening: Decimal
    closing: Decimal
    entries: list[BankEntry]
    closing_line: int
    closing_field: str
    number: str | None = None
    first_line: int = 0
    opening_date: date | None = None
    closing_date: date | None = None

    def check(self, file: Path) -> None:
        """Raise :class:`BalanceMismatch` unless opening + credits - debits equals closing."""
        total = sum(
            (entry.amount if entry.direction == "credit" else -entry.amount for entry in self.entries),
            Decimal(0),
        )
        if self.opening + total != self.closing:
            raise BalanceMismatch(
                file,
                self.closing_line,
                self.closing_field,
                opening=self.opening,
                entries_total=total,
                closing=self.closing,
            )


def combine(file: Path, source_format: SourceFormat, sections: list[Section], lines_read: int) -> Statement:
    """Check every section and join them into one :class:`Statement`.

    Each entry is placed in its statement (its ``statement_key`` and ``position``), which is its
    identity. Account and balances are those of the file when all sections are of one account
    (opening of the first, closing of the last), else ``None``.
    """
    for section in sections:
        section.check(file)
    parts = [_part(section) for section in sections]
    _refuse_two_versions(file, source_format, parts)
    entries = [
        dataclasses.replace(entry, statement_key=part.key, position=position)
        for section, part in zip(sections, parts)
        for position, entry in enumerate(section.entries, start=1)
    ]
    accounts = {section.account for section in sections}
    single = len(accounts) == 1 and bool(sections)
    return Statement(
        file=file,
        source_format=source_format,
        entries=entries,
        account=next(iter(accounts)) if single else None,
        opening_balance=sections[0].opening if single else None,
        closing_balance=sections[-1].closing if single else None,
        lines_read=lines_read,
        parts=tuple(parts),
    )


def _refuse_two_versions(file: Path, source_format: SourceFormat, parts: list[StatementPart]) -> None:
    """A file may hold the same statement twice (two downloads put together), not two versions of it."""
    seen: dict[str, StatementPart] = {}
    for part in parts:
        first = seen.setdefault(part.key, part)
        if first.fingerprint != part.fingerprint:
            raise FeedError(file, part.first_line, "statement", part.number,
                            "the statement of line {first} appears again with other entries", format=source_format,
                            first=first.first_line)


def statement_key(account: str | None, number: str | None, opening_date: date | None,
                  closing_date: date | None, opening: Decimal) -> str:
    """A statement's name in its account's series: account, number and closing date, or, for a
    statement without a number, its period and opening balance. Long names are shortened to a hash."""
    if number:
        key = f"{account or ''}/{number}/{closing_date or ''}"
    else:
        key = f"{account or ''}/-/{opening_date or ''}/{closing_date or ''}/{opening:.2f}"
    return key if len(key) <= MAX_KEY else "h:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _part(section: Section) -> StatementPart:
    fingerprint = hashlib.sha256()
    for entry in section.entries:
        fingerprint.update(
            f"{entry.mark}|{entry.amount:.2f}|{entry.booking_date}|{entry.value_date}|{entry.bank_ref}"
            f"|{entry.va_number}|{entry.description}\n".encode()
        )
    return StatementPart(
        key=statement_key(section.account, section.number, section.opening_date, section.closing_date,
                          section.opening),
        account=section.account,
        number=section.number,
        opening_date=section.opening_date,
        closing_date=section.closing_date,
        opening_balance=section.opening,
        closing_balance=section.closing,
        entries=len(section.entries),
        fingerprint=fingerprint.hexdigest()[:32],
        first_line=section.first_line,
    )
