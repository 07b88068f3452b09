"""Values from a bill source as the payment application or its export writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from collectors.bills import BillDataError, normalise

BASE = {"source_key": "TGH-1", "kind": "herregistrasi", "amount": "2250000", "va_number": "98810001",
        "due_date": "2026-03-15", "semester": "20252"}


def _one(**values) -> dict:
    frame = pd.DataFrame([{**BASE, **values}], dtype=object)
    return normalise(frame, "keuangan", "Asia/Jakarta", ["line 2"]).iloc[0].to_dict()


@pytest.mark.parametrize(("written", "amount"), [
    ("Rp 1.500.000,00", Decimal("1500000.00")), ("1.500.000", Decimal("1500000.00")),
    ("1500000.5", Decimal("1500000.50")),
    ("IDR 750.000,5", Decimal("750000.50")), (2250000, Decimal("2250000.00")), (Decimal("99.99"), Decimal("99.99")),
])
def test_br001_amounts_in_every_written_form(written, amount):
    assert _one(amount=written)["amount"] == amount


@pytest.mark.parametrize(("flag", "paid"), [("1", True), (0, False), ("Ya", True), ("LUNAS", True), ("belum", False),
                                            (True, True), (None, False)])
def test_br002_paid_flags_in_indonesian_and_english(flag, paid):
    assert _one(paid=flag)["paid"] is paid


def test_br003_a_paid_bill_without_an_amount_paid_counts_as_paid_in_full():
    assert _one(paid="1")["paid_amount"] == Decimal("2250000.00")
    assert _one(paid="0")["paid_amount"] == Decimal("0")


def test_br004_dates_and_times_in_the_sources_zone():
    record = _one(due_date="15/03/2026", paid_at="01/03/2026 09:30", updated_at=datetime(2026, 3, 1, 9, 31))
    assert record["due_date"] == date(2026, 3, 15)
    assert record["paid_at"] == datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    assert record["updated_at"] == datetime(2026, 3, 1, 2, 31, tzinfo=UTC)
    assert _one(paid_at="2026-03-01T09:30:00+08:00")["paid_at"] == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("kind", "spp", "not a bill kind"),
    ("amount", "1,500,000.00", "not an amount"),
    ("due_date", "maret", "not a date"),
    ("paid", "mungkin", "not a paid flag"),
    ("amount", None, "required value missing"),
    ("source_key", "X" * 41, "longer than 40 characters"),
])
def test_br005_a_bad_value_names_source_row_field_and_value(field, value, reason):
    with pytest.raises(BillDataError) as caught:
        _one(**{field: value})
    error = caught.value
    assert (error.source, error.row, error.field) == ("keuangan", "line 2", field)
    assert reason in str(error) and str(error).startswith("bill source 'keuangan' line 2, field " + field)


def test_br007_a_counter_bill_needs_no_va_and_no_due_date_and_may_give_its_issue_date():
    record = _one(va_number="  ", due_date=None)
    assert (record["va_number"], record["due_date"], record["issued_on"]) == (None, None, None)
    bare = normalise(pd.DataFrame([{k: v for k, v in BASE.items() if k not in ("va_number", "due_date")}],
                                  dtype=object), "loket", "Asia/Jakarta", ["x"]).iloc[0]
    assert (bare["va_number"], bare["due_date"]) == (None, None)
    assert _one(issued_on="02/01/2026")["issued_on"] == date(2026, 1, 2)
    with pytest.raises(BillDataError, match="field issued_on, value 'kemarin': not a date"):
        _one(issued_on="kemarin")


def test_br006_a_missing_column_and_a_repeated_bill_are_refused():
    with pytest.raises(BillDataError, match="field semester: column missing"):
        normalise(pd.DataFrame([{k: v for k, v in BASE.items() if k != "semester"}]), "ekspor", "Asia/Jakarta", ["x"])
    twice = pd.DataFrame([BASE, BASE], dtype=object)
    with pytest.raises(BillDataError, match="line 3, field source_key, value .TGH-1.: the same bill number twice in "
                                            "one sync: line 2 and line 3"):
        normalise(twice, "ekspor", "Asia/Jakarta", ["line 2", "line 3"])


def test_br008_a_bill_gives_one_va_per_bank_the_first_its_primary():
    record = _one(va_number=None, va_bni="9881 0701", va_bri="7724 0701", va_mandiri=None)
    assert record["vas"] == [("bni", "98810701"), ("bri", "77240701")]
    assert record["va_number"] == "98810701" and "va_bni" not in record
    assert _one(va_bank="BSI")["vas"] == [("bsi", "98810001")]  # a bare VA with its bank
    assert _one(va_bri="98810001")["vas"] == [(None, "98810001"), ("bri", "98810001")]
    assert _one(va_number=None)["vas"] == [] and _one(va_number=None)["va_number"] is None
    with pytest.raises(BillDataError, match="field va_bank, value 'Bank #1': not a bank code"):
        _one(va_bank="Bank #1")
    with pytest.raises(BillDataError, match="field va_mandiri, value '89.{40}': longer than 32 characters"):
        _one(va_mandiri="89" + "0" * 40)
