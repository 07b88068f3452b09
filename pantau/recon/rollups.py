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

from pantau.models.bank import RECON_STATES

from .sql import local_day, smaller, statement, zone_minutes

APP_STATE = "CASE WHEN b.app_paid THEN 'paid' WHEN b.app_paid_amount > 0 THEN 'partial' ELSE 'unpaid' END"
PAID = f"CASE WHEN b.app_paid THEN b.amount ELSE {smaller('b.app_paid_amount', 'b.amount')} END"
COLUMNS = ("INSERT INTO bill_rollups (semester, kind, prodi_id, angkatan, due_date, paid_on, app_state, recon_state,"
           " bills, billed, paid, received)")
DUE = "COALESCE(b.due_date, b.issued_on)"
"""A bill's due date in the rollups: a bill without one is due from its issue date (ageing and arrears count
from it)."""
KEYS = f"b.semester, b.kind, b.prodi_id, b.angkatan, {DUE}, {{paid_on}}, {{app_state}}"

REBUILD_SQL = f"""{COLUMNS}
SELECT {KEYS}, s.state, COUNT(*), SUM(b.amount), SUM({{paid}}), SUM(s.received)
FROM bills b JOIN bill_states s ON s.bill_id = b.id
WHERE b.deleted_at IS NULL
GROUP BY {KEYS}, s.state
"""

PACKED_GROUPS_SQL = "CREATE TEMPORARY TABLE recon_groups (key INTEGER PRIMARY KEY, bills, billed, paid, received)"
PACKED_ADD_SQL = """
INSERT INTO recon_groups
SELECT {key}, 1, b.amount, {paid}, s.received
FROM bills b JOIN bill_states s ON s.bill_id = b.id
WHERE b.deleted_at IS NULL
ON CONFLICT (key) DO UPDATE SET bills = bills + 1, billed = billed + excluded.billed, paid = paid + excluded.paid,
  received = received + excluded.received
"""
PACKED_UNGROUP_SQL = f"""{COLUMNS}
SELECT {{columns}}, bills, billed, paid, received FROM recon_groups
"""
"""SQLite sorts a million rows to GROUP BY them. Instead each bill's group is packed into one integer
(``packing``) and the bill added into that group's row of a table keyed by it: a third of the time."""

JDN = "CAST(julianday({}) + 0.5 AS INTEGER)"
"""The Julian day number of a date (or of the day an instant's string falls on)."""
MAX_KEY = 2**62


def packing(connection: Connection, zone: str, now: datetime) -> tuple[str, list[str], dict] | None:
    """How to pack a bill's rollup group into one integer on SQLite: the key's SQL, the SQL giving each
    of ``bill_rollups``' group columns back from ``key``, and their parameters; None when the store's
    range of values would not fit in 62 bits.

    Each group column is a digit: semester and kind by their position among the store's values,
    prodi and angkatan from their range (0 for none), the due day from its range, the paid day by
    its Julian day number (0 for none: a bill not fully paid, or one the application marked paid
    without a date, whose app state tells them apart), app and reconciliation state by position. The
    store's values and ranges come from its indexes.

    No digit may be NULL: a NULL key is not refused but given the next free rowid, which reads back
    as some other group.
    """
    ranges = connection.exec_driver_sql(
        f"SELECT semester, {JDN.format('MIN(COALESCE(due_date, issued_on))')}, "
        f"{JDN.format('MAX(COALESCE(due_date, issued_on))')} FROM bills GROUP BY semester"
    ).all()
    combos = connection.exec_driver_sql("SELECT DISTINCT kind, prodi_id, angkatan FROM bills").all()
    if not ranges:
        return None
    params: dict = {}

    def listed(name: str, column: str, values: list[str]) -> tuple[str, str, int]:
        names = [f"{name}_{i}" for i in range(len(values))]
        params.update(zip(names, values))
        encode = f"CASE {column} " + " ".join(f"WHEN :{n} THEN {i}" for i, n in enumerate(names)) + " END"
        decode = "CASE {d} " + " ".join(f"WHEN {i} THEN :{n}" for i, n in enumerate(names)) + " END"
        return encode, decode, len(values)

    def ranged(column: str, values: list[int]) -> tuple[str, str, int]:
        known = [v for v in values if v is not None]
        low = min(known, default=0) - 1
        return f"COALESCE({column} - {low}, 0)", f"NULLIF({{d}}, 0) + {low}", max(known, default=low) - low + 1

    due_low = min(r[1] for r in ranges)
    due_span = max(r[2] for r in ranges) - due_low + 1
    paid_day = JDN.format(f"b.app_paid_at, '{zone_minutes(zone, now):+d} minutes'")
    digits = [
        ("semester", *listed("semester", "b.semester", [r[0] for r in ranges])),
        ("kind", *listed("kind", "b.kind", sorted({c[0] for c in combos}))),
        ("prodi_id", *ranged("b.prodi_id", [c[1] for c in combos])),
        ("angkatan", *ranged("b.angkatan", [c[2] for c in combos])),
        ("due_date", f"{JDN.format(DUE)} - {due_low}", f"date({{d}} + {due_low})", due_span),
        ("paid_on", f"CASE WHEN b.app_paid THEN COALESCE({paid_day}, 0) ELSE 0 END", "date(NULLIF({d}, 0))", 2**22),
        ("app_state", *listed("app", APP_STATE, ["paid", "partial", "unpaid"])),
        ("recon_state", *listed("recon", "s.state", list(RECON_STATES))),
    ]
    place, key, columns = 1, [], []
    for _, encode, decode, size in reversed(digits):
        key.append(f"({encode}) * {place}")
        columns.append(decode.format(d=f"(key / {place} % {size})"))
        place *= size
    if place > MAX_KEY:
        return None
    return " + ".join(key), list(reversed(columns)), params

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
    packed = packing(connection, zone, now) if connection.dialect.name == "sqlite" else None
    if packed is None:
        connection.execute(statement(_sql(REBUILD_SQL, connection, zone, now)))
        return
    key, columns, params = packed
    connection.exec_driver_sql("DROP TABLE IF EXISTS recon_groups")
    connection.exec_driver_sql(PACKED_GROUPS_SQL)
    connection.execute(statement(PACKED_ADD_SQL.format(key=key, paid=PAID)), params)
    connection.execute(statement(PACKED_UNGROUP_SQL.format(columns=", ".join(columns))), params)
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
