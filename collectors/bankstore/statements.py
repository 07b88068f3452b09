"""A file's account statements in the store: known again, replaced when corrected, placed in the chain.

A statement read again (same account, number and closing date, same entries) adds nothing; with other
entries it is a corrected re-send, whose earlier entries are removed in the same transaction before
the corrected ones are stored. Stored statements the new ones overlap are found here too, for the
linking of their entries (:mod:`collectors.bankstore.linking`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from collectors.bankfeeds import StatementPart
from pantau.models import BankStatement, BankTransaction
from pantau.models.bank import CreditState, ReconCase, ReconResult
from pantau.recon.chain import ChainLink, StatementRow, apart, disjoint, walk

OVERLAP_COLUMNS = ["statement_key", "statement_id", "first_day", "last_day", "certain"]


@dataclass
class StatementPlan:
    """What storing a file's statements does: which are new, read again or corrected."""

    fresh: list[StatementPart] = field(default_factory=list)
    same: list[StatementPart] = field(default_factory=list)
    corrected: dict[str, int] = field(default_factory=dict)
    overlaps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OVERLAP_COLUMNS))


def plan(connection: Connection, parts: tuple[StatementPart, ...]) -> StatementPlan:
    """Sort the file's statements into new, the same again and corrected, and find the stored
    statements the new and corrected ones overlap."""
    result = StatementPlan()
    if not parts:
        return result
    known = {row.statement_key: row for row in connection.execute(
        select(BankStatement.id, BankStatement.statement_key, BankStatement.fingerprint)
        .where(BankStatement.statement_key.in_([part.key for part in parts]))
    )}
    seen: dict[str, str] = {}
    for part in parts:
        if part.key in seen:
            if seen[part.key] != part.fingerprint:
                raise ValueError(f"statement {part.key} appears twice in the file with different entries "
                                 f"(line {part.first_line})")
            continue  # the same statement again in this file: its entries have the same identities
        seen[part.key] = part.fingerprint
        earlier = known.get(part.key)
        if earlier is None:
            result.fresh.append(part)
        elif earlier.fingerprint == part.fingerprint:
            result.same.append(part)
        else:
            result.corrected[part.key] = earlier.id
            result.fresh.append(part)
    result.overlaps = _overlaps(connection, result.fresh, set(result.corrected.values()))
    return result


def _overlaps(connection: Connection, parts: list[StatementPart], replaced: set[int]) -> pd.DataFrame:
    """The stored statements each new one may share entries with, and the days they may share;
    ``certain`` is false for two that only touch on a day without carrying the balance over (an
    opening balance dated the statement's first day next to one dated the day before, see
    :mod:`pantau.recon.chain`), whose entries of that day are the same only with the same reference."""
    rows = []
    stored = _stored_rows(connection, {part.account for part in parts})
    for part in parts:
        mine = _row(part)
        for other in stored:
            if other.account != part.account or other.id in replaced or apart(mine, other):
                continue
            first = max(part.opening_date, other.opening_date)
            last = min(part.closing_date, other.closing_date)
            rows.append((part.key, other.id, first.isoformat(), last.isoformat(), not disjoint(mine, other)))
    return pd.DataFrame(rows, columns=OVERLAP_COLUMNS)


def remove_replaced(connection: Connection, statement_ids: list[int]) -> int:
    """Remove the entries of statements being replaced; the entries that were their evidence become
    payments again until linked anew. Returns how many stored rows changed role or went."""
    if not statement_ids:
        return 0
    table = BankTransaction.__table__
    gone = [row for (row,) in connection.execute(select(table.c.id).where(table.c.statement_id.in_(statement_ids)))]
    if not gone:
        return 0
    orphans = connection.execute(update(table).where(table.c.payment_id.in_(gone))
                                 .values(payment_id=None)).rowcount
    forget(connection, gone)
    connection.execute(update(ReconCase.__table__).where(ReconCase.bank_transaction_id.in_(gone)).values(
        bank_transaction_id=None))
    connection.execute(delete(ReconResult.__table__).where(ReconResult.bank_transaction_id.in_(gone)))
    connection.execute(delete(table).where(table.c.id.in_(gone)))
    return orphans + len(gone)


def forget(connection: Connection, credit_ids: list[int]) -> None:
    """Drop the reconciliation states of rows that are no longer payments of their own."""
    if credit_ids:
        connection.execute(delete(CreditState.__table__).where(CreditState.credit_id.in_(credit_ids)))


def save(connection: Connection, import_id: int, statements: StatementPlan, now: datetime) -> dict[str, int]:
    """Store the new and corrected statements; returns each one's id by key."""
    ids: dict[str, int] = {}
    for part in statements.fresh:
        values = {
            "import_id": import_id, "account": part.account, "number": (part.number or "")[:40] or None,
            "opening_date": part.opening_date, "closing_date": part.closing_date,
            "opening_balance": part.opening_balance, "closing_balance": part.closing_balance,
            "entries": part.entries, "fingerprint": part.fingerprint,
        }
        earlier = statements.corrected.get(part.key)
        if earlier is None:
            ids[part.key] = connection.execute(
                insert(BankStatement).values(statement_key=part.key, **values).returning(BankStatement.id)
            ).scalar_one()
        else:
            connection.execute(update(BankStatement).where(BankStatement.id == earlier)
                               .values(replaced_at=now, **values))
            ids[part.key] = earlier
    return ids


def chain_of(connection: Connection, accounts: set[str | None] | None = None) -> list[ChainLink]:
    """The balance chain of the given accounts (of every account when None), every statement in order."""
    return walk(_stored_rows(connection, accounts))


def _stored_rows(connection: Connection, accounts: set[str | None] | None) -> list[StatementRow]:
    query = select(BankStatement.id, BankStatement.account, BankStatement.number, BankStatement.opening_date,
                   BankStatement.closing_date, BankStatement.opening_balance, BankStatement.closing_balance)
    if accounts is not None:
        where = BankStatement.account.in_([account for account in accounts if account is not None])
        if None in accounts:
            where = where | BankStatement.account.is_(None)
        query = query.where(where)
    return [StatementRow(*row) for row in connection.execute(query)]


def _row(part: StatementPart) -> StatementRow:
    return StatementRow(0, part.account, part.number, part.opening_date, part.closing_date, part.opening_balance,
                        part.closing_balance)
