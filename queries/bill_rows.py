"""The bills behind the payments page's figures, filtered and searched on indexes: the drill-down table and
its downloads."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from pantau import billvas
from pantau.models import Bill, BillKind, BillVa, Prodi
from pantau.models.bank import BillState

from .frames import read_frame
from .payments import BillFilter


def bill_rows(engine: Engine, *, bills: BillFilter = BillFilter(), state: str | None = None,
              search: str | None = None, limit: int = 1000, lang: str = "id") -> pd.DataFrame:
    """The bills behind the figures, soonest due first and those without a due date last (on every store): id,
    number, payer, primary VA, prodi (code and name), angkatan, semester, kind (code and name in ``lang``),
    amount, paid in the application, received by the bank, due date, issue date and reconciliation state; and
    ``channels``, how the bill is paid in words for ``lang`` (its VAs by bank name, or none: counter or transfer).
    ``search`` finds bills whose number, primary VA or payer name starts with it (any case), or, for digits, one
    of whose VAs does, on indexes, so the list costs the same at a million bills as at a thousand."""
    query = (
        select(Bill.id.label("bill_id"), Bill.source_key.label("bill"), Bill.payer_name, Bill.va_number,
               Prodi.code.label("prodi"),
               Prodi.name.label("prodi_name"), Bill.angkatan, Bill.semester, Bill.kind,
               (BillKind.name_en if lang == "en" else BillKind.name_id).label("kind_name"), Bill.amount,
               Bill.app_paid_amount, BillState.received.label("bank_received"), Bill.due_date, Bill.issued_on,
               Bill.app_paid, BillState.state.label("recon_state"))
        .outerjoin(Prodi, Prodi.id == Bill.prodi_id)
        .outerjoin(BillKind, BillKind.code == Bill.kind)
        .outerjoin(BillState, BillState.bill_id == Bill.id)
        .where(Bill.deleted_at.is_(None), bills.clause(Bill))
        .order_by(Bill.due_date.asc().nulls_last(), Bill.id).limit(limit)
    )
    if state:
        query = query.where(BillState.state == state)
    term = (search or "").strip().lower()
    if term:
        searched = [_starts_with(engine, func.lower(column), term)
                    for column in (Bill.source_key, Bill.va_number, Bill.payer_name)]
        if term.isdigit():  # a VA at another bank than the primary one's
            searched.append(Bill.id.in_(select(BillVa.bill_id).where(_digits_from(BillVa.va_number, term))))
        query = query.where(or_(*searched))
    frame = read_frame(engine, query)
    frame["angkatan"] = frame["angkatan"].astype("Int64")  # whole years in the table and the downloads
    with engine.connect() as connection:
        vas = billvas.read(connection, [int(bill) for bill in frame["bill_id"]])
    frame["channels"] = [billvas.channels(vas.get(int(bill), []), lang) for bill in frame["bill_id"]]
    return frame


def _digits_from(column, digits: str):
    """``column`` starts with ``digits``, as a range its plain index serves on both stores (digits sort alike in
    every collation): from ``digits`` up to the next number of that length ('98819' -> '98820')."""
    stem = digits.rstrip("9")
    if not stem:
        return column.like(f"{digits}%")
    upper = stem[:-1] + str(int(stem[-1]) + 1)
    return and_(column >= digits, column < upper)


def _starts_with(engine: Engine, expression, term: str):
    """``expression`` starts with ``term``, as its lower() index serves it: LIKE 'x%' on PostgreSQL (the index
    has text_pattern_ops), a range in SQLite's binary order elsewhere."""
    if engine.dialect.name == "postgresql":
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return expression.like(f"{escaped}%", escape="\\")
    return and_(expression >= term, expression < term + "\U0010ffff")
