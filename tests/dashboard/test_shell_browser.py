"""A new user logs in with a real Chromium and finds the shell: their pages, their name, the language switch."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from pantau.db import session_scope
from pantau.models import CollectorRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="browser tests need Debian's chromium and chromium-driver",
    ),
]


def _log_in(dash_duo, username: str, password: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)


def _wait_for_tab_title(dash_duo, title: str) -> None:
    WebDriverWait(dash_duo.driver, 20).until(lambda driver: driver.title == title,
                                             f"the tab should read {title!r}")


def test_shell001_bendahara_logs_in_and_sees_only_their_pages(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.bendahara", web.password)
    dash_duo.wait_for_text_to_equal("#shell-nav-alerts", "Peringatan", timeout=20)
    assert "Bendahara Penerima" in dash_duo.find_element("#shell-user").text
    assert not dash_duo.driver.find_elements("css selector", "#shell-nav-admin")
    assert "Data terakhir diperbarui" in dash_duo.find_element("#shell-freshness").text or \
        "Belum ada data" in dash_duo.find_element("#shell-freshness").text
    dash_duo.driver.get(f"{dash_duo.server.url}/peringatan")
    dash_duo.wait_for_element("#alerts-summary", timeout=20)
    _wait_for_tab_title(dash_duo, "Peringatan · Pantau")


def test_shell002_a_page_outside_the_role_says_not_authorised(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.operator", web.password)
    dash_duo.driver.get(f"{dash_duo.server.url}/pengguna")
    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=20)
    assert "user.admin" not in dash_duo.driver.page_source


def test_shell003_admin_switches_to_english_and_back(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.admin", web.password)
    dash_duo.wait_for_text_to_equal("#shell-nav-admin", "Pengguna & Audit", timeout=20)
    dash_duo.find_element("#shell-lang-en").click()
    dash_duo.wait_for_text_to_equal("#shell-nav-admin", "Users & audit", timeout=20)
    assert "Log out" in dash_duo.find_element("#shell-logout").text
    dash_duo.driver.get(f"{dash_duo.server.url}/peringatan")
    _wait_for_tab_title(dash_duo, "Alerts · Pantau")
    dash_duo.find_element("#shell-lang-id").click()
    dash_duo.wait_for_text_to_equal("#shell-nav-admin", "Pengguna & Audit", timeout=20)


def test_shell004_log_out_returns_to_the_login_form(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.direktur", web.password)
    dash_duo.find_element("#shell-logout").click()
    dash_duo.wait_for_element("#login-form", timeout=20)
    dash_duo.driver.get(f"{dash_duo.server.url}/peringatan")
    dash_duo.wait_for_element("#login-form", timeout=20)


def test_shell005_on_a_400px_phone_the_menu_button_opens_the_menu_and_a_link_leads_to_its_page(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.set_window_size(400, 860)
    _log_in(dash_duo, "user.direktur", web.password)
    assert dash_duo.driver.execute_script("return window.innerWidth") <= 400
    toggle, menu = dash_duo.find_element("#shell-nav-toggle"), dash_duo.find_element("#shell-nav")
    assert toggle.is_displayed() and not menu.is_displayed(), "on a phone the menu starts closed behind its button"
    toggle.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda _: menu.is_displayed(), "the menu button should open the menu")
    assert toggle.get_attribute("aria-expanded") == "true"
    link = dash_duo.find_element("#shell-nav-alerts")
    WebDriverWait(dash_duo.driver, 10).until(lambda _: link.is_displayed(), "the menu should finish opening")
    link.click()
    dash_duo.wait_for_element("#alerts-summary", timeout=20)
    _wait_for_tab_title(dash_duo, "Peringatan · Pantau")
    assert dash_duo.driver.current_url.endswith("/peringatan")
    WebDriverWait(dash_duo.driver, 10).until(lambda _: not menu.is_displayed(), "following a link closes the menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda _: menu.is_displayed(), "the menu opens again")
    toggle.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda _: not menu.is_displayed(), "and the button closes it")
    assert dash_duo.get_logs() == []


def test_shell006_the_header_says_when_data_last_arrived(dash_duo, web):
    with session_scope(web.engine) as session:
        session.add(CollectorRun(collector="probes", started_at=datetime(2026, 11, 20, 2, 58, tzinfo=UTC),
                                 finished_at=datetime(2026, 11, 20, 2, 59, tzinfo=UTC), ok=True, items=3))
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.kepala_it", web.password)
    dash_duo.wait_for_text_to_equal("#shell-freshness", "Data terakhir diperbarui 20 Nov 2026 09.59 WIB", timeout=20)
    dash_duo.find_element("#shell-lang-en").click()
    dash_duo.wait_for_text_to_equal("#shell-freshness", "Data last updated 20 Nov 2026 9:59 AM WIB", timeout=20)
    assert dash_duo.get_logs() == []


def test_shell007_switching_language_keeps_the_page_and_its_filters(dash_duo, web):
    from selenium.webdriver.support.ui import Select

    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    _log_in(dash_duo, "user.admin", web.password)
    dash_duo.driver.get(f"{dash_duo.server.url}/pengguna")
    dash_duo.wait_for_element("#admin-audit-filter", timeout=20)
    Select(dash_duo.find_element("#admin-audit-filter")).select_by_value("login")
    dash_duo.find_element("#admin-name").send_keys("budi.s")
    dash_duo.wait_for_element("#admin-audit-body", timeout=20)
    dash_duo.find_element("#shell-lang-en").click()
    _wait_for_tab_title(dash_duo, "Users & audit · Pantau")
    assert dash_duo.driver.current_url.split("?")[0].endswith("/pengguna")
    dash_duo.wait_for_text_to_equal("#shell-nav-admin", "Users & audit", timeout=20)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda driver: Select(driver.find_element("css selector", "#admin-audit-filter")).first_selected_option
        .get_attribute("value") == "login", "the audit filter should still read 'Log-ins'")
    assert dash_duo.find_element("#admin-name").get_attribute("value") == "budi.s"
    dash_duo.driver.get(f"{dash_duo.server.url}/pengguna")
    dash_duo.wait_for_element("#admin-audit-filter", timeout=20)
    _wait_for_tab_title(dash_duo, "Users & audit · Pantau")
    assert Select(dash_duo.find_element("#admin-audit-filter")).first_selected_option.get_attribute("value") == "all"
    assert dash_duo.find_element("#admin-name").get_attribute("value") == ""


def test_shell008_a_refused_page_titles_its_tab_not_authorised(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, "user.operator", web.password)
    _wait_for_tab_title(dash_duo, "Kepatuhan SLA · Pantau")
    dash_duo.driver.get(f"{dash_duo.server.url}/pengguna")
    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=20)
    _wait_for_tab_title(dash_duo, "Tidak berwenang · Pantau")
    dash_duo.driver.get(f"{dash_duo.server.url}/peringatan")
    _wait_for_tab_title(dash_duo, "Peringatan · Pantau")
    dash_duo.driver.execute_script("window.history.pushState({}, '', '/pembayaran');"
                                   "window.dispatchEvent(new PopStateEvent('popstate'));")
    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=20)
    _wait_for_tab_title(dash_duo, "Tidak berwenang · Pantau")


def test_shell009_a_failed_log_in_keeps_the_user_name_and_asks_for_the_password_again(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys("user.admin")
    dash_duo.find_element("#password").send_keys("salah-sandi")
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_text_to_equal(".alert-danger", "Nama pengguna atau kata sandi salah.", timeout=20)
    assert dash_duo.find_element("#username").get_attribute("value") == "user.admin"
    assert dash_duo.find_element("#password").get_attribute("value") == ""
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "password"
    dash_duo.find_element("#password").send_keys(web.password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)
