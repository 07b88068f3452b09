"""Kepatuhan SLA: what each role sees, the callbacks behind the page, the record form, downloads,
and the page in a real browser."""

from __future__ import annotations

import base64
import io
import json
import shutil
from zoneinfo import ZoneInfo

import pytest
from dash import _callback
from openpyxl import load_workbook
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry, StepEvent
from pantau.sla.context import sla_context
from pantau.workflow.records import parse_event
from pantau.workflow.store import store_events

UPDATE = "/_dash-update-component"
WIB = ZoneInfo("Asia/Jakarta")
EVENTS = {
    "WS": [
        {"case": "WS-1", "step": 1, "started": "2026-05-08 10:00", "completed": "2026-05-08 10:04", "performer": "Adm"},
        {"case": "WS-1", "step": 2, "completed": "2026-05-08 10:12", "performer": "Adm"},
    ],
    "KTM": [
        {"case": "KTM-1", "step": 1, "started": "2026-04-06 08:00", "completed": "2026-04-06 08:08",
         "performer": "Yandu"},
    ],
}


@pytest.fixture
def seeded(web):
    ctx = sla_context(web.settings)
    for code, rows in EVENTS.items():
        records = [parse_event(row, ctx.catalogue, WIB, sop=code) for row in rows]
        with session_scope(web.engine) as session:
            store_events(session, records, ctx, prefix="t", recorded_by="test")
    return web


def shown(response) -> str:
    """A callback's answer as text, non-ASCII letters unescaped."""
    assert response.status_code == 200, response.text
    return json.dumps(response.json, ensure_ascii=False)


def callback_key(web, fragment: str) -> str:
    """The key Dash registered a page callback under (duplicate outputs carry a hash suffix)."""
    return next(key for key in [*web.app.callback_map, *_callback.GLOBAL_CALLBACK_MAP] if fragment in key)


def call(web, client, fragment: str, inputs: list[tuple[str, str, object]], state: list[tuple[str, str, object]] = ()):
    key = callback_key(web, fragment)
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in key.strip(".").split("...")]
    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [next(f"{i}.{p}" for i, p, v in inputs if v is not None)],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
    }
    return client.post(UPDATE, json=body)


def page(client, path: str = "/sla"):
    return client.post(UPDATE, json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    })


def refresh(web, client, sop: str = "__all__"):
    return call(web, client, "sla-summary.children", [("sla-sop", "value", sop), ("sla-period", "value", "2026-H1"),
                                                 ("sla-tick", "n_intervals", None), ("sla-saved", "data", None)])


def test_slap001_director_sees_every_sop_and_operator_only_its_units(seeded):
    director = shown(page(seeded.client("direktur")))
    assert "Kepatuhan SLA" in director and "KTM · Pembuatan KTM" in director and "WS · Pengelolaan" in director
    operator = shown(page(seeded.client("operator")))
    assert "WS · Pengelolaan" in operator and "KTM · Pembuatan KTM" not in operator
    treasurer = shown(page(seeded.client("bendahara")))
    assert "H2H · Pembayaran Mahasiswa" in treasurer and "WS · Pengelolaan" not in treasurer


def test_slap002_refresh_shows_compliance_heat_map_and_open_steps(seeded):
    text = shown(refresh(seeded, seeded.client("direktur")))
    assert "66,7%" in text, "2 of 3 steps within standard over the half-year"
    assert "Berjalan baik" in text and "Tidak berjalan baik" in text
    assert "Persentase tahap sesuai waktu baku" in text
    assert "WS-1" in text and "Melewati batas" in text, "WS-1's account step is long past its due time"
    assert "WS · Pengelolaan Webservice" in text and "KTM · Pembuatan KTM" in text, "SOPs by their labels"
    assert '"children": "WS"' not in text and '"KTM"' not in text, "no SOP code alone in a cell"


def test_slap003_forged_sop_outside_the_operators_scope_shows_nothing_of_it(seeded):
    text = shown(refresh(seeded, seeded.client("operator"), "KTM"))
    assert "KTM-1" not in text and "Prosedur Pelayanan Pembuatan KTM" not in text and "WS-1" not in text
    assert "KTM · Pembuatan KTM" not in text


def test_slap004_case_lookup_opens_the_timeline_within_scope(seeded):
    found = call(seeded, seeded.client("direktur"), "sla-case.children@",
                 [("sla-case-find", "n_clicks", 1)],
                 [("sla-case-ref", "value", "WS-1"), ("sla-sop", "value", "__all__")])
    assert "Kasus WS-1: tahap dari waktu ke waktu" in shown(found)
    assert "WS · Pengelolaan Webservice · WS-1" in shown(found), "the case's SOP by its label"
    hidden = call(seeded, seeded.client("operator"), "sla-case.children@",
                  [("sla-case-find", "n_clicks", 1)],
                  [("sla-case-ref", "value", "KTM-1"), ("sla-sop", "value", "__all__")])
    assert "Kasus itu tidak ada di SOP Anda" in shown(hidden)


def test_slap013_an_open_step_picked_in_the_table_opens_its_case_though_the_table_shows_the_sops_label(seeded):
    """The open-steps table names the SOP by its label; picking a row still finds the case by its code."""
    client = seeded.client("direktur")
    table = shown(refresh(seeded, client))
    assert '"case_ref": "WS-1", "sop_code": "WS · Pengelolaan Webservice"' in table
    picked = client.post(UPDATE, json={
        "output": "sla-case.children", "outputs": {"id": "sla-case", "property": "children"},
        "inputs": [{"id": "sla-open-table", "property": "selected_rows", "value": [0]}],
        "changedPropIds": ["sla-open-table.selected_rows"],
        "state": [{"id": "sla-open-table", "property": "data",
                   "value": [{"case_ref": "WS-1", "sop_code": "WS · Pengelolaan Webservice"}]}]})
    assert "Kasus WS-1: tahap dari waktu ke waktu" in shown(picked)


def record(web, client, sop: str, step: str, completed: str = "2026-05-11T09:00", case: str = "WS-1"):
    return call(web, client, "sla-form-feedback.children", [("sla-form-save", "n_clicks", 1)], [
        ("sla-form-sop", "value", sop), ("sla-form-case", "value", case), ("sla-form-step", "value", step),
        ("sla-form-channel", "value", "whatsapp"), ("sla-form-started", "value", None),
        ("sla-form-completed", "value", completed), ("sla-form-outcome", "value", None)])


def test_slap005_operator_records_a_step_done_by_whatsapp_and_it_is_audited(seeded):
    assert "Tahap 3 kasus WS-1 tercatat" in shown(record(seeded, seeded.client("operator"), "WS", "buat_akun"))
    with seeded.engine.connect() as connection:
        event = connection.execute(select(StepEvent.channel, StepEvent.recorded_by, StepEvent.performer)
                                   .where(StepEvent.step_key == "buat_akun")).one()
        audit = connection.execute(select(AuditEntry.actor, AuditEntry.target)
                                   .where(AuditEntry.action == "events.record")).one()
    assert tuple(event) == ("whatsapp", "user.operator", "user.operator")
    assert tuple(audit) == ("user.operator", "WS/WS-1/buat_akun")


def test_slap006_form_refuses_steps_outside_scope_and_bad_times(seeded):
    refused = shown(record(seeded, seeded.client("operator"), "KTM", "pendaftaran", case="KTM-1"))
    assert "Pilih salah satu tahap SOP Anda" in refused
    future = shown(record(seeded, seeded.client("operator"), "WS", "buat_akun", completed="2099-01-01T09:00"))
    assert "Tidak tercatat: Selesai: di masa depan" in future
    early = shown(record(seeded, seeded.client("operator"), "WS", "buat_akun", completed=""))
    assert "Tidak tercatat: Selesai: isi waktu tahap selesai" in early, "the form's words, not the parser's field names"
    nameless = shown(record(seeded, seeded.client("operator"), "WS", "buat_akun", case=""))
    assert "Tidak tercatat: Nomor kasus: belum diisi" in nameless
    with seeded.engine.connect() as connection:
        assert connection.scalar(select(StepEvent.id).where(StepEvent.step_key.in_(["pendaftaran",
                                                                                    "buat_akun"]))) is None


def test_slap007_downloads_are_csv_and_xlsx_of_the_visible_steps(seeded):
    client = seeded.client("direktur")
    csv = call(seeded, client, "sla-download.data",
               [("sla-download-csv", "n_clicks", 1), ("sla-download-xlsx", "n_clicks", None)],
               [("sla-sop", "value", "WS"), ("sla-period", "value", "2026-H1"),
                ("sla-download-machine", "value", True)])
    content = csv.json["response"]["sla-download"]["data"]
    assert content["filename"] == "sla-2026-H1-WS.csv"
    assert "surat_permohonan" not in content["content"] and "WS,,1," in content["content"]
    xlsx = call(seeded, client, "sla-download.data", [("sla-download-csv", "n_clicks", None),
                                                      ("sla-download-xlsx", "n_clicks", 1)],
                [("sla-sop", "value", "__all__"), ("sla-period", "value", "2026-H1"),
                 ("sla-download-machine", "value", True)])
    workbook = load_workbook(io.BytesIO(base64.b64decode(xlsx.json["response"]["sla-download"]["data"]["content"])))
    assert workbook.sheetnames == ["steps", "performers", "open"]
    assert [row[1] for row in workbook["steps"].iter_rows(min_row=2, values_only=True)].count("KTM") == 5


def test_slap009_the_xlsx_download_works_when_no_step_is_open(web):
    """Found by the click-everything suite: with no open step the empty sheet kept its time-zone-aware
    columns and the workbook writer refused them (HTTP 500)."""
    for machine, sheets in ((True, ["steps", "performers", "open"]), (False, ["Tahap", "Pelaksana", "Tahap berjalan"])):
        xlsx = call(web, web.client("direktur"), "sla-download.data", [("sla-download-csv", "n_clicks", None),
                                                                        ("sla-download-xlsx", "n_clicks", 1)],
                    [("sla-sop", "value", "__all__"), ("sla-period", "value", "2026-H1"),
                     ("sla-download-machine", "value", machine)])
        assert xlsx.status_code == 200, xlsx.text
        workbook = load_workbook(io.BytesIO(base64.b64decode(
            xlsx.json["response"]["sla-download"]["data"]["content"])))
        assert workbook.sheetnames == sheets
    assert [cell.value for cell in next(workbook["Tahap berjalan"].iter_rows(max_row=1))][:2] == \
        ["ID kasus", "Nomor kasus"]
    assert "KTM · Pembuatan KTM" in {row[1] for row in workbook["Tahap"].iter_rows(min_row=2, values_only=True)}, \
        "the human download names the SOP by its label (the machine one keeps the code, slap007)"


@pytest.mark.browser
def test_slap008_page_in_chromium_drills_down_from_an_open_step_to_its_timeline(seeded):
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    from app.bench.web import chromium, log_in, serving

    with serving(seeded.settings, seeded.engine) as url, chromium() as browser:
        log_in(browser, url, "user.direktur", seeded.password)
        browser.get(f"{url}/sla")
        wait = WebDriverWait(browser, 60)
        wait.until(ready.presence_of_element_located((By.ID, "sla-sop-table")))
        assert "WS" in browser.find_element(By.ID, "sla-sop-table").text
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#sla-heatmap .heatmaplayer")))
        radio = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#sla-open-table input[type=radio]")))
        browser.execute_script("arguments[0].click();", radio)
        wait.until(ready.text_to_be_present_in_element((By.ID, "sla-case"), "tahap dari waktu ke waktu"))
        assert browser.find_elements(By.CSS_SELECTOR, "#sla-case .main-svg")


def test_slap010_the_heat_map_shows_the_filters_months_and_no_row_for_an_outside_partys_step(seeded):
    """Januari–Juni chosen: six columns, those months; the kolegium's verification (KSO step 4, an outside
    party's step that compliance does not count) has no blank row."""
    from pantau.sla.periods import month_label, months_of
    response = refresh(seeded, seeded.client("direktur"))
    assert response.status_code == 200
    figure = response.json["response"]["sla-heatmap"]["children"]["props"]["children"][0]["props"]["figure"]
    trace, rows = figure["data"][0], figure["layout"]["yaxis"]["ticktext"]
    assert trace["x"] == [month_label(month, "id") for month in months_of("2026-H1")]
    catalogue = sla_context(seeded.settings).catalogue
    outside = [step for step in catalogue["KSO"].steps if step.outside_party]
    assert outside and any(row.startswith("KSO") for row in rows)
    assert not [row for row in rows for step in outside if row.startswith("KSO") and step.name[:20] in row]
    assert len(rows) == len(trace["z"])


def test_slap011_the_tables_show_the_denominator_of_their_share(seeded):
    """'Selesai' counts every completed step, the share only those with a standard time: both are shown."""
    text = shown(refresh(seeded, seeded.client("direktur")))
    assert text.count("Dengan waktu baku") >= 2, "in the SOP table and in the steps table"
    steps = refresh(seeded, seeded.client("direktur")).json["response"]["sla-steps"]["children"]
    table = steps["props"]["children"][0]["props"]
    names = [column["name"] for column in table["columns"]]
    assert names.index("Selesai") + 1 == names.index("Dengan waktu baku") == names.index("Sesuai waktu baku") - 1
    assert all(int(row["measured"]) <= int(row["completed"]) for row in table["data"])


def test_slap012_sops_name_the_configured_campus_not_the_institution_their_document_came_from(seeded):
    """The AKUN SOP was transcribed from Politeknik Ilmu Pemasyarakatan's document: with `institution` set, the
    page (its SOP picker and tables) names the campus instead, in both languages."""
    from dashboard import create_app
    from tests.dashboard.conftest import Web

    settings = seeded.settings.model_copy(update={"institution": "Politeknik Negeri Contoh"})
    campus = Web(create_app(settings, seeded.engine), settings, seeded.engine)
    for lang in ("id", "en"):
        client = campus.client("direktur")
        client.set_cookie("pantau_lang", lang)
        text = shown(page(client)) + shown(refresh(campus, client))
        assert "Pengelolaan Akun Layanan Berbasis Digital di Politeknik Negeri Contoh" in text
        assert "Pemasyarakatan" not in text and "Kemenkes" not in text


def test_slap014_switching_language_draws_the_figures_for_the_sop_brought_back(seeded):
    """The layout draws every SOP's figures; after the language switch brings back the reader's choice of one SOP,
    the tables show that SOP only, as the picker says."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    from app.bench.web import chromium, log_in, serving

    codes = sorted(EVENTS)
    with serving(seeded.settings, seeded.engine) as url, chromium() as browser:
        browser.set_window_size(1366, 900)
        log_in(browser, url, "user.direktur", seeded.password)
        browser.get(f"{url}/sla")
        wait = WebDriverWait(browser, 60)
        table = lambda: browser.find_element(By.ID, "sla-sop-table").text  # noqa: E731
        wait.until(ready.presence_of_element_located((By.ID, "sla-sop-table")))
        assert all(f"{code} ·" in table() for code in codes)
        browser.find_element(By.ID, "sla-sop").click()
        menu = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".dash-dropdown-options")))
        menu.find_element(By.XPATH, f".//*[contains(@class, 'dash-dropdown-option')][starts-with(normalize-space(), "
                                    f"'{codes[0]} ·')]").click()
        wait.until(lambda _: not any(f"{code} ·" in table() for code in codes[1:]))
        browser.find_element(By.ID, "shell-lang-en").click()
        wait.until(ready.text_to_be_present_in_element((By.ID, "shell-nav-sla"), "SLA compliance"))
        assert browser.current_url.split("?")[0].endswith("/sla")
        wait.until(ready.text_to_be_present_in_element((By.ID, "sla-sop"), f"{codes[0]} ·"))
        wait.until(lambda _: f"{codes[0]} ·" in table() and not any(f"{code} ·" in table() for code in codes[1:]),
                   "the SOP table should show the SOP brought back only")


def test_slap015_the_page_arrives_with_its_figures_drawn(seeded):
    """The layout holds the cards, the SOP table, the heat map and the open steps: the figures' callback runs only
    when a filter changes."""
    client = seeded.client("direktur")
    text = shown(page(client))
    assert "sla-sop-table" in text and "heatmap" in text and "sla-open-table" in text
    prevented = [spec["output"] for spec in client.get("/_dash-dependencies").json if spec["prevent_initial_call"]]
    assert any("sla-summary.children" in key for key in prevented), "the figures would be computed twice a load"
