"""A bill payable to several VAs, one per bank, on both stores: a credit reaches it through any of them; when
the credit's feed tells its bank (BNI eCollection, BRIVA) only a VA of that bank (or of a bank not known)
is reached; so is it when [banks] gives the bank of a statement's or export's account or of a SNAP biller code;
any other statement line reaches a VA of any bank."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from ledger_rows import NOW, add_bill, add_credit, bill_state, credit_state

from pantau.db import session_scope
from pantau.recon import bank_settings, reconcile
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


BANKS = Settings(banks={"accounts": {"0987654321": "bni", "034-601-000123-301": "bri"},
                        "snap_partners": {" 8808315": "bsi"}})
"""The campus's BNI and BRI accounts (the BRI one written as the bank prints it) and its SNAP biller code at BSI."""


def test_rva006_a_statement_or_export_credit_pays_the_va_of_its_accounts_bank(store):
    """One VA number at two banks, two bills: the MT940 line on the BNI account (named with the bank's BIC, as
    MT940 :25: does) pays the BNI bill, the export line on the BRI account the BRI bill. Without [banks] both
    lines reach the same bill, whichever bank took the money."""
    with session_scope(store) as session:
        at_bni = add_bill(session, "T1", 1_000_000, vas=[("bni", "1234567")], due=date(2026, 3, 1)).id
        at_bri = add_bill(session, "T2", 1_000_000, vas=[("bri", "1234567")], due=date(2026, 3, 1)).id
        line = add_credit(session, "L1", 1_000_000, va="1234567", fmt="mt940", account="BNINIDJA/0987654321").id
        export = add_credit(session, "L2", 1_000_000, va="1234567", fmt="csv", account="034601000123301").id
    reconcile(store, BANKS, now=NOW)
    assert [credit_state(store, credit) for credit in (line, export)] == [
        ("bank_paid_app_unpaid", at_bni), ("bank_paid_app_unpaid", at_bri)]
    reconcile(store, SETTINGS, now=NOW, full=True)
    assert {credit_state(store, credit)[1] for credit in (line, export)} == {at_bni}


def test_rva007_an_account_not_listed_matches_a_va_of_any_bank(store):
    with session_scope(store) as session:
        bill = add_bill(session, "T1", 1_000_000, vas=[("mandiri", "8950800000001")]).id
        listed = add_credit(session, "L1", 1_000_000, va="8950800000001", fmt="mt940", account="0987654321").id
        unlisted = add_credit(session, "L2", 1_000_000, va="8950800000001", fmt="camt053", account="1230007654321",
                              booked=NOW).id
        nameless = add_credit(session, "L3", 1_000_000, va="8950800000001", fmt="csv", booked=NOW).id
    reconcile(store, BANKS, now=NOW)
    assert credit_state(store, listed) == ("no_bill", None)  # the BNI account cannot take a Mandiri VA's money
    assert credit_state(store, unlisted)[1] == bill and credit_state(store, nameless)[1] == bill


def test_rva008_a_snap_notification_pays_the_va_of_its_biller_codes_bank(store):
    with session_scope(store) as session:
        at_bsi = add_bill(session, "T1", 1_000_000, vas=[("bsi", "88083150001")], due=date(2026, 3, 1)).id
        at_bni = add_bill(session, "T2", 1_000_000, vas=[("bni", "88083150001")], due=date(2026, 2, 1)).id
        other = add_bill(session, "T3", 1_000_000, vas=[("bni", "77770001")]).id
        listed = add_credit(session, "S1", 1_000_000, va="88083150001", fmt="snap").id
        unlisted = add_credit(session, "S2", 1_000_000, va="77770001", fmt="snap").id
    reconcile(store, BANKS, now=NOW)
    assert credit_state(store, listed)[1] == at_bsi != at_bni
    assert credit_state(store, unlisted)[1] == other


def test_rva009_a_changed_banks_section_reaches_stored_credits_on_a_full_run(store):
    with session_scope(store) as session:
        add_bill(session, "T1", 1_000_000, vas=[("mandiri", "8950800000001")])
        line = add_credit(session, "L1", 1_000_000, va="8950800000001", fmt="mt940", account="0987654321").id
    reconcile(store, SETTINGS, now=NOW)
    assert credit_state(store, line)[0] == "bank_paid_app_unpaid"
    reconcile(store, BANKS, now=NOW + timedelta(hours=1))
    assert credit_state(store, line)[0] == "bank_paid_app_unpaid"  # nothing synced or imported: not linked again
    reconcile(store, BANKS, now=NOW + timedelta(hours=2), full=True)
    assert credit_state(store, line) == ("no_bill", None)


def test_rva010_the_banks_section_names_accounts_and_codes_or_is_refused():
    banks = bank_settings(BANKS)
    assert banks.accounts == {"0987654321": "bni", "034601000123301": "bri"}
    assert banks.snap_partners == {"8808315": "bsi"}
    assert banks.account_bank("BNINIDJA/0987654321") == "bni" and banks.account_bank("034 601 000123 301") == "bri"
    assert banks.account_bank("1230007654321") is None and banks.account_bank(None) is None
    for wrong, named in (({"accounts": {"0987654321": "BNI"}}, "banks.accounts"),
                         ({"accounts": {"0987/654321": "bni"}}, "banks.accounts"),
                         ({"snap_partners": {"BSI": "bsi"}}, "banks.snap_partners"),
                         ({"account": {}}, "banks.account")):
        with pytest.raises(ValueError, match=named):
            bank_settings(Settings(banks=wrong))
