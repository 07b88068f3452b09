"""Laporan bulanan: directors and administrators read and print the month's figures; other roles are refused."""

from __future__ import annotations

import shutil

import pytest
from demo_web import UPDATE, page, payload

from pantau.models import utcnow
from queries.monthly_report import previous_month


def render(month: str) -> dict:
    return payload([("report-body", "children")], [("report-month", "value", month)])


@pytest.mark.parametrize("role", ["kepala_it", "bendahara", "operator"])
def test_reportpage001_other_roles_are_refused(web, role):
    client = web.client(role)
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/laporan")).text
    assert client.post(UPDATE, json=render("2026-10")).status_code == 403


@pytest.mark.parametrize("role", ["direktur", "admin"])
def test_reportpage002_the_report_of_the_chosen_month(web, role):
    client = web.client(role)
    shown = client.post(UPDATE, json=page("/laporan")).text
    assert f'"value":"{previous_month(utcnow(), "Asia/Jakarta")}"' in shown and "d-print-none" in shown
    body = str(client.post(UPDATE, json=render("2026-10")).json["response"]["report-body"]["children"])
    assert "Laporan bulanan Okt 2026" in body and "angka per 31 Okt 2026 23.59 WIB" in body
    assert "KSO menunggu kolegium" in body


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_reportpage003_printing_leaves_navigation_and_controls_off_the_paper(dash_duo, web):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys("user.direktur")
    dash_duo.find_element("#password").send_keys(web.password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=30)
    dash_duo.driver.get(f"{dash_duo.server.url}/laporan")
    dash_duo.wait_for_contains_text("#report-body", "Laporan bulanan", timeout=30)
    assert dash_duo.find_element("#report-print").is_displayed()

    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})

    assert not dash_duo.find_element("#report-print").is_displayed()
    assert not dash_duo.find_element("#shell-nav-overview").is_displayed()
    assert dash_duo.find_element("#report-body").is_displayed()
