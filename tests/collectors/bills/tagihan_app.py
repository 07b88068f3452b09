"""The PHP-style payment application the bill-sync tests read: its MariaDB server, bill table and the
mapping query a campus would write for it."""

from __future__ import annotations

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

PG_TABLE = """
CREATE TABLE invoice (
  invoice_no TEXT PRIMARY KEY,
  charge_type TEXT NOT NULL,
  student_no TEXT NULL,
  term TEXT NOT NULL,
  total NUMERIC(14, 2) NULL,
  va TEXT NOT NULL,
  due DATE NOT NULL,
  settled BOOLEAN NOT NULL DEFAULT false,
  settled_on TEXT NULL,
  modified TIMESTAMP NOT NULL
)
"""

PG_QUERY = """SELECT invoice_no AS source_key, charge_type AS kind, student_no AS nim, term AS semester,
total AS amount, va AS va_number, due AS due_date, settled AS paid, settled_on AS paid_at, modified FROM invoice"""
