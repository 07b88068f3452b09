"""A bill payable to several VAs, one per bank, on both stores: a credit reaches it through any of them; when
the credit's feed tells its bank (BNI eCollection, BRIVA) only a VA of that bank (or of a bank not known)
is reached; a statement line reaches a VA of any bank."""

from __future__ import annotations

from datetime import date

from ledger_rows import NOW, add_bill, add_credit, bill_state, credit_state

from pantau.db import session_scope
from pantau.recon import reconcile
from pantau.settings import Settings

SETTINGS = Settings()
THREE = [("bni", "9881071000001"), ("bri", "772410000001"), ("mandiri", "8950800000001")]


def test_rva001_a_credit_to_any_of_a_bills_vas_pays_it(store):
    with session_scope(store) as session:
        bills = [add_bill(session, f"T{n}", 1_000_000, vas=[(bank, f"{number}{n}") for bank, number in THREE]).id
                 for n in range(3)]
        by_bni = add_credit(session, "C0", 1_000_000, va="98810710000010", fmt="bni").id
        by_bri = add_credit(session, "C1", 1_000_000, va="7724100000011", fmt="briva").id
        by_mandiri = add_credit(session, "C2", 1_000_000, va="89508000000012", fmt="mt940").id
    run = reconcile(store, SETTINGS, now=NOW)
    assert run.bills == {"bank_paid_app_unpaid": 3}
    assert [credit_state(store, credit) for credit in (by_bni, by_bri, by_mandiri)] == [
        ("bank_paid_app_unpaid", bill) for bill in bills]


def test_rva002_a_notification_reaches_only_a_va_of_its_own_bank(store):
    with session_scope(store) as session:
        bill = add_bill(session, "T1", 1_000_000, vas=THREE).id
        wrong_bank = add_credit(session, "C1", 1_000_000, va="772410000001", fmt="bni").id  # BRI's VA, BNI's feed
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, wrong_bank) == ("no_bill", None)
    assert bill_state(store, bill)[0] == "unpaid"


def test_rva003_a_va_whose_bank_is_not_known_is_reached_from_any_feed(store):
    with session_scope(store) as session:
        bill = add_bill(session, "T1", 1_000_000, vas=[(None, "9881071000009")]).id
        credit = add_credit(session, "C1", 1_000_000, va="9881071000009", fmt="briva").id
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, credit) == ("bank_paid_app_unpaid", bill)


def test_rva004_two_credits_through_two_vas_add_up_on_the_bill(store):
    with session_scope(store) as session:
        bill = add_bill(session, "T1", 2_000_000, vas=THREE, paid=True).id
        add_credit(session, "C1", 1_000_000, va="9881071000001", fmt="bni")
        add_credit(session, "C2", 1_000_000, va="8950800000001", fmt="snap")
    run = reconcile(store, SETTINGS, now=NOW)
    assert bill_state(store, bill) == ("matched", 2_000_000)
    assert run.credits == {"matched": 2}


def test_rva005_a_shared_va_prefers_the_bill_of_the_credits_amount(store):
    with session_scope(store) as session:
        spp = add_bill(session, "S1", 2_500_000, vas=[("bni", "9881071222"), ("bri", "772412220")],
                       due=date(2026, 3, 1)).id
        add_bill(session, "S2", 1_000_000, vas=[("bni", "9881071222")], due=date(2026, 3, 1))
        credit = add_credit(session, "C1", 2_500_000, va="9881071222", fmt="bni").id
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, credit) == ("bank_paid_app_unpaid", spp)
