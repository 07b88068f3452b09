"""The `pantau` admin commands in the configured language (issue 19, words): the store (init, demo, backup,
restore, store copy), tokens, the agent, `collect --once`, refusals opened by 'gagal:' / 'error:' and their
details (rows set aside, bad rows of an import, the monthly report without a channel, a catalogue file) in
words; `--json` keeps its English keys and messages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.cli.agent import Answer, Pusher
from collectors.probes import HostSnapshot, host_snapshot

TAGIHAN = ("source_key,kind,amount,va_number,due_date,semester\nT-1,ukt,1000000,9881,2026-03-01,20252\n"
           "T-2,ukt,satu juta,9882,2026-03-01,20252\n")
WORDS = {
    "id": {"init": "Basis data dibuat pada revisi", "again": "Basis data sudah mutakhir pada revisi",
           "refused": "gagal: tidak ada pengguna bernama 'siapa'", "tables": ("tagihan", "mutasi bank"),
           "demo": "Kampus demo (kecil, benih 3) ditulis dalam", "full": "gagal: basis data sudah berisi data (",
           "backup": "Cadangan ditulis ke", "restored": "dipulihkan dari",
           "nofile": "gagal: pemulihan: tidak ada file cadangan di", "token": "Token agen-1 (agent):",
           "revoked": "Token agen-1 dicabut.", "twice": "gagal: token bernama 'agen-1' sudah ada",
           "purpose": "gagal: kegunaan token 'lain' tidak dikenal; pilih salah satu dari",
           "collect": ("Hasil", "berhasil", "belum ada sumber tagihan yang diatur ([sources.bills.<nama>])"),
           "aside": "Disisihkan: tagihan.csv baris 3, kolom amount, nilai 'satu juta': bukan jumlah uang "
                    "(1500000, 1500000.00 atau 1.500.000,00)",
           "bad": "gagal: tagihan.csv baris 3, kolom amount, nilai 'satu juta': bukan jumlah uang",
           "events": "gagal: kejadian.csv baris 2, kolom step, nilai '9': SOP KTM tidak punya tahap 9",
           "send": "gagal: laporan Okt 2026 tidak dikirim: tidak ada kanal peringatan untuk Direktur",
           "sop": "gagal: rusak.toml, baris 1: TOML tidak sah:",
           "pushed": "terkirim web-1 pada 2026-12-01 03:00:00 UTC: CPU 12%, memori 40%",
           "waiting": "gagal: tidak dapat menghubungi http://x/api: Connection refused; 1 pembacaan disimpan, "
                      "dikirim lagi pada pembacaan berikutnya",
           "token401": "tokennya ditolak"},
    "en": {"init": "Store created at revision", "again": "Store up to date at revision",
           "refused": "error: no user named 'siapa'", "tables": ("bills", "bank entries"),
           "demo": "Demo campus (small, seed 3) written in", "full": "error: the store already holds data (",
           "backup": "Backup written to", "restored": "restored from",
           "nofile": "error: restore: no backup file at", "token": "Token agen-1 (agent):",
           "revoked": "Token agen-1 revoked.", "twice": "error: a token named 'agen-1' already exists",
           "purpose": "error: unknown token purpose 'lain'; choose one of",
           "collect": ("Result", "ok", "no bill source configured ([sources.bills.<name>])"),
           "aside": "Set aside: tagihan.csv line 3, column amount, value 'satu juta': not an amount "
                    "(1500000, 1500000.00 or 1.500.000,00)",
           "bad": "error: tagihan.csv line 3, column amount, value 'satu juta': not an amount",
           "events": "error: kejadian.csv line 2, column step, value '9': SOP KTM has no step 9",
           "send": "error: report Oct 2026 not sent: no alert channel carries Director",
           "sop": "error: rusak.toml, line 1: invalid TOML:",
           "pushed": "pushed web-1 at 2026-12-01 03:00:00 UTC: CPU 12%, memory 40%",
           "waiting": "error: cannot reach http://x/api: Connection refused; 1 reading kept, pushing again at "
                      "the next reading",
           "token401": "the token is refused"},
}


@pytest.fixture(params=["id", "en"])
def lang(request, monkeypatch):
    monkeypatch.setenv("PANTAU_LANGUAGE", request.param)
    return request.param


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_cliadmin001_init_and_refusals_in_the_configured_language(cli, lang):
    words = WORDS[lang]
    assert words["init"] in cli("init").output and words["again"] in cli("init").output
    refused = cli("users", "logout", "siapa")
    assert refused.exit_code == 2 and one_line(refused.output).startswith(words["refused"])


def test_cliadmin002_the_demo_names_what_it_wrote_in_words_not_table_names(cli, lang):
    words = WORDS[lang]
    written = cli("demo", "--scale", "small", "--seed", "3", "--no-users")
    assert written.exit_code == 0, written.output
    assert words["demo"] in written.output and all(word in written.output for word in words["tables"])
    assert "bank_transactions" not in written.output and "bill_vas" not in written.output
    again = cli("demo", "--scale", "small", "--seed", "3", "--no-users")
    assert again.exit_code == 2 and words["full"] in one_line(again.output) and "bank_transactions" not in again.output


def test_cliadmin003_backup_and_restore_say_what_they_did_or_refused(cli, lang, tmp_path):
    words = WORDS[lang]
    cli("init")
    copy = tmp_path / "salinan.db"
    written = cli("backup", str(copy))
    assert written.exit_code == 0 and words["backup"] in written.output
    restored = cli("restore", str(copy), "--yes")
    assert restored.exit_code == 0 and words["restored"] in restored.output
    missing = cli("restore", str(tmp_path / "tidak-ada.db"), "--yes")
    assert missing.exit_code == 2 and one_line(missing.output).startswith(words["nofile"])
    machine = json.loads(cli("restore", str(tmp_path / "tidak-ada.db"), "--yes", "--json").output)
    assert machine["ok"] is False and machine["error"].startswith("restore: no backup file at"), "--json in English"


def test_cliadmin004_the_store_copy_names_tables_in_words(cli, lang, tmp_path, monkeypatch):
    words = WORDS[lang]
    cli("init")
    target = f"sqlite:///{tmp_path / 'tujuan.db'}"
    copied = cli("store", "copy", "--to", target)
    assert copied.exit_code == 0, copied.output
    assert words["tables"][0] in copied.output and "bill_kinds" not in copied.output
    monkeypatch.setenv("PANTAU_DATABASE_URL", target)
    cli("tokens", "add", "hanya-di-tujuan", "--purpose", "agent")
    monkeypatch.delenv("PANTAU_DATABASE_URL")
    again = cli("store", "copy", "--to", target)
    said = ("gagal: salin basis data: basis data tujuan sudah berisi data (di token API, " if lang == "id" else
            "error: store copy: the target store already holds data (in API tokens, ")
    assert again.exit_code == 2 and said in one_line(again.output), again.output
    assert "store copy: the target store" in json.loads(cli("store", "copy", "--to", target, "--json").output)["error"]


def test_cliadmin005_tokens_are_issued_revoked_and_refused_in_words(cli, lang):
    words = WORDS[lang]
    cli("init")
    added = cli("tokens", "add", "agen-1", "--purpose", "agent")
    assert added.exit_code == 0 and words["token"] in added.output
    assert words["twice"] in one_line(cli("tokens", "add", "agen-1", "--purpose", "agent").output)
    assert words["purpose"] in one_line(cli("tokens", "add", "agen-2", "--purpose", "lain").output)
    assert words["revoked"] in cli("tokens", "revoke", "agen-1").output


def test_cliadmin006_collect_once_in_words(cli, lang):
    words = WORDS[lang]
    cli("init")
    ran = cli("collect", "--once", "--only", "bills")
    header, ok, message = words["collect"]
    assert ran.exit_code == 0 and header in ran.output and ok in ran.output, ran.output
    assert message in one_line(ran.output.replace("│", " "))


def test_cliadmin007_rows_set_aside_and_a_bad_bills_import_in_words(cli, lang, tmp_path, monkeypatch):
    words = WORDS[lang]
    export = tmp_path / "tagihan.csv"
    export.write_text(TAGIHAN, encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text(f'[sources.bills.ekspor]\nfile = "{export}"\nmax_bad_percent = 60\n', encoding="utf-8")
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    cli("init")
    synced = cli("sync", "bills")
    assert synced.exit_code == 0 and words["aside"] in synced.output, synced.output
    machine = json.loads(cli("sync", "bills", "--json").output)["sources"][0]["quarantined"][0]
    assert machine["reason"].startswith("not an amount"), "--json keeps the English reason"
    refused = cli("import", "bills", str(export))
    assert refused.exit_code == 1 and one_line(refused.output).startswith(words["bad"]), refused.output


def test_cliadmin008_a_bad_events_row_in_words(cli, lang, tmp_path):
    cli("init")
    events = tmp_path / "kejadian.csv"
    events.write_text("case_ref,step,completed_at\nK-1,9,2026-03-02 10:15\n", encoding="utf-8")
    refused = cli("import", "events", str(events), "--sop", "KTM")
    assert refused.exit_code == 1 and one_line(refused.output).startswith(WORDS[lang]["events"]), refused.output


def test_cliadmin009_the_monthly_report_without_a_channel_in_words(cli, lang):
    cli("init")
    unsent = cli("report", "monthly", "--month", "2026-10", "--send")
    assert unsent.exit_code == 1 and WORDS[lang]["send"] in one_line(unsent.output), unsent.output


def test_cliadmin010_a_catalogue_file_that_is_not_toml_in_words(cli, lang, tmp_path):
    cli("init")
    broken = tmp_path / "rusak.toml"
    broken.write_text("code = \n", encoding="utf-8")
    refused = cli("sop", "publish", str(broken))
    assert refused.exit_code == 2 and one_line(refused.output).startswith(WORDS[lang]["sop"]), refused.output
    assert "invalid TOML" in json.loads(cli("sop", "publish", str(broken), "--json").output)["error"]


def reading(at: datetime) -> HostSnapshot:
    return replace(host_snapshot(["/"], [], cpu_sample_s=0), hostname="web-1", taken_at=at, cpu_percent=12.0,
                   memory_percent=40.0)


def test_cliadmin011_the_agents_lines_in_the_configured_language(lang, capsys):
    words, answers = WORDS[lang], [Answer(False, None, "Connection refused"), Answer(True, 200),
                                    Answer(False, 401, "HTTP 401")]
    pusher = Pusher("http://x/api", "t", 10, interval_s=60, send=lambda *_: answers.pop(0), lang=lang)
    pusher.tick(reading(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)))
    assert words["waiting"] in one_line(capsys.readouterr().err)
    pusher.tick(reading(datetime(2026, 12, 1, 3, 1, tzinfo=UTC)))
    said = capsys.readouterr()
    assert words["pushed"] in said.out and words["token401"] in said.err, "the kept reading went, the new one refused"
