"""CSV and XLSX files of step events: all rows or none, each error naming file, line and field,
re-imports harmless; and `pantau import events` around it."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import app
from collectors.workflow.files import EventFileError, import_file, parse_file
from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.models import AuditEntry, SopCase, StepEvent
from pantau.models.workflow import StepResult

GOOD_CSV = """kasus;tahap;mulai;selesai;pelaksana;hasil
KSO-1;permohonan;02/03/2026 09:00;02/03/2026 15:00;Pemohon;
KSO-1;2;;03/03/2026 08:00;UPK SDMK;
KSO-1;informasi_hasil;;06/03/2026 10:00;UPK SDMK;Ditolak
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_file001_semicolon_csv_with_indonesian_headers_imports_and_is_audited(store, ctx, tmp_path):
    report = import_file(store, write(tmp_path, "kso.csv", GOOD_CSV), "KSO", ctx, actor="cli:tester")
    assert (report.received, report.stored, report.cases) == (3, 3, 1)
    assert count(store, StepResult) == 3
    with store.connect() as connection:
        outcome = connection.scalar(select(SopCase.outcome))
        audit = connection.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.target)).one()
    assert outcome == "ditolak"
    assert tuple(audit) == ("cli:tester", "events.import", "kso.csv")


def test_file002_importing_the_same_file_again_changes_nothing(store, ctx, tmp_path):
    path = write(tmp_path, "kso.csv", GOOD_CSV)
    import_file(store, path, "KSO", ctx)
    again = import_file(store, path, "KSO", ctx)
    assert (again.stored, again.duplicates) == (0, 3)
    assert count(store, StepEvent) == 3


def test_file003_xlsx_with_excel_dates(store, ctx, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Case", "Step", "Started", "Completed", "Performer", "Event ID"])
    sheet.append(["WS-1", 1, datetime(2026, 5, 8, 10, 0), datetime(2026, 5, 8, 10, 4), "Adm", 101])
    sheet.append(["WS-1", "agenda_disposisi", None, "2026-05-08 10:12", "Adm", 102])
    path = tmp_path / "ws.xlsx"
    book.save(path)
    report = import_file(store, path, "WS", ctx)
    assert report.stored == 2
    with store.connect() as connection:
        uids = sorted(connection.scalars(select(StepEvent.event_uid)))
    assert uids == ["file:WS:101", "file:WS:102"]


def test_file004_bad_rows_are_all_named_and_nothing_is_imported(store, ctx, tmp_path):
    text = GOOD_CSV + "KSO-2;kirim;;03/03/2026 08:00;;\nKSO-3;2;;31/02/2026 08:00;;\n;2;;03/03/2026 08:00;;\n"
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(EventFileError) as caught:
        import_file(store, path, "KSO", ctx)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("bad.csv line 5, field step, value 'kirim': SOP KSO has no such step")
    assert lines[1] == "bad.csv line 6, field completed_at, value '31/02/2026 08:00': not a date and time " \
                       "(use 2026-03-02 10:15 or 02/03/2026 10:15)"
    assert lines[2] == "bad.csv line 7, field case_ref: missing: every event belongs to a case"
    assert [problem["line"] for problem in caught.value.as_dicts()] == [5, 6, 7]
    assert count(store, StepEvent) == 0 and count(store, SopCase) == 0


def test_file005_missing_column_unknown_type_and_empty_file(ctx, tmp_path):
    with pytest.raises(EventFileError, match="no.csv line 2, field step: no column for step"):
        parse_file(write(tmp_path, "no.csv", "case,completed\nK,2026-03-02 10:00\n"), "KSO", ctx)
    with pytest.raises(EventFileError, match="unknown file type '.json'"):
        parse_file(write(tmp_path, "x.json", "{}"), "KSO", ctx)
    with pytest.raises(EventFileError, match="empty.csv: the file is empty"):
        parse_file(write(tmp_path, "empty.csv", "\n\n"), "KSO", ctx)
    with pytest.raises(EventFileError, match="head.csv: no events"):
        parse_file(write(tmp_path, "head.csv", "case;step;completed\n"), "KSO", ctx)
    with pytest.raises(EventFileError, match="broken.xlsx: not a readable XLSX workbook"):
        parse_file(write(tmp_path, "broken.xlsx", "not a zip"), "KSO", ctx)


def test_file006_event_id_reused_with_other_content_names_its_line(store, ctx, tmp_path):
    import_file(store, write(tmp_path, "a.csv", "case,step,completed,event_id\nK,1,2026-03-02 10:00,E1\n"), "KSO", ctx)
    changed = write(tmp_path, "b.csv",
                    "case,step,completed,event_id\nK,2,2026-03-02 11:00,E2\nK,1,2026-03-02 10:30,E1\n")
    with pytest.raises(EventFileError,
                       match="b.csv line 3, field event_id: event E1 is already stored with other content"):
        import_file(store, changed, "KSO", ctx)
    assert count(store, StepEvent) == 1


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    upgrade(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}"))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_file007_cli_imports_and_reports_as_json(cli, tmp_path):
    path = write(tmp_path, "kso.csv", GOOD_CSV)
    done = cli("import", "events", str(path), "--sop", "kso", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) | {"file": None} == {
        "ok": True, "file": None, "sop": "KSO", "received": 3, "stored": 3, "duplicates": 0, "cases": 1, "steps": 3}
    plain = cli("import", "events", str(path), "--sop", "KSO")
    assert "3 peristiwa dibaca, 0 baru, 3 sudah dikenal" in plain.output


def test_file008_cli_bad_file_exits_1_with_errors(cli, tmp_path):
    path = write(tmp_path, "bad.csv", "case;step;completed\nK;kirim;2026-03-02 10:00\n")
    failed = cli("import", "events", str(path), "--sop", "KSO", "--json")
    assert failed.exit_code == 1
    payload = json.loads(failed.output)
    assert payload["ok"] is False
    assert payload["errors"][0] | {"file": None} == {
        "file": None, "line": 2, "field": "step", "value": "kirim",
        "reason": "SOP KSO has no such step; keys: " + ", ".join([
            "permohonan", "dokumen_kso", "unggah_siaksi", "verifikasi_skp", "informasi_hasil", "publikasi",
            "pelaksanaan_kegiatan", "invoice", "pembayaran", "surat_keterangan_pembayaran"])}
