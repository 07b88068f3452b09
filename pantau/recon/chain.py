"""The balance chain of a bank account: each statement must open with the balance the one before it
closed with. A statement that does not is a *gap* (a statement missing, or money booked outside
the statements); one covering days another already covers is an *overlap*, whose entries are linked
rather than counted again.

Two statements are *disjoint* when their dates are apart, or when one closes on the day the other
opens and either the balance carries over or both span more than that day (a daily statement's
closing date is often the next one's opening date).

Banks date an opening balance either the day before the statement's first day (the closing day of
the statement before it, usual in MT940) or the first day itself (usual in camt.053). Two statements
that touch on a day may therefore still share that day's entries, even when the balance carries over
(the day's entries may add up to nothing); they are only *apart* when their dates are apart, or when
both are statements of that one day and one opens with the balance the other closed with (two
statements of one day in a row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

ChainStatus = Literal["first", "continues", "gap", "overlap"]


@dataclass(frozen=True)
class StatementRow:
    """What the chain needs of a stored statement."""

    id: int
    account: str | None
    number: str | None
    opening_date: date | None
    closing_date: date | None
    opening_balance: Decimal
    closing_balance: Decimal


@dataclass(frozen=True)
class ChainLink:
    """A statement's place in its account's chain; ``expected`` is the previous closing balance."""

    statement: StatementRow
    status: ChainStatus
    expected: Decimal | None = None

    @property
    def difference(self) -> Decimal | None:
        """Opening balance minus the balance expected (money missing from the chain when negative)."""
        return None if self.expected is None else self.statement.opening_balance - self.expected


def disjoint(first: StatementRow, second: StatementRow) -> bool:
    """Whether the two statements cover no entry in common (see the module doc)."""
    if apart(first, second):
        return True
    return any(before.closing_date == after.opening_date and before.opening_date < before.closing_date
               and after.opening_date < after.closing_date
               for before, after in ((first, second), (second, first)))


def apart(first: StatementRow, second: StatementRow) -> bool:
    """Whether the two statements can share no entry however their opening balances are dated: their
    dates are apart, or both cover one and the same day and one opens with the balance the other
    closed with."""
    if None in (first.opening_date, first.closing_date, second.opening_date, second.closing_date):
        return True
    for before, after in ((first, second), (second, first)):
        if before.closing_date < after.opening_date:
            return True
        one_day = before.opening_date == before.closing_date == after.opening_date == after.closing_date
        if one_day and before.closing_balance == after.opening_balance:
            return True
    return False


def walk(statements: Iterable[StatementRow]) -> list[ChainLink]:
    """Every statement of every account in chain order, with its status."""
    links: list[ChainLink] = []
    by_account: dict[str | None, list[StatementRow]] = {}
    for row in statements:
        by_account.setdefault(row.account, []).append(row)
    for rows in by_account.values():
        previous: StatementRow | None = None
        for row in sorted(rows, key=_order):
            if previous is None:
                links.append(ChainLink(row, "first"))
            elif not disjoint(previous, row):
                links.append(ChainLink(row, "overlap"))
            elif row.opening_balance == previous.closing_balance:
                links.append(ChainLink(row, "continues"))
            else:
                links.append(ChainLink(row, "gap", previous.closing_balance))
            previous = row
    return links


def _order(row: StatementRow) -> tuple:
    return (row.closing_date or date.min, row.opening_date or date.min, _natural(row.number), row.id)


def _natural(number: str | None) -> tuple:
    """``2/1`` before ``10/1``: the digit runs of a statement number compared as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", number or "") if part)
