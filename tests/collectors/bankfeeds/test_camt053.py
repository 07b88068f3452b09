"""camt.053 statements: booked entries, batches split per transaction, balances checked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from collectors.bankfeeds.camt053 import parse_camt053
from collectors.bankfeeds.errors import BalanceMismatch, FeedError

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_camt001_booked_entries_with_amounts_refs_and_lines(bank_data):
    statement = parse_camt053(bank_data / "bri_camt053.xml")

    assert statement.account == "001201000123305"
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("100000000.00"), Decimal("106745000.00")
    )
    assert [(e.line_no, e.mark, e.amount, e.bank_ref) for e in statement.entries] == [
        (36, "C", Decimal("3500000.00"), "BRI240302000771"),
        (51, "C", Decimal("2000000.00"), "BRI240302000990-1"),
        (57, "C", Decimal("1500000.00"), "BRI240302000990-2"),
        (65, "D", Decimal("5000.00"), "BRI240302ADM"),
        (80, "RC", Decimal("250000.00"), "BRI240302RVS"),
    ]


def test_camt002_narrative_gives_va_journal_sequence_and_payer(bank_data):
    first = parse_camt053(bank_data / "bri_camt053.xml").entries[0]

    assert first.va_number == "777772024010045"
    assert first.payment_ref == "4410023"
    assert first.payer_name == "RINA MARLINA"
    assert first.booked_at == datetime(2024, 3, 2, tzinfo=JAKARTA)
    assert first.value_date == date(2024, 3, 2)


def test_camt003_pending_entry_is_not_imported(bank_data):
    refs = [e.bank_ref for e in parse_camt053(bank_data / "bri_camt053.xml").entries]

    assert "BRI240302PEND" not in refs


def test_camt004_version_08_with_prefix_time_and_creditor_reference(bank_data):
    statement = parse_camt053(bank_data / "camt053_v08.xml")

    assert statement.opening_balance == Decimal("253743500.00")
    [entry] = statement.entries
    assert entry.booked_at == datetime(2024, 3, 6, 13, 45, 10, tzinfo=JAKARTA)
    assert entry.va_number == "9880012300002345"
    assert entry.payer_name == "DEWI LESTARI"
    assert entry.bank_ref == "MDR0306ZZ91"
    assert entry.line_no == 26


def test_camt005_bad_amount_names_line_field_and_value(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_camt053(bank_data / "camt053_bad_amount.xml")

    error = raised.value
    assert (error.file.name, error.line, error.field, error.value) == (
        "camt053_bad_amount.xml", 66, "Ntry/Amt", "5.000,00"
    )
    assert "not a number" in str(error)


def test_camt006_truncated_xml_is_refused_with_its_line(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_camt053(bank_data / "camt053_truncated.xml")

    assert raised.value.line == 65
    assert "not well-formed XML" in raised.value.reason


def test_camt007_closing_balance_mismatch_names_the_difference(tmp_path, bank_data):
    path = tmp_path / "mismatch.xml"
    text = (bank_data / "bri_camt053.xml").read_text()
    path.write_text(text.replace('<Amt Ccy="IDR">106745000.00</Amt>', '<Amt Ccy="IDR">106740000.00</Amt>'))

    with pytest.raises(BalanceMismatch) as raised:
        parse_camt053(path)

    assert raised.value.difference == Decimal("-5000.00")
    assert raised.value.line == 21


def test_camt008_missing_closing_balance_is_refused(tmp_path, bank_data):
    text = (bank_data / "bri_camt053.xml").read_text()
    start = text.index("<Bal>", text.index("OPBD"))
    end = text.index("</Bal>", start) + len("</Bal>")
    path = tmp_path / "no_closing.xml"
    path.write_text(text[:start] + text[end:])

    with pytest.raises(FeedError, match="closing balance missing"):
        parse_camt053(path)


def test_camt009_other_xml_is_not_a_statement(tmp_path):
    path = tmp_path / "pain.xml"
    path.write_text('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>')

    with pytest.raises(FeedError, match="not a camt.053 statement"):
        parse_camt053(path)


def test_camt010_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "entity.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><Document>&x;</Document>')

    with pytest.raises(FeedError, match="entity declarations are not allowed"):
        parse_camt053(path)


def test_camt011_an_unknown_encoding_in_the_declaration_is_refused_at_line_1(tmp_path, bank_data):
    """Found by the long property run: a declaration edited to encoding="UT--8" raised LookupError."""
    path = tmp_path / "encoding.xml"
    path.write_bytes((bank_data / "camt053_empty.xml").read_bytes().replace(b"UTF-8", b"UT--8", 1))

    with pytest.raises(FeedError, match="unknown character encoding") as refused:
        parse_camt053(path)
    assert (refused.value.line, refused.value.field, refused.value.value) == (1, "<?xml encoding>", "UT--8")
