"""KSO / SKP, read side: training requests under the KSO SOP, from the request letter to the letter
confirming payment (surat keterangan pembayaran).

A KSO case is one request (`sop_cases` with sop_code "KSO" and attrs `title`, `organiser`,
`participants`, `invoice_amount` in whole Rupiah, `skp_result`). The kolegium's SKP verification in
SIAKSI (`verifikasi_skp`) is an outside party's wait; the decision step (`informasi_hasil`) records
the SKP outcome as its branch: approved (`setuju`) or rejected (`ditolak`). Figures cover the requests
received in a period [since, until), aggregated in SQL.

KSO menunggu kolegium (UI.md): KSO cases whose SKP verification is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select, union_all
from sqlalchemy.orm import aliased

from pantau.models import SopCase
from pantau.models.workflow import StepResult
from queries.sla import live_state

from .frames import read_frame

SOP = "KSO"
VERIFY_STEP = "verifikasi_skp"
DECISION_STEP = "informasi_hasil"
ACTIVITY_STEP = "pelaksanaan_kegiatan"
INVOICE_STEP = "invoice"
PAYMENT_STEP = "pembayaran"
APPROVED, REJECTED = "setuju", "ditolak"


def _frame(engine: Engine, query, columns: list[str], times: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = read_frame(connection, query, columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _received(since: datetime, until: datetime):
    return and_(SopCase.sop_code == SOP, SopCase.opened_at >= since, SopCase.opened_at < until)


def _amount():
    return SopCase.attrs["invoice_amount"].as_numeric(18, 2)


def waiting_on_kolegium(engine: Engine, moments: Sequence[datetime]) -> list[int]:
    """How many KSO cases had their SKP verification open (started, not yet completed) at each moment.

    Only verifications still open, or completed after the earliest moment, can count: the open ones are
    read through the open-step index, the others by their month of completion.
    """
    if not moments:
        return []
    first, last = min(moments), max(moments)
    steps = (StepResult.sop_code == SOP, StepResult.step_key == VERIFY_STEP, StepResult.started_at <= last)
    spans = union_all(
        select(StepResult.started_at, StepResult.completed_at).where(*steps, StepResult.completed_at.is_(None)),
        select(StepResult.started_at, StepResult.completed_at).where(
            *steps, StepResult.month >= first.astimezone(UTC).strftime("%Y-%m"), StepResult.completed_at > first),
    ).subquery()
    columns = [
        func.sum(case((and_(spans.c.started_at <= moment,
                            or_(spans.c.completed_at.is_(None), spans.c.completed_at > moment)), 1), else_=0))
        for moment in moments
    ]
    with engine.connect() as connection:
        return [int(value or 0) for value in connection.execute(select(*columns)).one()]


WAITING_COLUMNS = ["case_id", "case_ref", "title", "organiser", "started_at", "due_at"]


def waiting_list(engine: Engine, limit: int = 50) -> pd.DataFrame:
    """The requests waiting on the kolegium now, longest waiting first."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.attrs["title"].as_string(), SopCase.attrs["organiser"].as_string(),
               StepResult.started_at, StepResult.due_at)
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(StepResult.sop_code == SOP, StepResult.step_key == VERIFY_STEP, StepResult.completed_at.is_(None))
        .order_by(StepResult.started_at, SopCase.id)
        .limit(limit)
    )
    return _frame(engine, query, WAITING_COLUMNS, ("started_at", "due_at"))


@dataclass(frozen=True)
class Decisions:
    """SKP outcomes of the requests received in a period: approved, rejected, still undecided."""

    requests: int
    approved: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None

    @property
    def rejection_rate(self) -> float | None:
        return self.rejected / self.decided if self.decided else None


def decisions(engine: Engine, since: datetime, until: datetime) -> Decisions:
    """Requests received in [since, until) and how the kolegium's SKP verification ended for them."""
    decided = aliased(StepResult)
    query = (
        select(func.count(SopCase.id),
               func.sum(case((decided.outcome == APPROVED, 1), else_=0)),
               func.sum(case((decided.outcome == REJECTED, 1), else_=0)))
        .outerjoin(decided, and_(decided.case_id == SopCase.id, decided.step_key == DECISION_STEP,
                                 decided.completed_at.is_not(None)))
        .where(_received(since, until))
    )
    with engine.connect() as connection:
        requests, approved, rejected = connection.execute(query).one()
    return Decisions(int(requests or 0), int(approved or 0), int(rejected or 0))


LEAD_COLUMNS = ["case_id", "case_ref", "title", "opened_at", "activity_at", "lead_s"]


def lead_times(engine: Engine, since: datetime, until: datetime) -> pd.DataFrame:
    """Per request received in [since, until) whose activity has started: days from the request to the
    activity (`lead_s` in seconds), in the order received."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.attrs["title"].as_string(), SopCase.opened_at,
               StepResult.started_at)
        .join(StepResult, and_(StepResult.case_id == SopCase.id, StepResult.step_key == ACTIVITY_STEP))
        .where(_received(since, until))
        .order_by(SopCase.opened_at, SopCase.id)
    )
    frame = _frame(engine, query, LEAD_COLUMNS[:-1], ("opened_at", "activity_at"))
    frame["lead_s"] = (frame["activity_at"] - frame["opened_at"]).dt.total_seconds().astype("int64")
    return frame


@dataclass(frozen=True)
class InvoiceTotals:
    """Invoices of the requests received in a period, in Rupiah: issued, paid, and unpaid past the
    payment step's standard time (overdue), with counts."""

    issued: int
    issued_amount: Decimal
    paid: int
    paid_amount: Decimal
    overdue: int
    overdue_amount: Decimal

    @property
    def unpaid_amount(self) -> Decimal:
        return self.issued_amount - self.paid_amount


INVOICE_COLUMNS = ["case_id", "case_ref", "title", "organiser", "participants", "amount", "issued_at", "paid_at",
                   "due_at", "state"]


def _invoice_query(since: datetime, until: datetime, now: datetime):
    invoice, payment = aliased(StepResult), aliased(StepResult)
    paid = payment.completed_at.is_not(None)
    overdue = and_(payment.completed_at.is_(None), payment.due_at.is_not(None), payment.due_at < now)
    state = case((paid, "paid"), (overdue, "overdue"), else_="unpaid")
    query = (
        select(SopCase.id.label("case_id"), SopCase.case_ref, SopCase.attrs["title"].as_string().label("title"),
               SopCase.attrs["organiser"].as_string().label("organiser"),
               SopCase.attrs["participants"].as_integer().label("participants"), _amount().label("amount"),
               invoice.completed_at.label("issued_at"), payment.completed_at.label("paid_at"),
               payment.due_at.label("due_at"), state.label("state"))
        .join(invoice, and_(invoice.case_id == SopCase.id, invoice.step_key == INVOICE_STEP,
                            invoice.completed_at.is_not(None)))
        .outerjoin(payment, and_(payment.case_id == SopCase.id, payment.step_key == PAYMENT_STEP))
        .where(_received(since, until))
    )
    return query, state


def invoice_totals(engine: Engine, since: datetime, until: datetime, now: datetime) -> InvoiceTotals:
    """Invoices issued for the requests received in [since, until): how many and how much, paid and overdue at `now`."""
    rows = _invoice_query(since, until, now)[0].subquery()
    query = (
        select(func.count(), func.sum(rows.c.amount),
               func.sum(case((rows.c.state == "paid", 1), else_=0)),
               func.sum(case((rows.c.state == "paid", rows.c.amount), else_=0)),
               func.sum(case((rows.c.state == "overdue", 1), else_=0)),
               func.sum(case((rows.c.state == "overdue", rows.c.amount), else_=0)))
    )
    with engine.connect() as connection:
        issued, issued_amount, paid, paid_amount, overdue, overdue_amount = connection.execute(query).one()
    money = lambda value: Decimal(str(value or 0)).quantize(Decimal("0.01"))  # noqa: E731
    return InvoiceTotals(int(issued or 0), money(issued_amount), int(paid or 0), money(paid_amount),
                         int(overdue or 0), money(overdue_amount))


def invoices(engine: Engine, since: datetime, until: datetime, now: datetime, limit: int = 500) -> pd.DataFrame:
    """The invoices of the requests received in [since, until), overdue first, then unpaid, then paid;
    newest issued first within each."""
    query, state = _invoice_query(since, until, now)
    order = case((state == "overdue", 0), (state == "unpaid", 1), else_=2)
    frame = _frame(engine, query.order_by(order, SopCase.id.desc()).limit(limit), INVOICE_COLUMNS,
                   ("issued_at", "paid_at", "due_at"))
    frame["amount"] = [Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None
                       for value in frame["amount"]]
    return frame


REQUEST_COLUMNS = ["case_id", "case_ref", "title", "organiser", "opened_at", "closed_at", "outcome", "current_step",
                   "state", "sop_version"]


def requests(engine: Engine, since: datetime, until: datetime, now: datetime, limit: int = 200) -> pd.DataFrame:
    """The requests received in [since, until), newest first: title, organiser, opened and closed times,
    outcome, and the step each running request is in with its state at `now`."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.attrs["title"].as_string(), SopCase.attrs["organiser"].as_string(),
               SopCase.opened_at, SopCase.closed_at, SopCase.outcome, StepResult.step_key,
               case((StepResult.id.is_(None), None), else_=live_state(now)), SopCase.sop_version)
        .outerjoin(StepResult, and_(StepResult.case_id == SopCase.id, StepResult.completed_at.is_(None)))
        .where(_received(since, until))
        .order_by(SopCase.opened_at.desc(), SopCase.id.desc())
        .limit(limit)
    )
    return _frame(engine, query, REQUEST_COLUMNS, ("opened_at", "closed_at")).drop_duplicates("case_id")


GANTT_COLUMNS = ["step_key", "step_number", "outside_party", "started_at", "completed_at", "due_at", "elapsed_s",
                 "allowed_s", "state"]


def timeline(engine: Engine, case_id: int, now: datetime) -> pd.DataFrame:
    """The steps of one KSO request in order, each with its actual span and its standard (`due_at`,
    `allowed_s`), outside-party waits flagged, and its state at `now`."""
    query = (
        select(StepResult.step_key, StepResult.step_number, StepResult.outside_party, StepResult.started_at,
               StepResult.completed_at, StepResult.due_at, StepResult.elapsed_s, StepResult.allowed_s, live_state(now))
        .where(StepResult.case_id == case_id, StepResult.sop_code == SOP)
        .order_by(StepResult.started_at, StepResult.step_number)
    )
    return _frame(engine, query, GANTT_COLUMNS, ("started_at", "completed_at", "due_at"))

