"""The `pantau` command's human output in the configured language (issue 19, words): roles, reconciliation
states, bill kind groups and months by name, sentences in that language; `--json` keeps the codes."""

from __future__ import annotations

import json

import pytest

WORDS = {
    "id": {"created": "Pengguna rina (Kepala Unit IT) dibuat.", "role": "Kepala Unit IT", "active": "Ya",
           "headers": ("Nama pengguna", "Peran", "Terakhir masuk"), "disabled": "rina tidak dapat masuk lagi.",
           "refused": "tidak ada pengguna bernama 'siapa'", "kinds": ("Kode", "Kelompok jenis", "Ditetapkan oleh"),
           "added": "Ditambahkan: –", "recon": ("Rekonsiliasi (", "Berubah: 0 tagihan, 0 setoran bank."),
           "report": "Laporan Okt 2026 ditulis ke",
           "bills": "tagihan.csv (sumber export): 1 tagihan dibaca, 1 baru atau berubah, 0 ditandai terhapus.",
           "nothing": "Tidak ada yang diimpor.",
           "sync": "ekspor: 1 baris dibaca, 1 baru atau berubah, 0 ditandai terhapus, 0 disisihkan."},
    "en": {"created": "User rina (Head of IT) created.", "role": "Head of IT", "active": "Yes",
           "headers": ("Username", "Role", "Last log-in"), "disabled": "rina can no longer log in.",
           "refused": "no user named 'siapa'", "kinds": ("Code", "Kind group", "Set by"),
           "added": "Added: –", "recon": ("Reconciliation (", "Changed: 0 bills, 0 bank credits."),
           "report": "Report Oct 2026 written to",
           "bills": "tagihan.csv (source export): 1 bills read, 1 new or changed, 0 marked deleted.",
           "nothing": "Nothing was imported.",
           "sync": "ekspor: 1 rows read, 1 new or changed, 0 marked deleted, 0 set aside."},
}


@pytest.fixture(params=["id", "en"])
def lang(request, monkeypatch):
    monkeypatch.setenv("PANTAU_LANGUAGE", request.param)
    return request.param


def test_cliwords001_users_by_role_name_in_the_configured_language(cli, lang):
    words = WORDS[lang]
    assert cli("init").exit_code == 0
    added = cli("users", "add", "rina", "--role", "kepala_it", "--password", "rahasia-12345")
    assert added.exit_code == 0 and words["created"] in added.output
    listed = cli("users", "list").output
    assert words["role"] in listed and "kepala_it" not in listed, "the role by its name, not its code"
    assert all(header in listed for header in words["headers"]) and words["active"] in listed
    assert words["disabled"] in cli("users", "disable", "rina").output
    refused = cli("users", "logout", "siapa")
    assert refused.exit_code == 2 and words["refused"] in refused.output


def test_cliwords002_bill_kinds_by_group_name_and_reconciliation_states_in_words(cli, lang):
    words = WORDS[lang]
    assert cli("init").exit_code == 0
    listed = cli("kinds", "list").output
    assert all(header in listed for header in words["kinds"])
    assert ("Biaya pendidikan" if lang == "id" else "Tuition") in listed, "the group by its name"
    synced = cli("kinds", "sync")
    assert synced.exit_code == 0 and words["added"] in synced.output
    assert json.loads(cli("kinds", "sync", "--json").output) == {"added": [], "updated": [], "kept": []}
    reconciled = cli("reconcile")
    assert reconciled.exit_code == 0 and all(part in reconciled.output for part in words["recon"])
    assert "opened" in json.loads(cli("reconcile", "--json").output)["cases"], "--json keeps its keys"


def test_cliwords003_the_monthly_report_says_where_it_wrote_in_the_configured_language(cli, lang, tmp_path):
    assert cli("init").exit_code == 0
    written = cli("report", "monthly", "--month", "2026-10", "--html", str(tmp_path / "laporan.html"))
    assert written.exit_code == 0 and WORDS[lang]["report"] in written.output and "2026-10" not in written.output


def test_cliwords004_a_bills_import_says_what_it_stored_or_refused_in_the_configured_language(cli, lang, tmp_path):
    assert cli("init").exit_code == 0
    export = tmp_path / "tagihan.csv"
    export.write_text("source_key;kind;amount;va_number;due_date;semester;payer_name;paid\n"
                      "TGH-1;registrasi;1500000;98810002;2026-12-15;20261;Budi Santoso;LUNAS\n", encoding="utf-8")
    stored = cli("import", "bills", str(export))
    assert stored.exit_code == 0 and WORDS[lang]["bills"] in stored.output
    export.write_text(export.read_text(encoding="utf-8").replace("1500000", "satu juta"), encoding="utf-8")
    refused = cli("import", "bills", str(export))
    assert refused.exit_code == 1 and WORDS[lang]["nothing"] in refused.output


def test_cliwords005_a_bill_sync_says_what_it_did_in_the_configured_language(cli, lang, tmp_path, monkeypatch):
    export = tmp_path / "tagihan.csv"
    export.write_text("source_key,kind,amount,va_number,due_date,semester\nT-1,ukt,1000000,9881,2026-03-01,20252\n",
                      encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text(f'[sources.bills.ekspor]\nfile = "{export}"\n', encoding="utf-8")
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    assert cli("init").exit_code == 0
    synced = cli("sync", "bills")
    assert synced.exit_code == 0 and WORDS[lang]["sync"] in synced.output
    assert json.loads(cli("sync", "bills", "--json").output)["sources"][0]["status"] == "synced"
