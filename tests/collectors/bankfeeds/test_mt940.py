"""MT940 statements: Indonesian deviations import, bad and truncated files fail with their line."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from collectors.bankfeeds.errors import BalanceMismatch, FeedError
from collectors.bankfeeds.mt940 import parse_mt940

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_mt001_indonesian_statement_with_envelope_imports(bank_data):
    assert b"\r\n" in (bank_data / "mandiri_envelope.sta").read_bytes()

    statement = parse_mt940(bank_data / "mandiri_envelope.sta")

    assert statement.account == "1230007654321"
    assert statement.opening_balance == Decimal("250000000.00")
    assert statement.closing_balance == Decimal("253743500.00")
    assert statement.lines_read == 18
    assert [(e.line_no, e.mark, e.amount) for e in statement.entries] == [
        (7, "C", Decimal("1500000.00")),
        (10, "C", Decimal("2750000.00")),
        (13, "D", Decimal("6500.00")),
        (15, "RC", Decimal("500000.00")),
    ]
    first = statement.entries[0]
    assert first.bank_ref == "NTB233171"
    assert first.payment_ref == "233171"
    assert first.va_number == "9880012300001234"
    assert first.booked_at == datetime(2024, 3, 1, tzinfo=JAKARTA)
    assert first.value_date == date(2024, 3, 1)
    assert "BUDI SANTOSO" in first.description


def test_mt002_va_from_narrative_and_reversal_flags(bank_data):
    entries = parse_mt940(bank_data / "mandiri_envelope.sta").entries

    assert entries[1].va_number == "9880012300005678"
    assert entries[1].payment_ref is None
    assert entries[1].bank_ref == "FT24061AB12C"
    fee, reversal = entries[2], entries[3]
    assert (fee.direction, fee.is_reversal, fee.is_payment) == ("debit", False, False)
    assert (reversal.direction, reversal.is_reversal, reversal.is_payment) == ("debit", True, False)
    assert [e.is_payment for e in entries] == [True, True, False, False]


def test_mt003_header_line_odd_statement_number_and_two_statements(bank_data):
    statement = parse_mt940(bank_data / "bni_statement.sta")

    assert statement.account == "0987654321"
    assert statement.opening_balance == Decimal("10000000.00")
    assert statement.closing_balance == Decimal("16750000.00")
    assert [(e.booking_date, e.amount) for e in statement.entries] == [
        (date(2024, 3, 4), Decimal("3000000.00")),
        (date(2024, 3, 4), Decimal("3000000.00")),
        (date(2024, 3, 5), Decimal("750000.00")),
    ]
    first = statement.entries[0]
    assert first.va_number == "9880012300009999"
    assert first.bank_ref == "9880012300009999"


def test_mt004_two_equal_unreferenced_lines_stay_two_payments(bank_data):
    twins = parse_mt940(bank_data / "bni_statement.sta").entries[:2]

    assert [e.position for e in twins] == [1, 2]
    assert twins[0].dedup_key != twins[1].dedup_key


def test_mt005_ntb_with_leading_zeros_is_normalised(bank_data):
    entry = parse_mt940(bank_data / "bni_statement.sta").entries[2]

    assert entry.payment_ref == "245501"


def test_mt006_standard_statement(bank_data):
    statement = parse_mt940(bank_data / "standard.sta")

    assert statement.account == "BNINIDJA/1122334455"
    assert [(e.direction, e.amount, e.bank_ref) for e in statement.entries] == [
        ("credit", Decimal("1250000.00"), "BR24066001"),
        ("debit", Decimal("200000.00"), "BR24066002"),
    ]
    assert [e.va_number for e in statement.entries] == [None, None]


def test_mt007_truncated_file_names_missing_closing_balance(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_mt940(bank_data / "truncated.sta")

    error = raised.value
    assert (error.file.name, error.line, error.field) == ("truncated.sta", 8, ":62F:")
    assert "closing balance missing" in str(error)


def test_mt008_bad_amount_names_file_line_field_and_value(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_mt940(bank_data / "bad_amount.sta")

    assert str(raised.value).startswith(
        "bad_amount.sta line 7, field :61: amount, value '1.500.000,x': not a number"
    )


def test_mt009_balance_mismatch_names_the_difference(bank_data):
    with pytest.raises(BalanceMismatch) as raised:
        parse_mt940(bank_data / "balance_mismatch.sta")

    error = raised.value
    assert error.line == 9
    assert (error.opening, error.entries_total, error.closing) == (
        Decimal("5000000.00"), Decimal("1050000.00"), Decimal("6060000.00")
    )
    assert error.difference == Decimal("10000.00")
    assert "difference +10000.00" in str(error)


def test_mt010_stray_line_inside_a_field_is_refused_at_its_line(tmp_path, bank_data):
    lines = (bank_data / "standard.sta").read_text().splitlines()
    lines.insert(4, "GARBAGE LINE")
    path = tmp_path / "stray.sta"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(FeedError) as raised:
        parse_mt940(path)

    assert (raised.value.line, raised.value.field, raised.value.value) == (5, ":60F:", "GARBAGE LINE")


def test_mt011_invalid_date_is_refused_at_its_line(tmp_path, bank_data):
    path = tmp_path / "date.sta"
    path.write_text((bank_data / "standard.sta").read_text().replace(":61:2403060306C", ":61:2413060306C"))

    with pytest.raises(FeedError) as raised:
        parse_mt940(path)

    assert (raised.value.line, raised.value.field, raised.value.value) == (5, ":61: value date", "241306")


def test_mt012_missing_opening_balance_is_refused(tmp_path, bank_data):
    path = tmp_path / "no_opening.sta"
    path.write_text((bank_data / "standard.sta").read_text().replace(":60F:C240306IDR5000000,00\n", ""))

    with pytest.raises(FeedError, match="opening balance missing"):
        parse_mt940(path)


def test_mt013_file_without_statement_is_refused(tmp_path):
    path = tmp_path / "empty.sta"
    path.write_text("nothing to see here\n")

    with pytest.raises(FeedError, match="no MT940 statement"):
        parse_mt940(path)


def test_mt014_english_decimal_point_is_refused_not_misread(tmp_path, bank_data):
    path = tmp_path / "dot.sta"
    path.write_text((bank_data / "standard.sta").read_text().replace("C1250000,00NTRF", "C1250000.00NTRF"))

    with pytest.raises(FeedError) as raised:
        parse_mt940(path)

    assert (raised.value.line, raised.value.field, raised.value.value) == (5, ":61: amount", "1250000.00")
