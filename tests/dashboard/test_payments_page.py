"""Payments & reconciliation page on the demo campus: who may open it, the figures behind the filters,
the exception queue the bendahara resolves and the director only reads (the server refuses him), and
the drill-down download."""

from __future__ import annotations

import base64
import io
import shutil
from datetime import datetime

import pytest
from demo_web import NOW, UPDATE, browser_log_in, browser_to_english, demo_web, page, payload
from openpyxl import load_workbook
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry, ReconCase
from pantau.recon import reconcile

FILTERS = [("payments-semester", "value", None), ("payments-kinds", "value", None),
           ("payments-prodi", "value", None), ("payments-angkatan", "value", None)]
REFRESH = payload([("payments-summary", "children"), ("payments-curve", "children"), ("payments-ageing", "children")],
                  [*FILTERS, ("payments-tick", "n_intervals", None), ("payments-settled", "data", None)])
PAID = payload([("payments-paid", "children")], [*FILTERS, ("payments-grouping", "value", "kind"),
                                                 ("payments-measure", "value", "rupiah")])
PAID_COUNT = payload([("payments-paid", "children")], [*FILTERS, ("payments-grouping", "value", "kind"),
                                                       ("payments-measure", "value", "count")])


def resolve(case_id: int | None, note: str) -> dict:
    rows = [] if case_id is None else [{"id": case_id}]
    return payload([("payments-feedback", "children"), ("payments-cases", "children"), ("payments-settled", "data")],
                   [("payments-resolve", "n_clicks", 1)],
                   [("payments-case-table", "data", rows),
                    ("payments-case-table", "selected_rows", [0] if rows else []),
                    ("payments-note", "value", note)])


def download(kind: str, machine: bool = False) -> dict:
    return payload([("payments-download", "data")], [(f"payments-download-{kind}", "n_clicks", 1),
                                                    ("payments-download-xlsx" if kind == "csv"
                                                     else "payments-download-csv",
                                                     "n_clicks", None)],
                   [*FILTERS, ("payments-state", "value", "bank_paid_app_unpaid"), ("payments-search", "value", None),
                    ("payments-download-machine", "value", machine)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    web = demo_web(tmp_path_factory.mktemp("payments"))
    reconcile(web.engine, web.settings, now=NOW)
    return web


def _open_case(site) -> int:
    with session_scope(site.engine) as session:
        return session.scalars(select(ReconCase.id).where(ReconCase.status == "open").order_by(ReconCase.id)).first()


@pytest.mark.parametrize("role", ["kepala_it", "operator"])
def test_paypage001_other_roles_get_nothing(site, role):
    client = site.client(role)
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/pembayaran")).text
    for request in (REFRESH, PAID, resolve(_open_case(site), "x"), download("csv")):
        assert client.post(UPDATE, json=request).status_code == 403


@pytest.mark.parametrize("role", ["bendahara", "direktur", "admin"])
def test_paypage002_the_answer_first_then_the_figures(site, role):
    client = site.client(role)
    shown = client.post(UPDATE, json=page("/pembayaran")).text
    assert "Pembayaran &amp; Rekonsiliasi" in shown or "Pembayaran & Rekonsiliasi" in shown
    assert "Terbayar di bank, belum lunas di aplikasi" in shown
    parts = client.post(UPDATE, json=REFRESH).json["response"]
    summary = str(parts["payments-summary"]["children"])
    assert "Tingkat pelunasan" in summary and "Tunggakan" in summary and "Kasus rekonsiliasi lewat 1x24 jam" in summary
    chart, note = parts["payments-ageing"]["children"]["props"]["children"][0]["props"]["children"]
    assert chart["props"]["figure"]["layout"]["title"]["text"] == "Umur tagihan belum lunas"
    assert note["props"]["children"] == "Tagihan tanpa jatuh tempo dihitung sejak tanggal terbit"
    bars = client.post(UPDATE,
                       json=PAID).json["response"]["payments-paid"]["children"]["props"]["children"][0]["props"]["figure"]
    assert [trace["name"] for trace in bars["data"]] == ["Lunas", "Dibayar sebagian", "Belum lunas"]
    assert bars["layout"]["yaxis"]["title"]["text"] == "Ditagihkan (Rp)"
    assert bars["layout"]["yaxis"]["tickformat"] == ",.0f"
    counted = client.post(UPDATE,
                          json=PAID_COUNT).json["response"]["payments-paid"]["children"]["props"]["children"][0]["props"]["figure"]
    # Whole bills with the reader's thousands mark (10.000), never Plotly's SI suffix (10k).
    assert counted["layout"]["yaxis"]["title"]["text"] == "Tagihan" and counted["layout"]["separators"] == ",."
    assert counted["layout"]["yaxis"]["tickformat"] == ",d"


def test_paypage003_the_director_reads_the_queue_but_the_server_refuses_his_resolve(site):
    client = site.client("direktur")
    shown = client.post(UPDATE, json=page("/pembayaran")).text
    assert "payments-case-table" in shown and "payments-resolve" not in shown
    assert "Hanya bendahara yang menyelesaikan kasus" in shown
    case_id = _open_case(site)
    assert client.post(UPDATE, json=resolve(case_id, "Sudah dicek")).status_code == 403
    with session_scope(site.engine) as session:
        assert session.get(ReconCase, case_id).status == "open"


def test_paypage004_the_bendahara_resolves_a_case_with_a_note_on_the_record(site):
    client = site.client("bendahara")
    assert "payments-resolve" in client.post(UPDATE, json=page("/pembayaran")).text
    assert "Pilih kasus di tabel terlebih dahulu" in client.post(UPDATE, json=resolve(None, "x")).text
    case_id = _open_case(site)
    refused = client.post(UPDATE, json=resolve(case_id, " ")).text  # in the reader's words (issue 19)
    assert "Penyelesaian perlu catatan" in refused and "a resolution needs" not in refused.lower()
    answer = client.post(UPDATE, json=resolve(case_id, "Bank mengirim ulang notifikasi"))
    assert f"Kasus {case_id} diselesaikan." in answer.text
    with session_scope(site.engine) as session:
        case = session.get(ReconCase, case_id)
        assert (case.status, case.resolved_by, case.resolution_note) == ("resolved", "user.bendahara",
                                                                          "Bank mengirim ulang notifikasi")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "recon.case.resolve")).one()
        assert entry.target == f"recon_case:{case_id}"


def test_paypage005_the_drill_down_downloads_as_csv_and_xlsx(site):
    client = site.client("bendahara")
    csv = client.post(UPDATE, json=download("csv")).json["response"]["payments-download"]["data"]
    assert csv["filename"].endswith(".csv")
    header, *rows = csv["content"].strip().splitlines()
    assert header.startswith("Nomor tagihan,Nama pembayar,Nomor VA,Program studi") and rows
    assert all(row.endswith(',"Terbayar di bank, belum lunas di aplikasi"') for row in rows), "the state in words"
    xlsx = client.post(UPDATE, json=download("xlsx")).json["response"]["payments-download"]["data"]
    assert xlsx["filename"].endswith(".xlsx") and xlsx["base64"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).worksheets[0]
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert ",".join(header) == csv["content"].splitlines()[0]
    assert len(cells) == len(rows) and all(row[-1] == "Terbayar di bank, belum lunas di aplikasi" for row in cells)
    amount, due = header.index("Jumlah (Rp)"), header.index("Jatuh tempo")
    assert all(isinstance(row[amount], (int, float)) and row[amount] > 0 for row in cells)
    assert sheet.cell(2, amount + 1).number_format == '"Rp" #,##0'
    assert isinstance(cells[0][due], datetime) and sheet.cell(2, due + 1).number_format == "d mmm yyyy"
    machine = client.post(UPDATE, json=download("csv", True)).json["response"]["payments-download"]["data"]
    header, *coded = machine["content"].strip().splitlines()
    assert header.startswith("bill,payer_name,va_number,prodi") and len(coded) == len(rows)
    assert all(row.endswith("bank_paid_app_unpaid") for row in coded)


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_paypage006_in_chromium_the_bendahara_resolves_and_the_director_reads(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/pembayaran")
    dash_duo.wait_for_contains_text("#payments-summary", "Tingkat pelunasan", timeout=30)
    dash_duo.wait_for_element("#payments-ageing .js-plotly-plot", timeout=30)
    dash_duo.wait_for_contains_text("#payments-bank-feed", "Rantai saldo per rekening", timeout=30)
    assert "celah" in dash_duo.find_element("#payments-chain-table").text
    with session_scope(site.engine) as session:
        before = len(session.scalars(select(ReconCase.id).where(ReconCase.status == "open")).all())
    dash_duo.wait_for_contains_text("#payments-summary", f"{before} kasus terbuka", timeout=30)
    _click(dash_duo, dash_duo.wait_for_element("#payments-case-table input[type=radio]", timeout=30))
    dash_duo.find_element("#payments-note").send_keys("Dicek di Chromium")
    _click(dash_duo, dash_duo.find_element("#payments-resolve"))
    dash_duo.wait_for_contains_text("#payments-feedback", "diselesaikan", timeout=30)
    # the KPI cards above the queue read the cases again (issue 19): one fewer open
    dash_duo.wait_for_contains_text("#payments-summary", f"{before - 1} kasus terbuka", timeout=30)
    browser_log_in(dash_duo, "direktur")
    dash_duo.driver.get(f"{dash_duo.server.url}/pembayaran")
    dash_duo.wait_for_contains_text("#payments-summary", "Tingkat pelunasan", timeout=30)
    assert not dash_duo.driver.find_elements("css selector", "#payments-resolve")


def _click(dash_duo, element) -> None:
    """Click as a reader would, through the page (the element may sit below the fold)."""
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def test_paypage007_all_semesters_shows_the_outstanding_the_overview_card_counts(site):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pantau import formatting
    from queries import payments

    client = site.client("direktur")
    shown = client.post(UPDATE, json=page("/pembayaran", "?semester=all")).text
    assert "Semua semester" in shown
    every = payments.outstanding(site.engine, as_of=datetime.now(ZoneInfo("Asia/Jakarta")).date())
    request = payload([("payments-summary", "children"), ("payments-curve", "children"),
                       ("payments-ageing", "children")],
                      [("payments-semester", "value", "all"), *FILTERS[1:], ("payments-tick", "n_intervals", None),
                       ("payments-settled", "data", None)])
    summary = str(client.post(UPDATE, json=request).json["response"]["payments-summary"]["children"])
    assert formatting.rupiah(every.amount) in summary
    assert "'semua semester', 'className': 'kpi-scope" in summary, "the cards say they count every semester"


@pytest.mark.parametrize("role", ["bendahara", "direktur"])
def test_paypage008_the_bank_feed_counts_each_payment_once_and_shows_the_broken_chain(site, role):
    from pantau import formatting
    from queries import bankfeed

    shown = site.client(role).post(UPDATE, json=page("/pembayaran")).json["response"]
    text = str(shown["_pages_content"]["children"])
    totals = bankfeed.feed_totals(site.engine)
    assert "Mutasi bank" in text and "Rantai saldo per rekening" in text
    assert f"{formatting.number(totals.payments)} pembayaran ({formatting.rupiah(totals.received)})" in text
    assert "1 celah" in text and "selisih Rp 2.500" in text


def test_paypage009_an_import_shows_on_the_page_as_payments_and_evidence(site, tmp_path):
    from collectors.bankstore import import_file
    from pantau import formatting
    from queries import bankfeed

    va = "9880019900000009"
    logs = [tmp_path / "bni-1.jsonl", tmp_path / "bni-2.jsonl"]
    for path, ntb, hour in zip(logs, ("700001", "700002"), (10, 11)):
        path.write_text('{"trx_id": "INV-X", "virtual_account": "%s", "customer_name": "ANI", "trx_amount": "50000", '  # noqa: UP031 (JSON braces)
                        '"payment_amount": "50000", "cumulative_payment_amount": "50000", "payment_ntb": "%s", '
                        '"datetime_payment": "2026-11-20 %02d:00:00"}\n' % (va, ntb, hour))
    statement = tmp_path / "stmt.sta"
    statement.write_text(":20:X\n:25:5550001\n:28C:00001/001\n:60F:C261119IDR0,00\n"
                         f":61:2611201120C50000,00NTRFNONREF//FTA\n:86:PEMBAYARAN VA {va}\n"
                         f":61:2611201120C50000,00NTRFNONREF//FTB\n:86:PEMBAYARAN VA {va}\n:62F:C261120IDR100000,00\n")
    before = bankfeed.feed_totals(site.engine)
    summaries = [import_file(site.engine, path) for path in (*logs, statement)]
    after = bankfeed.feed_totals(site.engine)
    assert [s.payments_added for s in summaries] == [1, 1, 0] and summaries[-1].linked == 2
    assert (after.payments - before.payments, after.received - before.received) == (2, 100_000)
    assert (after.evidence - before.evidence, after.entries - before.entries) == (2, 4)
    text = str(site.client("bendahara").post(UPDATE, json=page("/pembayaran")).json["response"])
    assert f"{formatting.number(after.payments)} pembayaran ({formatting.rupiah(after.received)})" in text
    assert f"{formatting.number(after.entries)} mutasi bank" in text


def test_paypage010_without_bills_the_bank_feed_still_shows_what_was_imported(web, tmp_path):
    from collectors.bankstore import import_file

    log = tmp_path / "bni.jsonl"
    log.write_text('{"trx_id": "INV-1", "virtual_account": "9880019900000001", "customer_name": "ANI", '
                   '"trx_amount": "75000", "payment_amount": "75000", "cumulative_payment_amount": "75000", '
                   '"payment_ntb": "800001", "datetime_payment": "2026-11-20 10:00:00"}\n')
    assert import_file(web.engine, log).payments_added == 1
    text = str(web.client("bendahara").post(UPDATE, json=page("/pembayaran")).json["response"])
    assert "Belum ada tagihan." in text and "1 pembayaran (Rp 75.000) dari 1 mutasi bank" in text


def test_paypage011_the_labels_say_what_is_counted(site):
    """'Ditagihkan' counts the bills due by today; the collection curve plots bills paid in full (a partly paid
    bill is not on it), and its words say so."""
    parts = site.client("bendahara").post(UPDATE, json=REFRESH).json["response"]
    assert "Ditagihkan, jatuh tempo s.d. hari ini" in str(parts["payments-summary"]["children"])
    curve = parts["payments-curve"]["children"]["props"]["children"][0]["props"]["figure"]
    axis = curve["layout"]["yaxis"]["title"]["text"]  # in lines (<br>) that fit beside the plot's height
    assert axis.replace("<br>", " ") == "Tagihan lunas penuh (bagian dari Rp ditagihkan)"
    assert curve["layout"]["title"]["text"] == "Tagihan lunas penuh terhadap jatuh tempo"
    assert all("sudah lunas penuh" in trace["hovertemplate"] for trace in curve["data"] if "hovertemplate" in trace)


def test_paypage012_the_cards_name_the_semester_they_count(site):
    from pantau import semesters
    from queries import payments
    code = payments.options(site.engine).semesters[0]
    request = payload([("payments-summary", "children"), ("payments-curve", "children"),
                       ("payments-ageing", "children")],
                      [("payments-semester", "value", code), *FILTERS[1:], ("payments-tick", "n_intervals", None),
                       ("payments-settled", "data", None)])
    summary = str(site.client("bendahara").post(UPDATE, json=request).json["response"]["payments-summary"]["children"])
    assert summary.count(f"'semester {semesters.label(code, 'id')}', 'className': 'kpi-scope") == 3
    assert "'semua semester', 'className': 'kpi-scope" in summary, "reconciliation cases are not per semester"


def test_paypage013_each_statement_account_names_its_bank_or_that_it_pays_any_banks_va(site, tmp_path):
    """The demo's [banks] (as pantau run gives them) name each account's bank in the balance chain; an account the
    settings do not list says its credits pay a VA of any bank, and the page says what the column means."""
    from app.demo.bank import ACCOUNTS
    from collectors.bankstore import import_file

    assert site.settings.banks["accounts"][ACCOUNTS["mandiri"]] == "mandiri"
    statement = tmp_path / "other.sta"
    statement.write_text(":20:Y\n:25:4440001\n:28C:00001/001\n:60F:C261119IDR0,00\n"
                         ":61:2611201120C50000,00NTRFNONREF//FTZ\n:86:TRANSFER\n:62F:C261120IDR50000,00\n")
    import_file(site.engine, statement)
    shown = site.client("bendahara").post(UPDATE, json=page("/pembayaran")).json["response"]
    table = _table_data(shown["_pages_content"]["children"], "payments-chain-table")
    rows = {row["account"]: row["bank"] for row in table}
    expected = {"0987654321": "BNI", "034601000123301": "BRI", "1230007654321": "Bank Mandiri", "7123456789": "BSI",
                "4440001": "Tidak terdaftar: VA bank mana pun"}
    assert {account: rows.get(account) for account in expected} == expected
    assert "membayar VA bernomor itu di bank mana pun" in str(shown)


def _table_data(node, table_id: str) -> list[dict]:
    """The rows of the DataTable ``table_id`` somewhere in a serialised layout."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == table_id:
            return props["data"]
        node = list(props.values()) if "props" in node else list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _table_data(child, table_id)
            if found:
                return found
    return []


def test_paypage014_the_collection_rate_reads_the_same_on_the_overview_and_here(site):
    """One definition, the same words: the overview's card and this page's card for its semester give the same
    rate and the same count and Rupiah behind it."""
    import json
    import re

    def find(node, wanted: str):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == wanted:
                return node
            node = list(node.get("props", node).values())
        for item in node if isinstance(node, list) else []:
            if (found := find(item, wanted)) is not None:
                return found
        return None

    client = site.client("direktur")
    cards = client.post(UPDATE, json=payload([("overview-cards", "children"), ("overview-attention", "children"),
                                              ("overview-stamp", "children")],
                                             [("overview-tick", "n_intervals", None)])).json
    card = json.dumps(find(cards["response"], "overview-card-collection_rate"), ensure_ascii=False)
    note = re.search(r"[\d.]+ dari [\d.]+ tagihan lunas \([\d,]+%\); Rp [\d.]+ dari Rp [\d.]+", card).group(0)
    semester = re.search(r"\?semester=(\d+)", card).group(1)
    summary = json.dumps(client.post(UPDATE, json=payload(
        [("payments-summary", "children"), ("payments-curve", "children"), ("payments-ageing", "children")],
        [("payments-semester", "value", semester), *FILTERS[1:], ("payments-tick", "n_intervals", None),
         ("payments-settled", "data", None)])).json["response"]["payments-summary"], ensure_ascii=False)
    assert note in summary


def test_paypage015_the_page_arrives_with_its_figures_drawn(site):
    """The layout holds the KPI cards, the charts, the kinds and the bills for the default filters: the browser
    draws the page from one answer, and the figures' callbacks run only when a filter changes."""
    from dashboard.pages import payments

    client = site.client("bendahara")
    shown = client.post(UPDATE, json=page("/pembayaran")).json["response"]["_pages_content"]
    text = str(shown)
    assert "Tingkat pelunasan" in text and "Kasus rekonsiliasi lewat 1x24 jam" in text
    for chart in ("Umur tagihan belum lunas", "Tagihan lunas penuh terhadap jatuh tempo"):
        assert chart in text
    assert "'id': 'payments-bill-table'" in text and "'id': 'payments-kinds-table'" in text
    prevented = [spec["output"] for spec in client.get("/_dash-dependencies").json if spec["prevent_initial_call"]]
    for output in (payments.SUMMARY, payments.PAID, payments.KIND_BREAKDOWN, payments.BILLS):
        assert any(f"{output}.children" in key for key in prevented), f"{output} would be computed twice a load"


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_paypage016_switching_language_draws_the_figures_for_the_filters_brought_back(dash_duo, site):
    """The layout draws the default semester's figures; after the language switch brings back the reader's choice
    of every semester, the cards count every semester, as the picker says."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    dash_duo.start_server(site.app, navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/pembayaran")
    dash_duo.wait_for_contains_text("#payments-summary", "Tingkat pelunasan", timeout=30)
    assert dash_duo.find_element("#payments-summary").text.lower().count("semua semester") == 1, "the cases' card only"
    dash_duo.find_element("#payments-semester").click()
    option = dash_duo.wait_for_element(".dash-dropdown-options", timeout=10).find_element(
        By.XPATH, ".//*[contains(@class, 'dash-dropdown-option')][normalize-space()='Semua semester']")
    option.click()
    dash_duo.wait_for_contains_text("#payments-summary", "semua semester", timeout=30)
    browser_to_english(dash_duo, "payments", "Payments & reconciliation", "/pembayaran")
    dash_duo.wait_for_contains_text("#payments-semester", "All semesters", timeout=30)
    dash_duo.wait_for_contains_text("#payments-summary", "Collection rate", timeout=30)
    cards = lambda driver: driver.find_element("css selector", "#payments-summary").text.lower()  # noqa: E731
    WebDriverWait(dash_duo.driver, 30).until(lambda driver: cards(driver).count("all semesters") == 4,
                                             "every card should count all semesters, as the picker says")
    assert not [entry for entry in dash_duo.get_logs() if entry["level"] == "SEVERE"]
