"""queries.accounts on both stores: the digital account register, access requests and their decisions,
webservice accounts by validity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sop_rows import NOW, Step, add_case, wib

from pantau.db import session_scope
from pantau.models import DigitalAccount, WebserviceAccount
from queries import accounts

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
SINCE, UNTIL = wib(2026, 1, 1), wib(2026, 12, 1)


def _request(session, ref: str, opened, wait: timedelta | None, outcome: str | None, flow="pemberian_akses"):
    steps = [Step("kirim_permintaan", 1, opened, opened + timedelta(minutes=5), opened + timedelta(minutes=15))]
    decision = opened + HOUR
    if wait is not None:
        steps.append(Step("pertimbangan_akses", 5, decision, opened + wait, decision + HOUR, outcome=outcome))
    return add_case(session, "AKUN", ref, opened, steps, flow=flow, attrs={"channel": "whatsapp"})


@pytest.fixture
def register(store):
    with session_scope(store) as session:
        session.add_all([
            DigitalAccount(service="Zoom Pro", account_name="zoom01@kampus.ac.id", custodian="Ani", unit="UPT TIK",
                           registered_at=wib(2025, 1, 5)),
            DigitalAccount(service="Zoom Pro", account_name="zoom02@kampus.ac.id", custodian="Budi", unit="Humas",
                           registered_at=wib(2026, 3, 5), status="nonaktif"),
            DigitalAccount(service="Turnitin", account_name="tii@kampus.ac.id", custodian="Ani", unit="Perpustakaan",
                           registered_at=wib(2026, 6, 1)),
        ])
        _request(session, "R1", wib(2026, 2, 2, 8), 2 * HOUR, "diberikan")
        _request(session, "R2", wib(2026, 3, 2, 8), 10 * HOUR, "ditolak")
        _request(session, "R3", wib(2026, 4, 2, 8), 4 * HOUR, "diberikan")
        _request(session, "R4", wib(2026, 11, 19, 8), None, None)
        _request(session, "R0", wib(2025, 6, 2, 8), 3 * HOUR, "diberikan")
        _request(session, "C1", wib(2026, 5, 2, 8), None, None, flow="pengelolaan_akun")
    return store


def _ws(unit: str, until, used=None) -> WebserviceAccount:
    return WebserviceAccount(unit=unit, contact_name=f"Kontak {unit}", nip="198001012005011001", phone="0811",
                             email=f"{unit.lower()}@kampus.ac.id", data_scope="Data mahasiswa",
                             created_at=until - 365 * DAY, valid_until=until, last_used_at=used)


@pytest.fixture
def webservice(store):
    with session_scope(store) as session:
        session.add_all([
            _ws("W1", NOW + 10 * DAY, NOW - DAY), _ws("W2", NOW + 100 * DAY), _ws("W3", NOW - 5 * DAY, NOW - 10 * DAY),
            _ws("W4", NOW - 20 * DAY, NOW - DAY), _ws("W5", NOW + 30 * DAY),
        ])
    return store


def test_acc001_services_count_accounts_active_ones_and_custodians(register):
    rows = accounts.services(register)
    assert rows.to_dict("records") == [
        {"service": "Zoom Pro", "accounts": 2, "active": 1, "custodians": 2},
        {"service": "Turnitin", "accounts": 1, "active": 1, "custodians": 1},
    ]
    assert accounts.register(register)["account_name"].tolist() == ["tii@kampus.ac.id", "zoom02@kampus.ac.id",
                                                                   "zoom01@kampus.ac.id"]
    assert accounts.register_size(register) == 3


def test_acc002_access_decisions_with_median_and_p90_time_to_decision(register):
    decided = accounts.access_decisions(register, SINCE, UNTIL)
    assert (decided.requests, decided.granted, decided.rejected, decided.pending) == (4, 2, 1, 1)
    assert (decided.median_s, decided.p90_s) == (4 * 3600, 10 * 3600)
    assert decided.grant_rate == pytest.approx(2 / 3)


def test_acc003_access_request_list_newest_first_with_waits(register):
    rows = accounts.access_requests(register, SINCE, UNTIL)
    assert rows["case_ref"].tolist() == ["R4", "R3", "R2", "R1"]
    assert rows["decision"].tolist()[1:] == ["diberikan", "ditolak", "diberikan"]
    assert rows["wait_s"].tolist()[1:] == [4 * 3600, 10 * 3600, 2 * 3600]


def test_acc004_no_decisions_means_no_wait_figures(store):
    decided = accounts.access_decisions(store, SINCE, UNTIL)
    assert (decided.requests, decided.median_s, decided.p90_s, decided.grant_rate) == (0, None, None, None)


def test_acc005_webservice_states_by_validity_and_use(webservice):
    assert accounts.ws_counts(webservice, NOW) == {"expired_in_use": 1, "expiring": 2, "active": 1, "expired": 1}
    rows = accounts.ws_accounts(webservice, NOW)
    assert list(zip(rows["unit"], rows["state"])) == [
        ("W4", "expired_in_use"), ("W1", "expiring"), ("W5", "expiring"), ("W2", "active"), ("W3", "expired")]
    assert accounts.ws_accounts(webservice, NOW, states=("expiring",))["unit"].tolist() == ["W1", "W5"]


def test_acc006_the_warning_window_is_configurable(webservice):
    assert accounts.ws_counts(webservice, NOW, warning=5 * DAY)["expiring"] == 0
    assert accounts.ws_counts(webservice, NOW, warning=200 * DAY)["expiring"] == 3
