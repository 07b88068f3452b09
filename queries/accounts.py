"""Digital accounts and webservice, read side: the register of digital service accounts and their
custodians, access requests under the AKUN SOP, and webservice accounts with their one-year validity.

Access requests are AKUN cases of the `pemberian_akses` flow; the decision step (`pertimbangan_akses`)
records access granted (`diberikan`) or rejected (`ditolak`) as its branch, and the time to decision
runs from the request to that step's completion. A webservice account is expiring when it expires
within the warning window, and expired but still in use when the source reports a use after expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, Float, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from pantau.models import DigitalAccount, SopCase, WebserviceAccount
from pantau.models.workflow import StepResult

from .frames import read_frame

SOP = "AKUN"
ACCESS_FLOW = "pemberian_akses"
DECISION_STEP = "pertimbangan_akses"
GRANTED, REJECTED = "diberikan", "ditolak"
EXPIRY_WARNING = timedelta(days=30)

ACTIVE, EXPIRING, EXPIRED, EXPIRED_IN_USE = "active", "expiring", "expired", "expired_in_use"
WS_STATES = (EXPIRED_IN_USE, EXPIRING, ACTIVE, EXPIRED)
"""Webservice account states, most urgent first."""


def _frame(engine: Engine, query, columns: list[str], times: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = read_frame(connection, query, columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def services(engine: Engine) -> pd.DataFrame:
    """Per digital service in the register: accounts, active accounts and custodians, most accounts first."""
    query = (
        select(DigitalAccount.service, func.count(), func.sum(case((DigitalAccount.status == "aktif", 1), else_=0)),
               func.count(func.distinct(DigitalAccount.custodian)))
        .group_by(DigitalAccount.service)
        .order_by(func.count().desc(), DigitalAccount.service)
    )
    frame = _frame(engine, query, ["service", "accounts", "active", "custodians"])
    for column in ("accounts", "active", "custodians"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


REGISTER_COLUMNS = ["id", "service", "account_name", "custodian", "unit", "registered_at", "status"]


def register(engine: Engine, limit: int = 1000) -> pd.DataFrame:
    """The register of digital service accounts, newest registration first (at most `limit`)."""
    query = (
        select(DigitalAccount.id, DigitalAccount.service, DigitalAccount.account_name, DigitalAccount.custodian,
               DigitalAccount.unit, DigitalAccount.registered_at, DigitalAccount.status)
        .order_by(DigitalAccount.registered_at.desc(), DigitalAccount.id.desc())
        .limit(limit)
    )
    return _frame(engine, query, REGISTER_COLUMNS, ("registered_at",))


def register_size(engine: Engine) -> int:
    """How many accounts the register holds."""
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(DigitalAccount)) or 0)


@dataclass(frozen=True)
class AccessDecisions:
    """Access requests received in a period: granted, rejected, undecided, and the median and P90 time to
    decision (seconds, nearest rank; None before any decision)."""

    requests: int
    granted: int
    rejected: int
    median_s: int | None
    p90_s: int | None

    @property
    def pending(self) -> int:
        return self.requests - self.granted - self.rejected

    @property
    def grant_rate(self) -> float | None:
        decided = self.granted + self.rejected
        return self.granted / decided if decided else None


class _seconds_between(FunctionElement):
    """Seconds from one stored instant to another, in the store's own date arithmetic."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(_seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(_seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


def _requests(since: datetime, until: datetime):
    return and_(SopCase.sop_code == SOP, SopCase.flow == ACCESS_FLOW, SopCase.opened_at >= since,
                SopCase.opened_at < until)


def _decision_join():
    return and_(StepResult.case_id == SopCase.id, StepResult.step_key == DECISION_STEP,
                StepResult.completed_at.is_not(None))


def access_decisions(engine: Engine, since: datetime, until: datetime) -> AccessDecisions:
    """Access requests received in [since, until) and how they were decided."""
    counts = (
        select(func.count(SopCase.id), func.sum(case((StepResult.outcome == GRANTED, 1), else_=0)),
               func.sum(case((StepResult.outcome == REJECTED, 1), else_=0)))
        .outerjoin(StepResult, _decision_join())
        .where(_requests(since, until))
    )
    wait = _seconds_between(SopCase.opened_at, StepResult.completed_at)
    waits = select(wait.label("wait")).join(StepResult, _decision_join()).where(_requests(since, until)).subquery()
    ranked = select(waits.c.wait, func.row_number().over(order_by=waits.c.wait).label("rank"),
                    func.count().over().label("total")).subquery()
    picks = select(ranked.c.rank, ranked.c.wait).where(
        (ranked.c.rank == (ranked.c.total + 1) // 2) | (ranked.c.rank == (ranked.c.total * 9 + 9) // 10))
    with engine.connect() as connection:
        requests, granted, rejected = connection.execute(counts).one()
        waited = {int(rank): round(float(seconds)) for rank, seconds in connection.execute(picks)}
    ranks = sorted(waited)
    return AccessDecisions(int(requests or 0), int(granted or 0), int(rejected or 0),
                           waited[ranks[0]] if ranks else None, waited[ranks[-1]] if ranks else None)


ACCESS_COLUMNS = ["case_id", "case_ref", "subject", "channel", "opened_at", "decided_at", "decision"]


def access_requests(engine: Engine, since: datetime, until: datetime, limit: int = 500) -> pd.DataFrame:
    """Access requests received in [since, until), newest first, with when and how each was decided."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.subject, SopCase.attrs["channel"].as_string(), SopCase.opened_at,
               StepResult.completed_at, StepResult.outcome)
        .outerjoin(StepResult, _decision_join())
        .where(_requests(since, until))
        .order_by(SopCase.opened_at.desc(), SopCase.id.desc())
        .limit(limit)
    )
    frame = _frame(engine, query, ACCESS_COLUMNS, ("opened_at", "decided_at"))
    frame["wait_s"] = (frame["decided_at"] - frame["opened_at"]).dt.total_seconds()
    return frame


def ws_state(now: datetime, warning: timedelta = EXPIRY_WARNING):
    """A webservice account's state at `now` as a SQL expression (one of `WS_STATES`)."""
    expired = WebserviceAccount.valid_until <= now
    return case(
        (and_(expired, WebserviceAccount.last_used_at > WebserviceAccount.valid_until), EXPIRED_IN_USE),
        (expired, EXPIRED),
        (WebserviceAccount.valid_until <= now + warning, EXPIRING),
        else_=ACTIVE,
    )


def ws_counts(engine: Engine, now: datetime, warning: timedelta = EXPIRY_WARNING) -> dict[str, int]:
    """How many webservice accounts are active, expiring, expired, and expired but still in use at `now`."""
    state = ws_state(now, warning).label("state")
    query = select(state, func.count()).group_by(state)
    with engine.connect() as connection:
        counts = dict(connection.execute(query).all())
    return {name: int(counts.get(name, 0)) for name in WS_STATES}


WS_COLUMNS = ["id", "unit", "contact_name", "nip", "phone", "email", "data_scope", "created_at", "valid_until",
              "last_used_at", "expiry_notice_for", "state"]


def ws_accounts(engine: Engine, now: datetime, warning: timedelta = EXPIRY_WARNING,
                states: tuple[str, ...] = WS_STATES, limit: int = 1000) -> pd.DataFrame:
    """Webservice accounts in `states` at `now`: expired-in-use first, then expiring, active and expired;
    the soonest to expire first within each (at most `limit`)."""
    rows = select(WebserviceAccount, ws_state(now, warning).label("state")).subquery()
    order = case(*((rows.c.state == name, index) for index, name in enumerate(WS_STATES)), else_=len(WS_STATES))
    query = (
        select(*(rows.c[name] for name in WS_COLUMNS))
        .where(rows.c.state.in_(list(states)))
        .order_by(order, case((rows.c.state == EXPIRED, rows.c.valid_until), else_=None).desc(), rows.c.valid_until,
                  rows.c.id)
        .limit(limit)
    )
    return _frame(engine, query, WS_COLUMNS, ("created_at", "valid_until", "last_used_at", "expiry_notice_for"))
