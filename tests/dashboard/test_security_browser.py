"""Every page works in a real Chromium under the Content-Security-Policy: no violation in the console, charts
drawn, the log-out button posts; and the policy is really enforced (an injected inline script does not run)."""

from __future__ import annotations

import shutil

import pytest
from demo_web import PASSWORD, demo_web
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="browser tests need Debian's chromium and chromium-driver",
    ),
]

PAGES = {"/ringkasan": "Ringkasan", "/server": "Kesehatan Server", "/pembayaran": "Pembayaran & Rekonsiliasi",
         "/token": "Token Pembayaran", "/sla": "Kepatuhan SLA", "/ktm": "KTM", "/kso": "KSO / SKP",
         "/akun": "Akun Digital & Webservice", "/peringatan": "Peringatan", "/sumber": "Sumber Data",
         "/laporan": "Laporan Bulanan", "/pengguna": "Pengguna & Audit"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("csp"))


def _csp_errors(logs: list[dict]) -> list[str]:
    return [entry["message"] for entry in logs if "Content Security Policy" in entry["message"]]


def test_secb001_every_page_loads_under_the_csp_without_a_violation(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    driver = dash_duo.driver
    driver.get(f"{dash_duo.server.url}/login")
    dash_duo.wait_for_element("#login-form", timeout=20)
    dash_duo.find_element("#username").send_keys("user.admin")
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)
    logs = list(dash_duo.get_logs() or [])
    charts = 0
    for path, _title in PAGES.items():
        driver.get(f"{dash_duo.server.url}{path}")
        WebDriverWait(driver, 30).until(lambda d: d.title.endswith("· Pantau") and "Updating" not in d.title)
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return !document.querySelector('[data-dash-is-loading=\"true\"]')"))
        charts += len(driver.find_elements("css selector", ".js-plotly-plot .main-svg"))
        logs += dash_duo.get_logs() or []
    assert _csp_errors(logs) == []
    assert [entry for entry in logs if entry.get("level") == "SEVERE"] == []
    assert charts > 3, "Plotly draws its charts under the policy"
    injected = driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__injected = 1';"
        "document.body.appendChild(s); return window.__injected === undefined ? null : window.__injected;")
    assert injected is None, "an inline script the policy does not name must not run"
    assert _csp_errors(dash_duo.get_logs() or []), "and the browser reports the refusal"
    dash_duo.find_element("#shell-logout").click()
    dash_duo.wait_for_element("#login-form", timeout=20)
    driver.get(f"{dash_duo.server.url}/peringatan")
    dash_duo.wait_for_element("#login-form", timeout=20)
