"""Empty and unusual input: statements without entries, line endings, encodings, MT940 variants as banks
send them, and refusals that name format, line and field in the UI language."""

from __future__ import annotations

import json
import logging
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from collectors.bankfeeds import (
    BalanceMismatch,
    ColumnMapping,
    FeedError,
    detect_format,
    parse_file,
    read_tabular_frame,
    tried_format,
)
from collectors.bankfeeds.errors import localised
from collectors.bankfeeds.values import structured_narrative

EXPORT = ColumnMapping(date="date", amount="amount", reference="reference", va="va", name="name",
                       description="description")
ENDINGS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


def _entries(path: Path, fmt: str = "auto", mapping: ColumnMapping | None = None) -> list[tuple]:
    statement = parse_file(path, fmt, mapping=mapping)
    return [(e.line_no, e.direction, e.amount, e.va_number, e.payment_ref, e.payer_name, e.description)
            for e in statement.entries]


def _rewrite(source: Path, target: Path, ending: str = "\n", encoding: str = "utf-8", bom: bool = False) -> Path:
    text = "\n".join(source.read_text(encoding="utf-8-sig").splitlines()) + "\n"
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode(encoding))
    return target


def _refusal(path: Path, fmt: str = "auto") -> FeedError:
    with pytest.raises(FeedError) as raised:
        parse_file(path, fmt)
    return raised.value


def test_feed001_mt940_statement_without_entries_is_zero_entries_with_its_balance_checked(bank_data):
    """A day without entries: zero entries, the opening and closing balances read."""
    statement = parse_file(bank_data / "empty_statement.sta")

    assert (statement.source_format, statement.entries) == ("mt940", [])
    assert statement.opening_balance == statement.closing_balance == Decimal("6050000.00")


def test_feed002_mt940_statement_without_entries_whose_balances_differ_is_refused(tmp_path, bank_data):
    """The balance of an empty statement is still checked."""
    path = tmp_path / "empty.sta"
    text = (bank_data / "empty_statement.sta").read_bytes()
    path.write_bytes(text.replace(b":62F:C240307IDR6050000", b":62F:C240307IDR6060000"))

    error = _refusal(path)

    assert isinstance(error, BalanceMismatch)
    assert (error.line, error.field, error.difference) == (5, ":62F:", Decimal("10000.00"))


def test_feed003_camt053_statement_with_balances_and_no_ntry_is_zero_entries(bank_data):
    """A camt.053 Stmt with its balances and no Ntry is zero entries."""
    statement = parse_file(bank_data / "camt053_empty.xml")

    assert (statement.source_format, statement.entries, statement.account) == ("camt053", [], "033501001234567")
    assert statement.opening_balance == statement.closing_balance == Decimal("87500000.00")


@pytest.mark.parametrize(("name", "flavour"), [("bni_empty.jsonl", "bni"), ("briva_blank_lines.jsonl", "briva")])
def test_feed004_empty_notification_log_is_zero_entries_named_by_its_file(bank_data, name, flavour):
    """An empty log is detected by its name and read as zero notifications."""
    assert detect_format(bank_data / name) == flavour
    assert parse_file(bank_data / name).entries == []


@pytest.mark.parametrize("flavour", ["bni", "briva", "snap"])
def test_feed005_notification_log_of_blank_lines_is_zero_entries_in_every_flavour(bank_data, flavour):
    """Blank lines are no notifications, whichever flavour reads them."""
    statement = parse_file(bank_data / "briva_blank_lines.jsonl", flavour)

    assert (statement.source_format, statement.entries, statement.lines_read) == (flavour, [], 3)


def test_feed006_empty_files_that_are_not_logs_are_refused_as_their_format(tmp_path):
    """An empty statement or export is refused, named as the format its name says."""
    for name, fmt, field in (("kosong.sta", "mt940", ":20:"), ("kosong.csv", "csv", None)):
        (tmp_path / name).write_bytes(b"\r\n")
        error = _refusal(tmp_path / name)
        assert (error.format, error.field) == (fmt, field)


def test_feed007_csv_export_with_only_its_header_is_zero_entries_with_typed_columns(bank_data, mandiri_mapping):
    """A header without rows is zero entries, and the fast path's text columns stay pyarrow strings."""
    assert parse_file(bank_data / "header_only.csv").entries == []
    assert parse_file(bank_data / "mandiri_mutasi_header_only.csv", mapping=mandiri_mapping).entries == []

    frame = read_tabular_frame(bank_data / "header_only.csv")

    assert len(frame) == 0
    for column in ("source_format", "bank_ref", "account", "va_number", "bill_ref", "payer_name", "description"):
        assert frame[column].dtype == pd.StringDtype("pyarrow"), column
        assert frame[column].str.len().tolist() == []


def test_feed008_xlsx_export_with_only_its_header_is_zero_entries_with_typed_columns(tmp_path):
    """The same holds for an XLSX export."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["date", "amount", "reference", "va", "name", "description"])
    workbook.save(tmp_path / "mutasi.xlsx")

    assert parse_file(tmp_path / "mutasi.xlsx").entries == []
    frame = read_tabular_frame(tmp_path / "mutasi.xlsx")
    assert len(frame) == 0 and frame["va_number"].dtype == pd.StringDtype("pyarrow")


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize(("name", "mapping"), [
    ("standard.sta", None), ("bni_ecollection.jsonl", None), ("bni_export.csv", "bni_export_mapping"),
])
def test_feed009_lf_crlf_and_cr_line_endings_read_the_same(request, tmp_path, bank_data, name, mapping, ending):
    """Line endings change neither entries nor line numbers."""
    columns = request.getfixturevalue(mapping) if mapping else None
    expected = _entries(_rewrite(bank_data / name, tmp_path / f"lf-{name}"), mapping=columns)

    assert _entries(_rewrite(bank_data / name, tmp_path / name, ENDINGS[ending]), mapping=columns) == expected
    assert expected


def test_feed010_cr_only_mt940_sample_reads_as_the_standard_statement(bank_data):
    """The CR-only sample reads as the LF statement it copies."""
    assert b"\n" not in (bank_data / "cr_only.sta").read_bytes()
    assert _entries(bank_data / "cr_only.sta") == _entries(bank_data / "standard.sta")


@pytest.mark.parametrize(("name", "mapping"), [
    ("latin1_narrative.sta", None), ("export_cp1252.csv", EXPORT), ("bni_ecollection.jsonl", None),
])
@pytest.mark.parametrize("encoding", ["utf-8-bom", "cp1252"])
def test_feed011_utf8_with_bom_and_windows_1252_read_the_same_as_utf8(tmp_path, bank_data, name, mapping, encoding):
    """A BOM or Windows-1252 text reads as the same entries as plain UTF-8."""
    source = tmp_path / f"source-{name}"
    source.write_text((bank_data / name).read_bytes().decode("cp1252" if "1252" in name or "latin1" in name
                                                              else "utf-8").replace("BUDI", "BUDÍ"), encoding="utf-8")
    expected = _entries(source, mapping=mapping)
    path = _rewrite(source, tmp_path / name, "\r\n", "cp1252" if encoding == "cp1252" else "utf-8",
                    bom=encoding == "utf-8-bom")

    assert _entries(path, mapping=mapping) == expected
    assert not str(expected).isascii()


def test_feed012_latin1_and_bom_samples_keep_their_text(bank_data):
    """The latin-1, cp1252 and BOM samples keep their text."""
    [latin] = _entries(bank_data / "latin1_narrative.sta")
    assert latin[3] == "9880012300007777" and "ANDRÉ NAPITUPULU – NO. VA" in latin[-1]
    assert _entries(bank_data / "bom_utf8.sta") == _entries(bank_data / "standard.sta")
    assert [row[5] for row in _entries(bank_data / "export_cp1252.csv", mapping=EXPORT)] == ["ANDRÉ NAPITUPULU", None]


def test_feed013_soh_etx_wrapped_messages_import_as_their_statements(bank_data):
    """Two SOH/ETX-wrapped FIN messages are two statements, in one balance chain."""
    path = bank_data / "soh_etx_wrapped.sta"
    assert path.read_bytes().count(b"\x01") == 2 and b"\x03\x01{1:" in path.read_bytes()

    statement = parse_file(path)

    assert [(e.line_no, e.amount, e.va_number) for e in statement.entries] == [
        (6, Decimal("1250000.00"), None), (8, Decimal("200000.00"), None),
        (16, Decimal("750000.00"), "9880012300001234"),
    ]
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("5000000.00"), Decimal("6800000.00"))


@pytest.mark.parametrize("wrapped", [
    "\x01:20:STARTUMS\n{rest}\x03\n",
    "\x01{{1:F01BNINIDJAXXXX0000000000}}{{2:O9400115240307BNINIDJAXXXX}}{{4::20:STARTUMS\n{rest}\n-}}\x03",
    "\x01\n:20:STARTUMS\n{rest}\n-\x03\n$\n",
])
def test_feed014_soh_etx_anywhere_around_the_message_are_not_part_of_it(tmp_path, bank_data, wrapped):
    """SOH, ETX and $ separators around a message, with or without its envelope, are skipped."""
    rest = "\n".join((bank_data / "standard.sta").read_text().splitlines()[1:])
    path = tmp_path / "wrapped.sta"
    path.write_text(wrapped.format(rest=rest))

    assert detect_format(path) == "mt940"
    assert [row[1:] for row in _entries(path)] == [row[1:] for row in _entries(bank_data / "standard.sta")]


def test_feed015_blank_entry_date_books_on_the_value_date(bank_data):
    """Four spaces for the entry date: the entry is booked on its value date."""
    statement = parse_file(bank_data / "blank_entry_date.sta")

    assert [(e.booking_date.isoformat(), e.value_date.isoformat(), e.amount) for e in statement.entries] == [
        ("2024-03-06", "2024-03-06", Decimal("1250000.00")), ("2024-03-06", "2024-03-06", Decimal("200000.00")),
    ]


@pytest.mark.parametrize(("start", "field", "value"), [
    (":61:2403060    C", ":61:", "2403060    C1250000,00NTRFNONREF//BR24066001"),
    (":61:2403061345C", ":61: entry date", "1345"),
    (":61:2402300306C", ":61: value date", "240230"),
])
def test_feed016_a_misplaced_or_impossible_date_is_refused_at_its_line(tmp_path, bank_data, start, field, value):
    """A date that is misplaced or not in the calendar is refused at its line and part."""
    path = tmp_path / "date.sta"
    path.write_text((bank_data / "blank_entry_date.sta").read_text().replace(":61:240306    C", start, 1))

    error = _refusal(path)

    assert (error.format, error.line, error.field, error.value) == ("mt940", 5, field, value)


def test_feed017_export_banner_before_and_between_statements_is_skipped(tmp_path, bank_data):
    """A bank's banner before :20:, and again before the next statement, is skipped."""
    statement = parse_file(bank_data / "banner_header.sta")
    assert [(e.line_no, e.va_number) for e in statement.entries] == [(11, "9880012300002345")]

    banner = (bank_data / "banner_header.sta").read_text()
    path = tmp_path / "two.sta"
    path.write_text(banner + "\n" + banner.replace(":28C:00005/001", ":28C:00006/001")
                    .replace(":62F:C240306IDR255993500,00", ":62F:C240306IDR258243500,00")
                    .replace(":60F:C240306IDR253743500,00", ":60F:C240306IDR255993500,00"))

    assert len(parse_file(path).entries) == 2


def test_feed018_structured_86_is_kept_as_readable_narrative_and_searched(bank_data):
    """?NN subfields become one plain narrative, searched for VA and NTB, with the payer."""
    credit, fee = parse_file(bank_data / "structured_86.sta").entries

    assert credit.description == "PEMBAYARAN VA 9880012300001234 NTB 233171 HEREGISTRASI SEM GENAP NIM 2301234567"
    assert (credit.va_number, credit.payment_ref, credit.payer_name) == ("9880012300001234", "233171", "BUDI SANTOSO")
    assert (fee.description, fee.payer_name) == ("BIAYA ADMINISTRASI BULANAN MARET 2024", None)
    assert "?" not in credit.description + fee.description


def test_feed019_subfields_run_on_only_when_filled_to_27_characters():
    """Subfields run on when filled to 27 characters, else a space follows; free text is left alone."""
    assert structured_narrative("166?00GUTSCHRIFT?20PEMBAYARAN VA 9880012300001?21234?22SPP?32SITI?33 AMINAH") == (
        "PEMBAYARAN VA 9880012300001234 SPP", "SITI AMINAH",
    )
    assert structured_narrative("?20SETORAN?60TUNAI") == ("SETORAN TUNAI", None)
    assert structured_narrative("PEMBAYARAN VA 9880012300001234 ?20") is None


def test_feed020_statement_narrative_after_the_closing_balance_is_no_entry_s(tmp_path, bank_data):
    """A :86: after the closing balance belongs to the statement, not to its last entry."""
    path = tmp_path / "info.sta"
    trailer = ":64:C240306IDR6050000,00\n:86:INFO VA 9880012300009999\n"
    path.write_text((bank_data / "standard.sta").read_text() + trailer)

    assert [e.va_number for e in parse_file(path).entries] == [None, None]


@pytest.mark.parametrize("start", [":25:", ":28C:", ":60F:"])
def test_feed021_fragment_without_20_is_read_as_mt940(tmp_path, bank_data, start):
    """A fragment starting at :25:, :28C: or :60F: is detected and read as MT940."""
    lines = (bank_data / "fragment_no_20.sta").read_text().splitlines()
    path = tmp_path / "fragment.sta"
    path.write_text("\n".join(lines[next(i for i, line in enumerate(lines) if line.startswith(start)):]) + "\n")

    assert detect_format(path) == "mt940"
    [entry] = parse_file(path).entries
    assert (entry.amount, entry.va_number, entry.account) == (
        Decimal("2250000.00"), "9880012300002345", "1230007654321" if start == ":25:" else None)


def test_feed022_fragment_starting_at_an_entry_is_refused_as_mt940_at_its_line(tmp_path, bank_data):
    """A fragment starting at an entry is refused as MT940 at the balance it lacks."""
    path = tmp_path / "fragment.sta"
    path.write_text("\n".join((bank_data / "standard.sta").read_text().splitlines()[4:]) + "\n")

    error = _refusal(path)

    assert (error.format, error.line, error.field, error.reason) == ("mt940", 1, ":60F:", "opening balance missing")
    assert str(error).startswith("fragment.sta (MT940) line 1, field :60F:")


def test_feed023_refusal_names_the_format_tried(tmp_path, bank_data):
    """A refusal names the format tried: asked for, detected, or H2H for an unknown JSON log."""
    (tmp_path / "log.jsonl").write_text('{"payment_ntb": "1"\n')
    assert [_refusal(bank_data / name).format for name in ("bad_amount.sta", "camt053_truncated.xml",
                                                          "bni_bad_fields.jsonl")] == ["mt940", "camt053", "bni"]
    assert _refusal(tmp_path / "log.jsonl").format == "h2h"
    assert _refusal(bank_data / "standard.sta", "csv").format == "csv"
    later = FeedError("header_only.csv", 2, "va_number", "9" * 40, "longer than {limit} characters", limit=32)
    assert tried_format(later, bank_data / "header_only.csv").format == "csv"
    assert tried_format(FeedError("x.csv", 1, None, None, "no header line"), Path("x.csv"), "xlsx").format == "xlsx"


def test_feed024_package_refusal_is_one_plain_line_and_nothing_is_logged(tmp_path, bank_data, capsys, caplog):
    """The mt-940 package's refusal is one plain line; its regex dump is not logged."""
    path = tmp_path / "supplementary.sta"
    path.write_text((bank_data / "standard.sta").read_text().replace("NONREF//BR24066001", "NON2REF/C/BR24066\n001"))

    with caplog.at_level(logging.DEBUG):
        error = _refusal(path)

    assert (error.line, error.field, error.reason) == (5, ":61:", "not a valid :61: statement line")
    assert "\n" not in str(error) and "object at" not in str(error) and "(?P<" not in str(error)
    assert caplog.records == [] and capsys.readouterr() == ("", "")


def test_feed025_a_zip_that_is_no_workbook_is_refused_in_plain_words(tmp_path):
    """A zip that holds no workbook, or a damaged one, is refused in words, not a traceback or repr."""
    with zipfile.ZipFile(tmp_path / "mutasi.xlsx", "w") as archive:
        archive.writestr("mutasi.csv", "date,amount\n")

    error = _refusal(tmp_path / "mutasi.xlsx")

    assert str(error) == "mutasi.xlsx (XLSX): a zip file, but not an XLSX workbook"
    assert error.message("id") == "mutasi.xlsx (XLSX): file zip, tetapi bukan workbook XLSX"
    (tmp_path / "rusak.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(60)))
    assert _refusal(tmp_path / "rusak.xlsx").reason.startswith("not a readable XLSX workbook (")


@pytest.mark.parametrize(("name", "fmt"), [
    ("bad_amount.sta", "auto"), ("balance_mismatch.sta", "auto"), ("truncated.sta", "auto"),
    ("camt053_bad_amount.xml", "auto"), ("camt053_truncated.xml", "auto"), ("bni_bad_fields.jsonl", "auto"),
    ("bni_bad_json.jsonl", "bni"), ("mandiri_mutasi.csv", "auto"), ("standard.sta", "xlsx"),
])
def test_feed026_every_refusal_reads_in_indonesian_with_its_parts(bank_data, name, fmt):
    """Every refusal has its fixed words and reason in Indonesian."""
    error = _refusal(bank_data / name, fmt)
    english, indonesian = error.message("en"), error.message("id")

    assert english == str(error) and indonesian != english
    assert error.reason not in indonesian
    assert " line " not in indonesian and " field " not in indonesian and " value " not in indonesian
    assert indonesian.startswith(f"{name} (")


def test_feed027_json_error_keeps_machine_fields_and_one_message_per_reader(bank_data):
    """As data: the English fields for scripts, and one message in the reader's language."""
    error = _refusal(bank_data / "bad_amount.sta")

    data = json.loads(json.dumps(error.as_dict()))
    assert set(data) == {"file", "line", "field", "value", "reason", "messages"}
    assert localised(data, "id") == {
        "file": str(bank_data / "bad_amount.sta"), "line": 7, "field": ":61: amount", "value": "1.500.000,x",
        "reason": "not a number (digits with an optional ',' and up to two decimals)",
        "message": "bad_amount.sta (MT940) baris 7, kolom :61: amount, nilai '1.500.000,x': bukan angka (angka, boleh"
                   " dengan ',' dan paling banyak dua desimal)",
    }
    assert localised(data, "en")["message"] == str(error)
