"""Downloads are safe to open in a spreadsheet (no formula from user text, OWASP CSV injection) and answer for
every role with every filter: the permitted roles get a file, empty or full, the others a refusal, never 500.
By default a download speaks the reader's language (headers and codes in words, XLSX cells typed: Rupiah,
dates in WIB, counts, percentages; a bold frozen header, fitted widths); the machine-columns switch gives
snake_case headers and the codes (issue 19, words)."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import UTC
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from demo_web import UPDATE, demo_web, page, payload
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.components.workbook import defuse, defused, xlsx
from dashboard.pages.payments_figures import RECON_STATES as STATE_WORDS
from pantau.db import session_scope
from pantau.models import Bill
from pantau.models.workflow import StepResult

FORMULA = '=HYPERLINK("http://x","klik")'
PAYMENT_ROLES = ("bendahara", "direktur", "admin")
SLA_USERS = ("direktur", "kepala_it", "bendahara", "operator", "admin", "ops.ktm", "ops.kso")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    web = demo_web(tmp_path_factory.mktemp("exports"))
    with session_scope(web.engine) as session:
        bill = session.scalars(select(Bill).order_by(Bill.id)).first()
        bill.payer_name = FORMULA
    return web


BILL_MACHINE = ["bill", "payer_name", "va_number", "prodi", "angkatan", "semester", "kind", "amount",
                "app_paid_amount", "bank_received", "due_date", "recon_state"]
BILL_HUMAN = {"id": ["Nomor tagihan", "Nama pembayar", "Nomor VA", "Program studi", "Angkatan", "Semester",
                     "Jenis tagihan", "Jumlah (Rp)", "Dibayar di aplikasi (Rp)", "Diterima bank (Rp)", "Jatuh tempo",
                     "Rekonsiliasi"],
              "en": ["Bill number", "Payer name", "VA number", "Study programme", "Intake year", "Semester",
                     "Bill kind", "Amount (Rp)", "Paid in the app (Rp)", "Received by the bank (Rp)", "Due date",
                     "Reconciliation"]}
RUPIAH_FORMAT = '"Rp" #,##0'


def _payments(kind: str, search: str | None, semester: str | None = None, machine: bool | None = None,
              state: str | None = None) -> dict:
    return payload([("payments-download", "data")],
                   [(f"payments-download-{kind}", "n_clicks", 1),
                    ("payments-download-xlsx" if kind == "csv" else "payments-download-csv", "n_clicks", None)],
                   [("payments-semester", "value", semester), ("payments-kinds", "value", None),
                    ("payments-prodi", "value", None), ("payments-angkatan", "value", None),
                    ("payments-state", "value", state), ("payments-search", "value", search),
                    ("payments-download-machine", "value", machine)])


def _sla(kind: str, sop: str | None, period: str | None, machine: bool | None = None) -> dict:
    return payload([("sla-download", "data")],
                   [(f"sla-download-{kind}", "n_clicks", 1),
                    ("sla-download-xlsx" if kind == "csv" else "sla-download-csv", "n_clicks", None)],
                   [("sla-sop", "value", sop), ("sla-period", "value", period),
                    ("sla-download-machine", "value", machine)])


def _file(response, output: str) -> dict:
    assert response.status_code == 200, response.text[:500]
    return response.json["response"][output]["data"]


def _csv_rows(data: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data["content"])))


def _sheets(data: dict):
    return load_workbook(io.BytesIO(base64.b64decode(data["content"]))).worksheets


def _get(client, request: dict, output: str, lang: str = "id") -> dict:
    client.set_cookie("pantau_lang", lang)
    return _file(client.post(UPDATE, json=request), output)


def _first_due(sheet) -> dict:
    """The cells of the first bill with a due date (a bill may have none), by machine column."""
    return next(cells for cells in (dict(zip(BILL_MACHINE, row)) for row in sheet.iter_rows(min_row=2))
                if cells["due_date"].value is not None)


def _columns(sheet) -> dict:
    """A sheet's cells by header, below the header."""
    header = [cell.value for cell in sheet[1]]
    return {name: [row[i] for row in sheet.iter_rows(min_row=2)] for i, name in enumerate(header)}


@pytest.mark.parametrize("value, written", [
    (FORMULA, "'" + FORMULA), ("+62 812", "'+62 812"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Siti Aminah", "Siti Aminah"), ("a=b", "a=b"), (-5, -5), (None, None)])
def test_exp001_defuse_writes_formula_starts_as_text(value, written):
    assert defuse(value) == written


def test_exp002_a_formula_payer_name_downloads_as_text_in_csv_and_xlsx(site):
    client = site.client("bendahara")
    rows = _csv_rows(_file(client.post(UPDATE, json=_payments("csv", "=HYPERLINK")), "payments-download"))
    header, found = rows[0], rows[1:]
    assert len(found) == 1
    payer = found[0][header.index("Pembayar") if "Pembayar" in header else 1]
    assert payer == "'" + FORMULA, found[0]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    sheet = _sheets(_file(client.post(UPDATE, json=_payments("xlsx", "=HYPERLINK")), "payments-download"))[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == FORMULA]
    assert len(cells) == 1, "the XLSX keeps the name exactly, as text"
    assert cells[0].data_type == "s" and cells[0].quotePrefix, "a string cell Excel keeps as text when edited"


def test_exp003_no_xlsx_cell_is_ever_a_formula():
    frame = pd.DataFrame({"name": [FORMULA, "+1", "ok"], "amount": [1, -2, 3]})
    raw = xlsx({"s": frame})
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert defused(frame)["amount"].tolist() == [1, -2, 3], "numbers stay numbers"


@pytest.mark.parametrize("role", ["direktur", "kepala_it", "bendahara", "operator", "admin"])
def test_exp004_payments_downloads_for_every_role_with_full_and_empty_filters(site, role):
    client = site.client(role)
    for kind in ("csv", "xlsx"):
        for search, semester in ((None, None), ("tidak-ada-tagihan-seperti-ini", None), (None, "1999-1")):
            response = client.post(UPDATE, json=_payments(kind, search, semester))
            if role not in PAYMENT_ROLES:
                assert response.status_code == 403, (role, kind, search)
                continue
            data = _file(response, "payments-download")
            rows = len(_csv_rows(data)) - 1 if kind == "csv" else _sheets(data)[0].max_row - 1
            assert (rows > 0) == (search is None and semester is None), (role, kind, search, semester, rows)


@pytest.mark.parametrize("user", SLA_USERS)
def test_exp005_sla_downloads_for_every_role_with_full_and_empty_filters(site, user):
    client = site.client(user)
    seen_rows = 0
    for kind in ("csv", "xlsx"):
        for sop, period in ((None, None), ("__all__", "2026-H2"), ("WS", "2026-H2"), ("KTM", None),
                            ("__all__", "2001-H1"), ("TIDAK-ADA", "2026-H2"), (None, "x")):
            response = client.post(UPDATE, json=_sla(kind, sop, period))
            assert response.status_code in (200, 204), (user, kind, sop, period, response.text[:300])
            if response.status_code == 204:
                continue
            data = _file(response, "sla-download")
            if kind == "csv":
                rows = _csv_rows(data)
                assert rows and rows[0][0] == "Periode (semester)", (user, sop, period)
                if sop == "TIDAK-ADA":
                    assert len(rows) == 1, "an SOP that selects nothing gives the header alone"
                    assert data["filename"] == "sla-2026-H2.csv", "and lends the file no name of its own"
                if period == "2001-H1":
                    completed = rows[0].index("Selesai")
                    assert all(row[completed] == "0" for row in rows[1:]), "a period without data counts nothing"
                seen_rows += len(rows) - 1
            else:
                sheets = _sheets(data)
                assert [sheet.title for sheet in sheets] == ["Tahap", "Pelaksana", "Tahap berjalan"], (user, sop)
        machine = _file(client.post(UPDATE, json=_sla(kind, None, None, machine=True)), "sla-download")
        if kind == "csv":
            assert _csv_rows(machine)[0][:3] == ["period", "sop", "flow"], user
        else:
            assert [sheet.title for sheet in _sheets(machine)] == ["steps", "performers", "open"], user
    assert seen_rows > 0, f"{user} downloads their SOPs' steps with the full filters"


@pytest.mark.parametrize("role", PAYMENT_ROLES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_exp006_bills_xlsx_has_human_headers_typed_cells_a_frozen_bold_header_and_fitted_widths(site, role, lang):
    sheet = _sheets(_get(site.client(role), _payments("xlsx", None), "payments-download", lang))[0]
    assert sheet.title == ("Tagihan" if lang == "id" else "Bills")
    assert [cell.value for cell in sheet[1]] == BILL_HUMAN[lang]
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    cells = _first_due(sheet)
    assert isinstance(cells["amount"].value, (int, float)) and cells["amount"].value > 0, "an amount is a number"
    assert cells["amount"].number_format == RUPIAH_FORMAT and cells["app_paid_amount"].number_format == RUPIAH_FORMAT
    assert cells["due_date"].is_date and cells["due_date"].number_format == "d mmm yyyy"
    assert isinstance(cells["angkatan"].value, (int, float)) and cells["angkatan"].number_format == "0"
    assert cells["va_number"].data_type == "s", "a VA number stays text, its leading digits intact"
    columns = _columns(sheet)
    semester = BILL_HUMAN[lang][5]
    assert not any(re.fullmatch(r"\d{5}", str(v.value)) for v in columns[semester]), "no semester code"
    assert re.fullmatch(r"\d{4}/\d{4} \w+", columns[semester][0].value)
    kind = BILL_HUMAN[lang][6]
    assert not {"registrasi", "herregistrasi", "sipenmatu"} & {c.value for c in columns[kind]}, "kinds by name"
    for letter, head in zip("ABCDEFGHIJKL", BILL_HUMAN[lang]):
        width = sheet.column_dimensions[letter].width
        assert width >= len(head), (head, width)
    payer = sheet.column_dimensions["B"].width
    assert payer >= max(len(str(c.value)) for c in columns[BILL_HUMAN[lang][1]][:200]), "as wide as the names"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_exp007_bills_csv_in_words_and_the_reconciliation_state_worded(site, lang):
    client = site.client("bendahara")
    rows = _csv_rows(_get(client, _payments("csv", None), "payments-download", lang))
    assert rows[0] == BILL_HUMAN[lang] and len(rows) > 1
    states = {row[-1] for row in rows[1:]}
    assert not states & set(STATE_WORDS), f"reconciliation states in words, not codes: {states}"
    semesters = {row[5] for row in rows[1:]}
    assert semesters and all(re.fullmatch(r"\d{4}/\d{4} \w+", value) for value in semesters), semesters
    amount = rows[0].index(BILL_HUMAN[lang][7])
    assert all(re.fullmatch(r"\d+(\.\d+)?", row[amount]) for row in rows[1:]), "amounts as plain numbers"
    assert all(re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", row[-2]) for row in rows[1:]), "due dates as ISO dates"


@pytest.mark.parametrize("role", PAYMENT_ROLES)
def test_exp008_machine_columns_keep_snake_case_headers_and_codes_in_either_language(site, role):
    client = site.client(role)
    for lang in ("id", "en"):
        rows = _csv_rows(_get(client, _payments("csv", None, machine=True), "payments-download", lang))
        assert rows[0] == BILL_MACHINE, "the same headers whatever the reader's language"
        assert {row[-1] for row in rows[1:]} <= {*STATE_WORDS, ""}, "reconciliation states as codes"
        assert all(re.fullmatch(r"\d{5}", row[5]) for row in rows[1:]), "semester codes"
        sheet = _sheets(_get(client, _payments("xlsx", None, machine=True), "payments-download", lang))[0]
        assert sheet.title == "bills" and [cell.value for cell in sheet[1]] == BILL_MACHINE
        cells = _first_due(sheet)
        assert isinstance(cells["amount"].value, (int, float)) and cells["due_date"].is_date
        assert cells["due_date"].number_format == "yyyy-mm-dd"
        assert cells["kind"].value in {"registrasi", "herregistrasi", "sipenmatu", "ukt", "spp"} or \
            re.fullmatch(r"[a-z0-9_-]+", cells["kind"].value), cells["kind"].value


@pytest.mark.parametrize("lang", ["id", "en"])
def test_exp009_sla_xlsx_typed_shares_counts_and_wib_times_with_states_in_words(site, lang):
    sheets = _sheets(_get(site.client("direktur"), _sla("xlsx", "__all__", "2026-H2"), "sla-download", lang))
    steps, _, opened = sheets
    header = [cell.value for cell in steps[1]]
    share = header.index("Sesuai waktu baku" if lang == "id" else "Within standard")
    completed = header.index("Selesai" if lang == "id" else "Completed")
    row = next(r for r in steps.iter_rows(min_row=2) if r[share].value is not None)
    assert row[share].number_format == "0.0%" and 0 <= row[share].value <= 1
    assert row[completed].number_format == "#,##0" and isinstance(row[completed].value, (int, float))
    assert steps.freeze_panes == "A2" and all(cell.font.bold for cell in steps[1])
    assert row[0].value in ("Juli–Desember 2026", "July–December 2026"), "the half-year in words"
    columns = _columns(opened)
    started = columns["Mulai" if lang == "id" else "Started"]
    assert started and all(cell.is_date for cell in started) and started[0].number_format == "d mmm yyyy hh:mm"
    states = {cell.value for cell in columns["Status"]}
    assert states and not states & {"at_risk", "breached", "waiting"}, states
    ident, number = (columns["ID kasus" if lang == "id" else "Case ID"][0].value,
                     columns["No. tahap" if lang == "id" else "Step no."][0].value)
    with session_scope(site.engine) as session:
        stored = session.scalar(select(StepResult.started_at).where(
            StepResult.case_id == ident, StepResult.step_number == number, StepResult.completed_at.is_(None)))
    wib = (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).astimezone(ZoneInfo("Asia/Jakarta"))
    assert abs((started[0].value - wib.replace(tzinfo=None)).total_seconds()) < 1, "a time of day in WIB"


def test_exp010_the_switch_is_beside_the_buttons_and_remembers_its_choice(site):
    client = site.client("bendahara")
    client.set_cookie("pantau_lang", "id")
    shown = client.post(UPDATE, json=page("/sla")).text
    assert '"id":"sla-download-machine","value":false' in shown and "Kolom mesin" in shown
    assert '"persistence":true,"persistence_type":"local"' in shown
