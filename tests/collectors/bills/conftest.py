"""A throwaway MariaDB database shaped like a PHP payment application's bill table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

SERVER = "mysql+pymysql://root@127.0.0.1:3306"

TABLE = """
CREATE TABLE tagihan (
  id_tagihan INT AUTO_INCREMENT PRIMARY KEY,
  no_tagihan VARCHAR(30) NOT NULL UNIQUE,
  jenis_tagihan ENUM('registrasi', 'herregistrasi', 'sipenmatu') NOT NULL,
  nim VARCHAR(20) NULL,
  nama VARCHAR(100) NOT NULL,
  kode_prodi VARCHAR(10) NULL,
  thn_angkatan SMALLINT NULL,
  kd_semester CHAR(5) NOT NULL,
  nominal DECIMAL(14, 2) NOT NULL,
  no_va VARCHAR(20) NOT NULL,
  tgl_jatuh_tempo DATE NOT NULL,
  status_bayar TINYINT(1) NOT NULL DEFAULT 0,
  tgl_bayar DATETIME NULL,
  diubah DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
"""

QUERY = """SELECT no_tagihan AS source_key, jenis_tagihan AS kind, nim, nama AS payer_name, kode_prodi AS prodi,
thn_angkatan AS angkatan, kd_semester AS semester, nominal AS amount, no_va AS va_number,
tgl_jatuh_tempo AS due_date, status_bayar AS paid, tgl_bayar AS paid_at, diubah FROM tagihan"""


@pytest.fixture
def payment_app() -> Iterator[Engine]:
    """An empty ``tagihan`` table in a database made for the test and dropped after it."""
    name = f"keuangan_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as error:
        pytest.skip(f"MariaDB at 127.0.0.1:3306 is not reachable: {error.orig}")
    app = create_engine(f"{SERVER}/{name}")
    try:
        with app.begin() as connection:
            connection.execute(text(TABLE))
        yield app
    finally:
        app.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
