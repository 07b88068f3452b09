"""Bills the application marks paid without saying when (``app_paid`` true, ``app_paid_at`` NULL), on both
stores: counted as paid, in their reconciliation state, and in the rollups' "paid on an unknown day" group
(``app_state`` paid, ``paid_on`` NULL), whichever way the rollups are built or moved; the payments page's
readers count them as paid without placing them on any day."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from ledger_rows import NOW, PAID_AT, add_bill, add_credit
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import ReconCase
from pantau.models.billing import BillRollup
from pantau.recon import reconcile, rollups
from pantau.settings import Settings
from queries import payments, recon_cases

SETTINGS = Settings()
DUE = date(2026, 3, 1)
SPREAD = 10**15
"""An intake year far enough from the others that SQLite cannot pack the groups and groups the plain way."""


def _groups(engine) -> dict:
    """The rollups summed per group (correction rows folded in), empty groups left out."""
    columns = (BillRollup.semester, BillRollup.kind, BillRollup.angkatan, BillRollup.due_date, BillRollup.paid_on,
               BillRollup.app_state, BillRollup.recon_state)
    sums: dict = {}
    with engine.connect() as connection:
        for row in connection.execute(select(*columns, BillRollup.bills, BillRollup.billed, BillRollup.paid,
                                             BillRollup.received)):
            key, figures = tuple(row[:7]), row[7:]
            sums[key] = tuple(a + b for a, b in zip(sums.get(key, (0, 0, 0, 0)), figures))
    return {key: (int(n), *(Decimal(v) for v in rest)) for key, (n, *rest) in sums.items() if n}


def _bill_summary(engine) -> dict:
    frame = recon_cases.recon_summary(engine)
    bills = frame[frame["subject"] == "bill"]
    return {row.state: (row.items, Decimal(row.amount), Decimal(row.amount_diff)) for row in bills.itertuples()}


def _ledger(session, angkatan: int | None = 2024) -> None:
    """U1 paid without a date, matched by the bank; U2 paid without a date, no bank money; D1 paid on
    5 March (WIB) and matched; O1 unpaid. Every bill has its own intake year so that ``angkatan`` may
    spread the store's range."""
    undated = add_bill(session, "U1", 1_000_000, paid=True, paid_at=None)
    no_bank = add_bill(session, "U2", 2_000_000, paid=True, paid_at=None)
    dated = add_bill(session, "D1", 3_000_000, paid=True)
    unpaid = add_bill(session, "O1", 4_000_000)
    for bill, year in ((undated, angkatan), (no_bank, 2024), (dated, 2024), (unpaid, 2023)):
        bill.angkatan = year
    add_credit(session, "N1", 1_000_000, va="98810U1")
    add_credit(session, "N2", 3_000_000, va="98810D1")


def _expected(angkatan: int | None) -> dict:
    million = Decimal(1_000_000)
    return {
        ("20252", "herregistrasi", angkatan, DUE, None, "paid", "matched"): (1, million, million, million),
        ("20252", "herregistrasi", 2024, DUE, None, "paid", "app_paid_no_bank"): (1, 2 * million, 2 * million, 0),
        ("20252", "herregistrasi", 2024, DUE, date(2026, 3, 5), "paid", "matched"):
            (1, 3 * million, 3 * million, 3 * million),
        ("20252", "herregistrasi", 2023, DUE, None, "unpaid", "unpaid"): (1, 4 * million, 0, 0),
    }


def test_ud001_a_bill_paid_without_a_date_is_grouped_as_paid_on_an_unknown_day(store):
    with session_scope(store) as session:
        _ledger(session)
    run = reconcile(store, SETTINGS, now=NOW)
    assert run.bills == {"matched": 2, "app_paid_no_bank": 1, "unpaid": 1}
    assert _groups(store) == _expected(2024)


def test_ud002_the_plain_grouping_agrees(engine):
    with session_scope(engine) as session:
        _ledger(session, angkatan=SPREAD)
    with engine.connect() as connection:
        assert rollups.packing(connection, SETTINGS.timezone, NOW) is None
    reconcile(engine, SETTINGS, now=NOW)
    assert _groups(engine) == _expected(SPREAD)


def test_ud003_the_summary_counts_each_bill_in_its_own_state(store):
    with session_scope(store) as session:
        _ledger(session)
    reconcile(store, SETTINGS, now=NOW)
    million = Decimal(1_000_000)
    assert _bill_summary(store) == {"matched": (2, 4 * million, Decimal(0)),
                                    "app_paid_no_bank": (1, 2 * million, -2 * million),
                                    "unpaid": (1, 4 * million, -4 * million)}


def test_ud004_moving_changed_bills_takes_them_out_of_the_group_they_are_in(store):
    """A later credit reaches only U2: the run moves U2 alone, out of the group the first run put it in and
    into U1's."""
    with session_scope(store) as session:
        _ledger(session)
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        add_credit(session, "N3", 2_000_000, va="98810U2", booked=NOW + timedelta(hours=1))
    run = reconcile(store, SETTINGS, now=NOW + timedelta(hours=2))
    assert run.bills_changed == 1
    expected = _expected(2024)
    del expected[("20252", "herregistrasi", 2024, DUE, None, "paid", "app_paid_no_bank")]
    three = Decimal(3_000_000)
    expected[("20252", "herregistrasi", 2024, DUE, None, "paid", "matched")] = (2, three, three, three)
    assert _groups(store) == expected
    assert _bill_summary(store)["matched"] == (3, Decimal(6_000_000), Decimal(0))


def test_ud005_the_readers_count_it_paid_on_every_day_and_place_it_on_none(store):
    with session_scope(store) as session:
        _ledger(session)
    reconcile(store, SETTINGS, now=NOW)
    today = payments.collection_rate(store, as_of=date(2026, 3, 10))
    assert (today.bills, today.paid_bills, today.billed, today.paid) == (
        4, 3, Decimal("10000000.00"), Decimal("6000000.00"))
    before = payments.collection_rate(store, as_of=date(2026, 3, 2))
    assert (before.paid_bills, before.paid) == (2, Decimal("3000000.00"))
    assert payments.collection_rates(store, as_of=date(2026, 3, 2))["20252"] == before
    owed = payments.outstanding(store, as_of=date(2026, 3, 10))
    assert (owed.amount, owed.bills) == (Decimal("4000000.00"), 1)
    days = [date(2026, 3, 2), date(2026, 3, 10)]
    assert payments.outstanding_on(store, days) == [payments.outstanding(store, as_of=day) for day in days]
    curve = payments.collection_curve(store)
    dated = {(row.kind, row.offset): (row.share, row.count_share) for row in curve.itertuples()
             if not math.isnan(row.offset)}
    undated = {row.kind: (row.share, row.count_share) for row in curve.itertuples() if math.isnan(row.offset)}
    assert dated == {("herregistrasi", 4): (pytest.approx(0.3), pytest.approx(0.25))}
    assert undated == {"herregistrasi": (pytest.approx(0.3), pytest.approx(0.5))}


def test_ud006_only_undated_payments_still_make_a_curve(store):
    with session_scope(store) as session:
        add_bill(session, "U1", 1_000_000, paid=True, paid_at=None)
        add_bill(session, "O1", 3_000_000)
    reconcile(store, SETTINGS, now=NOW)
    curve = payments.collection_curve(store)
    assert [(row.kind, math.isnan(row.offset), row.share) for row in curve.itertuples()] == [
        ("herregistrasi", True, pytest.approx(0.25))]


def test_ud007_without_a_paid_time_the_bank_lag_cannot_wait_and_the_case_opens_at_once(store):
    with session_scope(store) as session:
        undated = add_bill(session, "U2", 2_000_000, paid=True, paid_at=None).id
        recent = add_bill(session, "R1", 2_000_000, paid=True, paid_at=NOW - timedelta(hours=1)).id
        older = add_bill(session, "R2", 2_000_000, paid=True, paid_at=PAID_AT).id
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        opened = set(session.scalars(select(ReconCase.bill_id).where(ReconCase.status == "open")))
    assert opened == {undated, older} and recent not in opened
