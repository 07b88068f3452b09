"""The bill source the ``bill sync`` benchmark reads: a campus payment application's ``tagihan`` table of N
bills, in a MariaDB database made for the run (what campuses have) or, when MariaDB does not answer on
127.0.0.1:3306, in a SQLite file; and the changes made to it between syncs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

MARIADB = "mysql+pymysql://root@127.0.0.1:3306"
TABLE = """CREATE TABLE tagihan (
  id INTEGER PRIMARY KEY, no_tagihan VARCHAR(30) NOT NULL UNIQUE, jenis VARCHAR(16) NOT NULL,
  nim VARCHAR(20) NOT NULL, nama VARCHAR(100) NOT NULL, angkatan SMALLINT NOT NULL, periode CHAR(5) NOT NULL,
  nominal DECIMAL(14, 2) NOT NULL, no_va VARCHAR(20) NOT NULL, jatuh_tempo DATE NOT NULL,
  status_bayar SMALLINT NOT NULL, tgl_bayar DATETIME NULL, diubah DATETIME NOT NULL)"""
QUERY = """SELECT no_tagihan AS source_key, jenis AS kind, nim, nama AS payer_name, angkatan, periode AS semester,
nominal AS amount, no_va AS va_number, jatuh_tempo AS due_date, status_bayar AS paid, tgl_bayar AS paid_at, diubah
FROM tagihan"""
START = datetime(2026, 1, 5, 8, 0)
BATCH = 10_000


@dataclass
class BenchSource:
    """A filled source: its engine, URL for the sync, and what it is (for the report)."""

    engine: Engine
    url: str
    kind: str

    def change(self, share_of: int, round_: int) -> int:
        """Change every ``share_of``-th bill (its amount, and for every other one its payment), a later
        change time per round; returns how many changed."""
        moment = START + timedelta(days=round_)
        with self.engine.begin() as connection:
            return connection.execute(text(
                "UPDATE tagihan SET nominal = nominal + 5000, status_bayar = 1 - status_bayar,"
                " tgl_bayar = CASE WHEN status_bayar = 0 THEN :at END, diubah = :at"
                " WHERE id % :every = :round"), {"at": moment, "every": share_of, "round": round_ % share_of}
            ).rowcount


@contextmanager
def bill_source(bills: int, workdir: Path) -> Iterator[BenchSource]:
    """A source of ``bills`` bills, dropped (or deleted) afterwards."""
    name = f"pantau_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(MARIADB, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError:
        admin.dispose()
        path = workdir / "bill-source.db"
        engine = create_engine(f"sqlite:///{path}")
        source = BenchSource(engine, f"sqlite:///{path}", "SQLite file (MariaDB not reachable)")
        try:
            _fill(engine, bills)
            yield source
        finally:
            engine.dispose()
            path.unlink(missing_ok=True)
        return
    url = f"{MARIADB}/{name}?charset=utf8mb4"
    engine = create_engine(url)
    try:
        _fill(engine, bills)
        yield BenchSource(engine, url, "MariaDB")
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


def _fill(engine: Engine, bills: int) -> None:
    """``bills`` bills, a third of them paid, last changed one second apart before :data:`START`."""
    kinds = ("registrasi", "herregistrasi", "herregistrasi", "sipenmatu")
    with engine.begin() as connection:
        connection.execute(text(TABLE))
        connection.execute(text("CREATE INDEX tagihan_diubah ON tagihan (diubah)"))
        insert = text("INSERT INTO tagihan VALUES (:id, :no, :jenis, :nim, :nama, :angkatan, :periode, :nominal,"
                      " :va, :due, :paid, :paid_at, :at)")
        for first in range(0, bills, BATCH):
            rows = []
            for number in range(first, min(bills, first + BATCH)):
                paid = number % 3 == 0
                rows.append({"id": number, "no": f"TGH-{number:07d}", "jenis": kinds[number % 4],
                             "nim": f"23{number:08d}", "nama": f"Mahasiswa {number}", "angkatan": 2021 + number % 5,
                             "periode": "20252", "nominal": 2_500_000 + 250_000 * (number % 7),
                             "va": f"98812{number:010d}", "due": date(2026, 2, 28), "paid": int(paid),
                             "paid_at": START if paid else None,
                             "at": START - timedelta(seconds=bills - number)})
            connection.execute(insert, rows)
