"""Reconciliation, read side: the latest run's summary and the exception queue (open cases, those overdue,
and how many were overdue at past moments, for the trend lines).

KPI definition (UI.md): Kasus rekonsiliasi lewat 1x24 jam, :func:`overdue_cases`: open cases whose due time has
passed.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select

from pantau.models import BankTransaction, Bill, ReconCase
from pantau.models.bank import ReconSummary

from .frames import read_frame


def overdue_cases(engine: Engine, *, now: datetime) -> int:
    """Kasus rekonsiliasi lewat 1x24 jam: open cases whose due time has passed."""
    query = select(func.count()).where(ReconCase.status == "open", ReconCase.due_at < now)
    with engine.connect() as connection:
        return int(connection.scalar(query))


def overdue_cases_at(engine: Engine, moments: list[datetime]) -> list[int]:
    """:func:`overdue_cases` as it stood at each of ``moments``: cases past their due time by then and not yet
    resolved or cleared, in one read. A case cleared and reopened counts from its reopening only."""
    if not moments:
        return []
    first, last = min(moments), max(moments)
    unsettled = or_(ReconCase.status == "open", ReconCase.resolved_at > first)
    columns = [func.coalesce(func.sum(case((and_(ReconCase.due_at < moment,
                                                 or_(ReconCase.status == "open", ReconCase.resolved_at > moment)), 1),
                                           else_=0)), 0) for moment in moments]
    query = select(*columns).where(unsettled, ReconCase.due_at < last)
    with engine.connect() as connection:
        return [int(value) for value in connection.execute(query).one()]


def recon_summary(engine: Engine) -> pd.DataFrame:
    """The latest run's ``subject`` (bill or credit), ``state``, ``items``, ``amount``, ``amount_diff``, ``run_at``."""
    return read_frame(engine, select(ReconSummary.subject, ReconSummary.state, ReconSummary.items, ReconSummary.amount,
                                      ReconSummary.amount_diff, ReconSummary.run_at)
                       .order_by(ReconSummary.subject, ReconSummary.items.desc()))


def last_reconciled(engine: Engine) -> datetime | None:
    """When reconciliation last ran."""
    with engine.connect() as connection:
        return connection.scalar(select(func.max(ReconSummary.run_at)))


def cases(engine: Engine, *, now: datetime, status: str = "open", limit: int = 500) -> pd.DataFrame:
    """The exception queue, most overdue first: the case, its bill and credit, and whether it is overdue."""
    query = (
        select(ReconCase.id, ReconCase.kind, ReconCase.status, ReconCase.amount_diff, ReconCase.detected_at,
               ReconCase.due_at, ReconCase.resolved_at, ReconCase.resolved_by, ReconCase.resolution_note,
               Bill.source_key.label("bill"), Bill.payer_name, Bill.va_number.label("bill_va"),
               Bill.amount.label("bill_amount"), BankTransaction.amount.label("credit_amount"),
               BankTransaction.va_number.label("credit_va"), BankTransaction.booked_at,
               BankTransaction.payer_name.label("credit_payer"), BankTransaction.bank_ref)
        .outerjoin(Bill, Bill.id == ReconCase.bill_id)
        .outerjoin(BankTransaction, BankTransaction.id == ReconCase.bank_transaction_id)
        .where(ReconCase.status == status)
        .order_by(ReconCase.due_at, ReconCase.id).limit(limit)
    )
    frame = read_frame(engine, query)
    for column in ("detected_at", "due_at", "resolved_at", "booked_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["overdue"] = frame["due_at"] < pd.Timestamp(now)
    return frame


def case_counts(engine: Engine, *, now: datetime) -> dict[str, int]:
    """Open cases, and how many of them are past their due time."""
    query = select(func.count(), func.coalesce(func.sum(case((ReconCase.due_at < now, 1), else_=0)), 0)).where(
        ReconCase.status == "open")
    with engine.connect() as connection:
        total, late = connection.execute(query).one()
    return {"open": int(total), "overdue": int(late)}
