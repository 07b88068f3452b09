"""Digital accounts & webservice page: both parts for directors, the IT head and administrators; the part of
their unit's SOP for an operator (UPT TIK runs the webservice SOP); nothing for the treasurer."""

from __future__ import annotations

import shutil

import pytest
from demo_web import UPDATE, browser_log_in, demo_web, page, payload

TICK = ("accounts-tick", "n_intervals", None)
WEBSERVICE = payload([("accounts-ws-summary", "children"), ("accounts-webservice", "children")], [TICK])
REGISTER = payload([("accounts-akun-summary", "children"), ("accounts-requests", "children"),
                    ("accounts-services", "children"), ("accounts-register", "children")], [TICK])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("accounts"))


@pytest.mark.parametrize("who", ["bendahara", "ops.kso"])
def test_accpage001_roles_and_units_without_the_sops_get_nothing(site, who):
    client = site.client(who)
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/akun")).text
    assert client.post(UPDATE, json=WEBSERVICE).status_code == 403
    assert client.post(UPDATE, json=REGISTER).status_code == 403


def test_accpage002_an_it_operator_sees_the_webservice_part_only(site):
    client = site.client("operator")
    shown = client.post(UPDATE, json=page("/akun")).text
    assert "accounts-webservice" in shown and "accounts-register" not in shown
    assert client.post(UPDATE, json=WEBSERVICE).status_code == 200
    assert client.post(UPDATE, json=REGISTER).status_code == 403


@pytest.mark.parametrize("who", ["direktur", "kepala_it", "admin"])
def test_accpage003_both_parts_with_expiry_states_and_decisions(site, who):
    client = site.client(who)
    webservice = client.post(UPDATE, json=WEBSERVICE).json["response"]
    summary = str(webservice["accounts-ws-summary"]["children"])
    assert "Berakhir dalam 30 hari" in summary and "Berakhir, masih dipakai" in summary
    rows = webservice["accounts-webservice"]["children"]["props"]["children"][0]["props"]["data"]
    states = [row["status"] for row in rows]
    assert states[0] == "Berakhir, masih dipakai" and "Segera berakhir" in states
    register = client.post(UPDATE, json=REGISTER).json["response"]
    assert "Waktu sampai keputusan" in str(register["accounts-akun-summary"]["children"])
    services = register["accounts-services"]["children"]["props"]["children"][0]["props"]["figure"]["layout"]
    assert services["title"]["text"] == "Akun per layanan" and services["xaxis"]["tickformat"] == ",d"


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_accpage004_roles_in_chromium(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    for who in ("direktur", "kepala_it"):
        browser_log_in(dash_duo, who)
        dash_duo.driver.get(f"{dash_duo.server.url}/akun")
        dash_duo.wait_for_contains_text("#accounts-ws-summary", "Berakhir dalam 30 hari", timeout=30)
        dash_duo.wait_for_contains_text("#accounts-akun-summary", "Akun dalam daftar", timeout=30)
    browser_log_in(dash_duo, "operator")
    dash_duo.driver.get(f"{dash_duo.server.url}/akun")
    dash_duo.wait_for_contains_text("#accounts-ws-summary", "Berakhir dalam 30 hari", timeout=30)
    assert not dash_duo.driver.find_elements("css selector", "#accounts-register")
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/akun")
    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=30)


def test_accpage005_no_card_says_no_data_beside_its_figure(site):
    """A card showing a count (the expired accounts) or a share is never badged 'Tidak ada data'."""
    client = site.client("direktur")
    for body, summary in ((WEBSERVICE, "accounts-ws-summary"), (REGISTER, "accounts-akun-summary")):
        cards = str(client.post(UPDATE, json=body).json["response"][summary]["children"])
        assert cards.count("kpi-value") == 4, "four cards, each with its figure"
        assert "Tidak ada data" not in cards, summary
