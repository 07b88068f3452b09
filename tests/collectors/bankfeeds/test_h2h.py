"""H2H notification logs (BNI eCollection, BRIVA, SNAP BI): fields, times, and bad lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from collectors.bankfeeds.errors import FeedError
from collectors.bankfeeds.h2h import parse_bni, parse_briva, parse_snap

JAKARTA = ZoneInfo("Asia/Jakarta")


def write_lines(tmp_path, records, name="log.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def test_h2h001_bni_notifications(bank_data):
    statement = parse_bni(bank_data / "bni_ecollection.jsonl")

    assert statement.source_format == "bni"
    assert statement.lines_read == 5
    assert [(e.line_no, e.amount, e.payment_ref) for e in statement.entries] == [
        (1, Decimal("1500000.00"), "233171"),
        (2, Decimal("2250000.00"), "233190"),
        (3, Decimal("1500000.00"), "233171"),
        (5, Decimal("750000.00"), "245501"),
    ]
    first = statement.entries[0]
    assert first.booked_at == datetime(2024, 3, 1, 9, 15, 32, tzinfo=JAKARTA)
    assert (first.va_number, first.bill_ref, first.payer_name) == (
        "9880012300001234", "HER-2024-000123", "BUDI SANTOSO"
    )
    assert all(e.is_payment and e.channel == "notification" for e in statement.entries)


def test_h2h002_bni_retry_logged_twice_has_the_same_keys(bank_data):
    entries = parse_bni(bank_data / "bni_ecollection.jsonl").entries

    assert entries[0].dedup_key == entries[2].dedup_key


def test_h2h003_briva_va_is_institution_code_plus_customer_code(bank_data):
    statement = parse_briva(bank_data / "briva.jsonl")

    assert [(e.va_number, e.amount, e.payment_ref, e.payer_name) for e in statement.entries] == [
        ("777772024010045", Decimal("3500000.00"), "4410023", "RINA MARLINA"),
        ("777772024010046", Decimal("3500000.00"), "4410187", "AGUS SETIAWAN"),
    ]
    assert statement.entries[1].booked_at == datetime(2024, 3, 2, 23, 59, 1, tzinfo=JAKARTA)


def test_h2h004_briva_full_va_in_briva_no_is_kept(tmp_path):
    path = write_lines(tmp_path, [
        {"brivaNo": "777772024010045", "custCode": "2024010045", "billAmount": "10000",
         "transactionDateTime": "20240302083012", "journalSeq": "1"},
    ])

    assert parse_briva(path).entries[0].va_number == "777772024010045"


def test_h2h005_snap_va_padding_and_offsets(bank_data):
    entries = parse_snap(bank_data / "snap_va.jsonl").entries

    assert [(e.va_number, e.amount, e.payment_ref, e.bill_ref) for e in entries] == [
        ("9880012300005678", Decimal("2750000.00"), "20240301PRQ0000042", "SPM-2024-000077"),
        ("9880012300007777", Decimal("1000000.00"), "20240301PRQ0000043", "SPM-2024-000078"),
    ]
    assert entries[1].booked_at == datetime(2024, 3, 1, 3, 30, tzinfo=UTC)
    assert entries[1].booked_at.tzinfo == JAKARTA


def test_h2h006_line_that_is_not_json_is_refused(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_bni(bank_data / "bni_bad_json.jsonl")

    assert (raised.value.file.name, raised.value.line) == ("bni_bad_json.jsonl", 2)
    assert raised.value.reason.startswith("not JSON")


def test_h2h007_bad_amount_names_line_field_and_value(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_bni(bank_data / "bni_bad_fields.jsonl")

    assert str(raised.value).startswith(
        "bni_bad_fields.jsonl line 2, field payment_amount, value '2.250.000': not a number"
    )


def test_h2h008_missing_required_field_is_named(bank_data, tmp_path):
    records = [json.loads(line) for line in (bank_data / "bni_ecollection.jsonl").read_text().splitlines() if line]
    del records[1]["payment_ntb"]
    path = write_lines(tmp_path, records)

    with pytest.raises(FeedError) as raised:
        parse_bni(path)

    assert (raised.value.line, raised.value.field) == (2, "payment_ntb")


def test_h2h009_nested_snap_amount_and_bad_time_are_named(tmp_path):
    base = {"virtualAccountNo": "  123", "paymentRequestId": "P1", "trxDateTime": "2024-03-01T10:00:00+07:00",
            "paidAmount": {"value": "10000.00", "currency": "IDR"}}
    no_amount = write_lines(tmp_path, [{**base, "paidAmount": {"currency": "IDR"}}], "amount.jsonl")
    bad_time = write_lines(tmp_path, [base, {**base, "trxDateTime": "01-03-2024 10:00"}], "time.jsonl")

    with pytest.raises(FeedError) as amount_error:
        parse_snap(no_amount)
    with pytest.raises(FeedError) as time_error:
        parse_snap(bad_time)

    assert (amount_error.value.line, amount_error.value.field) == (1, "paidAmount.value")
    assert (time_error.value.line, time_error.value.field, time_error.value.value) == (
        2, "trxDateTime", "01-03-2024 10:00"
    )


def test_h2h010_json_that_is_not_an_object_is_refused(tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text('["payment"]\n')

    with pytest.raises(FeedError, match="not a JSON object"):
        parse_bni(path)
