"""Ringkasan: the landing page of directors and administrators; each role gets the cards of the pages it may
open, linked to them; operators are refused."""

from __future__ import annotations

import re
import shutil

import pytest
from demo_web import UPDATE, browser_log_in, demo_web, page, payload

CARDS = payload([("overview-cards", "children"), ("overview-attention", "children"), ("overview-stamp", "children")],
                [("overview-tick", "n_intervals", None)])
# besides the finance cards, which come with the payments and tokens pages
EVERY_CARD = ["availability-h2h-server", "availability-payment-server", "kso_waiting", "ktm_done", "sla-AKUN",
              "sla-H2H", "sla-KSO", "sla-KTM", "sla-WS"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("overview"))


def cards(client) -> list[str]:
    response = client.post(UPDATE, json=CARDS)
    assert response.status_code == 200
    return sorted(set(re.findall(r'"overview-card-([\w-]+)"', response.text)))


def test_ovpage001_operators_are_refused(site):
    client = site.client("operator")
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/ringkasan")).text
    assert client.post(UPDATE, json=CARDS).status_code == 403


@pytest.mark.parametrize("who", ["direktur", "admin"])
def test_ovpage002_directors_and_administrators_land_here_and_see_every_card(site, who):
    client = site.client(who)
    assert client.get("/").headers["Location"] == "/ringkasan"
    assert set(EVERY_CARD) <= set(cards(client))


def test_ovpage003_the_it_head_and_the_treasurer_see_the_cards_of_their_pages(site):
    assert cards(site.client("kepala_it")) == ["availability-h2h-server", "availability-payment-server", "sla-H2H",
                                               "sla-WS"]
    treasurer = cards(site.client("bendahara"))
    assert "sla-H2H" in treasurer
    assert not [card for card in treasurer if card.startswith(("availability", "ktm", "kso", "sla-KTM"))]


def test_ovpage004_cards_say_value_change_status_and_link_to_their_page(site):
    response = site.client("direktur").post(UPDATE, json=CARDS)
    text = str(response.json)
    assert "KTM selesai, angkatan 2026" in text and "'href': '/ktm?intake=2026'" in text
    assert "KSO menunggu kolegium" in text and "dibanding 30 hari lalu" in text
    assert "Ketersediaan 30 hari: Server pembayaran" in text and "/server?monitor=" in text  # by its label
    assert "Kepatuhan SLA: KTM · Pembuatan KTM" in text and "/sla?sop=KTM" in text
    assert "Angka per " in str(response.json["response"]["overview-stamp"]["children"])


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_ovpage005_roles_in_chromium(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    browser_log_in(dash_duo, "direktur")
    dash_duo.wait_for_element("#overview-card-ktm_done", timeout=30)
    link = dash_duo.find_element("#overview-card-ktm_done a")
    assert link.get_attribute("href").endswith("/ktm?intake=2026")
    dash_duo.driver.execute_script("arguments[0].click();", link)
    dash_duo.wait_for_contains_text("#ktm-summary", "KTM selesai", timeout=30)
    browser_log_in(dash_duo, "kepala_it")
    dash_duo.driver.get(f"{dash_duo.server.url}/ringkasan")
    dash_duo.wait_for_element("#overview-card-sla-WS", timeout=30)
    assert not dash_duo.driver.find_elements("css selector", "#overview-card-ktm_done")
    browser_log_in(dash_duo, "operator")
    dash_duo.driver.get(f"{dash_duo.server.url}/ringkasan")
    dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=30)


def _scopes(client) -> dict[str, str]:
    """Each card's scope line, by card id."""
    shown = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if str(props.get("id", "")).startswith("overview-card-"):
                text = str(props)
                found = re.search(r"'children': '([^']*)', 'className': 'kpi-scope", text)
                shown[props["id"].removeprefix("overview-card-")] = found.group(1) if found else None
                return
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(client.post(UPDATE, json=CARDS).json["response"]["overview-cards"]["children"])
    return shown


def test_ovpage008_every_card_states_its_scope_and_a_role_scoped_figure_says_so(site):
    """The same SLA KPI counts every step for the director and only the role's steps for the IT head: each
    card says over what it counts (the finance cards' scopes are tested with the payments page)."""
    director, head = _scopes(site.client("direktur")), _scopes(site.client("kepala_it"))
    assert director and all(director.values()), director
    assert director["availability-h2h-server"] == "30 hari terakhir" and director["ktm_done"] == "semua batch"
    assert director["sla-H2H"] == "semua tahap"
    assert head["sla-H2H"] != director["sla-H2H"] and head["sla-H2H"].startswith(("tahap peran", "unit: "))
