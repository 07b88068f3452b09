"""Matching bank credits to bills, set-based in SQL, with ordered rules in the style of Odoo's
reconciliation models.

Only payments are reconciled: a bank row that is evidence of another (``payment_id`` set: the
statement line of a notified payment, the same line on an overlapping statement) is not a credit of
its own. Linking. A credit (not a reversal) belongs to the bill its notification names (``bill_ref`` =
the bill number), else to a live bill with one of its VAs (of the credit's bank, when known); when several
bills share a VA, one
with the same amount wins, then the earliest still open on the payment day, then the latest
past due, then the oldest.

Rules, in order, give every bill and every credit one state:

1. ``exact``: one credit of exactly the bill's amount;
2. ``cumulative``: several credits (partial payments) adding up to exactly the amount;
3. ``mismatch``: credits adding up to less (``partial``) or more (``overpaid``) than the amount;
4. ``repeat``: a credit of the full amount after one already paid the bill: ``duplicate``;
5. ``no_match``: a credit tied to no bill: ``no_bill``;
6. ``no_credit``: a bill no credit reached: ``unpaid``, or ``app_paid_no_bank`` when the
   application shows money the bank never received.

The application's side then overrides: a bill the bank paid in full that the application still
shows unpaid is ``bank_paid_app_unpaid``; a bill the application shows paid while the bank has
less is ``app_paid_no_bank``. A credit takes its bill's state.

After a sync every live bill and every credit is computed; otherwise only the credits new since
the last run and the bills they reach (bills do not change between syncs). Only the states that changed are
written (to ``bill_states`` and ``credit_states``, and each change from an earlier state to
``recon_results`` as history), so a run over a million bills writes little after the first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from pantau.banks import NOTIFICATION_BANK, BankSettings

from .sql import create_temp, day_number, fence, statement

ID_SPAN = 10**12
PREFERENCE_SPAN = 10**17
LAST_DAY = 99_999
ACCOUNT_SQL = "UPPER(REPLACE(REPLACE(REPLACE(t.account, ' ', ''), '.', ''), '-', ''))"
"""SQL for a credit's account as :func:`pantau.banks.account_key` writes it."""


def credit_bank(banks: BankSettings | None = None) -> str:
    """SQL for the bank of a credit, NULL when neither its feed nor ``[banks]`` tells it: the bank of its
    notification format (:data:`pantau.banks.NOTIFICATION_BANK`), of its SNAP biller code (the VA's start, the
    longest listed first), or of its account (``0987654321``, also as ``BNINIDJA/0987654321``). The settings'
    keys are letters and digits only (checked by :class:`~pantau.banks.BankSettings`), so they are written
    into the SQL as they are."""
    banks = banks or BankSettings()
    cases = [f"WHEN t.source_format = '{fmt}' THEN '{bank}'" for fmt, bank in NOTIFICATION_BANK.items()]
    cases += [f"WHEN t.source_format = 'snap' AND t.va_number LIKE '{partner}%' THEN '{bank}'"
              for partner, bank in sorted(banks.snap_partners.items(), key=lambda item: -len(item[0]))]
    cases += [f"WHEN {ACCOUNT_SQL} = '{account}' OR {ACCOUNT_SQL} LIKE '%/{account}' THEN '{bank}'"
              for account, bank in banks.accounts.items()]
    return "CASE " + " ".join(cases) + " END"


LINK_SQL = """
SELECT credit_id, amount, CAST(code % {id_span} AS BIGINT) AS bill_id,
  CASE WHEN code / {preference} < 4 THEN 1 ELSE 0 END AS exact
FROM (
  SELECT t.id AS credit_id, t.amount AS amount, COALESCE(
    CASE WHEN t.bill_ref IS NOT NULL THEN
      (SELECT MIN(CASE WHEN b.amount = t.amount THEN 0 ELSE 4 END * {preference} + b.id)
       FROM bills b WHERE b.source_key = t.bill_ref AND b.deleted_at IS NULL) END,
    (SELECT MIN(
        (CASE WHEN b.amount = t.amount THEN 0 ELSE 4 END
         + CASE WHEN COALESCE(b.due_date, b.issued_on) >= t.value_date THEN 0 ELSE 2 END) * {preference}
        + CASE WHEN COALESCE(b.due_date, b.issued_on) >= t.value_date THEN {due_day} ELSE {last_day} - {due_day} END
          * {id_span}
        + b.id)
     FROM bill_vas v JOIN bills b ON b.id = v.bill_id
     WHERE t.va_number IS NOT NULL AND v.va_number = t.va_number AND b.deleted_at IS NULL
       AND (v.bank IS NULL OR {credit_bank} IS NULL OR v.bank = {credit_bank}))
  ) AS code
  FROM bank_transactions t
  WHERE t.direction = 'credit' AND t.is_reversal = false AND t.payment_id IS NULL{{new}}{fence}
) c
"""
"""Each credit with its bill and whether it pays exactly the bill's amount. The bill is found in one
indexed look-up that returns a code: the preference digit (4 when the amounts differ, plus 2 when
paid after the due date), the due day and the bill's id, so MIN picks the preferred bill and the
code says whether its amount was matched without reading the bill again. A credit reaches a bill through any
of the bill's VAs (``bill_vas``), at the credit's bank when its feed tells it (a BNI eCollection notification
pays a BNI VA, a BRIVA one a BRI VA, a statement line or export line the VAs of its account's bank and a SNAP
notification those of its biller code's bank when ``[banks]`` lists them, else any bank's; a VA whose bank is
not known is paid by a credit of any bank). A bill without a VA (paid at the counter or by transfer) is
reached only by its number; a bill without a due date counts from its issue date.
A bill number two sources both use (two bills) gives the one of the credit's amount, else the older one. The
fence keeps the inner query apart, so the look-up runs once per credit rather than once per use of its code."""

AGG_SQL = """
SELECT bill_id, received_all - CASE WHEN exact_n > 1 THEN (exact_n - 1) * exact_amount ELSE 0 END AS received,
       credits_all - CASE WHEN exact_n > 1 THEN exact_n - 1 ELSE 0 END AS credits, first_exact
FROM (
  SELECT l.bill_id AS bill_id, SUM(l.amount) AS received_all, COUNT(*) AS credits_all, SUM(l.exact) AS exact_n,
         MAX(CASE WHEN l.exact = 1 THEN l.amount END) AS exact_amount,
         MIN(CASE WHEN l.exact = 1 THEN l.credit_id END) AS first_exact
  FROM recon_link l
  WHERE l.bill_id IS NOT NULL
  GROUP BY l.bill_id
) a
"""
"""What the bank paid towards each bill and in how many credits, a full payment repeated counted once
(the later ones are duplicates), and the first credit that paid the exact amount."""

SQLITE_AGG_TABLE = "CREATE TEMPORARY TABLE recon_agg (bill_id INTEGER PRIMARY KEY, received, credits, first_exact)"
SQLITE_AGG_SQL = """
INSERT INTO recon_agg
SELECT bill_id, amount, 1, CASE WHEN exact = 1 THEN credit_id END FROM recon_link WHERE bill_id IS NOT NULL
ON CONFLICT (bill_id) DO UPDATE SET
  received = ROUND(received + CASE WHEN excluded.first_exact IS NOT NULL AND first_exact IS NOT NULL THEN 0
                                   ELSE excluded.received END, 2),
  credits = credits + CASE WHEN excluded.first_exact IS NOT NULL AND first_exact IS NOT NULL THEN 0 ELSE 1 END,
  first_exact = COALESCE(MIN(first_exact, excluded.first_exact), first_exact, excluded.first_exact)
"""
"""The same sums on SQLite, kept by adding each credit into its bill's row keyed by the bill's id (GROUP
BY would first sort the million links, which takes about twice as long). A credit of the exact amount
after another adds nothing: every such credit has the same amount, so which one counts does not matter.
SQLite adds money as binary floating point (50 000,10 + 50 000,20 is 100 000,30000000002), so each sum
of two or more credits is rounded to the sen; a bill's first credit is stored as it was read."""

RECEIVED = "COALESCE(a.received, 0)"
CREDITS = "COALESCE(a.credits, 0)"

BILL_CHANGES_SQL = f"""
SELECT * FROM (
  SELECT b.id AS bill_id, b.amount AS amount, {{old}},
    {RECEIVED} AS received,
    CASE
      WHEN {RECEIVED} = 0 AND (b.app_paid OR b.app_paid_amount > 0) THEN 'app_paid_no_bank'
      WHEN {RECEIVED} = 0 THEN 'unpaid'
      WHEN {RECEIVED} >= b.amount AND NOT b.app_paid THEN 'bank_paid_app_unpaid'
      WHEN {RECEIVED} < b.amount AND b.app_paid THEN 'app_paid_no_bank'
      WHEN {RECEIVED} = b.amount THEN 'matched'
      WHEN {RECEIVED} < b.amount THEN 'partial'
      ELSE 'overpaid'
    END AS state,
    CASE
      WHEN {CREDITS} = 0 THEN 'no_credit'
      WHEN {RECEIVED} <> b.amount THEN 'mismatch'
      WHEN {CREDITS} = 1 THEN 'exact'
      ELSE 'cumulative'
    END AS rule
  FROM bills b LEFT JOIN recon_agg a ON a.bill_id = b.id{{old_join}}
  WHERE b.deleted_at IS NULL{{touched}}
) x
WHERE x.old_state IS NULL OR x.old_state <> x.state OR x.old_received <> x.received
"""

CREDIT_CHANGES_SQL = """
SELECT * FROM (
  SELECT l.credit_id AS credit_id, l.bill_id AS bill_id, l.amount AS amount, {old},
    CASE WHEN l.bill_id IS NULL THEN 'no_bill'
         WHEN l.exact = 1 AND l.credit_id <> a.first_exact THEN 'duplicate'
         ELSE bs.state END AS state,
    CASE WHEN l.bill_id IS NULL THEN 'no_match'
         WHEN l.exact = 1 AND l.credit_id <> a.first_exact THEN 'repeat'
         ELSE bs.rule END AS rule,
    CASE WHEN l.bill_id IS NULL OR (l.exact = 1 AND l.credit_id <> a.first_exact) THEN l.amount
         ELSE bs.received - b.amount END AS amount_diff
  FROM recon_link l
  LEFT JOIN bill_states bs ON bs.bill_id = l.bill_id
  LEFT JOIN recon_agg a ON a.bill_id = l.bill_id
  LEFT JOIN bills b ON b.id = l.bill_id{old_join}
) x
WHERE x.old_state IS NULL OR x.old_state <> x.state OR COALESCE(x.old_bill, 0) <> COALESCE(x.bill_id, 0)
"""

OLD_STATES = {
    "bill": {"old": "s.state AS old_state, s.received AS old_received",
             "old_join": " LEFT JOIN bill_states s ON s.bill_id = b.id"},
    "credit": {"old": "s.state AS old_state, s.bill_id AS old_bill",
               "old_join": " LEFT JOIN credit_states s ON s.credit_id = l.credit_id"},
}
NO_OLD_STATES = {
    "bill": {"old": "CAST(NULL AS VARCHAR(24)) AS old_state, CAST(NULL AS NUMERIC(18, 2)) AS old_received",
             "old_join": ""},
    "credit": {"old": "CAST(NULL AS VARCHAR(24)) AS old_state, CAST(NULL AS BIGINT) AS old_bill", "old_join": ""},
}
"""The earlier states a run compares with; none at all on a store's first run, which then writes its
states straight from the query, without a table of changes (a million rows) in between."""

FIRST_SQL = {
    "bill": "INSERT INTO bill_states (bill_id, state, rule, received, changed_at)"
            " SELECT bill_id, state, rule, received, :now FROM ({changes}) c",
    "credit": "INSERT INTO credit_states (credit_id, bill_id, state, rule, changed_at)"
              " SELECT credit_id, bill_id, state, rule, :now FROM ({changes}) c",
}

HISTORY_SQL = {
    "bill": "INSERT INTO recon_results (run_at, bill_id, bank_transaction_id, state, previous_state, rule, amount,"
            " amount_diff) SELECT :now, bill_id, NULL, state, old_state, rule, amount, received - amount"
            " FROM recon_bill_changes WHERE old_state IS NOT NULL",
    "credit": "INSERT INTO recon_results (run_at, bill_id, bank_transaction_id, state, previous_state, rule, amount,"
              " amount_diff) SELECT :now, bill_id, credit_id, state, old_state, rule, amount, amount_diff"
              " FROM recon_credit_changes WHERE old_state IS NOT NULL",
}

UPSERT_SQL = {
    "bill": "INSERT INTO bill_states (bill_id, state, rule, received, changed_at)"
            " SELECT bill_id, state, rule, received, :now FROM recon_bill_changes WHERE true"
            " ON CONFLICT (bill_id) DO UPDATE SET state = excluded.state, rule = excluded.rule,"
            " received = excluded.received, changed_at = excluded.changed_at",
    "credit": "INSERT INTO credit_states (credit_id, bill_id, state, rule, changed_at)"
              " SELECT credit_id, bill_id, state, rule, :now FROM recon_credit_changes WHERE true"
              " ON CONFLICT (credit_id) DO UPDATE SET bill_id = excluded.bill_id, state = excluded.state,"
              " rule = excluded.rule, changed_at = excluded.changed_at",
}

NEW_CREDITS = " AND NOT EXISTS (SELECT 1 FROM credit_states s WHERE s.credit_id = t.id)"
"""Only the credits with no state yet: those a partial run links."""
TOUCHED_SQL = "SELECT DISTINCT bill_id FROM recon_link WHERE bill_id IS NOT NULL"
KNOWN_CREDITS_SQL = """
INSERT INTO recon_link (credit_id, amount, bill_id, exact)
SELECT s.credit_id, t.amount, s.bill_id, CASE WHEN t.amount = b.amount THEN 1 ELSE 0 END
FROM credit_states s JOIN bank_transactions t ON t.id = s.credit_id JOIN bills b ON b.id = s.bill_id
WHERE s.bill_id IN (SELECT bill_id FROM recon_touched)
"""
TOUCHED_BILLS = " AND b.id IN (SELECT bill_id FROM recon_touched)"

FORGET_SQL = (
    "DELETE FROM bill_states WHERE NOT EXISTS"
    " (SELECT 1 FROM bills b WHERE b.id = bill_states.bill_id AND b.deleted_at IS NULL)",
    "DELETE FROM credit_states WHERE NOT EXISTS (SELECT 1 FROM bank_transactions t"
    " WHERE t.id = credit_states.credit_id AND t.payment_id IS NULL)",
)


def match(connection: Connection, now: datetime, *, full: bool = True,
          banks: BankSettings | None = None) -> tuple[int, int]:
    """Give bills and bank credits their states; returns how many bills and credits changed.

    A ``full`` run first drops the states of bills deleted or gone and of credits gone, then links
    every credit and classifies every live bill. Bills only change by a sync, so a run that follows
    none may be partial: it links only the credits with no state yet, and classifies again only the
    bills they reached, with those bills' earlier credits (whose links cannot have changed).
    """
    due_day = day_number(connection, "COALESCE(b.due_date, b.issued_on)")
    link = LINK_SQL.format(preference=PREFERENCE_SPAN, id_span=ID_SPAN, last_day=LAST_DAY, due_day=due_day,
                           credit_bank=credit_bank(banks), fence=fence(connection))
    if full:
        for forget in FORGET_SQL:
            connection.exec_driver_sql(forget)
        create_temp(connection, "recon_link", link.format(new=""))
    else:
        create_temp(connection, "recon_link", link.format(new=NEW_CREDITS))
        create_temp(connection, "recon_touched", TOUCHED_SQL)
        connection.exec_driver_sql(KNOWN_CREDITS_SQL)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS recon_agg")
        connection.exec_driver_sql(SQLITE_AGG_TABLE)
        connection.exec_driver_sql(SQLITE_AGG_SQL)
    else:
        create_temp(connection, "recon_agg", AGG_SQL)
        connection.exec_driver_sql("CREATE INDEX recon_agg_bill ON recon_agg (bill_id)")
    changed = []
    for subject, template in (("bill", BILL_CHANGES_SQL), ("credit", CREDIT_CHANGES_SQL)):
        touched = "" if full else TOUCHED_BILLS
        if full and connection.exec_driver_sql(f"SELECT 1 FROM {subject}_states LIMIT 1").first() is None:
            changes = template.format(touched=touched, **NO_OLD_STATES[subject])
            changed.append(connection.execute(statement(FIRST_SQL[subject].format(changes=changes)),
                                              {"now": now}).rowcount)
            continue
        create_temp(connection, f"recon_{subject}_changes", template.format(touched=touched, **OLD_STATES[subject]))
        connection.execute(statement(HISTORY_SQL[subject]), {"now": now})
        changed.append(connection.execute(statement(UPSERT_SQL[subject]), {"now": now}).rowcount)
    return changed[0], changed[1]
