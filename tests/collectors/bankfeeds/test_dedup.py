"""Duplicate keys: the same payment counts once across files and formats, distinct ones stay apart."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from collectors.bankfeeds import BankEntry, parse_file, same_payment
from collectors.bankfeeds.dedup import number_occurrences

JAKARTA = ZoneInfo("Asia/Jakarta")


def by_va(entries, va):
    return [entry for entry in entries if entry.va_number == va]


def test_dup001_ntb_payment_has_one_identity_in_log_statement_and_export(bank_data, mandiri_mapping):
    log = parse_file(bank_data / "bni_ecollection.jsonl").entries[0]
    mt940 = parse_file(bank_data / "mandiri_envelope.sta").entries[0]
    csv = parse_file(bank_data / "mandiri_mutasi.csv", mapping=mandiri_mapping).entries[0]

    assert log.dedup_key == mt940.dedup_key == csv.dedup_key == "ref:233171:C:1500000.00"
    assert same_payment(log, mt940) and same_payment(mt940, csv)


def test_dup002_statement_without_ntb_meets_its_snap_notification_by_weak_key(bank_data):
    [notification] = by_va(parse_file(bank_data / "snap_va.jsonl").entries, "9880012300005678")
    [line] = by_va(parse_file(bank_data / "mandiri_envelope.sta").entries, "9880012300005678")

    assert notification.dedup_key != line.dedup_key
    assert notification.weak_key == line.weak_key == "va:9880012300005678:C:2750000.00:2024-03-01#1"
    assert same_payment(notification, line)


def test_dup003_ntb_with_leading_zeros_meets_the_log(bank_data):
    log = parse_file(bank_data / "bni_ecollection.jsonl").entries[-1]
    statement = parse_file(bank_data / "bni_statement.sta").entries[-1]

    assert log.dedup_key == statement.dedup_key == "ref:245501:C:750000.00"


def test_dup004_briva_journal_sequence_in_camt_narrative_meets_the_log(bank_data):
    log = parse_file(bank_data / "briva.jsonl").entries[0]
    camt = parse_file(bank_data / "bri_camt053.xml").entries[0]

    assert log.dedup_key == camt.dedup_key == "ref:4410023:C:3500000.00"


def test_dup005_same_file_twice_gives_the_same_keys(bank_data):
    first = [e.dedup_keys for e in parse_file(bank_data / "bni_statement.sta").entries]
    second = [e.dedup_keys for e in parse_file(bank_data / "bni_statement.sta").entries]

    assert first == second
    assert len({keys[0] for keys in first}) == len(first)


def test_dup006_equal_weak_keys_in_one_channel_are_two_payments(bank_data, bni_export_mapping):
    first, second = parse_file(bank_data / "bni_statement.sta").entries[:2]
    export = parse_file(bank_data / "bni_export.csv", mapping=bni_export_mapping).entries

    assert first.va_number == second.va_number and first.amount == second.amount
    assert not same_payment(first, second)
    assert not same_payment(first, export[0])


def test_dup007_different_payment_references_are_never_the_same_payment():
    base = BankEntry(
        source_format="bni", amount=Decimal("100000.00"), direction="credit",
        booked_at=datetime(2024, 3, 1, 9, tzinfo=JAKARTA), line_no=1, va_number="123456789012",
        payment_ref="111",
    )
    statement = dataclasses.replace(base, source_format="mt940", payment_ref="222", line_no=4)

    assert base.weak_key == statement.weak_key
    assert not same_payment(base, statement)
    assert same_payment(base, dataclasses.replace(statement, payment_ref=None))


def test_dup008_reversal_never_collapses_into_the_credit_it_reverses():
    credit = BankEntry(
        source_format="mt940", amount=Decimal("500000.00"), direction="credit",
        booked_at=datetime(2024, 3, 1, tzinfo=JAKARTA), line_no=1, payment_ref="777", bank_ref="X",
    )
    reversal = dataclasses.replace(credit, direction="debit", is_reversal=True, line_no=2)

    assert (credit.mark, reversal.mark) == ("C", "RC")
    assert credit.dedup_key != reversal.dedup_key


def test_dup009_repeated_notification_keeps_the_weak_number_of_its_first_copy():
    def paid(ref, line):
        return BankEntry(
            source_format="bni", amount=Decimal("1000.00"), direction="credit",
            booked_at=datetime(2024, 3, 1, 8, tzinfo=JAKARTA), line_no=line, va_number="9880012300001234",
            payment_ref=ref,
        )

    numbered = number_occurrences([paid("1", 1), paid("1", 2), paid("2", 3)])

    assert [e.weak_occurrence for e in numbered] == [1, 1, 2]
    assert [e.occurrence for e in numbered] == [1, 2, 1]
    assert numbered[0].dedup_keys == numbered[1].dedup_keys


def test_dup010_weak_key_uses_the_jakarta_booking_date():
    late = BankEntry(
        source_format="snap", amount=Decimal("1.00"), direction="credit",
        booked_at=datetime(2024, 3, 1, 17, 30, tzinfo=ZoneInfo("UTC")), line_no=1, va_number="1234567890",
    )

    assert late.weak_key == "va:1234567890:C:1.00:2024-03-02#1"
