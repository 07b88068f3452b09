"""Statement files made of sections (MT940 ``:20:`` blocks, camt ``Stmt`` elements), each balanced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .dedup import number_occurrences
from .entry import BankEntry, SourceFormat, Statement
from .errors import BalanceMismatch


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

    Entries are numbered across the whole file. Account and balances are those of the file when
    all sections are of one account (opening of the first, closing of the last), else ``None``.
    """
    for section in sections:
        section.check(file)
    accounts = {section.account for section in sections}
    single = len(accounts) == 1
    return Statement(
        file=file,
        source_format=source_format,
        entries=number_occurrences(entry for section in sections for entry in section.entries),
        account=next(iter(accounts)) if single else None,
        opening_balance=sections[0].opening if single else None,
        closing_balance=sections[-1].closing if single else None,
        lines_read=lines_read,
    )
