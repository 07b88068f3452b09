"""`pantau import bills FILE`: a bills export in one transaction, named errors, no duplicates on re-import."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pantau.db import make_engine, session_scope
from pantau.models import AuditEntry, Bill

HEADER = "source_key;kind;amount;va_number;due_date;semester;payer_name;paid\n"
ROWS = ("TGH-1;herregistrasi;Rp 2.250.000,00;98810001;2026-12-15;20261;Siti Aminah;belum\n"
        "TGH-2;registrasi;1500000;98810002;2026-12-15;20261;Budi Santoso;LUNAS\n")


@pytest.fixture(autouse=True)
def initialised(cli):
    cli("init")


def _bills(tmp_path) -> dict[str, tuple]:
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")) as session:
        return {bill.source_key: (bill.amount, bill.app_paid, bill.deleted_at is not None)
                for bill in session.scalars(select(Bill))}


def test_ibill001_an_export_is_stored_once_and_reimporting_it_adds_nothing(cli, tmp_path):
    export = tmp_path / "tagihan.csv"
    export.write_text("\ufeff" + HEADER + ROWS, encoding="utf-8")

    first = cli("import", "bills", str(export))
    again = cli("import", "bills", str(export), "--json")

    assert first.exit_code == 0 and "2 tagihan dibaca, 2 baru atau berubah, 0 ditandai terhapus" in first.output
    assert json.loads(again.output) == {"file": str(export), "status": "imported", "source": "export",
                                        "rows_read": 2, "written": 0, "deleted": 0}
    stored = _bills(tmp_path)
    assert stored["TGH-1"][:2] == (2_250_000, False) and stored["TGH-2"][:2] == (1_500_000, True)
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")) as session:
        actors = set(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "bills.sync")))
    assert len(actors) == 1 and actors.pop().startswith("cli:")


def test_ibill002_a_bad_row_imports_nothing_and_names_file_line_field_and_value(cli, tmp_path):
    export = tmp_path / "tagihan.csv"
    export.write_text(HEADER + ROWS + "TGH-3;herregistrasi;dua juta;98810003;2026-12-15;20261;Ani;0\n")

    result = cli("import", "bills", str(export))

    assert result.exit_code == 1
    assert "gagal: tagihan.csv baris 4, kolom amount, nilai 'dua juta': bukan jumlah uang" in result.output
    assert "Tidak ada yang diimpor." in result.output
    assert _bills(tmp_path) == {}


def test_ibill003_a_later_export_marks_the_bills_it_lacks_deleted(cli, tmp_path):
    export = tmp_path / "tagihan.csv"
    export.write_text(HEADER + ROWS)
    cli("import", "bills", str(export))
    export.write_text(HEADER + ROWS.splitlines(keepends=True)[0])

    result = cli("import", "bills", str(export))

    assert result.exit_code == 0 and "1 ditandai terhapus" in result.output
    assert _bills(tmp_path)["TGH-2"][2] is True


def test_ibill004_an_unknown_or_database_source_is_refused(cli, tmp_path, monkeypatch):
    config = tmp_path / "pantau.toml"
    config.write_text('[sources.bills.keuangan]\nurl = "sqlite:///x.db"\nquery = "SELECT 1"\n')
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    export = tmp_path / "tagihan.csv"
    export.write_text(HEADER + ROWS)

    unknown = cli("import", "bills", str(export), "--source", "akademik")
    database = cli("import", "bills", str(export), "--source", "keuangan")

    assert unknown.exit_code == 2 and "no bill source 'akademik'" in unknown.output
    assert database.exit_code == 2 and "reads the payment application's database" in database.output
    assert _bills(tmp_path) == {}
