"""Sumber Data (/sumber): one row per source with its kind, last success and last error in plain words, and
"check now", which only asks the running collector; for the IT head and the administrator, refused to every
other role on the server, for the page and each of its callbacks."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from collectors.base import Collector, CollectorResult
from collectors.registry import register, unregister
from collectors.scheduler import serve
from pantau.db import session_scope
from pantau.models import AuditEntry, SourceStatus, utcnow
from pantau.sources import SourceRef, declare, heartbeat, record_attempt

UPDATE = "/_dash-update-component"
REFRESH = {
    "output": "..sources-table.children...sources-process.children...sources-soon.disabled..",
    "outputs": [{"id": "sources-table", "property": "children"}, {"id": "sources-process", "property": "children"},
                {"id": "sources-soon", "property": "disabled"}],
    "inputs": [{"id": "sources-tick", "property": "n_intervals", "value": 1},
               {"id": "sources-asked", "property": "data", "value": None},
               {"id": "sources-soon", "property": "n_intervals", "value": None}],
    "changedPropIds": ["sources-tick.n_intervals"], "state": [],
}
BROWSER = pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                             reason="browser tests need Debian's chromium and chromium-driver")


def check(kind: str, name: str) -> dict:
    """The request Dash sends when the "check now" button of a source is pressed."""
    button = {"type": "sources-check", "index": f"{kind}/{name}"}
    return {
        "output": "..sources-feedback.children...sources-asked.data..",
        "outputs": [{"id": "sources-feedback", "property": "children"}, {"id": "sources-asked", "property": "data"}],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [f'{{"index":"{kind}/{name}","type":"sources-check"}}.n_clicks'], "state": [],
    }


def page(path: str = "/sumber") -> dict:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    }


@pytest.fixture
def sources(web):
    """A bill source failing to connect for three attempts, a collector that worked, an agent that pushes, a
    monitor never checked yet, and a monitor in the store that no running collector reads."""
    from pantau.models import Monitor

    now = utcnow()
    with session_scope(web.engine) as session:
        declare(session, [SourceRef("collector", "bills", 300), SourceRef("bill_source", "keuangan", 300),
                          SourceRef("monitor", "h2h-server", 60)])
        record_attempt(session, web.settings, "collector", "bills", ok=True, at=now - timedelta(minutes=2),
                       message="keuangan: 0 read")
        record_attempt(session, web.settings, "bill_source", "keuangan", ok=True, at=now - timedelta(hours=1))
        for minutes in (15, 10, 5):
            record_attempt(session, web.settings, "bill_source", "keuangan", ok=False,
                           at=now - timedelta(minutes=minutes),
                           error=ConnectionRefusedError(111, "Connection refused"))
        record_attempt(session, web.settings, "agent", "server-pembayaran", ok=True, pushed=True, interval_s=60,
                       at=now - timedelta(seconds=30))
        session.add(Monitor(name="siakad-lama", role="other", check="http", target="http://10.0.0.9/", status="up"))
    return now


@pytest.mark.parametrize("role", ["direktur", "bendahara", "operator"])
def test_srcpage001_other_roles_get_neither_the_page_nor_its_callbacks(web, sources, role):
    client = web.client(role)

    shown = client.post(UPDATE, json=page())

    assert "Tidak berwenang" in shown.text and "keuangan" not in shown.text
    assert client.post(UPDATE, json=REFRESH).status_code == 403
    assert client.post(UPDATE, json=check("bill_source", "keuangan")).status_code == 403
    with session_scope(web.engine) as session:
        assert session.get(SourceStatus, ("bill_source", "keuangan")).check_requested_at is None


@pytest.mark.parametrize("role", ["kepala_it", "admin"])
def test_srcpage002_the_it_head_and_admin_see_each_source_its_last_success_and_error_in_words(web, sources, role):
    client = web.client(role)

    assert "Sumber Data" in client.post(UPDATE, json=page()).text
    table = str(client.post(UPDATE, json=REFRESH).json["response"]["sources-table"]["children"])

    assert "Sumber tagihan keuangan tidak dapat dihubungi: [Errno 111] Connection refused" in table
    assert "3 percobaan berturut-turut, sejak" in table and "Traceback" not in table
    for words in ("Gagal", "Berhasil", "Belum diperiksa", "Sumber tagihan", "Pengumpul", "Agen host", "Monitor",
                  "mengirim datanya sendiri", "tidak ada dalam konfigurasi pengumpul data yang berjalan",
                  "setiap 5 menit", "Periksa sekarang"):
        assert words in table, words
    assert "'index': 'bill_source/keuangan'" in table and "'index': 'agent/server-pembayaran'" not in table, \
        "a pushed source has no check button"
    assert "'index': 'monitor/siakad-lama'" not in table, "nor a monitor no running collector reads"


def test_srcpage003_check_now_writes_a_request_for_the_collector_and_says_what_happens_next(web, sources):
    client = web.client("kepala_it")

    waiting = client.post(UPDATE, json=check("bill_source", "keuangan")).json["response"]
    heartbeat(web.engine, interval_s=15, who="host a, pid 1")
    running = client.post(UPDATE, json=check("monitor", "h2h-server")).json["response"]
    pushed = client.post(UPDATE, json=check("agent", "server-pembayaran")).json["response"]
    forged = client.post(UPDATE, json=check("bill_source", "tidak-ada")).json["response"]

    assert "Pemeriksaan Sumber tagihan keuangan diminta pukul" in str(waiting)
    assert "pengumpul data tidak berjalan" in str(waiting)
    assert "dalam 30 detik" in str(running)
    assert "Agen host server-pembayaran mengirim datanya sendiri" in str(pushed)
    assert "bukan sumber yang dikenal" in str(forged)
    with session_scope(web.engine) as session:
        row = session.get(SourceStatus, ("bill_source", "keuangan"))
        assert (row.check_requested_by, row.check_requested_at is not None) == ("user.kepala_it", True)
        audited = session.scalars(select(AuditEntry.target).where(AuditEntry.action == "source.check")).all()
    assert audited == ["bill_source:keuangan", "monitor:h2h-server"]
    refreshed = client.post(UPDATE, json=REFRESH).json["response"]
    assert "Pemeriksaan diminta" in str(refreshed["sources-table"]["children"])
    assert refreshed["sources-soon"]["disabled"] is False, "while a check waits, the list is read every second"


def test_srcpage004_in_english_the_page_says_the_same(web, sources):
    client = web.client("admin")
    client.set_cookie("pantau_lang", "en")

    table = str(client.post(UPDATE, json=REFRESH).json["response"]["sources-table"]["children"])

    assert "Bill source keuangan could not be reached: [Errno 111] Connection refused" in table
    assert "Check now" in table and "Failing" in table


@pytest.fixture
def collector(web):
    """A running collector (its own thread, as `pantau collect`) that reads bill source `keuangan`: a check of
    it succeeds."""

    class Tagihan(Collector):
        name = "test-tagihan"
        default_interval_s = 3600

        def sources(self):
            return [SourceRef("bill_source", "keuangan", 300)]

        def run(self) -> CollectorResult:
            return CollectorResult(0, "idle")

        def check_source(self, kind, name) -> CollectorResult:
            with session_scope(self.engine) as session:
                record_attempt(session, self.settings, kind, name, ok=True, message="keuangan: 12 read")
            return CollectorResult(12, "keuangan: 12 read")

    register(Tagihan)
    settings = web.settings.model_copy(update={"collector": web.settings.collector.model_copy(
        update={"heartbeat_s": 0.5, "lease_s": 3.0})})
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(settings, web.engine, stop, ["test-tagihan"]), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)
    unregister("test-tagihan")


def _log_in(dash_duo, username: str, password: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)


@BROWSER
@pytest.mark.browser
@pytest.mark.parametrize("role", ["kepala_it", "admin"])
def test_srcpage005_check_now_in_chromium_runs_the_check_in_the_collector_and_the_row_shows_it(
        dash_duo, web, sources, collector, role):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    _log_in(dash_duo, f"user.{role}", web.password)
    dash_duo.driver.get(f"{dash_duo.server.url}/sumber")
    row = "#sources-row-bill_source-keuangan"
    dash_duo.wait_for_contains_text(row, "Gagal", timeout=20)

    button = dash_duo.find_element(f"{row} button")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()

    dash_duo.wait_for_contains_text("#sources-feedback", "Pemeriksaan Sumber tagihan keuangan diminta pukul",
                                    timeout=20)
    WebDriverWait(dash_duo.driver, 45, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: "Berhasil" in (text := driver.find_element(By.CSS_SELECTOR, row).text)
        and "Pemeriksaan diminta" not in text and "sudah pulih" in text,
        "the row should show the collector's successful check, and its last error as recovered")
    assert dash_duo.find_element("#shell-banner").text == "", "the collector reports, so no banner"
    with session_scope(web.engine) as session:
        status = session.get(SourceStatus, ("bill_source", "keuangan"))
        assert (status.check_requested_at, status.last_message) == (None, "keuangan: 12 read")
    assert dash_duo.get_logs() == []


@BROWSER
@pytest.mark.browser
@pytest.mark.parametrize("role", ["bendahara", "operator", "direktur"])
def test_srcpage006_other_roles_in_chromium_find_no_menu_entry_and_a_refusal(dash_duo, web, sources, role):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, f"user.{role}", web.password)
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#shell-nav-sources")

    dash_duo.driver.get(f"{dash_duo.server.url}/sumber")

    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=20)
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#sources-list")
    assert "keuangan" not in dash_duo.driver.page_source
    assert "Pengumpul data belum pernah melapor" in dash_duo.find_element("#shell-banner").text
    assert dash_duo.get_logs() == []


QUARANTINE = {
    "output": "sources-quarantine.children",
    "outputs": {"id": "sources-quarantine", "property": "children"},
    "inputs": [{"id": "sources-tick", "property": "n_intervals", "value": 1}],
    "changedPropIds": ["sources-tick.n_intervals"], "state": [],
}


@pytest.fixture
def set_aside(web):
    """The latest sync of bill source keuangan set one row aside: its amount could not be read."""
    from pantau.models import BillQuarantine

    now = utcnow()
    with session_scope(web.engine) as session:
        session.add(BillQuarantine(source="keuangan", query="bills", row="baris 7", source_key="INV-7", field="amount",
                                   column="nominal", value="dua juta", reason="jumlah tidak dapat dibaca",
                                   first_seen_at=now, last_seen_at=now))


@pytest.mark.parametrize("role", ["kepala_it", "admin"])
def test_srcpage007_rows_a_bill_sync_set_aside_are_listed_with_source_column_value_and_reason(web, set_aside, role):
    card = str(web.client(role).post(UPDATE, json=QUARANTINE).json["response"]["sources-quarantine"]["children"])

    for words in ("Baris tagihan yang disisihkan", "keuangan: 1", "baris 7", "nominal", "dua juta",
                  "jumlah tidak dapat dibaca"):
        assert words in card, words


@pytest.mark.parametrize("role", ["direktur", "bendahara", "operator"])
def test_srcpage008_other_roles_do_not_get_the_set_aside_rows(web, set_aside, role):
    answer = web.client(role).post(UPDATE, json=QUARANTINE)

    assert answer.status_code == 403 and "dua juta" not in answer.text


@pytest.mark.parametrize(("lang", "words"), [
    ("id", ("tagihan.csv baris 3", "bukan jumlah uang (1500000, 1500000.00 atau 1.500.000,00)",
            "nomor tagihan yang sama dua kali dalam satu sinkronisasi: baris 4 dan baris 9")),
    ("en", ("tagihan.csv line 3", "not an amount (1500000, 1500000.00 or 1.500.000,00)",
            "the same bill number twice in one sync: row 4 and row 9"))])
def test_srcpage009_a_set_aside_rows_place_and_reason_are_in_the_readers_language(web, lang, words):
    now = utcnow()
    from pantau.models import BillQuarantine

    with session_scope(web.engine) as session:
        session.add_all([
            BillQuarantine(source="ekspor", query=None, row="tagihan.csv line 3", source_key="T-2", field="amount",
                           column="amount", value="satu juta", reason="not an amount (1500000, 1500000.00 or "
                           "1.500.000,00)", first_seen_at=now, last_seen_at=now),
            BillQuarantine(source="keuangan", query="bills", row="row 4", source_key="T-4", field="source_key",
                           column="source_key", value="T-4", reason="the same bill number twice in one sync: row 4 "
                           "and row 9", first_seen_at=now, last_seen_at=now)])
    client = web.client("admin")
    client.set_cookie("pantau_lang", lang)

    card = str(client.post(UPDATE, json=QUARANTINE).json["response"]["sources-quarantine"]["children"])

    assert all(word in card for word in words), card
