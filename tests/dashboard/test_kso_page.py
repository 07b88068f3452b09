"""KSO / SKP page: the whole page for directors, administrators and KSO operators; invoices only for the
receiving treasurer; nothing for other roles and units, callbacks included."""

from __future__ import annotations

import shutil

import pytest
from demo_web import UPDATE, browser_log_in, demo_web, page, payload

OVERVIEW = payload([("kso-summary", "children"), ("kso-lead", "children"), ("kso-waiting", "children"),
                    ("kso-requests", "children"), ("kso-request", "options"), ("kso-request", "value")],
                   [("kso-period", "value", "12m")])
INVOICES = payload([("kso-invoice-summary", "children"), ("kso-invoices", "children")],
                   [("kso-period", "value", "12m")])


def timeline(case_id) -> dict:
    return payload([("kso-gantt", "children")], [("kso-request", "value", case_id)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("kso"))


@pytest.mark.parametrize("who", ["kepala_it", "operator", "ops.ktm"])
def test_ksopage001_other_roles_and_units_get_nothing(site, who):
    client = site.client(who)
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/kso")).text
    for request in (OVERVIEW, INVOICES, timeline(1)):
        assert client.post(UPDATE, json=request).status_code == 403


def test_ksopage002_the_treasurer_gets_the_invoices_only(site):
    client = site.client("bendahara")
    shown = client.post(UPDATE, json=page("/kso")).text
    assert "kso-invoices" in shown and "kso-gantt" not in shown and "kso-summary" not in shown
    assert client.post(UPDATE, json=OVERVIEW).status_code == 403
    assert client.post(UPDATE, json=timeline(1)).status_code == 403
    invoices = client.post(UPDATE, json=INVOICES)
    assert invoices.status_code == 200
    assert "Invoice diterbitkan" in invoices.text and "Rp " in invoices.text


@pytest.mark.parametrize("who", ["direktur", "admin", "ops.kso"])
def test_ksopage003_the_page_with_rates_waits_and_a_timeline_beside_the_standards(site, who):
    client = site.client(who)
    parts = client.post(UPDATE, json=OVERVIEW).json["response"]
    summary = str(parts["kso-summary"]["children"])
    assert "Permohonan diterima" in summary and "Disetujui" in summary and "Menunggu kolegium" in summary
    chosen = parts["kso-request"]["value"]
    assert chosen == parts["kso-request"]["options"][0]["value"]
    figure = client.post(UPDATE,
                         json=timeline(chosen)).json["response"]["kso-gantt"]["children"]["props"]["children"][0]["props"]["figure"]
    assert [trace["name"] for trace in figure["data"]] == ["Waktu baku", "Waktu dipakai"]
    assert any("(pihak luar)" in row for row in figure["data"][1]["y"])
    assert figure["layout"]["barmode"] == "group"


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_ksopage004_roles_in_chromium(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    for who in ("direktur", "ops.kso"):
        browser_log_in(dash_duo, who)
        dash_duo.driver.get(f"{dash_duo.server.url}/kso")
        dash_duo.wait_for_contains_text("#kso-summary", "Permohonan diterima", timeout=30)
        dash_duo.wait_for_element("#kso-gantt .js-plotly-plot", timeout=30)
        dash_duo.wait_for_contains_text("#kso-invoice-summary", "Invoice diterbitkan", timeout=30)
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/kso")
    dash_duo.wait_for_contains_text("#kso-invoice-summary", "Invoice diterbitkan", timeout=30)
    assert not dash_duo.driver.find_elements("css selector", "#kso-gantt")
    for who in ("kepala_it", "operator"):
        browser_log_in(dash_duo, who)
        dash_duo.driver.get(f"{dash_duo.server.url}/kso")
        dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=30)
