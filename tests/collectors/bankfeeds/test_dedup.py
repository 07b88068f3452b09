"""Entry identity: each channel's own key, the same entry read again has the same key, distinct
entries never share one; the link key a notification and its statement line have in common."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from collectors.bankfeeds import BankEntry, parse_file
from collectors.bankfeeds.dedup import number_occurrences

JAKARTA = ZoneInfo("Asia/Jakarta")


def by_va(entries, va):
    return [entry for entry in entries if entry.va_number == va]


def test_dup001_a_notification_is_known_by_its_own_id(bank_data):
    log = parse_file(bank_data / "bni_ecollection.jsonl").entries[0]
    briva = parse_file(bank_data / "briva.jsonl").entries[0]

    assert log.dedup_key == "ntf:bni:233171"
    assert briva.dedup_key == "ntf:briva:4410023"


def test_dup002_a_statement_line_and_its_notification_share_the_link_key_not_the_identity(bank_data):
    [notification] = by_va(parse_file(bank_data / "snap_va.jsonl").entries, "9880012300005678")
    [line] = by_va(parse_file(bank_data / "mandiri_envelope.sta").entries, "9880012300005678")

    assert notification.dedup_key != line.dedup_key
    assert notification.link_key == line.link_key == "va:9880012300005678:C:2750000.00:2024-03-01"


def test_dup003_a_statement_entry_is_known_by_its_place_in_the_statement_chain(bank_data):
    statement = parse_file(bank_data / "bni_statement.sta")
    first, second = statement.parts

    assert [e.dedup_key for e in statement.entries] == [
        f"stmt:{first.key}:1", f"stmt:{first.key}:2", f"stmt:{second.key}:1"]
    assert (first.key, second.key) == ("0987654321/2024/3/2024-03-04", "0987654321/2024/3/2024-03-05")


def test_dup004_the_statement_line_keeps_the_ntb_it_names_for_linking(bank_data):
    log = parse_file(bank_data / "briva.jsonl").entries[0]
    camt = parse_file(bank_data / "bri_camt053.xml").entries[0]

    assert log.payment_ref == camt.payment_ref == "4410023"
    assert camt.dedup_key.startswith("stmt:")


def test_dup005_same_file_twice_gives_the_same_keys(bank_data):
    first = [e.dedup_key for e in parse_file(bank_data / "bni_statement.sta").entries]
    second = [e.dedup_key for e in parse_file(bank_data / "bni_statement.sta").entries]

    assert first == second
    assert len(set(first)) == len(first)


def test_dup006_equal_lines_of_one_statement_are_two_entries(bank_data):
    first, second = parse_file(bank_data / "bni_statement.sta").entries[:2]

    assert first.va_number == second.va_number and first.amount == second.amount
    assert first.dedup_key != second.dedup_key


def test_dup007_a_corrected_statement_changes_its_fingerprint_not_its_key(bank_data, tmp_path):
    original = (bank_data / "standard.sta").read_text()
    corrected = tmp_path / "corrected.sta"
    corrected.write_text(original.replace("PEMBAYARAN LISTRIK", "PEMBAYARAN LISTRIK PLN"))
    [before] = parse_file(bank_data / "standard.sta").parts
    [after] = parse_file(corrected).parts

    assert before.key == after.key and before.fingerprint != after.fingerprint


def test_dup008_reversal_never_collapses_into_the_credit_it_reverses():
    credit = BankEntry(
        source_format="csv", amount=Decimal("500000.00"), direction="credit",
        booked_at=datetime(2024, 3, 1, tzinfo=JAKARTA), line_no=1, payment_ref="777", bank_ref="X",
    )
    reversal = dataclasses.replace(credit, direction="debit", is_reversal=True, line_no=2)

    assert (credit.mark, reversal.mark) == ("C", "RC")
    assert credit.dedup_key != reversal.dedup_key


def test_dup009_a_notification_logged_twice_has_one_identity_and_export_lines_are_numbered():
    def paid(ref, line, fmt="bni"):
        return BankEntry(
            source_format=fmt, amount=Decimal("1000.00"), direction="credit",
            booked_at=datetime(2024, 3, 1, 8, tzinfo=JAKARTA), line_no=line, va_number="9880012300001234",
            payment_ref=ref, bank_ref="R",
        )

    logged = [paid("1", 1), paid("1", 2), paid("2", 3)]
    exported = number_occurrences([paid(None, 1, "csv"), paid(None, 2, "csv")])

    assert [e.dedup_key for e in logged] == ["ntf:bni:1", "ntf:bni:1", "ntf:bni:2"]
    assert [e.dedup_key for e in exported] == [
        "line::R:2024-03-01:C:1000.00#1", "line::R:2024-03-01:C:1000.00#2"]


def test_dup010_link_key_uses_the_jakarta_booking_date():
    late = BankEntry(
        source_format="snap", amount=Decimal("1.00"), direction="credit",
        booked_at=datetime(2024, 3, 1, 17, 30, tzinfo=ZoneInfo("UTC")), line_no=1, va_number="1234567890",
    )

    assert late.link_key == "va:1234567890:C:1.00:2024-03-02"
