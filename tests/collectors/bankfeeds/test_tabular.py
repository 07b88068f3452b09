"""Bank CSV and XLSX exports: column mappings, Indonesian numbers, errors with line and value."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pydantic
import pytest

from collectors.bankfeeds import DEFAULT_MAPPING, ColumnMapping, read_tabular_frame
from collectors.bankfeeds.dedup import number_occurrences
from collectors.bankfeeds.errors import FeedError
from collectors.bankfeeds.tabular import ENTRY_COLUMNS, parse_csv, parse_xlsx

JAKARTA = ZoneInfo("Asia/Jakarta")


def write_csv(tmp_path, text: str, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tab001_bom_semicolons_preamble_and_indonesian_numbers(bank_data, mandiri_mapping):
    statement = parse_csv(bank_data / "mandiri_mutasi.csv", mapping=mandiri_mapping)

    assert statement.source_format == "csv"
    assert statement.lines_read == 6
    assert [(e.line_no, e.direction, e.amount) for e in statement.entries] == [
        (4, "credit", Decimal("1500000.00")),
        (5, "credit", Decimal("2750000.00")),
        (6, "debit", Decimal("6500.00")),
    ]
    first = statement.entries[0]
    assert first.booked_at == datetime(2024, 3, 1, 9, 15, 32, tzinfo=JAKARTA)
    assert (first.va_number, first.payer_name, first.bank_ref) == (
        "9880012300001234", "BUDI SANTOSO", "FT24061XY001"
    )
    assert first.payment_ref == "233171"


def test_tab002_commas_english_numbers_and_debit_credit_columns(bank_data, bni_export_mapping):
    statement = parse_csv(bank_data / "bni_export.csv", mapping=bni_export_mapping)

    assert [(e.direction, e.amount, e.bank_ref) for e in statement.entries] == [
        ("credit", Decimal("3000000.00"), "000112"),
        ("credit", Decimal("3000000.00"), "000118"),
        ("debit", Decimal("1250.50"), "000202"),
    ]
    assert statement.entries[0].va_number == "9880012300009999"
    assert statement.entries[0].dedup_key != statement.entries[1].dedup_key


def test_tab003_signed_amounts_in_every_indonesian_spelling(tmp_path):
    path = write_csv(
        tmp_path,
        "date,amount,reference,va,name,description\n"
        '2024-03-01,"Rp 1.500.000,00",R1,,,\n'
        '2024-03-01,"(1.500.000,00)",R2,,,\n'
        '2024-03-01,-250.000,R3,,,\n'
        '2024-03-01,"1.250,5-",R4,,,\n'
        "2024-03-01 10:15,IDR 75000,R5,,,\n",
    )

    entries = parse_csv(path).entries

    assert [(e.direction, e.amount) for e in entries] == [
        ("credit", Decimal("1500000.00")),
        ("debit", Decimal("1500000.00")),
        ("debit", Decimal("250000.00")),
        ("debit", Decimal("1250.50")),
        ("credit", Decimal("75000.00")),
    ]
    assert entries[4].booked_at == datetime(2024, 3, 1, 10, 15, tzinfo=JAKARTA)


def test_tab004_bad_amount_names_line_column_and_value(tmp_path):
    path = write_csv(
        tmp_path,
        "date;amount;reference;va;name;description\n"
        "2024-03-01;1.500.000;R1;;;\n"
        "2024-03-01;1.500.000,x;R2;;;\n",
        "mutasi.csv",
    )

    with pytest.raises(FeedError) as raised:
        parse_csv(path)

    assert str(raised.value) == "mutasi.csv line 3, field amount, value '1.500.000,x': not a number"


def test_tab005_english_number_in_indonesian_column_is_refused(tmp_path):
    path = write_csv(tmp_path, "date;amount;reference;va;name;description\n2024-03-01;1500000.00;R1;;;\n")

    with pytest.raises(FeedError) as raised:
        parse_csv(path)

    assert (raised.value.line, raised.value.value) == (2, "1500000.00")


def test_tab006_bad_date_and_unknown_mark_are_refused(tmp_path, mandiri_mapping, bank_data):
    text = (bank_data / "mandiri_mutasi.csv").read_text(encoding="utf-8-sig")
    bad_date = write_csv(tmp_path, text.replace("01/03/2024 16:00:00", "31/02/2024 16:00:00"), "date.csv")
    bad_mark = write_csv(tmp_path, text.replace(";2.750.000;K", ";2.750.000;X"), "mark.csv")

    with pytest.raises(FeedError) as date_error:
        parse_csv(bad_date, mapping=mandiri_mapping)
    with pytest.raises(FeedError) as mark_error:
        parse_csv(bad_mark, mapping=mandiri_mapping)

    assert (date_error.value.line, date_error.value.field, date_error.value.value) == (
        6, "Tanggal", "31/02/2024 16:00:00"
    )
    assert (mark_error.value.line, mark_error.value.field, mark_error.value.value) == (5, "D/K", "X")


def test_tab007_missing_column_names_the_header(tmp_path, mandiri_mapping, bank_data):
    text = (bank_data / "mandiri_mutasi.csv").read_text(encoding="utf-8-sig")
    path = write_csv(tmp_path, text.replace("Nama Penyetor", "Penyetor"))

    with pytest.raises(FeedError) as raised:
        parse_csv(path, mapping=mandiri_mapping)

    assert (raised.value.line, raised.value.field) == (3, "Nama Penyetor")
    assert "Penyetor" in raised.value.reason


def test_tab008_row_with_wrong_field_count_is_refused_at_its_line(tmp_path):
    path = write_csv(
        tmp_path,
        "date;amount;reference;va;name;description\n2024-03-01;1.000;R1;;;\n2024-03-01;2.000;R2;;\n",
    )

    with pytest.raises(FeedError) as raised:
        parse_csv(path)

    assert raised.value.line == 3
    assert "expected 6 fields, found 5" in raised.value.reason


def test_tab009_empty_lines_keep_line_numbers_right(tmp_path):
    path = write_csv(
        tmp_path,
        "\ndate;amount;reference;va;name;description\n2024-03-01;1.000;R1;;;\n\n\n"
        "2024-03-02;2.000;R2;;;\n2024-03-02;x;R3;;;\n\n",
    )

    with pytest.raises(FeedError) as raised:
        parse_csv(path)

    assert raised.value.line == 7


def test_tab010_both_or_neither_credit_and_debit_are_refused(tmp_path, bni_export_mapping, bank_data):
    header = (bank_data / "bni_export.csv").read_text().splitlines()[0]
    both = write_csv(tmp_path, header + '\n04/03/2024 08:01:10,04/03/2024,0259,1,"X","1.00","2.00"\n', "both.csv")
    neither = write_csv(tmp_path, header + '\n04/03/2024 08:01:10,04/03/2024,0259,1,"X",-,\n', "neither.csv")

    with pytest.raises(FeedError, match="both credit and debit"):
        parse_csv(both, mapping=bni_export_mapping)
    with pytest.raises(FeedError, match="neither credit nor debit"):
        parse_csv(neither, mapping=bni_export_mapping)


def test_tab011_xlsx_typed_and_text_cells_with_sheet_row_numbers(xlsx_export, xlsx_mapping):
    statement = parse_xlsx(xlsx_export, mapping=xlsx_mapping)

    assert statement.source_format == "xlsx"
    assert [(e.line_no, e.direction, e.amount, e.va_number) for e in statement.entries] == [
        (3, "credit", Decimal("1500000.00"), "9880012300001234"),
        (4, "credit", Decimal("2750000.00"), "9880012300005678"),
        (6, "debit", Decimal("6500.50"), None),
    ]
    assert statement.entries[0].booked_at == datetime(2024, 3, 1, 9, 15, 32, tzinfo=JAKARTA)
    assert statement.entries[0].payment_ref == "233171"


def test_tab012_xlsx_bad_cell_names_sheet_row(tmp_path, xlsx_export, xlsx_mapping):
    import openpyxl

    workbook = openpyxl.load_workbook(xlsx_export)
    workbook.active["D4"] = "dua juta"
    workbook.save(xlsx_export)

    with pytest.raises(FeedError) as raised:
        parse_xlsx(xlsx_export, mapping=xlsx_mapping)

    assert (raised.value.line, raised.value.field, raised.value.value) == (4, "Kredit", "dua juta")


def test_tab013_frame_has_entry_columns_and_the_entries_keys(bank_data, mandiri_mapping):
    frame = read_tabular_frame(bank_data / "mandiri_mutasi.csv", mandiri_mapping)
    entries = parse_csv(bank_data / "mandiri_mutasi.csv", mapping=mandiri_mapping).entries

    assert list(frame.columns) == [*ENTRY_COLUMNS, "dedup_key"]
    assert list(frame["dedup_key"]) == [e.dedup_key for e in entries]


def test_tab014_200k_generated_rows_parse(tmp_path):
    rows = 200_000
    lines = ["date;amount;reference;va;name;description"]
    for i in range(rows):
        amount = f"{(i % 9 + 1)}.{i % 1000:03d}.000,{i % 100:02d}"
        sign = "-" if i % 10 == 0 else ""
        lines.append(f"2024-03-{i % 28 + 1:02d};{sign}{amount};REF{i:07d};98800{i:011d};MHS {i};VA 98800{i:011d}")
    path = write_csv(tmp_path, "\n".join(lines) + "\n", "big.csv")

    frame = read_tabular_frame(path)
    statement = parse_csv(path)

    assert len(frame) == len(statement.entries) == rows
    assert frame["line_no"].iloc[-1] == rows + 1
    assert (frame["direction"] == "debit").sum() == rows // 10
    expected = sum(Decimal(f"{i % 9 + 1}{i % 1000:03d}000.{i % 100:02d}") for i in range(rows))
    assert sum(e.amount for e in statement.entries) == expected
    assert frame["dedup_key"].is_unique
    last = statement.entries[-1]
    assert (last.bank_ref, last.va_number, last.line_no) == (f"REF{rows - 1:07d}", f"98800{rows - 1:011d}", rows + 1)


def test_tab015_vectorised_numbering_matches_entry_numbering(tmp_path):
    path = write_csv(
        tmp_path,
        "date;amount;reference;va;name;description\n"
        "2024-03-01;1.000;;111222333444;;\n"
        "2024-03-01;1.000;;111222333444;;\n"
        "2024-03-01;1.000;;111222333444;;NTB 5555\n"
        "2024-03-01;1.000;;111222333444;;NTB 5555\n"
        "2024-03-01;1.000;;111222333444;;\n",
    )
    frame = read_tabular_frame(path)
    entries = parse_csv(path).entries

    renumbered = number_occurrences([dataclasses.replace(e, occurrence=9) for e in entries])

    assert list(frame["occurrence"]) == [e.occurrence for e in renumbered] == [1, 2, 3, 4, 5]
    assert list(frame["dedup_key"]) == [e.dedup_key for e in renumbered]
    assert list(frame["payment_ref"].fillna("")) == ["", "", "5555", "5555", ""]


def test_tab016_mapping_needs_exactly_one_amount_layout():
    with pytest.raises(pydantic.ValidationError):
        ColumnMapping(date="d")
    with pytest.raises(pydantic.ValidationError):
        ColumnMapping(date="d", amount="a", credit="c", debit="b")
    with pytest.raises(pydantic.ValidationError):
        ColumnMapping(date="d", credit="c")
    assert DEFAULT_MAPPING.columns()["amount"] == "amount"


def test_tab017_header_only_export_has_no_entries_and_empty_file_is_refused(tmp_path):
    header_only = write_csv(tmp_path, "date;amount;reference;va;name;description\n", "header.csv")
    empty = write_csv(tmp_path, "", "empty.csv")

    assert parse_csv(header_only).entries == []
    assert read_tabular_frame(header_only).empty
    with pytest.raises(FeedError, match="no header line"):
        parse_csv(empty)
