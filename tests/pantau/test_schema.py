"""The store: one migration history that matches the models, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from pantau import migrate
from pantau.db import make_engine, session_scope
from pantau.models import Base, Bill, BillVa, Prodi

SUBJECT_TABLES = {
    "students", "bills", "payments", "bank_transactions", "recon_results", "recon_cases", "token_movements",
    "applicants", "monitors", "probe_samples", "rollup_minute", "rollup_hour", "rollup_day", "incidents",
    "host_metrics", "sop_cases", "step_events", "digital_accounts", "webservice_accounts", "alerts", "users",
    "audit_log",
}


def _bill(**overrides) -> Bill:
    values = dict(source_key="TG-1", kind="herregistrasi", payer_name="Siti Aminah", semester="20261",
                  amount=Decimal("4500000"), va_number="9880012345", due_date=date(2026, 8, 31))
    values.update(overrides)
    return Bill(**values)


def test_schema001_migrations_create_every_subject(store):
    assert SUBJECT_TABLES <= set(inspect(store).get_table_names())
    assert migrate.current_revision(store) == migrate.head_revision()


def test_schema002_migrations_match_the_models(store):
    with store.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_schema003_sqlite_runs_in_wal_mode_with_foreign_keys(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema004_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(_bill(prodi_id=999))


def test_schema005_money_is_exact_and_instants_come_back_in_utc(store):
    paid = datetime(2026, 8, 30, 21, 15, tzinfo=timezone(timedelta(hours=7)))
    with session_scope(store) as session:
        session.add(Prodi(id=1, code="D3KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan"))
        session.flush()
        session.add(_bill(prodi_id=1, amount=Decimal("4500000.10"), app_paid_at=paid))
    with session_scope(store) as session:
        bill = session.scalars(select(Bill)).one()
        assert bill.amount == Decimal("4500000.10")
        assert bill.app_paid_at == paid and bill.app_paid_at.tzinfo == UTC


def test_schema006_naive_datetimes_are_refused(store):
    with pytest.raises(Exception, match="naive datetime"), session_scope(store) as session:
        session.add(_bill(app_paid_at=datetime(2026, 8, 30, 21, 15)))
        session.flush()


def test_schema007_migrating_twice_changes_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_schema008_indexes_serve_the_pages(store):
    indexed = {tuple(index["column_names"]) for index in inspect(store).get_indexes("bills")}
    assert ("semester", "due_date", "id") in indexed  # a semester's bills, and its list soonest due first
    assert ("va_number", "bank", "bill_id") in {tuple(index["column_names"])
                                                for index in inspect(store).get_indexes("bill_vas")}
    samples = {tuple(index["column_names"]) for index in inspect(store).get_indexes("probe_samples")}
    assert ("monitor_id", "checked_at") in samples


def test_schema009_bills_vas_move_into_bill_vas_as_their_primary_va(store):
    config = migrate.alembic_config()
    with store.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    with store.begin() as connection:
        for key, va in (("TG-1", "9880012345"), ("TG-2", None), ("TG-3", "")):
            connection.execute(text(
                "INSERT INTO bills (source, key_space, source_key, kind, payer_name, semester, amount, va_number,"
                " app_paid, app_paid_amount, synced_at) VALUES ('demo', 'demo', :key, 'herregistrasi', 'Siti',"
                " '20261', 4500000, :va, false, 0, '2026-12-01 00:00:00')"), {"key": key, "va": va})
    migrate.upgrade(store)
    with store.connect() as connection:
        moved = connection.execute(text("SELECT b.source_key, v.bank, v.va_number, v.position FROM bill_vas v"
                                        " JOIN bills b ON b.id = v.bill_id")).all()
        primary = dict(connection.execute(text("SELECT source_key, va_number FROM bills")).all())
    assert [tuple(row) for row in moved] == [("TG-1", None, "9880012345", 0)]
    assert primary == {"TG-1": "9880012345", "TG-2": None, "TG-3": None}  # no VA is NULL, not ''


def test_schema010_a_bill_written_with_a_va_number_alone_gets_it_as_its_one_va(store):
    with session_scope(store) as session:
        session.add(_bill(source_key="TG-1"))
        session.add(_bill(source_key="TG-2", va_number=None))
        session.add(_bill(source_key="TG-3", va_number="9881071003",
                          vas=[BillVa(bank="bni", va_number="9881071003"),
                               BillVa(bank="bri", va_number="772410003", position=1)]))
    with store.connect() as connection:
        rows = connection.execute(select(Bill.source_key, BillVa.bank, BillVa.va_number)
                                  .join(BillVa, BillVa.bill_id == Bill.id).order_by(Bill.source_key, BillVa.position))
        assert [tuple(row) for row in rows] == [("TG-1", None, "9880012345"), ("TG-3", "bni", "9881071003"),
                                                ("TG-3", "bri", "772410003")]


def test_schema011_host_readings_stored_twice_keep_the_first_and_one_per_host_and_instant(store):
    config = migrate.alembic_config()
    with store.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0018")
    with store.begin() as connection:
        for host, at, cpu in (("server-pembayaran", "2026-12-06 10:00:00", 1), ("server-pembayaran",
                              "2026-12-06 10:00:00", 2), ("server-pembayaran", "2026-12-06 10:01:00", 3),
                              ("pantau", "2026-12-06 10:00:00", 4)):
            connection.execute(text("INSERT INTO host_metrics (host, collected_at, cpu_pct, mem_pct, disks, processes)"
                                    " VALUES (:host, :at, :cpu, 5, '{}', '{}')"), {"host": host, "at": at, "cpu": cpu})
    migrate.upgrade(store)
    with store.connect() as connection:
        kept = connection.execute(text("SELECT host, cpu_pct FROM host_metrics ORDER BY id")).all()
    assert [tuple(row) for row in kept] == [("server-pembayaran", 1), ("server-pembayaran", 3), ("pantau", 4)]
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(text("INSERT INTO host_metrics (host, collected_at, cpu_pct, mem_pct, disks, processes)"
                                " VALUES ('pantau', '2026-12-06 10:00:00', 9, 5, '{}', '{}')"))
