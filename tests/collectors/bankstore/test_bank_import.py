"""Storing bank files on both stores: every format, refused files, the same file twice, and the same
payment arriving in two formats."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from collectors.bankfeeds import ColumnMapping
from collectors.bankstore import import_file, importer
from pantau.db import session_scope
from pantau.models import AuditEntry, BankImport, BankTransaction

DATA = Path(__file__).resolve().parents[2] / "data" / "bank"
MANDIRI = ColumnMapping(date="Tanggal", amount="Jumlah", direction="D/K", reference="No. Referensi", va="No. VA",
                        name="Nama Penyetor", description="Keterangan", date_format="%d/%m/%Y %H:%M:%S", skip_rows=2)
BNI_EXPORT = ColumnMapping(date="Post Date", debit="Debit", credit="Credit", reference="Journal No.",
                           description="Description", date_format="%d/%m/%Y %H:%M:%S", decimal=".", thousands=",")


def _rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(BankTransaction.source_format, BankTransaction.va_number, BankTransaction.amount,
                   BankTransaction.direction, BankTransaction.is_reversal).order_by(BankTransaction.id))]


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table))


@pytest.mark.parametrize(("name", "fmt", "mapping", "added", "payments", "duplicates"), [
    ("bni_statement.sta", "auto", None, 3, 3, 0),
    ("mandiri_envelope.sta", "mt940", None, 4, 2, 0),
    ("standard.sta", "auto", None, 2, 1, 0),
    ("bri_camt053.xml", "auto", None, 5, 3, 0),
    ("camt053_v08.xml", "camt053", None, 1, 1, 0),
    ("mandiri_mutasi.csv", "auto", MANDIRI, 3, 2, 0),
    ("bni_export.csv", "csv", BNI_EXPORT, 3, 2, 0),
    ("bni_ecollection.jsonl", "auto", None, 3, 3, 1),
    ("briva.jsonl", "briva", None, 2, 2, 0),
    ("snap_va.jsonl", "auto", None, 2, 2, 0),
])
def test_bs001_each_format_is_stored_in_one_import(store, name, fmt, mapping, added, payments, duplicates):
    summary = import_file(store, DATA / name, fmt=fmt, mapping=mapping, actor="tester")
    assert (summary.status, summary.added, summary.payments_added, summary.duplicates, summary.rejected) == (
        "imported", added, payments, duplicates, 0)
    assert _count(store, BankTransaction.__table__) == added
    with store.connect() as connection:
        record = connection.execute(select(BankImport.file_name, BankImport.added, BankImport.imported_by)).one()
    assert tuple(record) == (name, added, "tester")


def test_bs002_an_indonesian_mt940_keeps_its_va_amounts_and_reversals(store):
    import_file(store, DATA / "mandiri_envelope.sta")
    rows = _rows(store)
    assert ("mt940", "9880012300001234", 1_500_000, "credit", False) in rows
    assert any(direction == "debit" and reversal for *_, direction, reversal in rows)


def test_bs003_an_xlsx_export_is_stored(store, tmp_path):
    path = tmp_path / "mutasi.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "amount", "reference", "va", "name", "description"])
    sheet.append([datetime(2026, 3, 2, 9, 0), 2_250_000, "X1", "9880012300002345", "DEWI", "PEMBAYARAN"])
    sheet.append([datetime(2026, 3, 2, 10, 0), -5_000, "X2", None, None, "BIAYA ADMIN"])
    book.save(path)
    summary = import_file(store, path)
    assert (summary.format, summary.added, summary.payments_added) == ("xlsx", 2, 1)


@pytest.mark.parametrize(("name", "line", "field"), [
    ("bad_amount.sta", 7, ":61: amount"),
    ("truncated.sta", 8, ":62F:"),
    ("balance_mismatch.sta", 9, ":62F:"),
    ("camt053_truncated.xml", 65, None),
    ("camt053_bad_amount.xml", 66, "Ntry/Amt"),
    ("bni_bad_json.jsonl", 2, None),
    ("bni_bad_fields.jsonl", 2, "payment_amount"),
])
def test_bs004_a_malformed_or_truncated_file_imports_nothing_and_says_where(store, name, line, field):
    summary = import_file(store, DATA / name, actor="tester")
    assert summary.status == "rejected" and summary.added == 0 and summary.rejected == summary.lines_read > 0
    assert (summary.error["line"], summary.error["field"]) == (line, field)
    assert summary.error["file"].endswith(name) and summary.error["reason"]
    assert _count(store, BankTransaction.__table__) == 0 and _count(store, BankImport.__table__) == 0
    with session_scope(store) as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target, entry.actor) == ("bank.import.rejected", name, "tester")


def test_bs005_a_balance_that_does_not_add_up_names_the_difference(store):
    summary = import_file(store, DATA / "balance_mismatch.sta")
    assert "difference +10000.00" in summary.error["reason"]


def test_bs006_the_same_file_twice_adds_nothing(store, tmp_path):
    first = import_file(store, DATA / "bni_statement.sta")
    copy = shutil.copy(DATA / "bni_statement.sta", tmp_path / "lagi.sta")
    second = import_file(store, Path(copy))
    assert (second.status, second.added, second.duplicates, second.import_id) == (
        "already_imported", 0, first.added + first.duplicates, first.import_id)
    assert _count(store, BankTransaction.__table__) == 3 and _count(store, BankImport.__table__) == 1


def test_bs007_an_overlapping_statement_adds_only_its_new_lines(store, tmp_path):
    import_file(store, DATA / "bni_statement.sta")
    longer = tmp_path / "overlap.sta"
    longer.write_bytes((DATA / "bni_statement.sta").read_bytes().replace(b"BNI DIRECT", b"BNI DIRECT (ulang)"))
    summary = import_file(store, longer)
    assert (summary.status, summary.added, summary.duplicates) == ("imported", 0, 3)


def test_bs008_the_same_payment_by_notification_and_statement_counts_once(store):
    import_file(store, DATA / "bni_ecollection.jsonl")
    statement = import_file(store, DATA / "mandiri_envelope.sta")
    snap = import_file(store, DATA / "snap_va.jsonl")
    assert (statement.linked, snap.linked, snap.payments_added) == (1, 1, 1)
    counted = []
    with store.connect() as connection:
        for va, amount in (("9880012300001234", 1_500_000), ("9880012300005678", 2_750_000)):
            where = (BankTransaction.va_number == va, BankTransaction.amount == amount)
            counted.append((connection.scalar(select(func.count()).where(*where)),
                            connection.scalar(select(func.count()).where(*where,
                                                                         BankTransaction.payment_id.is_(None)))))
    assert counted == [(2, 1), (2, 1)]


def test_bs009_a_value_too_long_for_the_store_refuses_the_file(store, tmp_path):
    path = tmp_path / "panjang.csv"
    path.write_text("date;amount;reference;va;name;description\n"
                    f"2026-03-01 09:00:00;1.000.000,00;R1;{'9' * 40};BUDI;BAYAR\n", encoding="utf-8")
    summary = import_file(store, path)
    assert (summary.status, summary.error["line"], summary.error["field"]) == ("rejected", 2, "va_number")
    assert "longer than 32" in summary.error["reason"]


@pytest.mark.parametrize("fmt", ["csv", "mt940"])
def test_bs016_a_nul_character_in_a_text_field_refuses_the_file_at_its_line(store, tmp_path, fmt):
    """A byte zeroed in transit: neither SQLite nor PostgreSQL keeps a NUL in text, so the file is refused whole."""
    if fmt == "csv":
        path = tmp_path / "rusak.csv"
        path.write_bytes(b"date;amount;reference;va;name;description\n"
                         b"2026-03-01 09:00:00;1.000.000,00;R1;9880012300000001;BUDI;BAYAR\x00AN VA\n")
        where = (2, "description")
    else:
        path = tmp_path / "rusak.sta"
        path.write_bytes(b":20:STMT1\n:25:0011223344\n:28C:1/1\n:60F:C260301IDR100000,00\n"
                         b":61:2603010301C50000,00NTRFR1//B1\n:86:BAYAR VA 98800\x0012300000001\n"
                         b":62F:C260301IDR150000,00\n")
        where = (5, "description")  # the entry is named by its :61: line
    summary = import_file(store, path)
    assert (summary.status, summary.error["line"], summary.error["field"]) == ("rejected", *where)
    assert "NUL" in summary.error["reason"]
    with store.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(BankTransaction)) == 0


def test_bs010_a_long_export_is_stored_whole_and_an_overlapping_one_adds_only_its_new_lines(store, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 1_500)  # chunks of two statements on SQLite
    header = "date;amount;reference;va;name;description\n"
    line = "2026-03-{day:02d} {hour:02d}:{minute:02d}:05;{amount}.000,00;FT{n:06d};98810712{n:08d};BUDI;PEMBAYARAN VA\n"
    rows = [line.format(day=1 + n % 28, hour=n % 24, minute=n % 60, amount=100 + n % 7, n=n) for n in range(2_345)]
    first, second = tmp_path / "mutasi-1.csv", tmp_path / "mutasi-2.csv"
    first.write_text(header + "".join(rows[:2_000]), encoding="utf-8")
    second.write_text(header + "".join(rows[1_000:]), encoding="utf-8")
    assert (import_file(store, first).added, _count(store, BankTransaction.__table__)) == (2_000, 2_000)
    summary = import_file(store, second)
    assert (summary.added, summary.duplicates, _count(store, BankTransaction.__table__)) == (345, 1_000, 2_345)
    with store.connect() as connection:
        last = connection.execute(select(BankTransaction.line_no, BankTransaction.va_number, BankTransaction.amount,
                                         BankTransaction.booked_at, BankTransaction.value_date)
                                  .where(BankTransaction.bank_ref == "FT002344")).one()
    assert tuple(last)[:3] == (1_346, "9881071200002344", 106_000)
    assert (last.booked_at.isoformat(), last.value_date.isoformat()) == ("2026-03-21T09:04:05+00:00", "2026-03-21")
