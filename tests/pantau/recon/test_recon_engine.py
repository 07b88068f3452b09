"""Reconciliation rules on both stores: exact, cumulative and mismatched payments, repeats, credits
without a bill, and the application's side disagreeing with the bank's."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ledger_rows import NOW, add_bill, add_credit, bill_state, credit_state
from sqlalchemy import func, select

from pantau.db import session_scope
from pantau.models import Bill, ReconResult
from pantau.recon import reconcile
from pantau.settings import Settings

SETTINGS = Settings()


def test_rc001_va_and_exact_amount_match_bill_and_credit(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1001", 2_500_000, paid=True).id
        credit = add_credit(session, "N1", 2_500_000, va="988101001").id
    run = reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, bill) == ("matched", Decimal("2500000.00"))
    assert credit_state(store, credit) == ("matched", bill)
    assert run.bills == {"matched": 1} and run.credits == {"matched": 1}


def test_rc002_instalments_add_up_cumulatively_and_one_alone_is_partial(store):
    with session_scope(store) as session:
        whole = add_bill(session, "1002", 4_000_000, paid=True).id
        half = add_bill(session, "1003", 4_000_000, paid_amount=2_000_000).id
        add_credit(session, "N2", 2_000_000, va="988101002")
        add_credit(session, "N3", 2_000_000, va="988101002", booked=NOW - timedelta(days=1))
        add_credit(session, "N4", 2_000_000, va="988101003")
    reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, whole) == ("matched", Decimal("4000000.00"))
    assert bill_state(store, half) == ("partial", Decimal("2000000.00"))


def test_rc003_more_than_billed_is_overpaid(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1004", 1_000_000, paid=True).id
        credit = add_credit(session, "N5", 1_050_000, va="988101004").id
    reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, bill) == ("overpaid", Decimal("1050000.00"))
    assert credit_state(store, credit) == ("overpaid", bill)


def test_rc004_credit_to_an_unknown_va_has_no_bill(store):
    with session_scope(store) as session:
        credit = add_credit(session, "N6", 750_000, va="999999999").id
    run = reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, credit) == ("no_bill", None)
    assert run.cases.opened == 1


def test_rc005_paid_at_the_bank_but_unpaid_in_the_app(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1005", 3_000_000, paid=False).id
        add_credit(session, "N7", 3_000_000, va="988101005")
    reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, bill)[0] == "bank_paid_app_unpaid"


def test_rc006_paid_in_the_app_without_a_bank_credit(store):
    with session_scope(store) as session:
        old = add_bill(session, "1006", 1_500_000, paid=True).id
        unpaid = add_bill(session, "1007", 1_500_000).id
    reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, old) == ("app_paid_no_bank", Decimal("0.00"))
    assert bill_state(store, unpaid) == ("unpaid", Decimal("0.00"))


def test_rc007_the_full_amount_paid_again_is_a_duplicate(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1008", 3_000_000, paid=True).id
        first = add_credit(session, "N8", 3_000_000, va="988101008").id
        again = add_credit(session, "N9", 3_000_000, va="988101008", booked=NOW - timedelta(days=4)).id
    reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, bill) == ("matched", Decimal("3000000.00"))
    assert credit_state(store, first) == ("matched", bill)
    assert credit_state(store, again) == ("duplicate", bill)


def test_rc008_bill_number_wins_over_va_and_a_shared_va_picks_the_same_amount(store):
    with session_scope(store) as session:
        named = add_bill(session, "1009", 2_000_000, paid=True).id
        odd = add_bill(session, "1010", 2_250_000, va="98810SHARED", paid=True, semester="20251").id
        even = add_bill(session, "1011", 2_500_000, va="98810SHARED", paid=True).id
        by_ref = add_credit(session, "N10", 2_000_000, va="98810SHARED", bill_ref="1009").id
        by_amount = add_credit(session, "N11", 2_500_000, va="98810SHARED").id
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, by_ref) == ("matched", named)
    assert credit_state(store, by_amount) == ("matched", even)
    assert bill_state(store, odd)[0] == "app_paid_no_bank"


def test_rc009_a_rerun_writes_only_changes_and_keeps_their_history(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1012", 1_000_000).id
        add_bill(session, "1013", 1_000_000)
    reconcile(store, SETTINGS, now=NOW)
    again = reconcile(store, SETTINGS, now=NOW + timedelta(minutes=5))
    assert (again.bills_changed, again.credits_changed) == (0, 0)
    with session_scope(store) as session:
        add_credit(session, "N12", 1_000_000, va="988101012")
    later = reconcile(store, SETTINGS, now=NOW + timedelta(minutes=10))
    assert (later.bills_changed, later.credits_changed) == (1, 1)
    with store.connect() as connection:
        history = connection.execute(select(ReconResult.previous_state, ReconResult.state)
                                     .where(ReconResult.bill_id == bill,
                                            ReconResult.bank_transaction_id.is_(None))).all()
    assert [tuple(row) for row in history] == [("unpaid", "bank_paid_app_unpaid")]


def test_rc010_deleted_bills_are_left_out_and_their_credits_find_no_bill(store):
    with session_scope(store) as session:
        bill = add_bill(session, "1014", 900_000, paid=True)
        credit = add_credit(session, "N13", 900_000, va="988101014").id
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        gone = session.get(Bill, bill.id)
        gone.deleted_at = gone.synced_at = NOW + timedelta(minutes=1)
    run = reconcile(store, SETTINGS, now=NOW + timedelta(minutes=2))
    assert bill_state(store, bill.id) is None
    assert credit_state(store, credit) == ("no_bill", None)
    assert run.bills == {}


def test_rc011_rollups_after_a_day_of_credits_equal_a_full_rebuild(store):
    with session_scope(store) as session:
        for number in range(6):
            add_bill(session, f"20{number}", 1_000_000 + number * 100_000, paid=number % 2 == 0)
    reconcile(store, SETTINGS, now=NOW)
    with session_scope(store) as session:
        add_credit(session, "N20", 1_000_000, va="98810200")
        add_credit(session, "N21", 1_100_000, va="98810201")
    reconcile(store, SETTINGS, now=NOW + timedelta(minutes=5))
    moved = _rollup_totals(store)
    with session_scope(store) as session:
        session.execute(Bill.__table__.update().values(synced_at=NOW + timedelta(hours=1)))
    reconcile(store, SETTINGS, now=NOW + timedelta(hours=2))
    assert _rollup_totals(store) == moved


def test_rc012_a_run_without_a_sync_revisits_only_the_bills_new_credits_reach_and_agrees_with_a_full_run(store):
    with session_scope(store) as session:
        instalments = add_bill(session, "3001", 4_000_000, paid=True).id
        repeated = add_bill(session, "3002", 1_000_000, paid=True).id
        untouched = add_bill(session, "3003", 1_000_000).id
        first_half = add_credit(session, "N30", 2_000_000, va="988103001", booked=NOW - timedelta(days=3)).id
        add_credit(session, "N31", 1_000_000, va="988103002", booked=NOW - timedelta(days=3))
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, first_half) == ("app_paid_no_bank", instalments)
    with session_scope(store) as session:
        second_half = add_credit(session, "N32", 2_000_000, va="988103001").id
        again = add_credit(session, "N33", 1_000_000, va="988103002").id
        stray = add_credit(session, "N34", 5_000, va="999").id
    partial = reconcile(store, SETTINGS, now=NOW + timedelta(minutes=5))
    assert (partial.bills_changed, partial.credits_changed) == (1, 4)
    assert bill_state(store, instalments) == ("matched", Decimal("4000000.00"))
    assert [credit_state(store, credit) for credit in (first_half, second_half, again, stray)] == [
        ("matched", instalments), ("matched", instalments), ("duplicate", repeated), ("no_bill", None)]
    assert bill_state(store, untouched) == ("unpaid", Decimal("0.00"))
    with session_scope(store) as session:
        session.execute(Bill.__table__.update().values(synced_at=NOW + timedelta(hours=1)))
    full = reconcile(store, SETTINGS, now=NOW + timedelta(hours=2))
    assert (full.bills_changed, full.credits_changed) == (0, 0)
    assert (full.bills, full.credits) == (partial.bills, partial.credits)


def _rollup_totals(engine) -> dict:
    from pantau.models.billing import BillRollup

    query = (select(BillRollup.recon_state, BillRollup.app_state, func.sum(BillRollup.bills),
                    func.sum(BillRollup.received))
             .group_by(BillRollup.recon_state, BillRollup.app_state).having(func.sum(BillRollup.bills) > 0))
    with engine.connect() as connection:
        return {(state, app): (int(count), Decimal(received)) for state, app, count,
                received in connection.execute(query)}


def test_rc013_sen_instalments_add_up_to_the_bill_exactly(store):
    from decimal import Decimal as D

    from pantau.db import session_scope
    from pantau.models import Bill
    from pantau.recon import reconcile
    from pantau.settings import Settings

    with session_scope(store) as session:
        bill = add_bill(session, "TG-SEN", 0, va="9880000000000777")
        session.get(Bill, bill.id).amount = D("100000.30")
        add_credit(session, "S1", 0, va="9880000000000777")
        add_credit(session, "S2", 0, va="9880000000000777")
    with store.begin() as connection:
        connection.exec_driver_sql("UPDATE bank_transactions SET amount = CASE bank_ref WHEN 'S1' THEN 50000.10 "
                                   "ELSE 50000.20 END")
    reconcile(store, Settings(), now=NOW)
    assert bill_state(store, bill.id) == ("bank_paid_app_unpaid", D("100000.30"))
