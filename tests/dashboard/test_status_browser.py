"""In Chromium: the administrator publishes a service and posts about its outage, the IT head adds a note, and the
public page shows both to a reader who is not logged in, who switches it to English and follows its feeds. Every
button and link the publishing page and the public page offer is pressed by each role that may use it (the
server's refusal of the other roles is in test_publish_page)."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

import pytest
from clicker import Clicker, FaultLog
from dash.testing.application_runners import ThreadedRunner
from dash.testing.browser import Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from pantau.db import session_scope
from pantau.models import Incident, Monitor, ProbeSample, StatusService, utcnow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]


@pytest.fixture
def session(web, request, tmp_path):
    """The app served on loopback with a monitor down and its incident open, and a browser."""
    now = utcnow()
    with session_scope(web.engine) as db:
        link = Monitor(name="h2h-bni-link", role="bank-link", check="tcp", target="10.20.30.40:8443", status="down",
                       status_since=now - timedelta(minutes=30))
        db.add(link)
        db.flush()
        db.add(ProbeSample(monitor_id=link.id, checked_at=now, ok=False))
        db.add(Incident(monitor_id=link.id, kind="down", started_at=now - timedelta(minutes=30)))
    faults = FaultLog().install(web.app.server)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    runner = ThreadedRunner()
    runner.start(web.app)
    try:
        with Browser("chrome", headless=request.config.getoption("headless"), download_path=str(tmp_path)) as browser:
            browser.driver.set_window_size(1366, 900)
            yield Clicker(browser, runner.url, faults, "user.admin")
    finally:
        runner.stop()


def _post(reader: Clicker, state: str, note: str, title: str = "") -> None:
    Select(reader.find("#publish-incident")).select_by_index(0)
    Select(reader.find("#publish-state")).select_by_value(state)
    if title:
        reader.type("#publish-title", title)
    reader.type("#publish-note", note)
    reader.click("#publish-post")
    reader.wait_text("#publish-post-feedback", "Terkirim")


def _public(reader: Clicker) -> None:
    """The public page as a reader who is not logged in: its language links and its feeds."""
    reader.driver.delete_all_cookies()
    reader.visit("/status", "#status-services")
    reader.click("#status-lang-en")
    reader.until(lambda: "BNI VA payments" in reader.text("#status-services"), "the English label is shown")
    assert "disrupted" in reader.text("#status-services")
    reader.click("#status-lang-id")
    reader.until(lambda: "terganggu" in reader.text("#status-services"), "back in Indonesian")
    reader.click("#status-page footer a[href^='/status.json']")
    reader.until(lambda: '"overall"' in reader.driver.find_element(By.TAG_NAME, "body").text, "the JSON feed")
    reader.driver.back()
    reader.click("#status-page footer a[href^='/status.atom']")
    reader.until(lambda: "status.atom" in reader.driver.current_url, "the Atom feed")


def test_statusb001_admin_publishes_and_posts_and_the_public_page_shows_it(session):
    reader = session
    reader.log_in()
    reader.open("publish", "#publish-save", "Status publik")
    Select(reader.find("#publish-monitor")).select_by_visible_text("h2h-bni-link")
    reader.type("#publish-label", "Pembayaran VA BNI")
    reader.type("#publish-label-en", "BNI VA payments")
    reader.click("#publish-save")
    reader.wait_text("#publish-feedback", "Layanan disimpan")
    assert "Pembayaran VA BNI" in reader.text("#publish-services")
    reader.driver.refresh()  # the incident list offers incidents of published services
    _post(reader, "investigating", "Pembayaran lewat VA BNI sedang gagal; kami memeriksanya.",
          title="Pembayaran VA BNI terganggu")
    assert "Pembayaran VA BNI terganggu" in reader.text("#publish-incidents")
    reader.settle()
    reader.clean("admin publishing")
    handles = set(reader.driver.window_handles)
    reader.click("#publish-open-public")
    reader.until(lambda: len(reader.driver.window_handles) > len(handles), "the public page opens in a new tab")
    reader.driver.switch_to.window((set(reader.driver.window_handles) - handles).pop())
    reader.find("#status-incidents")
    assert "Pembayaran VA BNI: terganggu" not in reader.text("#status-overall")
    assert "Pembayaran lewat VA BNI sedang gagal" in reader.text("#status-incidents")
    _public(reader)


def test_statusb002_the_it_head_adds_a_note_but_gets_no_service_form(session, web):
    with session_scope(web.engine) as db:
        db.add(StatusService(monitor_id=db.query(Monitor.id).scalar(), label="Pembayaran VA BNI",
                             label_en="BNI VA payments", updated_by="admin"))
    reader = session
    reader.log_in("user.kepala_it")
    reader.open("publish", "#publish-post", "Status publik")
    assert not reader.driver.find_elements(By.ID, "publish-save")
    _post(reader, "identified", "Penyebabnya di jaringan bank.", title="Pembayaran VA BNI terganggu")
    _post(reader, "resolved", "Sudah normal kembali.")
    reader.settle()
    reader.clean("IT head posting")
    reader.click("#publish-open-public")
    reader.driver.switch_to.window(reader.driver.window_handles[-1])
    reader.find("#status-incidents")
    assert "Sudah normal kembali." in reader.text("#status-incidents")
    _public(reader)


@pytest.mark.parametrize("role", ["admin", "kepala_it"])
def test_statusb003_an_editor_edits_a_note_then_withdraws_it_and_the_public_page_follows(session, web, role):
    from pantau.statuspage import post_incident, post_update

    with session_scope(web.engine) as db:
        db.add(StatusService(monitor_id=db.query(Monitor.id).scalar(), label="Pembayaran VA BNI", updated_by="admin"))
        db.flush()
        post = post_incident(db, incident_id=db.query(Incident.id).scalar(), title="Pembayaran VA BNI terganggu",
                             state="investigating", note="Kami sedang memeriksa.", actor="user.admin")
        post_update(db, status_incident_id=post.id, state="identified", note="Penyebabnya di jaringan bnak.",
                    actor="user.admin")
    reader = session
    reader.log_in(f"user.{role}")
    reader.open("publish", "#publish-edit", "Status publik")
    Select(reader.find("#publish-pick")).select_by_index(0)  # the newest note
    reader.until(lambda: "bnak" in reader.find("#publish-edit-note").get_attribute("value"), "the note to edit")
    box = reader.find("#publish-edit-note")  # filled by a callback: select its words and type over them
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys("Penyebabnya di jaringan bank.")
    reader.click("#publish-edit")
    reader.wait_text("#publish-edit-feedback", "Catatan diubah")
    assert "Publik, diperbarui" in reader.text("#publish-notes")
    reader.visit("/status", "#status-incidents")
    shown = reader.text("#status-incidents")
    assert "Penyebabnya di jaringan bank." in shown and "(diperbarui " in shown and "bnak" not in shown

    reader.visit("/publikasi-status", "#publish-withdraw")
    picker = Select(reader.find("#publish-pick"))
    picker.select_by_visible_text(next(o.text for o in picker.options if "Sedang diperiksa" in o.text))
    reader.until(lambda: reader.find("#publish-edit-note").get_attribute("value") == "Kami sedang memeriksa.",
                 "the first note chosen")
    reader.click("#publish-withdraw")
    reader.wait_text("#publish-edit-feedback", "Catatan ditarik")
    assert "Ditarik" in reader.text("#publish-notes")
    reader.settle()
    reader.clean(f"{role} editing and withdrawing")
    reader.visit("/status", "#status-incidents")
    assert "Kami sedang memeriksa." not in reader.text("#status-incidents")
    assert "Penyebabnya di jaringan bank." in reader.text("#status-incidents")
