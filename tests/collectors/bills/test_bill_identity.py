"""A bill is its number in its source's key space (issue 17, point 4), read from real MariaDB and PostgreSQL
source databases: the same number in two sources is two bills, stable across syncs; sources that declare a
shared key space share their bills; a bill deleted at the source comes back when it reappears, whatever its
change time; a number given twice is refused with both rows named; existing bills migrate to their source."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import select, text
from tagihan_app import PG_QUERY, QUERY, TABLE

from collectors.bills import BillDataError, BillSource, sync_source
from pantau.db import make_engine
from pantau.migrate import alembic_config, upgrade
from pantau.models import Bill

ZONE = "Asia/Jakarta"
T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T3 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
ROW = ("INSERT INTO {table} (no_tagihan, jenis_tagihan, nim, nama, kode_prodi, thn_angkatan, kd_semester, nominal,"
       " no_va, tgl_jatuh_tempo, status_bayar, tgl_bayar, diubah) VALUES (:key, 'herregistrasi', 'P1', :nama,"
       " NULL, 2024, '20252', :nominal, :va, '2026-03-15', 0, NULL, :diubah)")


def _source(app, name: str, query: str = QUERY, **extra) -> BillSource:
    return BillSource(name=name, url=app.url.render_as_string(hide_password=False), query=query,
                      updated_column=extra.pop("updated_column", "diubah"), **extra)


def _add(app, key: str, nominal: str, *, diubah: str = "2026-03-01 10:00:00", table: str = "tagihan",
         nama: str | None = None) -> None:
    with app.begin() as connection:
        connection.execute(text(ROW.format(table=table)), {"key": key, "nama": nama or f"Mahasiswa {key}",
                                                           "nominal": nominal, "va": f"98810{key[-4:]}",
                                                           "diubah": diubah})


def _bills(engine) -> dict[tuple[str, str], tuple]:
    with engine.connect() as connection:
        rows = connection.execute(select(Bill.key_space, Bill.source_key, Bill.source, Bill.amount, Bill.deleted_at))
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def test_bid001_the_same_number_in_two_sources_is_two_bills_stable_across_syncs(mariadb_app, store):
    portal, legacy = mariadb_app(), mariadb_app()
    _add(portal, "TGH-0001", "1500000.00")
    _add(legacy, "TGH-0001", "750000.00")
    sources = [_source(portal, "portal"), _source(legacy, "akademik")]
    for now in (T1, T2, T3):
        reports = [sync_source(store, source, ZONE, now=now) for source in sources]
        assert [report.written for report in reports] == ([1, 1] if now == T1 else [0, 0])
        assert _bills(store) == {("portal", "TGH-0001"): ("portal", Decimal("1500000.00"), None),
                                 ("akademik", "TGH-0001"): ("akademik", Decimal("750000.00"), None)}
    with portal.begin() as connection:
        connection.execute(text("DELETE FROM tagihan"))
        connection.execute(text("INSERT INTO tagihan (no_tagihan, jenis_tagihan, nama, kd_semester, nominal, no_va,"
                                " tgl_jatuh_tempo, diubah) VALUES ('TGH-0002', 'registrasi', 'X', '20252', 1, '1',"
                                " '2026-03-15', '2026-03-03 10:00:00')"))
    assert sync_source(store, sources[0], ZONE, now=T3).deleted == 1
    bills = _bills(store)
    assert bills[("portal", "TGH-0001")][2] == T3 and bills[("akademik", "TGH-0001")][2] is None


def test_bid002_a_postgresql_source_and_a_mariadb_source_with_one_number(mariadb_app, pg_billing, engine):
    portal = mariadb_app()
    _add(portal, "INV-0001", "1500000.00")
    with pg_billing.begin() as connection:
        connection.execute(text("INSERT INTO invoice VALUES ('INV-0001', 'registrasi', NULL, '20252', 300000, '777',"
                                " '2026-03-20', false, NULL, '2026-03-01 10:00:00')"))
    billing = _source(pg_billing, "billing", PG_QUERY, updated_column="modified")
    for now in (T1, T2):
        sync_source(engine, _source(portal, "portal"), ZONE, now=now)
        sync_source(engine, billing, ZONE, now=now)
    bills = _bills(engine)
    assert bills == {("portal", "INV-0001"): ("portal", Decimal("1500000.00"), None),
                     ("billing", "INV-0001"): ("billing", Decimal("300000.00"), None)}


def test_bid003_sources_declaring_a_shared_key_space_share_their_bills(mariadb_app, engine):
    payments, copy = mariadb_app(), mariadb_app()
    _add(payments, "TGH-0001", "1500000.00")
    _add(copy, "TGH-0001", "1500000.00")
    _add(copy, "TGH-0002", "500000.00")
    sources = [_source(payments, "pembayaran", key_space="keuangan"), _source(copy, "salinan", key_space="keuangan")]
    for now in (T1, T2):
        for source in sources:
            sync_source(engine, source, ZONE, now=now)
    assert _bills(engine) == {("keuangan", "TGH-0001"): ("pembayaran", Decimal("1500000.00"), None),
                              ("keuangan", "TGH-0002"): ("salinan", Decimal("500000.00"), None)}


def test_bid004_a_bill_deleted_at_the_source_comes_back_when_it_reappears(payment_app, store):
    _add(payment_app, "TGH-0001", "1500000.00", diubah="2026-03-01 10:00:00")
    _add(payment_app, "TGH-0002", "1500000.00", diubah="2026-03-01 11:00:00")
    source = _source(payment_app, "keuangan")
    sync_source(store, source, ZONE, now=T1)
    with payment_app.begin() as connection:
        connection.execute(text("DELETE FROM tagihan WHERE no_tagihan = 'TGH-0001'"))
    assert sync_source(store, source, ZONE, now=T2).deleted == 1
    assert _bills(store)[("keuangan", "TGH-0001")][2] == T2
    _add(payment_app, "TGH-0001", "1600000.00", diubah="2026-02-01 08:00:00")  # restored: older than the watermark
    report = sync_source(store, source, ZONE, now=T3)
    assert (report.written, report.deleted) == (1, 0)
    assert _bills(store)[("keuangan", "TGH-0001")] == ("keuangan", Decimal("1600000.00"), None)
    assert sync_source(store, source, ZONE, now=T3).changed == 0


DUPLICATE_QUERY = QUERY + " UNION ALL " + QUERY.replace("FROM tagihan", "FROM tagihan_lama")


def test_bid005_a_number_given_twice_is_refused_naming_both_rows_also_outside_the_window(mariadb_app, engine):
    app = mariadb_app()
    with app.begin() as connection:
        connection.execute(text(TABLE.replace("CREATE TABLE tagihan", "CREATE TABLE tagihan_lama")))
    _add(app, "TGH-0001", "1500000.00", diubah="2026-03-01 10:00:00")
    source = _source(app, "keuangan", DUPLICATE_QUERY)
    sync_source(engine, source, ZONE, now=T1)
    _add(app, "TGH-0001", "1400000.00", diubah="2025-08-01 10:00:00", table="tagihan_lama", nama="Mahasiswa Lama")
    with pytest.raises(BillDataError) as caught:
        sync_source(engine, source, ZONE, now=T2)
    message = str(caught.value)
    assert "the same bill number twice in one sync" in message
    assert "bill 'TGH-0001' (payer_name Mahasiswa TGH-0001, amount 1500000.00, updated_at 2026-03-01 10:00:00)" \
        in message
    assert "bill 'TGH-0001' (payer_name Mahasiswa Lama, amount 1400000.00, updated_at 2025-08-01 10:00:00)" in message
    assert _bills(engine)[("keuangan", "TGH-0001")] == ("keuangan", Decimal("1500000.00"), None)


def test_bid006_existing_bills_migrate_into_their_sources_key_space(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        connection.execute(text("INSERT INTO bills (source, source_key, kind, payer_name, semester, amount, va_number,"
                                " due_date, app_paid, app_paid_amount, synced_at) VALUES ('keuangan', 'TGH-1',"
                                " 'registrasi', 'A', '20252', 1, '1', '2026-03-15', 0, 0, '2026-03-01 00:00:00')"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT source, key_space FROM bills")).one() == ("keuangan", "keuangan")
    engine.dispose()
