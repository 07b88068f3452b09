"""Money counted exactly once: each entry's identity by its channel, one payment with several pieces of
evidence, statements read again, corrected, consecutive or overlapping (docs/bank-feeds.md)."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import permutations

import pytest
from bank_files import Line, bni, camt, evidence, mt940, payments, write
from sqlalchemy import func, select

from collectors.bankstore import import_file
from pantau.models import Alert, BankStatement, BankTransaction


def test_id001_equal_credits_in_consecutive_statements_are_two_payments(store, tmp_path):
    two = write(tmp_path, "stmt2.sta", mt940(2, 100_000, [Line("261201", 10_000, "FT123", "BUDI")],
                                             opens="261201", closes="261201"))
    three = write(tmp_path, "stmt3.sta", mt940(3, 110_000, [Line("261201", 10_000, "FT123", "SITI")],
                                               opens="261201", closes="261201"))
    first, second = import_file(store, two), import_file(store, three)
    assert (first.payments_added, second.status, second.payments_added) == (1, "imported", 1)
    assert [link["status"] for link in second.balance] == ["continues"]
    assert payments(store) == (2, Decimal("20000.00"))


def test_id002_two_notifications_and_the_statement_listing_both_are_two_payments(store, tmp_path):
    va = "9880012300000009"
    one = write(tmp_path, "bni-1.jsonl", [bni("100001", va, 50_000, "2026-12-02 10:00:00")])
    two = write(tmp_path, "bni-2.jsonl", [bni("100002", va, 50_000, "2026-12-02 11:00:00")])
    lines = [Line("261202", 50_000, "FT1", f"PEMBAYARAN VA {va}"), Line("261202", 50_000, "FT2", f"PEMBAYARAN VA {va}")]
    statement = write(tmp_path, "dec2.sta", mt940(7, 1_000_000, lines, opens="261201", closes="261202"))
    import_file(store, one), import_file(store, two)
    summary = import_file(store, statement)
    assert (summary.added, summary.payments_added, summary.linked, summary.to_check) == (2, 0, 2, 0)
    assert payments(store) == (2, Decimal("100000.00"))
    assert sorted(evidence(store).values()) == [["bni", "mt940"], ["bni", "mt940"]]


def test_id003_a_notification_after_its_statement_line_takes_it_as_evidence(store, tmp_path):
    va = "9880012300000010"
    statement = write(tmp_path, "dec2.sta", mt940(8, 0, [Line("261202", 75_000, "FT9", f"VA {va}")],
                                                  opens="261201", closes="261202"))
    log = write(tmp_path, "bni.jsonl", [bni("200001", va, 75_000, "2026-12-02 09:30:00", bill="INV-9")])
    assert import_file(store, statement).payments_added == 1
    summary = import_file(store, log)
    assert (summary.added, summary.payments_added, summary.linked) == (1, 0, 1)
    assert payments(store) == (1, Decimal("75000.00"))
    with store.connect() as connection:
        represented = connection.execute(select(BankTransaction.source_format, BankTransaction.bill_ref)
                                         .where(BankTransaction.payment_id.is_(None))).one()
    assert tuple(represented) == ("bni", "INV-9")


def test_id004_a_monthly_statement_over_daily_ones_adds_only_what_they_lacked(store, tmp_path):
    daily_one = [Line("261201", 10_000, "A1"), Line("261201", 20_000, "A2")]
    daily_two = [Line("261202", 30_000, "B1")]
    monthly = [*daily_one, *daily_two, Line("261203", 40_000, "C1")]
    files = [write(tmp_path, "d1.sta", mt940(1, 0, daily_one, opens="261130", closes="261201")),
             write(tmp_path, "d2.sta", mt940(2, 30_000, daily_two, opens="261201", closes="261202")),
             write(tmp_path, "m.sta", mt940(12, 0, monthly, opens="261130", closes="261203"))]
    summaries = [import_file(store, path) for path in files]
    assert [(s.payments_added, s.linked) for s in summaries] == [(2, 0), (1, 0), (1, 3)]
    assert payments(store) == (4, Decimal("100000.00"))


def test_id005_the_same_statement_in_another_file_adds_nothing(store, tmp_path):
    text = mt940(4, 0, [Line("261201", 10_000, "X1")], opens="261130", closes="261201")
    import_file(store, write(tmp_path, "a.sta", text))
    again = import_file(store, write(tmp_path, "b.sta", "{1:F01BNINIDJA}{4:\n" + text + "-}\n"))
    assert (again.status, again.added, again.duplicates) == ("imported", 0, 1)
    assert payments(store) == (1, Decimal("10000.00"))


def test_id006_a_corrected_resend_replaces_the_statement_in_one_transaction(store, tmp_path):
    wrong = mt940(5, 0, [Line("261201", 10_000, "X1"), Line("261201", 10_000, "X2")], opens="261130", closes="261201")
    right = mt940(5, 0, [Line("261201", 10_000, "X1"), Line("261201", 15_000, "X2")], opens="261130", closes="261201")
    import_file(store, write(tmp_path, "wrong.sta", wrong))
    fixed = import_file(store, write(tmp_path, "right.sta", right))
    assert (fixed.added, fixed.payments_added) == (2, 2)
    assert payments(store) == (2, Decimal("25000.00"))
    with store.connect() as connection:
        replaced = connection.execute(select(BankStatement.replaced_at, BankStatement.closing_balance)).one()
    assert replaced.replaced_at is not None and replaced.closing_balance == Decimal("25000.00")


def test_id007_a_gap_in_the_balance_chain_is_reported_and_alerted(store, tmp_path):
    import_file(store, write(tmp_path, "1.sta", mt940(1, 0, [Line("261201", 10_000)], opens="261130", closes="261201")))
    gap = import_file(store, write(tmp_path, "3.sta", mt940(3, 50_000, [Line("261203", 10_000)],
                                                           opens="261202", closes="261203")))
    assert [(b["status"], b["expected_opening"]) for b in gap.balance] == [("gap", "10000.00")]
    with store.connect() as connection:
        alert = connection.execute(select(Alert.role, Alert.state, Alert.title)).one()
    assert (alert.role, alert.state) == ("bendahara", "open") and "0987654321" in alert.title
    import_file(store, write(tmp_path, "2.sta", mt940(2, 10_000, [Line("261202", 40_000)],
                                                      opens="261201", closes="261202")))
    with store.connect() as connection:
        assert connection.scalar(select(Alert.state)) == "resolved"


def test_id008_the_same_notification_twice_is_one_payment(store, tmp_path):
    record = bni("300001", "9880012300000011", 20_000, "2026-12-02 08:00:00")
    first = import_file(store, write(tmp_path, "a.jsonl", [record, record]))
    second = import_file(store, write(tmp_path, "b.jsonl", [record, bni("300002", "9880012300000011", 20_000,
                                                                         "2026-12-02 09:00:00")]))
    assert (first.added, second.added, second.duplicates) == (1, 1, 1)
    assert payments(store) == (2, Decimal("40000.00"))


def test_id009_a_statement_booked_the_day_after_its_notification_is_linked_to_check(store, tmp_path):
    va = "9880012300000012"
    import_file(store, write(tmp_path, "n.jsonl", [bni("400001", va, 60_000, "2026-12-01 23:50:00")]))
    summary = import_file(store, write(tmp_path, "s.sta", mt940(9, 0, [Line("261202", 60_000, "FT7", f"VA {va}")],
                                                                opens="261201", closes="261202")))
    assert (summary.payments_added, summary.linked, summary.to_check) == (0, 1, 1)
    assert payments(store) == (1, Decimal("60000.00"))


def test_id010_a_bank_export_and_the_statement_of_the_same_account_count_once(store, tmp_path):
    statement = write(tmp_path, "s.sta", mt940(11, 0, [Line("261202", 80_000, "FT55"), Line("261202", 5_000, "FT56")],
                                               opens="261201", closes="261202"))
    export = write(tmp_path, "mutasi.csv", "date;amount;reference;va;name;description\n"
                                           "2026-12-02;80.000,00;FT55;;BUDI;SETORAN\n"
                                           "2026-12-02;7.000,00;FT57;;SITI;SETORAN\n")
    import_file(store, statement)
    summary = import_file(store, export)
    assert (summary.added, summary.payments_added, summary.linked) == (2, 1, 1)
    assert payments(store) == (3, Decimal("92000.00"))


def test_id011_the_same_statement_twice_in_one_file_is_stored_once(store, tmp_path):
    text = mt940(2, 100_000, [Line("261201", 10_000, "FT123", "BUDI")], opens="261130", closes="261201")
    summary = import_file(store, write(tmp_path, "twice.sta", text + text))
    assert (summary.status, summary.added, summary.duplicates) == ("imported", 1, 1)
    assert payments(store) == (1, Decimal("10000.00"))
    with store.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(BankStatement)) == 1


def test_id012_two_versions_of_one_statement_in_one_file_refuse_the_file(store, tmp_path):
    first = mt940(2, 100_000, [Line("261201", 10_000, "FT123")], opens="261130", closes="261201")
    second = mt940(2, 100_000, [Line("261201", 12_000, "FT123")], opens="261130", closes="261201")
    summary = import_file(store, write(tmp_path, "two.sta", first + second))
    assert (summary.status, summary.error["line"], summary.error["field"]) == ("rejected", 8, "statement")
    assert payments(store) == (0, Decimal("0.00"))


@pytest.mark.parametrize("monthly_first", [False, True])
def test_id013_a_monthly_statement_dated_from_its_first_day_over_a_daily_one_adds_nothing(store, tmp_path,
                                                                                          monthly_first):
    lines = [Line("200101", 50_000, "FT1", "VA 9880012300000001"), Line("200101", 50_000, "FT2", "VA 9880012300000001")]
    daily = write(tmp_path, "d1.sta", mt940(1, 0, lines, opens="191231", closes="200101"))
    monthly = write(tmp_path, "m.xml", camt(501, 0, lines, opens="200101", closes="200102"))
    summaries = [import_file(store, path) for path in ((monthly, daily) if monthly_first else (daily, monthly))]
    assert [(s.payments_added, s.linked, s.to_check) for s in summaries] == [(2, 0, 0), (0, 2, 0)]
    assert payments(store) == (2, Decimal("100000.00"))


@pytest.mark.parametrize("monthly_first", [False, True])
def test_id014_a_monthly_statement_over_a_day_whose_entries_add_up_to_nothing_adds_only_the_rest(store, tmp_path,
                                                                                                 monthly_first):
    day = [Line("200101", 50_000, "FT1", "VA 9880012300000001"), Line("200101", 50_000, "FT2", "BIAYA", mark="D")]
    daily = write(tmp_path, "d1.sta", mt940(1, 14, day, opens="191231", closes="200101"))
    monthly = write(tmp_path, "m.xml", camt(501, 14, [*day, Line("200102", 75_000, "FT3")], opens="200101",
                                            closes="200102"))
    for path in (monthly, daily) if monthly_first else (daily, monthly):
        import_file(store, path)
    assert payments(store) == (2, Decimal("125000.00"))


@pytest.mark.parametrize("order", [*permutations(("n1", "n2", "s")), *permutations(("n1", "n2", "s1", "s2"))],
                         ids="-".join)
def test_id015_two_late_night_payments_of_one_va_on_consecutive_nights_booked_next_day_count_once(store, tmp_path,
                                                                                                  order):
    va = "9880012300000002"
    lines = [Line("291009", 50_000, "FT4", f"VA {va}"), Line("291010", 50_000, "FT7", f"VA {va}")]
    files = {
        "n1": write(tmp_path, "n1.jsonl", [bni("100004", va, 50_000, "2029-10-08 23:32:00", bill="INV-4")]),
        "n2": write(tmp_path, "n2.jsonl", [bni("100007", va, 50_000, "2029-10-09 23:50:00", bill="INV-7")]),
        "s": write(tmp_path, "s.sta", mt940(2, 0, lines, opens="291008", closes="291010")),
        "s1": write(tmp_path, "s1.sta", mt940(2, 0, lines[:1], opens="291008", closes="291009")),
        "s2": write(tmp_path, "s2.sta", mt940(3, 50_000, lines[1:], opens="291009", closes="291010")),
    }
    for name in order:
        import_file(store, files[name])
    assert payments(store) == (2, Decimal("100000.00"))
    assert sorted(evidence(store).values()) == [["bni", "mt940"], ["bni", "mt940"]]


@pytest.mark.parametrize("order", permutations(("n", "a", "b")), ids="-".join)
def test_id016_a_line_naming_the_notification_takes_it_from_a_line_paired_by_va_only(store, tmp_path, order):
    va = "9880012300000003"
    files = {
        "n": write(tmp_path, "n.jsonl", [bni("500001", va, 40_000, "2029-10-08 09:00:00")]),
        "a": write(tmp_path, "a.sta", mt940(1, 0, [Line("291008", 40_000, "FT1", f"VA {va}")],
                                            opens="291007", closes="291008")),
        "b": write(tmp_path, "b.csv", "date;amount;reference;va;name;description\n"
                                      f"2029-10-08;40.000,00;FT2;{va};ANI;VA {va} NTB 500001\n"),
    }
    for name in order:
        import_file(store, files[name])
    assert payments(store) == (2, Decimal("80000.00"))
    assert sorted(evidence(store).values()) == [["bni", "csv"], ["mt940"]]


@pytest.mark.parametrize("order", random.Random(17).sample(list(permutations(("n1", "n2", "s1", "s2", "m"))), 12),
                         ids="-".join)
def test_id017_a_monthly_statement_over_daily_ones_keeps_late_night_pairs_whole(store, tmp_path, order):
    va = "9880012300000004"
    lines = [Line("291009", 50_000, "FT4", f"VA {va}"), Line("291010", 50_000, "FT7", f"VA {va}")]
    files = {
        "n1": write(tmp_path, "n1.jsonl", [bni("100004", va, 50_000, "2029-10-08 23:32:00", bill="INV-4")]),
        "n2": write(tmp_path, "n2.jsonl", [bni("100007", va, 50_000, "2029-10-09 23:50:00", bill="INV-7")]),
        "s1": write(tmp_path, "s1.sta", mt940(2, 0, lines[:1], opens="291008", closes="291009")),
        "s2": write(tmp_path, "s2.sta", mt940(3, 50_000, lines[1:], opens="291009", closes="291010")),
        "m": write(tmp_path, "m.sta", mt940(10, 0, lines, opens="291008", closes="291010")),
    }
    for name in order:
        import_file(store, files[name])
    assert payments(store) == (2, Decimal("100000.00"))
    assert sorted(evidence(store).values()) == [["bni", "mt940", "mt940"], ["bni", "mt940", "mt940"]]
