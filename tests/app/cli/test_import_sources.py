"""`pantau import bank|events|bills` recorded as sources (kind "File import") on the sources page: a stored file
is a success, a refused file an error in plain words naming the file, line and field; the rows are pushed (no
"check now") and stay when the collector re-reads its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.import_status import record_import
from pantau.db import make_engine, session_scope
from pantau.models import Alert, SourceStatus
from pantau.settings import Settings
from pantau.sources import FILE_IMPORT, NotCheckable, SourceRef, declare, failure_text, request_check

BANK = Path(__file__).resolve().parents[2] / "data" / "bank"
BILLS = ("source_key;kind;amount;va_number;due_date;semester;payer_name;paid\n"
         "TGH-1;herregistrasi;Rp 2.250.000,00;98810001;2026-12-15;20261;Siti Aminah;belum\n")
EVENTS = """kasus;tahap;mulai;selesai;pelaksana;hasil
KSO-1;permohonan;02/03/2026 09:00;02/03/2026 15:00;Pemohon;
KSO-1;2;;03/03/2026 08:00;UPK SDMK;
"""


@pytest.fixture(autouse=True)
def initialised(cli):
    cli("init")


def _store(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")


def _row(tmp_path, command: str) -> SourceStatus | None:
    with session_scope(_store(tmp_path)) as session:
        row = session.get(SourceStatus, (FILE_IMPORT, command))
        if row is not None:
            session.expunge(row)
        return row


def _write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_isrc001_a_stored_bills_export_is_a_success_of_the_pushed_source_pantau_import_bills(cli, tmp_path):
    result = cli("import", "bills", str(_write(tmp_path, "tagihan.csv", BILLS)))

    assert result.exit_code == 0, result.output
    row = _row(tmp_path, "pantau import bills")
    assert row.pushed is True and row.interval_s is None
    assert row.last_success_at is not None and row.last_success_at == row.last_attempt_at
    assert row.consecutive_failures == 0 and row.last_error_at is None
    assert "tagihan.csv (sumber export): 1 tagihan dibaca, 1 baru atau berubah" in row.last_message


def test_isrc002_a_refused_bills_export_records_file_line_and_field_in_words_after_a_success(cli, tmp_path):
    cli("import", "bills", str(_write(tmp_path, "tagihan.csv", BILLS)))
    bad = _write(tmp_path, "tagihan-2.csv", BILLS + "TGH-3;herregistrasi;dua juta;98810003;2026-12-15;20261;Ani;0\n")

    result = cli("import", "bills", str(bad))

    assert result.exit_code == 1
    row = _row(tmp_path, "pantau import bills")
    assert (row.consecutive_failures, row.last_error_kind) == (1, "refused")
    assert row.last_success_at is not None and row.last_error_at > row.last_success_at
    assert "tagihan-2.csv line 3, field amount, value 'dua juta'" in row.last_error
    assert "Traceback" not in row.last_error and "\n" not in row.last_error
    words = failure_text(row.kind, row.name, row.last_error_kind, row.last_error, "id")
    assert words.startswith("Impor berkas pantau import bills menolak berkas: bill source 'export' tagihan-2.csv "
                            "line 3, field amount")
    assert failure_text(row.kind, row.name, row.last_error_kind, row.last_error, "en").startswith(
        "File import pantau import bills refused the file: ")


def test_isrc003_events_refused_then_imported(cli, tmp_path):
    bad = _write(tmp_path, "bad.csv", "case;step;completed\nK;kirim;2026-03-02 10:00\nK;kirim;2026-03-02 11:00\n")

    refused = cli("import", "events", str(bad), "--sop", "KSO")
    row = _row(tmp_path, "pantau import events")

    assert refused.exit_code == 1 and row.last_success_at is None
    assert row.last_error_kind == "refused" and row.pushed is True
    assert row.last_error.startswith("bad.csv line 2, field step, value 'kirim': SOP KSO has no such step")
    assert row.last_error.endswith("(and 1 more). Nothing was imported.")

    stored = cli("import", "events", str(_write(tmp_path, "kso.csv", EVENTS)), "--sop", "kso", "--json")
    row = _row(tmp_path, "pantau import events")

    assert stored.exit_code == 0, stored.output
    assert row.consecutive_failures == 0 and row.last_success_at is not None
    assert row.last_message.startswith("KSO · Peningkatan Kompetensi SDMK · kso.csv: 2 peristiwa dibaca, 2 baru")


def test_isrc004_bank_refused_names_format_line_and_field_then_a_statement_is_a_success(cli, tmp_path):
    refused = cli("import", "bank", str(BANK / "bad_amount.sta"), "--format", "mt940")
    row = _row(tmp_path, "pantau import bank")

    assert refused.exit_code == 1
    assert row.last_error_kind == "refused"
    assert "bad_amount.sta (MT940) baris 7, kolom :61: amount, nilai '1.500.000,x'" in row.last_error
    assert row.last_error.endswith("Tidak ada yang diimpor.")

    imported = cli("import", "bank", str(BANK / "bni_ecollection.jsonl"))
    again = cli("import", "bank", str(BANK / "bni_ecollection.jsonl"))
    row = _row(tmp_path, "pantau import bank")

    assert imported.exit_code == 0 and again.exit_code == 0
    assert row.consecutive_failures == 0 and row.last_success_at is not None
    assert "bni_ecollection.jsonl" in row.last_message


def test_isrc005_import_sources_cannot_be_checked_and_survive_the_collector_re_reading_its_configuration(
        cli, tmp_path):
    cli("import", "bills", str(_write(tmp_path, "tagihan.csv", BILLS)))
    store = _store(tmp_path)

    with session_scope(store) as session:
        declare(session, [SourceRef("collector", "bills", 300)], retire=True)
    with session_scope(store) as session, pytest.raises(NotCheckable):
        request_check(session, FILE_IMPORT, "pantau import bills", by="user.admin")

    assert _row(tmp_path, "pantau import bills") is not None


def test_isrc006_three_refused_bank_files_in_a_row_alert_the_bendahara_and_a_success_resolves_it(cli, tmp_path):
    for _ in range(3):
        cli("import", "bank", str(BANK / "bad_amount.sta"), "--format", "mt940")
    with session_scope(_store(tmp_path)) as session:
        alert = session.scalars(select(Alert).where(Alert.source == "sources")).one()
        assert (alert.role, alert.link, alert.resolved_at) == ("bendahara", "/pembayaran", None)
        assert "Impor berkas pantau import bank" in alert.title

    cli("import", "bank", str(BANK / "bni_ecollection.jsonl"))

    with session_scope(_store(tmp_path)) as session:
        assert session.scalars(select(Alert).where(Alert.source == "sources")).one().resolved_at is not None


def test_isrc007_a_store_that_cannot_take_the_record_only_warns(tmp_path, capsys):
    broken = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables: the record fails

    record_import(Settings(data_dir=tmp_path), broken, "bills", ok=True, message="x")

    assert "not recorded on the sources page" in capsys.readouterr().err
