"""The small tables the payments page reads instead of a million bills.

``bill_rollups`` is rebuilt whole when bills were synced since the previous run (or on the first
run). When only reconciliation states changed, the changed bills' contributions are moved instead:
a row taking them out of the old state and one adding them to the new, so a day's import does not
regroup a million bills. Every reader sums, so such correction rows read the same as a rebuild;
the next rebuild folds them away.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from .sql import local_day, smaller, statement

APP_STATE = "CASE WHEN b.app_paid THEN 'paid' WHEN b.app_paid_amount > 0 THEN 'partial' ELSE 'unpaid' END"
PAID = f"CASE WHEN b.app_paid THEN b.amount ELSE {smaller('b.app_paid_amount', 'b.amount')} END"
COLUMNS = ("INSERT INTO bill_rollups (semester, kind, prodi_id, angkatan, due_date, paid_on, app_state, recon_state,"
           " bills, billed, paid, received)")
KEYS = "b.semester, b.kind, b.prodi_id, b.angkatan, b.due_date, {paid_on}, {app_state}"

REBUILD_SQL = f"""{COLUMNS}
SELECT {KEYS}, s.state, COUNT(*), SUM(b.amount), SUM({{paid}}), SUM(s.received)
FROM bills b JOIN bill_states s ON s.bill_id = b.id
WHERE b.deleted_at IS NULL
GROUP BY {KEYS}, s.state
"""

GROUP_KEY = "paid_on, due_date, recon_state, angkatan, semester, kind, prodi_id, app_state"
GROUPS_SQL = f"""
CREATE TEMPORARY TABLE recon_groups (semester, kind, prodi_id, angkatan, due_date, paid_on, app_state, recon_state,
  bills, billed, paid, received,
  PRIMARY KEY ({GROUP_KEY})) WITHOUT ROWID
"""
"""SQLite sorts a million rows to GROUP BY them; adding each bill into its group's row of this table
(``INSERT ... ON CONFLICT DO UPDATE``, a few hundred groups) takes half the time. NULL keys are
stored as -1 or '' so that equal groups conflict."""

ADD_SQL = f"""
INSERT INTO recon_groups
SELECT b.semester, b.kind, COALESCE(b.prodi_id, -1), COALESCE(b.angkatan, -1), b.due_date, COALESCE({{paid_on}}, ''),
       {{app_state}}, s.state, 1, b.amount, {{paid}}, s.received
FROM bills b JOIN bill_states s ON s.bill_id = b.id
WHERE b.deleted_at IS NULL
ON CONFLICT ({GROUP_KEY}) DO UPDATE SET bills = bills + 1, billed = billed + excluded.billed, paid = paid + excluded.paid,
  received = received + excluded.received
"""

UNGROUP_SQL = f"""{COLUMNS}
SELECT semester, kind, NULLIF(prodi_id, -1), NULLIF(angkatan, -1), due_date, NULLIF(paid_on, ''), app_state, recon_state,
       bills, billed, paid, received
FROM recon_groups
"""

MOVE_SQL = f"""{COLUMNS}
SELECT {KEYS}, c.old_state, -COUNT(*), -SUM(b.amount), -SUM({{paid}}), -SUM(c.old_received)
FROM recon_bill_changes c JOIN bills b ON b.id = c.bill_id
WHERE c.old_state IS NOT NULL
GROUP BY {KEYS}, c.old_state
UNION ALL
SELECT {KEYS}, c.state, COUNT(*), SUM(b.amount), SUM({{paid}}), SUM(c.received)
FROM recon_bill_changes c JOIN bills b ON b.id = c.bill_id
GROUP BY {KEYS}, c.state
"""

SUMMARY_SQL = """
INSERT INTO recon_summary (run_at, subject, state, items, amount, amount_diff)
SELECT :now, 'bill', recon_state, SUM(bills), SUM(billed), SUM(received - billed)
FROM bill_rollups GROUP BY recon_state HAVING SUM(bills) > 0
UNION ALL
SELECT :now, 'credit', s.state, COUNT(*), SUM(t.amount),
       SUM(CASE WHEN s.state IN ('no_bill', 'duplicate') THEN t.amount ELSE 0 END)
FROM credit_states s JOIN bank_transactions t ON t.id = s.credit_id
GROUP BY s.state
"""


def _sql(template: str, connection: Connection, zone: str, now: datetime) -> str:
    paid_on = f"CASE WHEN b.app_paid THEN {local_day(connection, 'b.app_paid_at', zone, now)} END"
    return template.format(paid_on=paid_on, app_state=APP_STATE, paid=PAID)


def rebuild(connection: Connection, zone: str, now: datetime) -> None:
    """Regroup every live bill into ``bill_rollups``."""
    connection.exec_driver_sql("DELETE FROM bill_rollups")
    if connection.dialect.name != "sqlite":
        connection.execute(statement(_sql(REBUILD_SQL, connection, zone, now)))
        return
    connection.exec_driver_sql("DROP TABLE IF EXISTS recon_groups")
    connection.exec_driver_sql(GROUPS_SQL)
    connection.execute(statement(_sql(ADD_SQL, connection, zone, now)))
    connection.exec_driver_sql(UNGROUP_SQL)
    connection.exec_driver_sql("DROP TABLE recon_groups")


def move_changed(connection: Connection, zone: str, now: datetime) -> None:
    """Move the bills of the run's ``recon_bill_changes`` from their old state to their new one.

    Only valid while no bill was synced since the rollups were last built.
    """
    connection.execute(statement(_sql(MOVE_SQL, connection, zone, now)))


def summarise(connection: Connection, now: datetime) -> None:
    """Refill ``recon_summary``: bills per state from the rollups, credits per state."""
    connection.exec_driver_sql("DELETE FROM recon_summary")
    connection.execute(statement(SUMMARY_SQL), {"now": now})
