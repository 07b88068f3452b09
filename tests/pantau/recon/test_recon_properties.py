"""Reconciliation against a plain pandas model, on random ledgers and on both stores.

Random bills (amounts, kinds, semesters, prodi, intake years, due days, the application's paid flag, amount
and time, the time often missing, some deleted) and random bank credits (by VA or by bill number, of the
exact, a partial, a larger or a repeated amount, some debits and reversals) are reconciled three times: once
with the first credits, once more after further credits arrive (the run that moves only the changed bills'
rollups) and once after a sync changed some bills (the run that rebuilds them). After each run the bills'
and credits' states, ``bill_rollups`` summed per group and ``recon_summary`` must equal what the pandas model
computes from the same rows with the definitions written out in pantau.recon.engine and pantau.recon.rollups.

Amounts are whole Rupiah: with sen, SQLite (which sums NUMERIC as floating point) does not yet compare a sum
of instalments with the bill's amount exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from ledger_rows import NOW, add_bill, add_credit
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import Base, Bill, Prodi
from pantau.models.bank import BillState, CreditState, ReconSummary
from pantau.models.billing import BillRollup
from pantau.recon import reconcile, rollups
from pantau.settings import Settings

SETTINGS = Settings()
ZONE = ZoneInfo(SETTINGS.timezone)
KINDS = ("registrasi", "herregistrasi", "sipenmatu")
SEMESTERS = ("20241", "20242", "20251", "20252")
VAS = ("VA1", "VA2", "VA3", "VA4", "VA5")
AMOUNTS = (100_000, 250_000, 500_000, 1_000_000, 2_500_000)
FIRST_DUE = date(2025, 8, 1)
SPREAD = 2_000_000_000
"""A prodi id and intake year (32-bit integers still, as PostgreSQL stores them) far enough from the others
that SQLite cannot pack the rollup groups into 62 bits and groups the plain way."""
LAST_DAY = 99_999
CENT = Decimal("0.01")
RUNS = (NOW, NOW + timedelta(hours=2), NOW + timedelta(hours=4))
SYNCED = NOW + timedelta(hours=3)
BILL_COLUMNS = ["id", "key", "va", "amount", "kind", "semester", "prodi_id", "angkatan", "due", "app_paid",
                "app_paid_amount", "app_paid_at", "deleted"]
CREDIT_COLUMNS = ["id", "ref", "va", "bill_ref", "amount", "value_date", "direction", "is_reversal", "stage"]


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


@dataclass
class Ledger:
    bills: list[dict]
    credits: list[dict]
    edits: dict[int, dict] = field(default_factory=dict)
    """Bill index → the fields the sync before the third run changes."""


instants = st.integers(0, 420 * 24 * 60).map(lambda minutes: datetime(2025, 7, 1, tzinfo=UTC)
                                                + timedelta(minutes=minutes))
"""Any minute over some fourteen months, so that paid times fall on both sides of midnight in WIB."""


def amounts() -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from(AMOUNTS), st.integers(1, 5_000_000))


@st.composite
def bill_rows(draw, index: int, spread: bool) -> dict:
    amount = draw(amounts())
    paid = draw(st.booleans())
    return {
        "key": f"B{index}", "va": draw(st.sampled_from(VAS)), "amount": amount, "kind": draw(st.sampled_from(KINDS)),
        "semester": draw(st.sampled_from(SEMESTERS)),
        "prodi_id": SPREAD if spread and index == 0 else draw(st.sampled_from((None, 1, 2, 3))),
        "angkatan": SPREAD if spread and index == 0 else draw(st.sampled_from((None, 2021, 2022, 2023, 2024, 2025))),
        "due": FIRST_DUE + timedelta(days=draw(st.integers(0, 300))),
        "app_paid": paid,
        "app_paid_amount": draw(st.sampled_from((0, amount, amount // 2, amount + 50_000))),
        "app_paid_at": draw(st.one_of(st.none(), instants)),
        "deleted": draw(st.integers(0, 9)) == 0,
    }


@st.composite
def credit_rows(draw, index: int, bills: list[dict], earlier: list[dict]) -> dict:
    target = draw(st.one_of(st.none(), st.integers(0, len(bills) - 1))) if bills else None
    bill = bills[target] if target is not None else None
    va = bill["va"] if bill and draw(st.integers(0, 4)) else draw(st.sampled_from((*VAS, "VA9", None)))
    reference = draw(st.sampled_from(("none", "none", "none", "own", "unknown")))
    bill_ref = {"none": None, "own": bill["key"] if bill else "B0", "unknown": "BX"}[reference]
    owed = bill["amount"] if bill else draw(st.sampled_from(AMOUNTS))
    how = draw(st.sampled_from(("exact", "exact", "partial", "over", "random", "repeat")))
    if how == "repeat" and earlier:
        amount = draw(st.sampled_from(earlier))["amount"]
    elif how == "partial":
        amount = max(1, owed // draw(st.integers(2, 4)))
    elif how == "over":
        amount = owed + draw(st.sampled_from((1, 50_000, owed)))
    elif how == "random":
        amount = draw(amounts())
    else:
        amount = owed
    around = bill["due"] if bill else FIRST_DUE + timedelta(days=150)
    return {
        "ref": f"T{index}", "va": va, "bill_ref": bill_ref, "amount": amount,
        "value_date": around + timedelta(days=draw(st.integers(-60, 60))),
        "direction": "debit" if draw(st.integers(0, 9)) == 0 else "credit",
        "is_reversal": draw(st.integers(0, 9)) == 0,
        "stage": draw(st.integers(0, 1)),
    }


@st.composite
def ledgers(draw) -> Ledger:
    spread = draw(st.integers(0, 3)) == 0
    bills = [draw(bill_rows(i, spread)) for i in range(draw(st.integers(0, 10)))]
    credits: list[dict] = []
    for index in range(draw(st.integers(0, 14))):
        credits.append(draw(credit_rows(index, bills, credits)))
    edits = {}
    for index in range(len(bills)):
        edit = draw(st.sampled_from(("none", "none", "none", "paid_undated", "paid", "unpaid", "deleted", "back")))
        if edit == "paid_undated":
            edits[index] = {"app_paid": True, "app_paid_at": None}
        elif edit == "paid":
            edits[index] = {"app_paid": True, "app_paid_at": draw(instants)}
        elif edit == "unpaid":
            edits[index] = {"app_paid": False, "app_paid_amount": 0}
        elif edit in ("deleted", "back"):
            edits[index] = {"deleted": edit == "deleted"}
    return Ledger(bills, credits, edits)


def _empty(engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def _store_bills(session, bills: list[dict]) -> list[int]:
    for prodi in (1, 2, 3, SPREAD):
        session.add(Prodi(id=prodi, code=f"P{prodi}", name=f"Prodi {prodi}", jenjang="D3", jurusan="Umum"))
    session.flush()
    ids = []
    for row in bills:
        bill = add_bill(session, row["key"], row["amount"], va=row["va"], due=row["due"], semester=row["semester"],
                        kind=row["kind"])
        bill.prodi_id, bill.angkatan = row["prodi_id"], row["angkatan"]
        _set(bill, row, NOW - timedelta(days=1))
        ids.append(bill.id)
    session.flush()
    return ids


def _set(bill: Bill, row: dict, synced: datetime) -> None:
    bill.app_paid, bill.app_paid_at = row["app_paid"], row["app_paid_at"]
    bill.app_paid_amount = money(row["app_paid_amount"])
    bill.deleted_at = synced if row["deleted"] else None
    bill.synced_at = synced


def _store_credits(session, credits: list[dict]) -> None:
    for row in credits:
        credit = add_credit(session, row["ref"], row["amount"], va=row["va"], bill_ref=row["bill_ref"],
                            direction=row["direction"])
        credit.value_date, credit.is_reversal = row["value_date"], row["is_reversal"]
        row["id"] = credit.id


# The model: the reconciliation's definitions over plain frames.

def model(bills: pd.DataFrame, credits: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every live bill with its reconciliation ``state`` and ``received``, and every counted credit with its
    ``bill_id`` (None when it reaches no bill) and ``state``."""
    live = bills[~bills["deleted"]]
    counted = credits[(credits["direction"] == "credit") & ~credits["is_reversal"]]
    link = counted[["id", "amount", "va", "bill_ref", "value_date"]].rename(columns={"id": "credit_id"})
    link["bill_id"] = pd.array([_linked(credit, live) for credit in link.itertuples()], dtype="Int64")
    linked = link.merge(live[["id", "amount"]].rename(columns={"id": "bill_id", "amount": "bill_amount"}),
                        on="bill_id", how="left")
    linked["exact"] = linked["amount"] == linked["bill_amount"]
    reached = linked[linked["bill_id"].notna()]
    sums = reached.groupby("bill_id").agg(received_all=("amount", "sum"), credits=("amount", "size"),
                                          exact_n=("exact", "sum"))
    sums["first_exact"] = reached[reached["exact"]].groupby("bill_id")["credit_id"].min()
    states = live.set_index("id").join(sums)
    repeated = [max(int(n) - 1, 0) if not pd.isna(n) else 0 for n in states["exact_n"]]
    states["received"] = [money(0 if pd.isna(r) else int(r) - n * a) for r, n, a in
                          zip(states["received_all"], repeated, states["amount"])]
    states["state"] = [_bill_state(row) for row in states.itertuples()]
    state_of = states["state"].to_dict()
    first = states["first_exact"].to_dict()
    linked["state"] = [
        "no_bill" if pd.isna(row.bill_id)
        else "duplicate" if row.exact and row.credit_id != first[row.bill_id]
        else state_of[row.bill_id]
        for row in linked.itertuples()]
    return states.reset_index(), linked


def _linked(credit, live: pd.DataFrame) -> int | None:
    """The bill a credit belongs to: the live bill its reference names, else the preferred live bill with its VA."""
    if credit.bill_ref is not None:
        named = live[live["key"] == credit.bill_ref]
        if len(named):
            return int(named["id"].iloc[0])
    same_va = live[live["va"] == credit.va] if credit.va is not None else live.iloc[0:0]
    if same_va.empty:
        return None
    open_then = same_va["due"] >= credit.value_date
    day = same_va["due"].map(lambda due: (due - date(1970, 1, 1)).days)
    ranked = same_va.assign(
        preference=(same_va["amount"] != credit.amount) * 4 + (~open_then) * 2,
        day=day.where(open_then, LAST_DAY - day),
    ).sort_values(["preference", "day", "id"])
    return int(ranked["id"].iloc[0])


def _bill_state(bill) -> str:
    received, amount = bill.received, money(bill.amount)
    if received == 0:
        return "app_paid_no_bank" if bill.app_paid or bill.app_paid_amount > 0 else "unpaid"
    if received >= amount and not bill.app_paid:
        return "bank_paid_app_unpaid"
    if received < amount and bill.app_paid:
        return "app_paid_no_bank"
    return "matched" if received == amount else "partial" if received < amount else "overpaid"


def expected_rollups(states: pd.DataFrame) -> dict:
    """``bill_rollups`` as it must read: each live bill in the group of its semester, kind, prodi, angkatan,
    due day, paid day (the WIB day the application marked it paid; None when not fully paid or paid
    without a date) and states, with its count, amount, the application's paid amount (up to the bill's)
    and what the bank received."""
    frame = states.assign(
        paid_on=[at.astimezone(ZONE).date() if paid and not pd.isna(at) else None
                 for paid, at in zip(states["app_paid"], states["app_paid_at"])],
        app_state=["paid" if paid else "partial" if amount > 0 else "unpaid"
                   for paid, amount in zip(states["app_paid"], states["app_paid_amount"])],
        paid=[money(a if paid else min(p, a)) for paid, p, a in
              zip(states["app_paid"], states["app_paid_amount"], states["amount"])],
        billed=states["amount"].map(money),
        bills=1,
    )
    keys = ["semester", "kind", "prodi_id", "angkatan", "due", "paid_on", "app_state", "state"]
    frame["group"] = list(zip(*([_plain(value) for value in frame[key]] for key in keys)))
    summed = frame.groupby("group").agg(bills=("bills", "sum"), billed=("billed", "sum"), paid=("paid", "sum"),
                                        received=("received", "sum"))
    return {group: (int(row.bills), money(row.billed), money(row.paid), money(row.received))
            for group, row in summed.iterrows()}


def expected_summary(states: pd.DataFrame, credits: pd.DataFrame) -> dict:
    """``recon_summary``: bills per state (count, billed, received − billed), credits per state (count,
    amount, and the amount of those tied to no bill or repeating a full payment)."""
    bills = states.assign(billed=states["amount"].map(money))
    bills["diff"] = bills["received"] - bills["billed"]
    per_bill = bills.groupby("state").agg(items=("billed", "size"), amount=("billed", "sum"), diff=("diff", "sum"))
    credits = credits.assign(amount=credits["amount"].map(money))
    credits["diff"] = credits["amount"].where(credits["state"].isin(["no_bill", "duplicate"]), money(0))
    per_credit = credits.groupby("state").agg(items=("amount", "size"), amount=("amount", "sum"),
                                              diff=("diff", "sum"))
    return {(subject, state): (int(row["items"]), money(row["amount"]), money(row["diff"]))
            for subject, frame in (("bill", per_bill), ("credit", per_credit)) for state, row in frame.iterrows()}


def _plain(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


# What the store says.

def stored_rollups(engine) -> dict:
    columns = (BillRollup.semester, BillRollup.kind, BillRollup.prodi_id, BillRollup.angkatan, BillRollup.due_date,
               BillRollup.paid_on, BillRollup.app_state, BillRollup.recon_state)
    sums: dict = {}
    with engine.connect() as connection:
        for row in connection.execute(select(*columns, BillRollup.bills, BillRollup.billed, BillRollup.paid,
                                             BillRollup.received)):
            key, figures = tuple(row[:8]), row[8:]
            sums[key] = tuple(a + b for a, b in zip(sums.get(key, (0, 0, 0, 0)), figures))
    groups = {key: (int(n), *(money(v) for v in rest)) for key, (n, *rest) in sums.items()}
    emptied = {key: figures for key, figures in groups.items() if figures[0] == 0}
    assert all(figures == (0, 0, 0, 0) for figures in emptied.values()), f"moved out unevenly: {emptied}"
    return {key: figures for key, figures in groups.items() if key not in emptied}


def stored_summary(engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(select(ReconSummary.subject, ReconSummary.state, ReconSummary.items,
                                         ReconSummary.amount, ReconSummary.amount_diff)).all()
    return {(subject, state): (items, money(amount), money(diff)) for subject, state, items, amount, diff in rows}


def stored_states(engine) -> tuple[dict, dict]:
    with engine.connect() as connection:
        bills = {bill: (state, money(received)) for bill, state, received in
                 connection.execute(select(BillState.bill_id, BillState.state, BillState.received))}
        credits = {credit: (state, bill) for credit, state, bill in
                   connection.execute(select(CreditState.credit_id, CreditState.state, CreditState.bill_id))}
    return bills, credits


def frames(bills: list[dict], credits: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows as frames of plain Python values (None, not NaN or NaT), flags and amounts typed."""
    bill_frame = pd.DataFrame(bills, columns=BILL_COLUMNS, dtype=object).astype(
        {"id": "int64", "amount": "int64", "app_paid": bool, "app_paid_amount": "int64", "deleted": bool})
    credit_frame = pd.DataFrame(credits, columns=CREDIT_COLUMNS, dtype=object).astype(
        {"id": "int64", "amount": "int64", "is_reversal": bool})
    return bill_frame, credit_frame


def _check(engine, bills: list[dict], credits: list[dict], stage: str) -> None:
    states, linked = model(*frames(bills, credits))
    stored_bills, stored_credits = stored_states(engine)
    assert stored_bills == {int(row.id): (row.state, row.received) for row in states.itertuples()}, stage
    assert stored_credits == {int(row.credit_id): (row.state, None if pd.isna(row.bill_id) else int(row.bill_id))
                              for row in linked.itertuples()}, stage
    assert stored_rollups(engine) == expected_rollups(states), stage
    assert stored_summary(engine) == expected_summary(states, linked), stage


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ledger=ledgers())
def test_rp001_summary_and_rollups_equal_a_pandas_model_of_the_same_rows(store, ledger):
    reconcile_and_check(store, ledger)


def reconcile_and_check(store, ledger: Ledger) -> None:
    """Store the ledger's bills and first credits, reconcile, check; the further credits, reconcile, check;
    the sync's edits, reconcile, check."""
    _empty(store)
    bills = [dict(row) for row in ledger.bills]
    with session_scope(store) as session:
        for row, bill_id in zip(bills, _store_bills(session, bills)):
            row["id"] = bill_id
    if store.dialect.name == "sqlite" and currently_in_test_context():
        with store.connect() as connection:
            packed = rollups.packing(connection, SETTINGS.timezone, NOW) is not None
        event("SQLite rollups packed" if packed else "SQLite rollups grouped the plain way")
    arrived: list[dict] = []
    for stage, run_at in enumerate(RUNS[:2]):
        batch = [dict(row) for row in ledger.credits if row["stage"] == stage]
        with session_scope(store) as session:
            _store_credits(session, batch)
        arrived += batch
        reconcile(store, SETTINGS, now=run_at)
        _check(store, bills, arrived, f"run {stage + 1}")
    with session_scope(store) as session:
        for index, edit in ledger.edits.items():
            bills[index].update(edit)
            _set(session.get(Bill, bills[index]["id"]), bills[index], SYNCED)
    reconcile(store, SETTINGS, now=RUNS[2])
    _check(store, bills, arrived, "run 3, after a sync")


def test_rp002_the_model_agrees_with_the_engine_on_a_hand_made_case(store):
    """The model itself, on a ledger small enough to check by eye: a bill paid twice in full (the second a
    duplicate), an instalment, a credit by bill number, a credit to no bill, an app-paid bill without date."""
    ledger = Ledger(
        bills=[
            {"key": "B0", "va": "VA1", "amount": 1_000_000, "kind": "herregistrasi", "semester": "20252",
             "prodi_id": 1, "angkatan": 2024, "due": date(2026, 3, 1), "app_paid": True, "app_paid_amount": 1_000_000,
             "app_paid_at": None, "deleted": False},
            {"key": "B1", "va": "VA2", "amount": 500_000, "kind": "registrasi", "semester": "20252",
             "prodi_id": None, "angkatan": None, "due": date(2026, 3, 1), "app_paid": False, "app_paid_amount": 0,
             "app_paid_at": None, "deleted": False},
        ],
        credits=[
            {"ref": "T0", "va": "VA1", "bill_ref": None, "amount": 1_000_000, "value_date": date(2026, 2, 20),
             "direction": "credit", "is_reversal": False, "stage": 0},
            {"ref": "T1", "va": "VA1", "bill_ref": None, "amount": 1_000_000, "value_date": date(2026, 2, 21),
             "direction": "credit", "is_reversal": False, "stage": 1},
            {"ref": "T2", "va": None, "bill_ref": "B1", "amount": 200_000, "value_date": date(2026, 2, 21),
             "direction": "credit", "is_reversal": False, "stage": 1},
            {"ref": "T3", "va": "VA9", "bill_ref": None, "amount": 75_000, "value_date": date(2026, 2, 21),
             "direction": "credit", "is_reversal": False, "stage": 0},
        ],
    )
    reconcile_and_check(store, ledger)
    assert stored_summary(store) == {
        ("bill", "matched"): (1, money(1_000_000), money(0)),
        ("bill", "partial"): (1, money(500_000), money(-300_000)),
        ("credit", "matched"): (1, money(1_000_000), money(0)),
        ("credit", "duplicate"): (1, money(1_000_000), money(1_000_000)),
        ("credit", "partial"): (1, money(200_000), money(0)),
        ("credit", "no_bill"): (1, money(75_000), money(75_000)),
    }
