"""Every KPI card says over what it counts (issue 19, numbers): the KTM, KSO, token and account pages' cards
carry a scope line, for every role that may open the page, in the reader's language."""

from __future__ import annotations

import pytest
from demo_web import UPDATE, demo_web, payload
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AdmissionWave, TokenMovement

TICK = ("accounts-tick", "n_intervals", None)
KSO_OVERVIEW = [("kso-summary", "children"), ("kso-lead", "children"), ("kso-waiting", "children"),
                ("kso-requests", "children"), ("kso-request", "options"), ("kso-request", "value")]
KSO_INVOICES = [("kso-invoice-summary", "children"), ("kso-invoices", "children")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("scopes"))


def scopes(node) -> list[str]:
    """The scope lines of the KPI cards in a callback's answer, in order."""
    found = []
    if isinstance(node, dict):
        props = node.get("props", {})
        if "kpi-scope" in str(props.get("className", "")):
            found.append(props["children"])
        for value in props.values() if "props" in node else node.values():
            found += scopes(value)
    elif isinstance(node, list):
        for item in node:
            found += scopes(item)
    return found


def answer(client, outputs, inputs, lang: str = "id") -> dict:
    client.set_cookie("pantau_lang", lang)
    response = client.post(UPDATE, json=payload(outputs, inputs))
    assert response.status_code == 200, response.text[:300]
    return response.json["response"]


def ktm(client, batch, lang="id") -> list[str]:
    return scopes(answer(client, [("ktm-summary", "children"), ("ktm-funnel", "children"),
                                  ("ktm-stage-chart", "children"), ("ktm-stages", "children"),
                                  ("ktm-batches", "children"), ("ktm-photos", "children"), ("ktm-stuck", "children")],
                         [("ktm-intake", "value", 2026), ("ktm-batch", "value", batch)], lang)["ktm-summary"])


@pytest.mark.parametrize("who", ["direktur", "admin", "ops.ktm"])
def test_scope001_ktm_cards_name_the_intake_and_the_batch_where_a_card_follows_it(site, who):
    client = site.client(who)
    assert ktm(client, 0) == ["angkatan 2026"] * 4
    assert ktm(client, 2) == ["angkatan 2026", "angkatan 2026, batch 2", "angkatan 2026, batch 2", "angkatan 2026"], \
        "completion and the photo check count the whole intake; the stage counts follow the batch"
    assert ktm(client, 2, "en") == ["intake 2026", "intake 2026, batch 2", "intake 2026, batch 2", "intake 2026"]


@pytest.mark.parametrize("who", ["direktur", "admin", "ops.kso"])
def test_scope002_kso_cards_name_the_period_and_the_kolegium_queue_counts_now(site, who):
    client = site.client(who)
    shown = scopes(answer(client, KSO_OVERVIEW, [("kso-period", "value", "year")])["kso-summary"])
    assert shown == ["permintaan diterima tahun ini"] * 3 + ["semua permintaan terbuka, saat ini"]
    invoices = scopes(answer(client, KSO_INVOICES, [("kso-period", "value", "last-year")], "en")["kso-invoice-summary"])
    assert invoices == ["requests received last year"] * 3


def test_scope003_the_treasurer_reads_the_invoice_cards_scope_too(site):
    client = site.client("bendahara")
    assert scopes(answer(client, KSO_INVOICES, [("kso-period", "value", "12m")])["kso-invoice-summary"]) == \
        ["permintaan diterima 12 bulan terakhir"] * 3


@pytest.mark.parametrize("who", ["direktur", "bendahara", "admin"])
def test_scope004_token_cards_name_the_wave(site, who):
    with session_scope(site.engine) as session:
        wave = session.scalars(select(AdmissionWave).join(TokenMovement, TokenMovement.wave_id == AdmissionWave.id)
                               .order_by(AdmissionWave.opens_on.desc())).first()
        wave_id, name = wave.id, wave.name
    outputs = [("tokens-summary", "children"), ("tokens-chart", "children"), ("tokens-history", "children")]
    inputs = [("tokens-wave", "value", wave_id), ("tokens-saved", "data", None)]
    client = site.client(who)
    assert scopes(answer(client, outputs, inputs)["tokens-summary"]) == [f"gelombang: {name}"] * 4
    assert scopes(answer(client, outputs, inputs, "en")["tokens-summary"]) == [f"wave: {name}"] * 4


@pytest.mark.parametrize("who, parts", [("direktur", 2), ("kepala_it", 2), ("admin", 2), ("operator", 1)])
def test_scope005_account_cards_say_every_account_or_the_last_12_months(site, who, parts):
    client = site.client(who)
    webservice = answer(client, [("accounts-ws-summary", "children"), ("accounts-webservice", "children")], [TICK])
    assert scopes(webservice["accounts-ws-summary"]) == ["semua akun webservice"] * 4
    if parts == 1:
        return
    register = answer(client, [("accounts-akun-summary", "children"), ("accounts-requests", "children"),
                               ("accounts-services", "children"), ("accounts-register", "children")], [TICK], "en")
    assert scopes(register["accounts-akun-summary"]) == ["the whole register"] + ["requests of the last 12 months"] * 3
