"""Bills without a VA (paid at the counter or by transfer) and without a due date, on both stores: a credit
without a VA never reaches them through the missing VA, a credit naming the bill's number does, and ageing
and arrears count such a bill from its issue date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ledger_rows import NOW, add_bill, add_credit, bill_state, credit_state

from pantau.db import session_scope
from pantau.models import Bill
from pantau.recon import reconcile
from pantau.settings import Settings
from queries import payments

SETTINGS = Settings()
ISSUED = date(2026, 1, 1)
MILLION = Decimal(1_000_000)


def _counter_bill(session, key: str, amount: int) -> Bill:
    bill = Bill(source="test", source_key=key, kind="herregistrasi", payer_name=f"Mahasiswa {key}",
                semester="20252", amount=Decimal(amount), va_number=None, due_date=None, issued_on=ISSUED,
                synced_at=NOW - timedelta(days=1))
    session.add(bill)
    session.flush()
    return bill


def test_nova001_a_missing_va_never_matches_and_a_bill_number_still_does(store):
    with session_scope(store) as session:
        loose = _counter_bill(session, "K1", 1_000_000).id
        named = _counter_bill(session, "K2", 2_000_000).id
        with_va = add_bill(session, "V1", 3_000_000).id
        no_va = add_credit(session, "N1", 1_000_000).id  # neither VA nor bill number
        by_ref = add_credit(session, "N2", 2_000_000, bill_ref="K2").id
        by_va = add_credit(session, "N3", 3_000_000, va="98810V1").id
    run = reconcile(store, SETTINGS, now=NOW)
    assert run.bills == {"unpaid": 1, "bank_paid_app_unpaid": 2}  # the application has not marked them paid
    assert bill_state(store, loose) == ("unpaid", 0)
    assert credit_state(store, no_va) == ("no_bill", None)
    assert credit_state(store, by_ref) == ("bank_paid_app_unpaid", named)
    assert credit_state(store, by_va) == ("bank_paid_app_unpaid", with_va)
    assert bill_state(store, named) == ("bank_paid_app_unpaid", 2 * MILLION)


def test_nova002_ageing_and_arrears_count_a_bill_without_a_due_date_from_its_issue_date(store):
    with session_scope(store) as session:
        _counter_bill(session, "K1", 1_000_000)
        add_bill(session, "V1", 3_000_000, due=date(2026, 3, 20))  # not yet due on 10 March
    reconcile(store, SETTINGS, now=NOW)
    today = date(2026, 3, 10)  # 68 days after the issue date
    aged = payments.ageing(store, as_of=today).set_index("bucket")
    assert (aged.loc["61-90", "bills"], Decimal(aged.loc["61-90", "outstanding"])) == (1, MILLION)
    assert (aged.loc["not_due", "bills"], Decimal(aged.loc["not_due", "outstanding"])) == (1, 3 * MILLION)
    owed = payments.outstanding(store, as_of=today)
    assert (owed.bills, Decimal(owed.amount)) == (1, MILLION)
    assert payments.outstanding(store, as_of=ISSUED).bills == 0  # not late on the day it is issued
