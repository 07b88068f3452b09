"""Every card says how old its data is: the overview's KPI cards (from their subject's sources, a server's from
its monitor's newest check) and the subject pages under their titles; a card whose source has had nothing for
two of its intervals is neutral and says since when, and the overview names it apart from the graded ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from demo_web import NOW, UPDATE, demo_web, page, payload

from pantau import formatting
from pantau.db import session_scope
from pantau.models import SourceStatus, utcnow
from pantau.sources import record_attempt

CARDS = payload([("overview-cards", "children"), ("overview-attention", "children"), ("overview-stamp", "children")],
                [("overview-tick", "n_intervals", None)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("freshness"))


def card(response: dict, key: str) -> str:
    """The card of KPI `key`, as text."""
    def find(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == f"overview-card-{key}":
                return node
            return next((found for value in node.values() if (found := find(value)) is not None), None)
        if isinstance(node, list):
            return next((found for value in node if (found := find(value)) is not None), None)
        return None

    found = find(response["overview-cards"]["children"])
    assert found is not None, f"no card {key}"
    return str(found)


def test_fcard001_the_demos_cards_say_when_their_data_came_and_its_idle_monitors_that_they_have_none_recent(site):
    response = site.client("direktur").post(UPDATE, json=CARDS).json["response"]

    sla = card(response, "sla-H2H")
    assert f"Data per {formatting.moment(NOW, 'id', 'Asia/Jakarta')}" in sla, "the demo's own run of its SOP steps"
    server = card(response, "availability-payment-server")
    assert "Tidak ada data baru sejak" in server and "kpi-none" in server and "Tidak ada data baru" in server
    attention = str(response["overview-attention"]["children"])
    assert "Tidak ada data baru: Ketersediaan 30 hari: Server pembayaran" in attention  # by its label


def test_fcard002_an_event_source_failing_for_longer_than_two_intervals_makes_the_sla_cards_neutral(site):
    last = utcnow() - timedelta(minutes=20)
    with session_scope(site.engine) as session:
        record_attempt(session, site.settings, "event_source", "siakad", ok=True, at=last, interval_s=300)
        record_attempt(session, site.settings, "event_source", "siakad", ok=False, error="timed out",
                       at=utcnow() - timedelta(minutes=1))
    try:
        response = site.client("direktur").post(UPDATE, json=CARDS).json["response"]
        heading = site.client("admin").post(UPDATE, json=page("/sla")).text
    finally:
        with session_scope(site.engine) as session:
            session.delete(session.get(SourceStatus, ("event_source", "siakad")))

    sla = card(response, "sla-H2H")
    since = formatting.when(last, "id", "Asia/Jakarta")
    assert f"Tidak ada data baru sejak {since}" in sla
    assert "kpi-none" in sla and "kpi-good" not in sla and "kpi-bad" not in sla and "kpi-warn" not in sla
    assert "Tidak ada data baru: " in str(response["overview-attention"]["children"])
    assert f"Tidak ada data baru sejak {since}" in heading


@pytest.mark.parametrize(("path", "subject"), [("/sla", "sla"), ("/ktm", "ktm"), ("/kso", "kso"),
                                                ("/akun", "accounts"), ("/token", "tokens")])
def test_fcard003_each_subject_page_says_under_its_title_how_old_its_data_is(site, path, subject):
    shown = site.client("admin").post(UPDATE, json=page(path)).text

    assert f"{subject}-freshness" in shown and "Data per " in shown
