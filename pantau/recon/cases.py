"""The exception queue: one case per condition, due 1x24 jam after detection, resolved with a note.

Each reconciliation run opens a case for every bill or credit in a case state (see
:class:`~pantau.recon.config.ReconSettings`), clears the open cases whose condition has gone, and
reopens a cleared case whose condition came back. A case the bendahara resolved stays resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from pantau import audit, formatting
from pantau.alerts import clear_condition, raise_alert
from pantau.i18n import Refusal, translate
from pantau.models import ReconCase, utcnow

from .config import ReconSettings
from .sql import create_temp, statement

RESOLVERS = ("bendahara", "admin")
"""Roles that may resolve a case; everyone else reads the queue only."""
OVERDUE_ALERT = "recon-cases-overdue"
CREDIT_CASES = ("no_bill", "duplicate")

OPEN_SQL = """
SELECT s.state || ':bill:' || s.bill_id AS case_key, s.state AS kind, s.bill_id AS bill_id, NULL AS credit_id,
       s.received - b.amount AS amount_diff
FROM bill_states s JOIN bills b ON b.id = s.bill_id
WHERE s.state IN ({bill_states})
  AND NOT (s.state = 'app_paid_no_bank' AND COALESCE(b.app_paid_at, :lagged) > :lagged)
UNION ALL
SELECT s.state || ':credit:' || s.credit_id, s.state, s.bill_id, s.credit_id, t.amount
FROM credit_states s JOIN bank_transactions t ON t.id = s.credit_id
WHERE s.state IN ({credit_states})
"""


class CaseError(Refusal):
    """A resolution that cannot be made: unknown case, not open, or no note."""


@dataclass(frozen=True)
class CaseChanges:
    opened: int
    reopened: int
    cleared: int


def sync_cases(connection: Connection, config: ReconSettings, now: datetime) -> CaseChanges:
    """Bring ``recon_cases`` in line with the bills' and credits' current states."""
    states = set(config.case_states)
    sql = OPEN_SQL.format(bill_states=_listed(states - set(CREDIT_CASES)),
                          credit_states=_listed(states & set(CREDIT_CASES)))
    create_temp(connection, "recon_open", sql, lagged=now - timedelta(hours=config.bank_lag_hours))
    due = now + timedelta(hours=config.case_due_hours)
    opened = connection.execute(statement(
        "INSERT INTO recon_cases (case_key, kind, bill_id, bank_transaction_id, amount_diff, detected_at, due_at,"
        " status, details) SELECT case_key, kind, bill_id, credit_id, amount_diff, :now, :due, 'open', :details"
        " FROM recon_open WHERE true ON CONFLICT (case_key) DO NOTHING"
    ), {"now": now, "due": due, "details": {}}).rowcount
    reopened = connection.execute(statement(
        "UPDATE recon_cases SET status = 'open', detected_at = :now, due_at = :due, resolved_at = NULL,"
        " resolved_by = NULL, resolution_note = NULL"
        " WHERE status = 'cleared' AND case_key IN (SELECT case_key FROM recon_open)"
    ), {"now": now, "due": due}).rowcount
    cleared = connection.execute(statement(
        "UPDATE recon_cases SET status = 'cleared', resolved_at = :now, resolved_by = 'system'"
        " WHERE status = 'open' AND case_key NOT IN (SELECT case_key FROM recon_open)"
    ), {"now": now}).rowcount
    return CaseChanges(opened, reopened, cleared)


def resolve_case(session: Session, case_id: int, *, user: str, note: str, ip: str | None = None,
                 at: datetime | None = None) -> ReconCase:
    """Close an open case with the bendahara's note, now unless ``at`` says when; the resolution is audit-logged."""
    case = session.get(ReconCase, case_id)
    if case is None:
        raise CaseError("No reconciliation case {case}.", case=case_id)
    if case.status != "open":
        raise CaseError("Case {case} is already resolved (by {by})." if case.status == "resolved"
                        else "Case {case} is already closed (by {by}).", case=case_id, by=case.resolved_by)
    if not note or not note.strip():
        raise CaseError("A resolution needs a note saying what was done.")
    case.status, case.resolved_at, case.resolved_by = "resolved", at or utcnow(), user
    case.resolution_note = note.strip()
    audit.record(session, user, "recon.case.resolve", f"recon_case:{case.id}",
                 {"kind": case.kind, "case_key": case.case_key, "note": case.resolution_note}, ip, at=case.resolved_at)
    return case


def overdue_alert(session: Session, *, now: datetime | None = None, language: str = "id",
                  zone: str = "Asia/Jakarta") -> int:
    """Raise (or refresh) the bendahara's alert while open cases are past due; clear it when none are.

    Returns the number of overdue cases.
    """
    now = now or utcnow()
    count, oldest = session.execute(
        select(func.count(), func.min(ReconCase.due_at)).where(ReconCase.status == "open", ReconCase.due_at < now)
    ).one()
    if not count:
        clear_condition(session, OVERDUE_ALERT, note=translate("No reconciliation case is overdue.", language),
                        now=now)
        return 0
    raise_alert(
        session, dedup_key=OVERDUE_ALERT, source="reconciliation", role="bendahara", severity="critical",
        words=lambda lang: (
            translate("Reconciliation cases open beyond 1x24 h", lang),
            translate("{count} open cases are past their due time; the oldest was due {when}.", lang,
                      count=formatting.number(count, lang), when=formatting.moment(oldest, lang, zone))),
        lang=language, link="/pembayaran", now=now,
    )
    return count


def _listed(states: set[str]) -> str:
    return ", ".join(f"'{state}'" for state in sorted(states)) or "''"
