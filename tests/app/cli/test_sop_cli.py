"""`pantau sop import` and `pantau sop publish` as an administrator runs them: a seed document becomes a draft
catalogue file with its review notes, a draft still missing an executor is refused in one line naming file,
step and field, the corrected file is published as the next version (audited), a bad document is one line."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from sqlalchemy import select

from pantau.db import engine_for
from pantau.models import AuditEntry, SopVersion
from pantau.settings import load_settings

SEED = Path(__file__).parents[2] / "data" / "sops" / "webservice.txt"


def test_sopcli001_import_writes_a_draft_publish_refuses_then_publishes_it(cli, tmp_path):
    assert cli("init").exit_code == 0
    draft = tmp_path / "ws.toml"
    imported = cli("sop", "import", str(SEED), "--code", "WS", "--out", str(draft))
    assert imported.exit_code == 0, imported.output
    assert "Perbaiki sebelum diterbitkan" not in imported.output, "every step's executor is named in its activity"
    assert "Draf ditulis ke" in imported.output and "5 tahap" in imported.output
    text = draft.read_text(encoding="utf-8")
    assert "# review (performer): no marked column: 'PSI' is named as the activity's subject" in text
    steps = tomllib.loads(text)["steps"]
    assert [(s["key"], s["time"].get("value"), s["time"]["unit"]) for s in steps][2] == (
        "buat_akun", 1, "working_days")
    assert steps[4]["performer"] == "ADM", "named after the leading clause 'Sesuai arahan pimpinan,'"
    head, last = text.rsplit('performer = "ADM"', 1)
    draft.write_text(head + 'performer = ""' + last, encoding="utf-8")  # the reviewer cleared step 5's executor
    refused = cli("sop", "publish", str(draft))
    assert refused.exit_code == 2 and "ws.toml: tahap 5 belum punya pelaksana" in refused.output
    assert "Traceback" not in refused.output
    draft.write_text(text, encoding="utf-8")
    published = cli("sop", "publish", str(draft), "--source", "webservice.docx", "--json")
    assert json.loads(published.output) == {"ok": True, "code": "WS", "version": 1}
    engine = engine_for(load_settings())
    with engine.connect() as connection:
        assert connection.execute(select(SopVersion.sop_code, SopVersion.version, SopVersion.source)).all() == [
            ("WS", 1, "webservice.docx")]
        assert connection.scalar(select(AuditEntry.target).where(AuditEntry.action == "sop.publish")) == "WS v1"
    engine.dispose()


def test_sopcli002_a_document_without_an_sop_table_is_one_line(cli, tmp_path):
    assert cli("init").exit_code == 0
    letter = tmp_path / "surat.txt"
    letter.write_text("Dengan hormat,\nTerlampir.\n", encoding="utf-8")
    answer = cli("sop", "import", str(letter), "--json")
    assert answer.exit_code == 2
    assert json.loads(answer.output) == {"ok": False, "error": "surat.txt, field Pelaksana: no SOP table found: no "
                                                               "header row with a 'Pelaksana' column"}
    plain = cli("sop", "import", str(tmp_path / "tidak-ada.docx"))
    assert plain.exit_code == 2 and "tidak-ada.docx: tidak dapat dibaca" in plain.output
    assert "Traceback" not in plain.output
    table = cli("sop", "import", str(letter))
    assert "surat.txt, kolom Pelaksana: tidak ada tabel SOP" in table.output, "in the configured language"


def test_sopcli003_a_draft_to_fix_is_said_in_the_configured_language(cli, tmp_path, monkeypatch):
    """A draft step without an executor names the document's line and the field in words, not `performer`."""
    assert cli("init").exit_code == 0
    ktm = SEED.with_name("ktm_elektronik.txt")
    for lang, expected in (("id", "Perbaiki sebelum diterbitkan: ktm_elektronik.txt, baris "),
                           ("en", "To fix before publishing: ktm_elektronik.txt, line ")):
        monkeypatch.setenv("PANTAU_LANGUAGE", lang)
        imported = cli("sop", "import", str(ktm), "--code", "KTM", "--out", str(tmp_path / "ktm.toml"))
        assert imported.exit_code == 0 and expected in imported.output
        assert ("Pelaksana: belum ada pelaksana: pilih kolom Pelaksana" if lang == "id" else
                "Executor: no executor: choose the Pelaksana column") in imported.output
