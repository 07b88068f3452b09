"""Downloads are safe to open in a spreadsheet (no formula from user text, OWASP CSV injection) and answer for
every role with every filter: the permitted roles get a file, empty or full, the others a refusal, never 500."""

from __future__ import annotations

import base64
import csv
import io

import pandas as pd
import pytest
from demo_web import UPDATE, demo_web, payload
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.components.workbook import defuse, defused, xlsx
from pantau.db import session_scope
from pantau.models import Bill

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


def _payments(kind: str, search: str | None, semester: str | None = None) -> dict:
    return payload([("payments-download", "data")],
                   [(f"payments-download-{kind}", "n_clicks", 1),
                    ("payments-download-xlsx" if kind == "csv" else "payments-download-csv", "n_clicks", None)],
                   [("payments-semester", "value", semester), ("payments-kinds", "value", None),
                    ("payments-prodi", "value", None), ("payments-angkatan", "value", None),
                    ("payments-state", "value", None), ("payments-search", "value", search)])


def _sla(kind: str, sop: str | None, period: str | None) -> dict:
    return payload([("sla-download", "data")],
                   [(f"sla-download-{kind}", "n_clicks", 1),
                    ("sla-download-xlsx" if kind == "csv" else "sla-download-csv", "n_clicks", None)],
                   [("sla-sop", "value", sop), ("sla-period", "value", period)])


def _file(response, output: str) -> dict:
    assert response.status_code == 200, response.text[:500]
    return response.json["response"][output]["data"]


def _csv_rows(data: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data["content"])))


def _sheets(data: dict):
    return load_workbook(io.BytesIO(base64.b64decode(data["content"]))).worksheets


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
                assert rows and rows[0][0] == "period", (user, sop, period)
                if sop == "TIDAK-ADA":
                    assert len(rows) == 1, "an SOP that selects nothing gives the header alone"
                    assert data["filename"] == "sla-2026-H2.csv", "and lends the file no name of its own"
                if period == "2001-H1":
                    completed = rows[0].index("completed")
                    assert all(row[completed] == "0" for row in rows[1:]), "a period without data counts nothing"
                seen_rows += len(rows) - 1
            else:
                sheets = _sheets(data)
                assert [sheet.title for sheet in sheets] == ["steps", "performers", "open"], (user, sop, period)
    assert seen_rows > 0, f"{user} downloads their SOPs' steps with the full filters"
