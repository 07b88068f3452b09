"""Syncing bills from a PHP-style payment application on a real MariaDB: read-only, incremental by change
time, deletions noticed, bad rows refused whole; and CSV/XLSX exports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from tagihan_app import QUERY

from collectors.bills import BillDataError, BillsCollector, BillSource, sync_source
from collectors.bills.reader import source_engine
from pantau import billvas
from pantau.db import session_scope
from pantau.models import AuditEntry, Bill, Prodi, Student
from pantau.models.bank import BillState
from pantau.settings import Settings

ZONE = "Asia/Jakarta"
T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROW = ("INSERT INTO tagihan (no_tagihan, jenis_tagihan, nim, nama, kode_prodi, thn_angkatan, kd_semester, nominal,"
       " no_va, tgl_jatuh_tempo, status_bayar, tgl_bayar, diubah) VALUES (:key, :kind, :nim, :nama, 'D3-KEP', 2024,"
       " '20252', :nominal, :va, '2026-03-15', :paid, :paid_at, :diubah)")


def _source(app) -> BillSource:
    return BillSource(name="keuangan", url=app.url.render_as_string(hide_password=False), query=QUERY,
                      updated_column="diubah")


def _add(app, key: str, nominal: str, *, paid: int = 0, paid_at: str | None = None, diubah: str = "2026-03-01 10:00:00",
         nim: str = "P27220024001", kind: str = "herregistrasi") -> None:
    with app.begin() as connection:
        connection.execute(text(ROW), {"key": key, "kind": kind, "nim": nim, "nama": f"Mahasiswa {key}",
                                       "nominal": nominal, "va": f"98810{key[-4:]}", "paid": paid, "paid_at": paid_at,
                                       "diubah": diubah})


def _bills(engine) -> dict[str, tuple]:
    with engine.connect() as connection:
        rows = connection.execute(select(Bill.source_key, Bill.amount, Bill.app_paid, Bill.app_paid_amount,
                                         Bill.deleted_at, Bill.student_id, Bill.prodi_id))
        return {row[0]: tuple(row[1:]) for row in rows}


def _campus(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        prodi = Prodi(code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan")
        session.add(prodi)
        session.flush()
        student = Student(nim="P27220024001", name="Budi", prodi_id=prodi.id, angkatan=2024)
        session.add(student)
        session.flush()
        return prodi.id, student.id


def test_bsy001_the_first_sync_reads_every_bill_and_links_prodi_and_student(payment_app, store):
    prodi, student = _campus(store)
    _add(payment_app, "TGH-0001", "2250000.00")
    _add(payment_app, "TGH-0002", "2250000.00", paid=1, paid_at="2026-03-01 09:30:00", nim="P27220024999")
    report = sync_source(store, _source(payment_app), ZONE, now=T1)
    assert (report.read, report.written, report.deleted) == (2, 2, 0)
    bills = _bills(store)
    assert bills["TGH-0001"] == (Decimal("2250000.00"), False, Decimal("0.00"), None, student, prodi)
    assert bills["TGH-0002"][1:4] == (True, Decimal("2250000.00"), None)
    with store.connect() as connection:
        paid_at = connection.scalar(select(Bill.app_paid_at).where(Bill.source_key == "TGH-0002"))
    assert paid_at == datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


def test_bsy002_later_syncs_write_changed_rows_only_and_notice_deletions(payment_app, engine):
    for number in range(1, 4):
        _add(payment_app, f"TGH-000{number}", "1500000.00")
    source = _source(payment_app)
    sync_source(engine, source, ZONE, now=T1)
    with payment_app.begin() as connection:
        connection.execute(text("UPDATE tagihan SET status_bayar = 1, tgl_bayar = '2026-03-02 08:00:00',"
                                " diubah = '2026-03-02 08:00:01' WHERE no_tagihan = 'TGH-0002'"))
        connection.execute(text("DELETE FROM tagihan WHERE no_tagihan = 'TGH-0003'"))
    report = sync_source(engine, source, ZONE, now=T2)
    assert (report.read, report.written, report.deleted) == (2, 1, 1), "TGH-0001 is read again at the watermark"
    bills = _bills(engine)
    assert bills["TGH-0002"][1] is True and bills["TGH-0003"][3] == T2 and bills["TGH-0001"][3] is None
    assert sync_source(engine, source, ZONE, now=T2).changed == 0
    with session_scope(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "bills.sync")).all()
        assert [entry.detail["deleted"] for entry in entries] == [0, 1]


def test_bsy003_the_source_is_read_read_only(payment_app):
    _add(payment_app, "TGH-0001", "1000000.00")
    source = source_engine(_source(payment_app))
    try:
        with pytest.raises(OperationalError, match="READ ONLY"), source.begin() as connection:
            connection.execute(text("UPDATE tagihan SET nominal = 1"))
    finally:
        source.dispose()


def test_bsy004_a_bad_row_stores_nothing_and_names_the_row_and_field(payment_app, engine):
    _add(payment_app, "TGH-0001", "1000000.00")
    _add(payment_app, "TGH-0002", "-5.00")
    with pytest.raises(BillDataError) as caught:
        sync_source(engine, _source(payment_app), ZONE, now=T1)
    assert str(caught.value) == ("bill source 'keuangan' mapping query, bill 'TGH-0002', field amount, value '-5.00': "
                                 "negative amount")
    assert _bills(engine) == {}


def test_bsy005_a_source_that_suddenly_gives_nothing_does_not_delete_every_bill(payment_app, engine):
    _add(payment_app, "TGH-0001", "1000000.00")
    sync_source(engine, _source(payment_app), ZONE, now=T1)
    with payment_app.begin() as connection:
        connection.execute(text("DELETE FROM tagihan"))
    with pytest.raises(BillDataError, match="gave no bills at all"):
        sync_source(engine, _source(payment_app), ZONE, now=T2)
    assert _bills(engine)["TGH-0001"][3] is None


def test_bsy006_the_collector_syncs_then_reconciles(payment_app, engine, tmp_path):
    _add(payment_app, "TGH-0001", "1000000.00")
    settings = Settings(data_dir=tmp_path, sources={"bills": {"keuangan": {
        "url": payment_app.url.render_as_string(hide_password=False), "query": QUERY, "updated_column": "diubah"}}})
    result = BillsCollector(settings, engine).run()
    assert result.items == 1 and result.message == "keuangan: 1 read, 1 written, 0 deleted"
    with engine.connect() as connection:
        assert connection.scalar(select(BillState.state)) == "unpaid"


def test_bsy007_an_export_with_indonesian_amounts_is_synced_and_missing_rows_are_deleted(engine, tmp_path):
    export = tmp_path / "tagihan.csv"
    export.write_text("No Tagihan;Jenis;Semester;Nominal;No VA;Jatuh Tempo;Lunas\n"
                      "TGH-1;herregistrasi;20252;Rp 2.250.000,00;9881 0001;15/03/2026;ya\n"
                      "TGH-2;registrasi;20252;3.000.000;98810002;2026-03-15;belum\n", encoding="utf-8-sig")
    source = BillSource(name="ekspor", file=export, columns={
        "source_key": "No Tagihan", "kind": "Jenis", "amount": "Nominal", "va_number": "No VA",
        "due_date": "Jatuh Tempo", "paid": "Lunas"})
    assert sync_source(engine, source, ZONE, now=T1).written == 2
    bills = _bills(engine)
    assert bills["TGH-1"][:3] == (Decimal("2250000.00"), True, Decimal("2250000.00"))
    assert bills["TGH-2"][:2] == (Decimal("3000000.00"), False)
    export.write_text("No Tagihan;Jenis;Semester;Nominal;No VA;Jatuh Tempo;Lunas\n"
                      "TGH-1;herregistrasi;20252;Rp 2.250.000,00;9881 0001;15/03/2026;ya\n", encoding="utf-8-sig")
    report = sync_source(engine, source, ZONE, now=T2)
    assert (report.written, report.deleted) == (0, 1)


def test_bsy008_an_xlsx_export_with_typed_cells_is_synced(engine, tmp_path):
    path = tmp_path / "tagihan.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["source_key", "kind", "semester", "amount", "va_number", "due_date", "paid", "paid_at"])
    book.active.append(["SPM-1", "sipenmatu", "20271", 250000, "8808315000001", date(2026, 12, 7), 1,
                        datetime(2026, 11, 20, 10, 15)])
    book.save(path)
    report = sync_source(engine, BillSource(name="pmb", file=path), ZONE, now=T1)
    assert report.written == 1
    with engine.connect() as connection:
        row = connection.execute(select(Bill.kind, Bill.amount, Bill.due_date, Bill.app_paid_at)).one()
    assert tuple(row) == ("sipenmatu", Decimal("250000.00"), date(2026, 12, 7),
                          datetime(2026, 11, 20, 3, 15, tzinfo=UTC))


def test_bsy009_a_wrong_source_section_names_the_source_and_field(tmp_path):
    from collectors.bills import bill_sources

    settings = Settings(data_dir=tmp_path, sources={"bills": {"keuangan": {"url": "mysql+pymysql://x/y"}}})
    with pytest.raises(ValueError, match=r"^sources\.bills\.keuangan: Value error, a database source needs a mapping"):
        bill_sources(settings)


def test_bsy010_an_export_with_a_va_per_bank_gives_each_bill_its_vas_and_a_va_change_alone_is_written(store, tmp_path):
    export = tmp_path / "tagihan.csv"
    header = "No Tagihan;Jenis;Semester;Nominal;VA BNI;VA BRI;va_mandiri\n"
    export.write_text(header + "TGH-1;herregistrasi;20252;2.250.000;98810001;77240001;89500001\n"
                               "TGH-2;herregistrasi;20252;2.250.000;;77240002;\n"
                               "TGH-3;herregistrasi;20252;2.250.000;;;\n", encoding="utf-8-sig")
    source = BillSource(name="ekspor", file=export, columns={
        "source_key": "No Tagihan", "kind": "Jenis", "amount": "Nominal", "va_bni": "VA BNI", "va_bri": "VA BRI"})
    assert sync_source(store, source, ZONE, now=T1).written == 3
    assert _vas(store) == {"TGH-1": [("bni", "98810001"), ("bri", "77240001"), ("mandiri", "89500001")],
                           "TGH-2": [("bri", "77240002")]}
    assert _primary(store) == {"TGH-1": "98810001", "TGH-2": "77240002", "TGH-3": None}
    export.write_text(header + "TGH-1;herregistrasi;20252;2.250.000;98810001;77249991;\n"
                               "TGH-2;herregistrasi;20252;2.250.000;;77240002;\n"
                               "TGH-3;herregistrasi;20252;2.250.000;;;\n", encoding="utf-8-sig")
    assert sync_source(store, source, ZONE, now=T2).written == 1  # only TGH-1's VAs changed
    assert _vas(store)["TGH-1"] == [("bni", "98810001"), ("bri", "77249991")]
    with store.connect() as connection:
        assert connection.scalar(select(Bill.synced_at).where(Bill.source_key == "TGH-1")) == T2  # reconciled again
    assert sync_source(store, source, ZONE, now=T2).written == 0


def _vas(store) -> dict[str, list[tuple]]:
    with store.connect() as connection:
        found = billvas.read(connection, list(connection.scalars(select(Bill.id))))
        keys = dict(connection.execute(select(Bill.id, Bill.source_key)).all())
    return {keys[bill]: vas for bill, vas in found.items()}


def _primary(store) -> dict[str, str | None]:
    with store.connect() as connection:
        return dict(connection.execute(select(Bill.source_key, Bill.va_number)).all())
