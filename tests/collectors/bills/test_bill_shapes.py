"""The three source shapes of docs/sources.md, each built from its documented schema in a real database made by
the test, synced with its documented TOML settings and mapping query: (a) a portal with a bill and a VA table and
(b) a legacy academic system without VA, due date or bill number, latin-1 (MariaDB); (c) is
test_bill_shape_billing.py (PostgreSQL). Kinds, angkatan, VAs, due dates, paid state and amounts land right; a
change, a delete, a return and a bad row at the source show after the next sync; an unreachable source fails
with one line and the others sync."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from shape_examples import bill_vas, documented_source, live_bills, run, statements, stored

from collectors.bills import sync_source
from collectors.bills.collector import sync_sources
from pantau.models import Bill
from pantau.settings import Settings
from queries.bill_quarantine import quarantined

ZONE = "Asia/Jakarta"
T1, T2, T3 = (datetime(2026, 1, day, 12, 0, tzinfo=UTC) for day in (10, 11, 12))
R = Decimal  # amounts as the store gives them
TAGIHAN = ("INSERT INTO tagihan (id, no_tagihan, nim, jenis, periode, nominal, jatuh_tempo, updated_at) VALUES "
           "(:id, :no, :nim, :jenis, :periode, :nominal, :due, :at)")
VA = "INSERT INTO va_tagihan (id_tagihan, bank, no_va, updated_at) VALUES (:id, :bank, :va, :at)"
BAYAR = "INSERT INTO pembayaran (id_tagihan, jumlah, waktu_bayar, dicatat) VALUES (:id, :jumlah, :waktu, :at)"
OLD = "2026-01-10 08:00:00"
LATER = "2026-01-11 09:00:00"
INV2 = {"id": 2, "no": "INV-0002", "nim": "2501002", "jenis": "REG", "periode": "20251", "nominal": 2750000,
        "due": "2025-08-15", "at": OLD}


def portal(mariadb_app):
    """The portal of example (a), filled: four bills of two students, VAs at two or three banks, payments."""
    first, *rest = statements("portal-schema")
    app = mariadb_app(first)
    for statement in rest:
        run(app, statement)
    run(app, "INSERT INTO mahasiswa VALUES (:nim, :nama, :prodi, :angkatan)",
        {"nim": "2301001", "nama": "Rina Wulandari", "prodi": "TI-D4", "angkatan": 2023},
        {"nim": "2501002", "nama": "Bagus Pratama", "prodi": "AK-D3", "angkatan": 2025})
    run(app, TAGIHAN,
        {"id": 1, "no": "INV-0001", "nim": "2301001", "jenis": "HER", "periode": "20252", "nominal": 4500000,
         "due": "2026-02-28", "at": OLD}, INV2,
        {"id": 3, "no": "INV-0003", "nim": "2501002", "jenis": "HER", "periode": "20252", "nominal": 5000000,
         "due": "2026-02-28", "at": OLD},
        {"id": 4, "no": "INV-0004", "nim": "2301001", "jenis": "HER", "periode": "20251", "nominal": 4500000,
         "due": "2025-08-31", "at": OLD})
    run(app, VA, {"id": 1, "bank": "BRI", "va": "12345000001", "at": OLD},
        {"id": 1, "bank": "BNI", "va": "9881230100001", "at": OLD},
        {"id": 1, "bank": "MANDIRI", "va": "8900300001", "at": OLD},
        {"id": 2, "bank": "BNI", "va": "9881230100002", "at": OLD},
        {"id": 3, "bank": "MANDIRI", "va": "8900300003", "at": OLD},
        {"id": 3, "bank": "BNI", "va": "9881230100003", "at": OLD},
        {"id": 4, "bank": "BNI", "va": "9881230100004", "at": OLD})
    run(app, BAYAR, {"id": 2, "jumlah": 2750000, "waktu": "2025-08-01 10:15:00", "at": OLD},
        {"id": 3, "jumlah": 1000000, "waktu": "2025-08-02 11:00:00", "at": OLD},
        {"id": 4, "jumlah": 2000000, "waktu": "2025-08-10 09:00:00", "at": OLD},
        {"id": 4, "jumlah": 2500000, "waktu": "2025-08-20 14:30:00", "at": OLD})
    return app


def test_shape001_portal_bills_land_with_their_kind_angkatan_vas_due_date_and_payments(mariadb_app, store):
    app = portal(mariadb_app)
    source = documented_source("portal-toml", app, max_bad_percent=50)  # a small data set: one bad row of a few
    report = sync_source(store, source, ZONE, now=T1, quarantine=True)
    assert (report.written, report.quarantined) == (4, [])
    assert live_bills(store) == {
        "INV-0001": ("herregistrasi", "20252", 2023, "9881230100001", date(2026, 2, 28), False, R(4500000), R(0)),
        "INV-0002": ("registrasi", "20251", 2025, "9881230100002", date(2025, 8, 15), True, R(2750000), R(2750000)),
        "INV-0003": ("herregistrasi", "20252", 2025, "9881230100003", date(2026, 2, 28), False, R(5000000),
                     R(1000000)),
        "INV-0004": ("herregistrasi", "20251", 2023, "9881230100004", date(2025, 8, 31), True, R(4500000),
                     R(4500000)),
    }
    vas = bill_vas(store)  # one VA per bank, the BNI one first (the primary VA, bills.va_number)
    assert vas["INV-0001"] == [("bni", "9881230100001"), ("bri", "12345000001"), ("mandiri", "8900300001")]
    assert vas["INV-0003"] == [("bni", "9881230100003"), ("mandiri", "8900300003")]
    assert vas["INV-0002"] == [("bni", "9881230100002")]
    paid_at = stored(store, Bill.app_paid_at)
    assert paid_at["INV-0004"] == datetime(2025, 8, 20, 7, 30, tzinfo=UTC)  # the last instalment, 14.30 WIB
    assert paid_at["INV-0001"] is None and paid_at["INV-0003"] is None
    assert stored(store, Bill.payer_name)["INV-0002"] == "Bagus Pratama"

    run(app, BAYAR, {"id": 1, "jumlah": 4500000, "waktu": "2026-01-11 08:55:00", "at": LATER})  # a payment
    run(app, "UPDATE tagihan SET nominal = 5500000, updated_at = :at WHERE id = 3", {"at": LATER})  # a change
    run(app, "UPDATE va_tagihan SET no_va = '9881230199004', updated_at = :at WHERE id_tagihan = 4 AND bank = 'BNI'",
        {"at": LATER})  # a VA issued anew
    run(app, "DELETE FROM tagihan WHERE id = 2")
    run(app, TAGIHAN, {"id": 5, "no": "INV-0005", "nim": "2301001", "jenis": "REG", "periode": "20252",
                       "nominal": 1000000, "due": "0000-00-00", "at": LATER})
    run(app, VA, {"id": 5, "bank": "BNI", "va": "9881230100005", "at": LATER})
    report = sync_source(store, source, ZONE, now=T2, quarantine=True)
    assert (report.written, report.deleted) == (3, 1)
    bills = live_bills(store)
    assert set(bills) == {"INV-0001", "INV-0003", "INV-0004"}
    assert bills["INV-0001"][5:] == (True, R(4500000), R(4500000))
    assert bills["INV-0003"][5:] == (False, R(5500000), R(1000000))
    assert bills["INV-0004"][3] == "9881230199004"
    assert bill_vas(store)["INV-0004"] == [("bni", "9881230199004")]
    [bad] = report.quarantined
    assert (bad.key, bad.field, bad.column, bad.value) == ("INV-0005", "due_date", "due_date", "0000-00-00")
    assert str(bad).startswith("bill source 'portal' mapping query, bill 'INV-0005', field due_date, value "
                               "'0000-00-00': not a date")

    run(app, TAGIHAN, INV2)  # restored from a backup with its old change time
    run(app, "UPDATE tagihan SET jatuh_tempo = '2026-02-28', updated_at = updated_at WHERE id = 5")
    report = sync_source(store, source, ZONE, now=T3, quarantine=True)
    assert report.quarantined == [] and quarantined(store).empty
    bills = live_bills(store)
    assert bills["INV-0002"] == ("registrasi", "20251", 2025, "9881230100002", date(2025, 8, 15), True, R(2750000),
                                 R(2750000))
    assert bills["INV-0005"][:5] == ("registrasi", "20252", 2023, "9881230100005", date(2026, 2, 28))


CHARGE = "INSERT INTO biaya_smt VALUES (:nim, :thn, :smt, :jenis, :jumlah)"
RECEIPT = "INSERT INTO bayar VALUES (:no, :nim, :thn, :smt, :jenis, :jumlah, :tgl)"
DU = {"nim": "2501010002", "thn": "2025/2026", "smt": "GANJIL", "jenis": "DAFTAR ULANG", "jumlah": 2500000}


def siakad(mariadb_app):
    """The legacy system of example (b), filled: two students with latin-1 names, four charges, receipts."""
    first, *rest = statements("legacy-schema")
    app = mariadb_app(first)
    for statement in rest:
        run(app, statement)
    run(app, "INSERT INTO mhs VALUES (:nim, :nama, :prodi, :masuk)",
        {"nim": "2301010001", "nama": "André Wijaya", "prodi": "TI3", "masuk": "2023"},
        {"nim": "2501010002", "nama": "I Made Ñoman", "prodi": "AK4", "masuk": "2025"})
    run(app, "INSERT INTO kalender VALUES ('2025/2026', 'GANJIL', '2025-08-29'), ('2025/2026', 'GENAP', '2026-02-27')")
    run(app, CHARGE, {"nim": "2301010001", "thn": "2025/2026", "smt": "GANJIL", "jenis": "SPP", "jumlah": 4000000},
        {"nim": "2301010001", "thn": "2025/2026", "smt": "GENAP", "jenis": "SPP", "jumlah": 4000000}, DU,
        {"nim": "2501010002", "thn": "2025/2026", "smt": "GANJIL", "jenis": "SPP", "jumlah": 3500000})
    run(app, RECEIPT,
        {"no": "K-001", "nim": "2301010001", "thn": "2025/2026", "smt": "GANJIL", "jenis": "SPP", "jumlah": 4000000,
         "tgl": "14/08/2025"},
        {"no": "K-002", **{k: DU[k] for k in ("nim", "thn", "smt", "jenis", "jumlah")}, "tgl": "01/08/2025"},
        {"no": "K-003", "nim": "2501010002", "thn": "2025/2026", "smt": "GANJIL", "jenis": "SPP", "jumlah": 1500000,
         "tgl": "30/07/2025"},
        {"no": "K-004", "nim": "2501010002", "thn": "2025/2026", "smt": "GANJIL", "jenis": "SPP", "jumlah": 2000000,
         "tgl": "02/08/2025"})
    return app


def test_shape002_legacy_charges_become_bills_numbered_by_nim_semester_and_charge(mariadb_app, store):
    app = siakad(mariadb_app)
    source = documented_source("legacy-toml", app, max_bad_percent=50)
    report = sync_source(store, source, ZONE, now=T1, quarantine=True)
    assert (report.written, report.quarantined) == (4, [])
    assert live_bills(store) == {  # no VA, no due date: paid at the counter
        "2301010001-20251-SPP": ("herregistrasi", "20251", 2023, None, None, True, R(4000000), R(4000000)),
        "2301010001-20252-SPP": ("herregistrasi", "20252", 2023, None, None, False, R(4000000), R(0)),
        "2501010002-20251-DU": ("registrasi", "20251", 2025, None, None, True, R(2500000), R(2500000)),
        "2501010002-20251-SPP": ("herregistrasi", "20251", 2025, None, None, True, R(3500000), R(3500000)),
    }
    assert set(stored(store, Bill.issued_on).values()) == {date(2026, 1, 10)}  # issued on the first sync (WIB)
    paid_at = stored(store, Bill.app_paid_at)  # the later receipt by date (02/08 after 30/07), midnight WIB
    assert paid_at["2501010002-20251-SPP"] == datetime(2025, 8, 1, 17, 0, tzinfo=UTC)
    assert paid_at["2301010001-20251-SPP"] == datetime(2025, 8, 13, 17, 0, tzinfo=UTC)
    names = stored(store, Bill.payer_name)
    assert (names["2301010001-20251-SPP"], names["2501010002-20251-DU"]) == ("André Wijaya", "I Made Ñoman")

    run(app, RECEIPT, {"no": "K-005", "nim": "2301010001", "thn": "2025/2026", "smt": "GENAP", "jenis": "SPP",
                       "jumlah": 4000000, "tgl": "20/02/2026"})
    run(app, "UPDATE biaya_smt SET jumlah = 4200000 WHERE nim = '2301010001' AND smt = 'GANJIL'")
    run(app, "DELETE FROM biaya_smt WHERE jenis = 'DAFTAR ULANG'")
    run(app, CHARGE, {"nim": "2501010002", "thn": "2025/2026", "smt": "GENAP", "jenis": "SPP", "jumlah": None})
    report = sync_source(store, source, ZONE, now=T2, quarantine=True)
    assert (report.written, report.deleted) == (2, 1)
    bills = live_bills(store)
    assert set(bills) == {"2301010001-20251-SPP", "2301010001-20252-SPP", "2501010002-20251-SPP"}
    assert bills["2301010001-20252-SPP"][5:] == (True, R(4000000), R(4000000))
    assert bills["2301010001-20251-SPP"][5:] == (False, R(4200000), R(4000000))  # now paid in part
    [bad] = report.quarantined
    assert (bad.key, bad.field, bad.reason) == ("2501010002-20252-SPP", "amount", "required value missing")

    run(app, CHARGE, DU)
    run(app, "UPDATE biaya_smt SET jumlah = 3500000 WHERE jumlah IS NULL")
    report = sync_source(store, source, ZONE, now=T3, quarantine=True)
    assert report.quarantined == [] and report.written == 2
    bills = live_bills(store)
    assert bills["2501010002-20251-DU"][5:] == (True, R(2500000), R(2500000))
    assert bills["2501010002-20252-SPP"] == ("herregistrasi", "20252", 2025, None, None, False, R(3500000), R(0))
    issued = stored(store, Bill.issued_on)  # a later sync keeps the first day; a bill new at T3 is issued then
    assert (issued["2301010001-20251-SPP"], issued["2501010002-20252-SPP"]) == (date(2026, 1, 10), date(2026, 1, 12))


@pytest.mark.postgres  # the billing service of shape (c) is one of the sources
def test_shape003_an_unreachable_source_fails_in_one_line_while_the_three_shapes_sync(mariadb_app, pg_billing,
                                                                                       engine, unused_tcp_port):
    from test_bill_shape_billing import billing_service

    lost = documented_source("legacy-toml", portal(mariadb_app)).model_copy(update={
        "name": "lama", "url": f"mysql+pymysql://root@127.0.0.1:{unused_tcp_port}/siakad"})
    sources = [documented_source("portal-toml", portal(mariadb_app)), lost,
               documented_source("legacy-toml", siakad(mariadb_app)),
               documented_source("billing-toml", billing_service(pg_billing))]
    outcomes = {outcome.source: outcome for outcome in sync_sources(engine, Settings(), sources)}
    assert outcomes["lama"].report is None
    assert outcomes["lama"].error.startswith("bill source 'lama' could not be reached (mapping query): (2003, ")
    assert "\n" not in outcomes["lama"].error and "[SQL" not in outcomes["lama"].error
    assert {name: outcomes[name].report.written for name in ("portal", "siakad", "billing")} == {
        "portal": 4, "siakad": 4, "billing": 3}
