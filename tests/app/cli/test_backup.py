"""`pantau backup` and `pantau restore`: a backup taken, the data changed, the backup restored brings the data
back, on SQLite and PostgreSQL; what cannot be done is one line (JSON with --json), never a traceback."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from pantau.db import session_scope
from pantau.models import AuditEntry, Monitor


def monitor(name: str) -> Monitor:
    return Monitor(name=name, role="payment", check="tcp", target="127.0.0.1:9")


def names(engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Monitor.name).order_by(Monitor.name)))


def audited(engine, action: str) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_backup001_backup_change_restore_brings_the_data_back(store, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_DATABASE_URL", store.url.render_as_string(hide_password=False))
    with session_scope(store) as session:
        session.add_all([monitor("bayar"), monitor("h2h")])
    target = tmp_path / "out" / "pantau.bak"

    taken = cli("backup", str(target), "--json")
    assert taken.exit_code == 0, taken.output
    assert json.loads(taken.output)["bytes"] == target.stat().st_size > 0
    with session_scope(store) as session:
        session.execute(Monitor.__table__.delete().where(Monitor.name == "h2h"))
        session.add(monitor("siakad"))
    assert names(store) == ["bayar", "siakad"]

    refused = cli("restore", str(target))
    assert refused.exit_code == 1 and names(store) == ["bayar", "siakad"]
    restored = cli("restore", str(target), "--yes")

    assert restored.exit_code == 0, restored.output
    assert names(store) == ["bayar", "h2h"]
    assert audited(store, "store.restore") == 1


def test_backup002_a_default_backup_lands_in_the_data_folder(cli, tmp_path):
    cli("init")
    result = cli("backup")
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "backups").glob("pantau-*.db"))
    assert len(written) == 1 and "Cadangan ditulis ke" in result.output


def test_backup003_what_cannot_be_done_is_one_line(cli, tmp_path, monkeypatch):
    cli("init")
    missing = cli("restore", str(tmp_path / "nope.db"), "--yes")
    assert missing.exit_code == 2 and "tidak ada file cadangan di" in missing.output
    assert "Traceback" not in missing.output
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all " * 100)
    refused = cli("restore", str(junk), "--yes", "--json")
    assert refused.exit_code == 2
    assert "not an SQLite backup" in json.loads(refused.output)["error"]

    monkeypatch.setenv("PANTAU_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/pantau_ci")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    no_tool = cli("backup", str(tmp_path / "x.dump"))
    assert no_tool.exit_code == 2
    said = " ".join(no_tool.output.split())  # the console wraps at its width
    assert said.startswith("gagal: pencadangan: pg_dump tidak ditemukan di PATH: pasang alat klien PostgreSQL")
    assert "Traceback" not in said
