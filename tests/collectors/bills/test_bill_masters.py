"""Master data from a bill source (issue 17, point 3) and bill kinds as data (point 1), synced from a real
PostgreSQL billing database into a SQLite and a PostgreSQL store: programmes from the source's prodi_query or
created from the codes bill rows give ("name unknown"), intake years from its student_query, backfilled on
bills stored before they were known; kinds accepted against the store's table, added by [[bill_kinds]]."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from collectors.bills import BillSource, sync_source
from pantau import billkinds
from pantau.db import session_scope
from pantau.models import AuditEntry, Bill, BillKind, Prodi

ZONE = "Asia/Jakarta"
T1, T2, T3 = (datetime(2026, 3, day, 9, 0, tzinfo=UTC) for day in (1, 2, 3))
QUERY = """SELECT invoice_no AS source_key, charge_type AS kind, student_no AS nim, prog AS prodi, term AS semester,
total AS amount, va AS va_number, due AS due_date, settled AS paid, modified FROM invoice"""
MASTERS = """
ALTER TABLE invoice ADD COLUMN prog TEXT NULL;
CREATE TABLE programme (kode TEXT PRIMARY KEY, nama TEXT, jenjang TEXT, jurusan TEXT, fakultas TEXT);
CREATE TABLE mahasiswa (nim TEXT PRIMARY KEY, nama TEXT, kode_prodi TEXT, angkatan INT);
"""
ROW = ("INSERT INTO invoice (invoice_no, charge_type, student_no, prog, term, total, va, due, modified) "
       "VALUES (:key, :kind, :nim, :prog, '20252', 1500000, :va, '2026-03-31', :modified)")
PRODI_QUERY = "SELECT kode AS code, nama AS name, jenjang, jurusan, fakultas FROM programme"
STUDENT_QUERY = "SELECT nim, nama AS name, kode_prodi AS prodi, angkatan FROM mahasiswa"


@pytest.fixture
def billing(pg_billing):
    with pg_billing.begin() as connection:
        for statement in MASTERS.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    return pg_billing


def _source(app, **settings) -> BillSource:
    return BillSource(name="billing", url=app.url.render_as_string(hide_password=False), query=QUERY,
                      updated_column="modified", **settings)


def _add(app, key: str, *, kind: str = "ukt", nim: str | None = "2301001", prog: str | None = "TI-D4",
         modified: str = "2026-03-01 10:00") -> None:
    with app.begin() as connection:
        connection.execute(text(ROW), {"key": key, "kind": kind, "nim": nim, "prog": prog, "va": f"9881{key[-3:]}",
                                       "modified": modified})


def _bills(store) -> dict[str, tuple]:
    with store.connect() as connection:
        rows = connection.execute(select(Bill.source_key, Bill.kind, Prodi.code, Prodi.name, Bill.angkatan)
                                  .outerjoin(Prodi, Prodi.id == Bill.prodi_id).where(Bill.deleted_at.is_(None)))
        return {row[0]: tuple(row[1:]) for row in rows}


def _prodi(store) -> dict[str, tuple]:
    with store.connect() as connection:
        return {row[0]: tuple(row[1:]) for row in connection.execute(
            select(Prodi.code, Prodi.name, Prodi.jenjang, Prodi.jurusan, Prodi.fakultas, Prodi.name_unknown))}


def test_mast001_unknown_programme_codes_are_created_then_named_by_the_prodi_query(billing, store):
    _add(billing, "INV-001", prog="TI-D4")
    _add(billing, "INV-002", prog="KEP-D3", kind="praktikum")
    _add(billing, "INV-003", prog=None, nim=None, kind="wisuda")
    report = sync_source(store, _source(billing), ZONE, now=T1, quarantine=True)
    assert (report.written, report.quarantined) == (3, [])
    assert _prodi(store) == {"TI-D4": ("TI-D4", "", "", None, True), "KEP-D3": ("KEP-D3", "", "", None, True)}
    assert _bills(store) == {"INV-001": ("ukt", "TI-D4", "TI-D4", None),
                             "INV-002": ("praktikum", "KEP-D3", "KEP-D3", None),
                             "INV-003": ("wisuda", None, None, None)}

    with billing.begin() as connection:
        connection.execute(text("INSERT INTO programme VALUES ('TI-D4', 'Sarjana Terapan Teknik Informatika', 'D4', "
                                "'Jurusan Teknik Elektro', 'Fakultas Teknik'), ('KEP-D3', 'D3 Keperawatan', 'D3', "
                                "'Jurusan Keperawatan', NULL)"))
    report = sync_source(store, _source(billing, prodi_query=PRODI_QUERY), ZONE, now=T2, quarantine=True)
    assert (report.master_rows, report.written) == (2, 0)
    assert _prodi(store) == {
        "TI-D4": ("Sarjana Terapan Teknik Informatika", "D4", "Jurusan Teknik Elektro", "Fakultas Teknik", False),
        "KEP-D3": ("D3 Keperawatan", "D3", "Jurusan Keperawatan", None, False)}
    assert _bills(store)["INV-001"][2] == "Sarjana Terapan Teknik Informatika"


def test_mast002_intake_year_and_programme_come_from_the_student_query_and_fill_older_bills(billing, store):
    _add(billing, "INV-001", prog=None, modified="2026-03-01 09:00")  # older than the watermark: not read again
    _add(billing, "INV-002", prog=None, nim="2301002")
    sync_source(store, _source(billing), ZONE, now=T1, quarantine=True)
    assert _bills(store) == {"INV-001": ("ukt", None, None, None), "INV-002": ("ukt", None, None, None)}
    with store.begin() as connection:  # INV-002 as stored before the sync kept the source's programme code
        connection.execute(update(Bill).where(Bill.source_key == "INV-002").values(prodi_code=None, nim=None))

    with billing.begin() as connection:
        connection.execute(text("INSERT INTO mahasiswa VALUES ('2301001', 'Rina', 'TI-D4', 2023), "
                                "('2301002', 'Budi', 'AK-D3', 2024), ('2301003', 'Sari', NULL, 2025)"))
    report = sync_source(store, _source(billing, student_query=STUDENT_QUERY), ZONE, now=T2, quarantine=True)
    # INV-002 read again and written; INV-001 not read again, its student, programme and intake year filled in
    assert (report.quarantined, report.written, report.backfilled, report.master_rows) == ([], 1, 3, 2)
    assert _bills(store) == {"INV-001": ("ukt", "TI-D4", "TI-D4", 2023), "INV-002": ("ukt", "AK-D3", "AK-D3", 2024)}
    assert set(_prodi(store)) == {"TI-D4", "AK-D3"} and all(row[-1] for row in _prodi(store).values())
    again = sync_source(store, _source(billing, student_query=STUDENT_QUERY), ZONE, now=T3, quarantine=True)
    assert (again.written, again.backfilled, again.master_rows) == (0, 0, 0)


def test_mast003_master_rows_without_a_key_are_set_aside_naming_the_query(billing, store):
    _add(billing, "INV-001")
    with billing.begin() as connection:
        connection.execute(text("INSERT INTO programme VALUES ('', 'Tanpa kode', 'D3', 'X', NULL)"))
    report = sync_source(store, _source(billing, prodi_query=PRODI_QUERY), ZONE, now=T1, quarantine=True)
    assert report.written == 1
    [problem] = report.quarantined
    assert (problem.query, problem.row, problem.field, problem.reason) == ("prodi query", "row 1", "code",
                                                                           "required value missing")


def test_mast004_kinds_are_the_tables_and_the_configuration_adds_some(billing, store):
    _add(billing, "INV-001", kind="UKT")
    _add(billing, "INV-002", kind="parkir")
    report = sync_source(store, _source(billing, max_bad_percent=50), ZONE, now=T1, quarantine=True)
    assert set(_bills(store)) == {"INV-001"} and _bills(store)["INV-001"][0] == "ukt"
    assert [problem.field for problem in report.quarantined] == ["kind"]

    config = [{"code": "parkir", "name_id": "Parkir", "name_en": "Parking", "group": "fasilitas",
               "group_name_id": "Fasilitas", "group_name_en": "Facilities"},
              {"code": "wisuda", "name_id": "Wisuda dan ijazah", "name_en": "Graduation", "group": "layanan"}]
    assert billkinds.sync_kinds(store, config) == {"added": ["parkir"], "updated": ["wisuda"], "kept": []}
    report = sync_source(store, _source(billing, max_bad_percent=50), ZONE, now=T2, quarantine=True)
    assert report.quarantined == [] and set(_bills(store)) == {"INV-001", "INV-002"}

    with session_scope(store) as session:
        assert billkinds.update_kind(session, "wisuda", name_id="Wisuda", name_en="Graduation", group="layanan",
                                     per_semester=False, tokens_apply=False, active=True, actor="admin")
        billkinds.update_kind(session, "ukt", name_id="UKT", name_en="Tuition (UKT)", group="pendidikan",
                              per_semester=True, tokens_apply=False, active=False, actor="admin")
    assert billkinds.sync_kinds(store, config) == {"added": [], "updated": [], "kept": ["wisuda"]}
    with store.connect() as connection:
        assert connection.scalar(select(BillKind.name_id).where(BillKind.code == "wisuda")) == "Wisuda"
        actions = list(connection.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("admin.kind.update") == 2 and actions.count("admin.kinds.config") == 1
    with billing.begin() as connection:
        connection.execute(text("UPDATE invoice SET total = 1600000, modified = '2026-03-02 10:00' "
                                "WHERE invoice_no = 'INV-001'"))
    report = sync_source(store, _source(billing, max_bad_percent=60), ZONE, now=T3, quarantine=True)
    assert [(problem.key, problem.field) for problem in report.quarantined] == [("INV-001", "kind")]


def test_mast005_a_wrong_kind_entry_in_the_configuration_is_named():
    with pytest.raises(ValueError, match=r"\[\[bill_kinds\]\] entry 1 \(Parkir Motor\), field code"):
        billkinds.kind_settings([{"code": "Parkir Motor", "name_id": "Parkir", "name_en": "Parking",
                                  "group": "layanan"}])


def test_mast006_a_fresh_store_synced_from_a_source_shows_programme_names_on_the_payments_figures(billing, store):
    from collectors.bills.collector import sync_sources
    from pantau.settings import Settings
    from queries import payments

    _add(billing, "INV-001", prog="TI-D4")
    _add(billing, "INV-002", prog="KEP-D3", nim="2301002")
    _add(billing, "INV-003", prog=None, nim=None, kind="denda")
    with billing.begin() as connection:
        connection.execute(text("INSERT INTO programme VALUES ('TI-D4', 'Sarjana Terapan Teknik Informatika', 'D4', "
                                "'Jurusan Teknik Elektro', NULL)"))
    [outcome] = sync_sources(store, Settings(), [_source(billing, prodi_query=PRODI_QUERY)])

    assert outcome.error is None and outcome.report.written == 3
    by_prodi = payments.paid_unpaid(store, by="prodi").groupby("label")["bills"].sum().to_dict()
    assert by_prodi == {"Sarjana Terapan Teknik Informatika": 1, "KEP-D3 (nama belum diketahui)": 1,
                        "Prodi tidak diketahui (1 tagihan)": 1}
    assert set(payments.options(store).prodi["name"]) == {"Sarjana Terapan Teknik Informatika", "KEP-D3"}
