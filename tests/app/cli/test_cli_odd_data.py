"""Every command on a store not set up, an empty store, an unreachable one, and odd data (a user without a
unit, unknown names, empty, missing, non-UTF-8 and binary files): an exit code and one line, no traceback."""

from __future__ import annotations

import json

import pytest

UNREACHABLE = "postgresql+psycopg://pantau:s3cret-pw@127.0.0.1:{port}/pantau"


def refused(result, code: int, *words: str) -> str:
    """The result failed with `code`, its first line says every one of `words`, and there is no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and not (result.exception and not isinstance(result.exception,
                                                                                          SystemExit))
    first = next(line for line in result.output.splitlines() if line.strip())
    for word in words:
        assert word in first, result.output
    return first


READERS = [("users", "list"), ("report", "sla"), ("report", "monthly"), ("reconcile",), ("tokens", "revoke", "x"),
           ("users", "disable", "x"), ("users", "logout", "x"), ("users", "add", "x", "--role", "admin")]


@pytest.mark.parametrize("args", READERS, ids=lambda args: "-".join(args[:2]))
def test_cliodd001_a_store_not_set_up_is_one_line_naming_it_and_pantau_init(cli, tmp_path, args):
    refused(cli(*args), 3, f"database sqlite:///{tmp_path}/pantau.db", "not set up", "pantau init")


def test_cliodd002_json_commands_answer_json_when_the_store_is_not_set_up(cli):
    for args in (("report", "sla", "--json"), ("reconcile", "--json")):
        result = cli(*args)
        assert result.exit_code == 3
        answer = json.loads(result.output)
        assert answer["ok"] is False and "pantau init" in answer["error"]


def test_cliodd003_every_reading_command_works_on_an_empty_store(cli):
    assert cli("init").exit_code == 0
    assert cli("users", "list").exit_code == 0
    assert cli("report", "sla").exit_code == 0
    assert json.loads(cli("report", "sla", "--json").output)
    assert cli("report", "monthly").exit_code == 0
    assert json.loads(cli("reconcile", "--json").output)["cases"] == {"opened": 0, "reopened": 0, "cleared": 0}
    refused(cli("sync", "bills"), 2, "no bill source is configured")


def test_cliodd004_users_list_shows_users_without_unit_or_name(cli):
    cli("init")
    assert cli("users", "add", "budi", "--role", "operator", "--unit", "UPT TIK", "--password", "rahasia-12345",
               "--full-name", "Budi").exit_code == 0
    assert cli("users", "add", "ani", "--role", "operator", "--password", "rahasia-12345").exit_code == 0
    listed = cli("users", "list")
    assert listed.exit_code == 0, listed.output
    rows = {line.split("│")[1].strip(): line for line in listed.output.splitlines() if line.startswith("│")}
    assert "UPT TIK" in rows["budi"] and "Budi" in rows["budi"]
    assert [cell.strip() for cell in rows["ani"].split("│")[1:-1]] == ["ani", "", "Operator", "", "Ya", "–"]


@pytest.mark.parametrize(("args", "no"), [(("users", "disable", "nobody"), "tidak ada pengguna"),
                                          (("users", "logout", "nobody"), "tidak ada pengguna"),
                                          (("users", "passwd", "nobody", "--password", "rahasia-12345"),
                                           "tidak ada pengguna"),
                                          (("tokens", "revoke", "nobody"), "tidak ada token")],
                         ids=lambda value: "-".join(value[:2]) if isinstance(value, tuple) else None)
def test_cliodd005_unknown_names_are_one_line(cli, args, no):
    cli("init")
    refused(cli(*args), 2, "gagal:", no, "'nobody'")


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "empty.csv").write_bytes(b"")
    (folder / "binary.csv").write_bytes(b"\xff\xfe\x00\x01\x00\x9c")
    (folder / "latin.csv").write_bytes("kasus;tahap;selesai\nKÉ-1;1;02/03/2026 10:00\n".encode("cp1252"))
    return folder


@pytest.mark.parametrize("kind", ["events", "bank", "bills"])
@pytest.mark.parametrize("name", ["empty.csv", "binary.csv"])
def test_cliodd006_empty_and_binary_files_are_refused_in_one_line_naming_the_file(cli, files, kind, name):
    cli("init")
    extra = ("--sop", "KTM") if kind == "events" else ()
    refused(cli("import", kind, str(files / name), *extra), 1, name)


@pytest.mark.parametrize("kind", ["events", "bank", "bills"])
def test_cliodd007_a_missing_file_or_a_folder_is_a_usage_error(cli, files, kind):
    cli("init")
    extra = ("--sop", "KTM") if kind == "events" else ()
    for target in (files / "missing.csv", files):
        result = cli("import", kind, str(target), *extra)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "Invalid value for 'file'" in result.output


def test_cliodd008_a_windows_1252_events_file_imports_and_a_bills_one_names_its_missing_column(cli, files):
    cli("init")
    assert cli("import", "events", str(files / "latin.csv"), "--sop", "KTM").exit_code == 0
    refused(cli("import", "bills", str(files / "latin.csv")), 1, "kolom source_key: kolom tidak ada")


def test_cliodd009_bad_option_values_are_one_line(cli):
    cli("init")
    refused(cli("report", "sla", "--period", "x"), 2, "--period 'x'")
    refused(cli("report", "monthly", "--month", "abc"), 2, "--month 'abc'")
    refused(cli("report", "sla", "--sop", "NOPE"), 2, "unknown SOP 'NOPE'")
    refused(cli("restore", "/nonexistent/pantau.db", "--yes"), 2, "tidak ada file cadangan")


@pytest.mark.parametrize("args", [("init",), ("users", "list"), ("report", "sla"), ("reconcile",)],
                         ids=lambda args: "-".join(args))
def test_cliodd010_an_unreachable_database_is_one_line_with_its_url_masked(cli, monkeypatch, unused_tcp_port, args):
    monkeypatch.setenv("PANTAU_DATABASE_URL", UNREACHABLE.format(port=unused_tcp_port))
    result = cli(*args)
    line = refused(result, 3, f"database postgresql+psycopg://pantau:***@127.0.0.1:{unused_tcp_port}/pantau",
                   "cannot be used")
    assert "s3cret-pw" not in result.output and len(line) < 400


def test_cliodd011_an_unreachable_database_answers_json_with_json(cli, monkeypatch, unused_tcp_port):
    monkeypatch.setenv("PANTAU_DATABASE_URL", UNREACHABLE.format(port=unused_tcp_port))
    result = cli("report", "sla", "--json")
    assert result.exit_code == 3
    assert "***" in json.loads(result.output)["error"] and "s3cret-pw" not in result.output
