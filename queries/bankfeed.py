"""The bank feed as the bendahara checks it: how many payments the stored entries make, each account's
balance chain, and the entries whose link to a payment was not certain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, case, func, select

from pantau.models import BankImport, BankStatement, BankTransaction
from pantau.models.bank import NOTIFICATION_FORMATS
from pantau.recon.chain import StatementRow, walk

from .frames import read_frame

CHAIN_COLUMNS = ["account", "number", "opening_date", "closing_date", "opening_balance", "closing_balance",
                 "status", "expected", "difference"]


@dataclass(frozen=True)
class FeedTotals:
    """Stored entries, the distinct payments they make (credits of their own) and their sum, the
    entries that are evidence of another payment, those to check, and the latest booking."""

    entries: int
    payments: int
    received: float
    evidence: int
    to_check: int
    latest: datetime | None


def feed_totals(engine: Engine) -> FeedTotals:
    t = BankTransaction
    own_payment = (t.payment_id.is_(None)) & (t.direction == "credit") & (t.is_reversal.is_(False))
    query = select(
        func.count(),
        func.sum(case((own_payment, 1), else_=0)),
        func.sum(case((own_payment, t.amount), else_=0)),
        func.sum(case((t.payment_id.is_not(None), 1), else_=0)),
        func.sum(case((t.to_check, 1), else_=0)),
        func.max(t.booked_at),
    )
    with engine.connect() as connection:
        entries, payments, received, evidence, to_check, latest = connection.execute(query).one()
    return FeedTotals(entries, payments or 0, float(received or 0), evidence or 0, to_check or 0, latest)


def balance_chain(engine: Engine) -> pd.DataFrame:
    """Every statement of every account in chain order with its status (``first``, ``continues``,
    ``gap``, ``overlap``), the balance it should have opened with and the difference (gaps only)."""
    query = select(BankStatement.id, BankStatement.account, BankStatement.number, BankStatement.opening_date,
                   BankStatement.closing_date, BankStatement.opening_balance, BankStatement.closing_balance)
    with engine.connect() as connection:
        rows = [StatementRow(*row) for row in connection.execute(query)]
    links = walk(rows)
    return pd.DataFrame([(
        link.statement.account, link.statement.number, link.statement.opening_date, link.statement.closing_date,
        link.statement.opening_balance, link.statement.closing_balance, link.status, link.expected, link.difference,
    ) for link in links], columns=CHAIN_COLUMNS)


def chain_by_account(chain: pd.DataFrame) -> pd.DataFrame:
    """One row per account: its latest statement, how many statements, and how many gaps."""
    if chain.empty:
        return pd.DataFrame(columns=["account", "statements", "gaps", "overlaps", "number", "closing_date",
                                     "closing_balance"])
    grouped = chain.groupby("account", dropna=False, sort=True)
    latest = grouped.tail(1).set_index("account")
    return pd.DataFrame({
        "statements": grouped.size(),
        "gaps": grouped["status"].apply(lambda status: int((status == "gap").sum())),
        "overlaps": grouped["status"].apply(lambda status: int((status == "overlap").sum())),
        "number": latest["number"], "closing_date": latest["closing_date"],
        "closing_balance": latest["closing_balance"],
    }).reset_index()


def entries_to_check(engine: Engine, *, limit: int = 200) -> pd.DataFrame:
    """The entries whose link was not certain, newest first, with the payment they were tied to."""
    t = BankTransaction
    payment = BankTransaction.__table__.alias("payment")
    query = (
        select(t.id, t.booked_at, t.source_format, t.account, t.va_number, t.amount, t.direction, t.description,
               t.payment_id, payment.c.source_format.label("payment_format"),
               payment.c.booked_at.label("payment_booked_at"))
        .outerjoin(payment, payment.c.id == t.payment_id)
        .where(t.to_check)
        .order_by(t.booked_at.desc(), t.id.desc())
        .limit(limit)
    )
    return read_frame(engine, query)


def statement_credits(engine: Engine, *, since: datetime, booked_within: timedelta = timedelta(days=7)) -> pd.DataFrame:
    """The VA credits that statements and exports (not notifications) reported and Pantau saw (imported)
    since ``since``, booked at most ``booked_within`` before it: each with its account, when Pantau saw
    it and whether a notification reported the same payment (its payment's representative is one)."""
    t = BankTransaction.__table__
    root = t.alias("root")
    imports = BankImport.__table__
    notified = root.c.source_format.in_(NOTIFICATION_FORMATS)
    query = (
        select(t.c.id, t.c.account, t.c.va_number, t.c.amount, t.c.booked_at, imports.c.imported_at,
               case((notified, True), else_=False).label("notified"))
        .join(root, root.c.id == func.coalesce(t.c.payment_id, t.c.id))
        .outerjoin(imports, imports.c.id == t.c.import_id)
        .where(t.c.booked_at >= since - booked_within, func.coalesce(imports.c.imported_at, t.c.booked_at) >= since,
               t.c.direction == "credit", t.c.is_reversal.is_(False),
               t.c.va_number.is_not(None), t.c.source_format.not_in(NOTIFICATION_FORMATS))
        .order_by(t.c.booked_at, t.c.id)
    )
    return read_frame(engine, query)


def notification_days(engine: Engine, *, since: datetime, zone: str) -> pd.DataFrame:
    """How many notifications arrived per booking day (campus calendar) since ``since``."""
    t = BankTransaction.__table__
    query = select(t.c.booked_at).where(t.c.booked_at >= since, t.c.source_format.in_(NOTIFICATION_FORMATS))
    frame = read_frame(engine, query)
    days = pd.to_datetime(frame["booked_at"], utc=True).dt.tz_convert(zone).dt.date
    return days.value_counts().rename_axis("day").reset_index(name="notifications").sort_values("day")


def latest_statements(engine: Engine) -> pd.DataFrame:
    """Each account's latest statement closing date."""
    query = (select(BankStatement.account, func.max(BankStatement.closing_date).label("closing_date"))
             .group_by(BankStatement.account))
    return read_frame(engine, query)
