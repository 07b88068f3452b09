"""`pantau import bank` for scripts: the --json summary, and exit status 1 with nothing stored on a
refused file, said in one line in the UI language (nothing but the JSON with --json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from pantau.db import make_engine
from pantau.migrate import upgrade

DATA = Path(__file__).resolve().parents[2] / "data" / "bank"


def _env(tmp_path) -> dict:
    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    upgrade(make_engine(url))
    return {"PANTAU_DATA_DIR": str(tmp_path), "PANTAU_DATABASE_URL": url, "PANTAU_CONFIG": ""}


def test_ic001_json_summary_counts_lines_payments_and_duplicates(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "bank", str(DATA / "bni_ecollection.jsonl"), "--json"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {key: summary[key] for key in ("status", "format", "lines_read", "added", "payments_added", "duplicates",
                                          "rejected")} == {"status": "imported", "format": "bni", "lines_read": 5,
                                                           "added": 3, "payments_added": 3, "duplicates": 1,
                                                           "rejected": 0}


def test_ic002_a_refused_file_exits_1_and_names_line_and_field(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "bank", str(DATA / "bad_amount.sta"), "--format", "mt940"],
                           env=_env(tmp_path))
    assert result.exit_code == 1
    assert "baris 7, kolom :61: amount, nilai '1.500.000,x'" in result.stderr
    assert "Tidak ada yang diimpor." in result.stderr


def _import(tmp_path, path: Path, *options: str, language: str | None = None):
    env = _env(tmp_path) | ({"PANTAU_LANGUAGE": language} if language else {})
    return CliRunner().invoke(app, ["import", "bank", str(path), *options], env=env)


def test_feed028_a_refused_file_with_json_prints_only_the_json_naming_format_line_and_field(tmp_path):
    """--json on a refused file: only the JSON on stdout, format, line, field and message."""
    result = _import(tmp_path, DATA / "bad_amount.sta", "--json")

    assert result.exit_code == 1 and result.stderr == ""
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["format"]) == ("rejected", "mt940")
    assert summary["error"] == {
        "file": str(DATA / "bad_amount.sta"), "line": 7, "field": ":61: amount", "value": "1.500.000,x",
        "reason": "not a number (digits with an optional ',' and up to two decimals)",
        "message": "bad_amount.sta (MT940) baris 7, kolom :61: amount, nilai '1.500.000,x': bukan angka (angka, boleh"
                   " dengan ',' dan paling banyak dua desimal)",
    }


@pytest.mark.parametrize(("language", "expected"), [
    ("id", "galat: balance_mismatch.sta (MT940) baris 9, kolom :62F:, nilai '6060000.00': saldo awal 5000000.00"
           " ditambah mutasi +1050000.00 menjadi 6050000.00, tetapi saldo akhirnya 6060000.00 (selisih +10000.00)."
           " Tidak ada yang diimpor.\n"),
    ("en", "error: balance_mismatch.sta (MT940) line 9, field :62F:, value '6060000.00': opening balance 5000000.00"
           " plus entries +1050000.00 gives 6050000.00, but the closing balance is 6060000.00 (difference"
           " +10000.00). Nothing was imported.\n"),
])
def test_feed029_a_refused_file_is_one_line_on_stderr_in_the_ui_language(tmp_path, language, expected):
    """Without --json: one line on stderr in the configured language, nothing on stdout."""
    result = _import(tmp_path, DATA / "balance_mismatch.sta", language=language)

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected)


def test_feed030_the_mt940_package_s_refusal_reaches_neither_stdout_nor_stderr(tmp_path):
    """Neither the package's log nor a traceback reaches the terminal."""
    path = tmp_path / "supplementary.sta"
    path.write_text((DATA / "standard.sta").read_text().replace("NONREF//BR24066001", "NON2REF/C/BR24066\n001"))

    result = _import(tmp_path, path, "--json")
    plain = _import(tmp_path, path)

    assert result.stderr == "" and json.loads(result.stdout)["error"]["reason"] == "not a valid :61: statement line"
    assert plain.stdout == "" and plain.stderr.count("\n") == 1 and "baris mutasi :61: tidak sah" in plain.stderr


def test_feed031_a_refused_detected_fragment_reports_the_format_it_was_read_as(tmp_path):
    """A refused auto-detected fragment reports mt940, not null."""
    path = tmp_path / "potongan.sta"
    path.write_text("\n".join((DATA / "standard.sta").read_text().splitlines()[4:]) + "\n")

    summary = json.loads(_import(tmp_path, path, "--json").stdout)

    assert (summary["format"], summary["error"]["line"], summary["error"]["field"]) == ("mt940", 1, ":60F:")


@pytest.mark.parametrize(("name", "fmt"), [
    ("header_only.csv", "csv"), ("empty_statement.sta", "mt940"), ("camt053_empty.xml", "camt053"),
    ("bni_empty.jsonl", "bni"), ("briva_blank_lines.jsonl", "briva"),
])
def test_feed032_a_file_without_entries_imports_as_zero_entries(tmp_path, name, fmt):
    """A statement, log or export without entries imports as zero entries."""
    result = _import(tmp_path, DATA / name, "--json")

    assert (result.exit_code, result.stderr) == (0, ""), result.output
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["format"], summary["added"], summary["error"]) == ("imported", fmt, 0, None)


@pytest.mark.parametrize(("name", "added", "payments"), [
    ("soh_etx_wrapped.sta", 3, 2), ("blank_entry_date.sta", 2, 1), ("banner_header.sta", 1, 1),
    ("structured_86.sta", 2, 1), ("fragment_no_20.sta", 1, 1), ("cr_only.sta", 2, 1),
    ("latin1_narrative.sta", 1, 1), ("bom_utf8.sta", 2, 1), ("export_cp1252.csv", 2, 1),
    ("bni_bom_crlf.jsonl", 2, 2),
])
def test_feed033_unusual_but_sound_files_import_whole(tmp_path, name, added, payments):
    """The unusual samples import whole, with their entries and payments."""
    result = _import(tmp_path, DATA / name, "--json")

    assert (result.exit_code, result.stderr) == (0, ""), result.output
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["added"], summary["payments_added"]) == ("imported", added, payments)


def test_ic003_json_reports_links_and_the_balance_chain_and_the_text_says_them(tmp_path):
    from bank_files import Line, bni, mt940, write

    va = "9880012300000009"
    logs = [write(tmp_path, f"bni-{n}.jsonl", [bni(f"10000{n}", va, 50_000, f"2026-12-02 1{n}:00:00")]) for n in (1, 2)]
    lines = [Line("261202", 50_000, "FT1", f"VA {va}"), Line("261202", 50_000, "FT2", f"VA {va}")]
    statement = write(tmp_path, "dec2.sta", mt940(7, 1_000_000, lines, opens="261201", closes="261202"))
    env = _env(tmp_path)
    for log in logs:
        assert CliRunner().invoke(app, ["import", "bank", str(log)], env=env).exit_code == 0
    summary = json.loads(CliRunner().invoke(app, ["import", "bank", str(statement), "--json"], env=env).stdout)
    assert {key: summary[key] for key in ("added", "payments_added", "linked", "to_check", "duplicates")} == {
        "added": 2, "payments_added": 0, "linked": 2, "to_check": 0, "duplicates": 0}
    assert [(b["statement"], b["status"], b["opening_balance"]) for b in summary["balance"]] == [
        ("7/1", "first", "1000000.00")]
    gap = write(tmp_path, "dec4.sta", mt940(9, 5, [Line("261204", 1_000, "FT9")], opens="261203", closes="261204"))
    said = CliRunner().invoke(app, ["import", "bank", str(gap)], env=env)
    assert said.exit_code == 0, said.output
    assert "1 mutasi disimpan: 1 pembayaran baru, 0 bukti tambahan" in said.stdout
    assert ("Rantai saldo: rekening koran 9/1 rekening 0987654321 dibuka dengan 5.00, seharusnya 1100000.00."
            in said.stdout)
