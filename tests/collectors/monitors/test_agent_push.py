"""`pantau agent` pushes host readings to the dashboard; only live agent tokens are accepted."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.bench.web import serving
from app.cli import app as cli
from collectors.probes import host_snapshot
from pantau.api_tokens import issue_token, revoke_token
from pantau.db import session_scope
from pantau.models import HostMetric

PATH = "/api/v1/agent/metrics"


@pytest.fixture
def dashboard(engine, make_settings):
    from dashboard import create_app

    settings = make_settings(engine)
    return create_app(settings, engine), settings


def tokens(engine) -> dict[str, str]:
    with session_scope(engine) as session:
        return {"agent": issue_token(session, "server-pembayaran", "agent", actor="test"),
                "events": issue_token(session, "siakad", "events", actor="test")}


def readings(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(HostMetric.host, HostMetric.processes))]


def payload(**changes) -> dict:
    data = host_snapshot(["/"], ["no-such-daemon"], cpu_sample_s=0).to_dict()
    return {**data, **changes}


def test_ag001_agent_token_is_accepted_and_the_reading_stored(engine, dashboard):
    client = dashboard[0].server.test_client()
    token = tokens(engine)["agent"]

    response = client.post(PATH, json=payload(hostname="server-pembayaran"),
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 201 and response.json == {"stored": 1, "host": "server-pembayaran"}
    assert readings(engine) == [("server-pembayaran", {"no-such-daemon": False})]


@pytest.mark.parametrize("header", ["Bearer not-a-token", "", "Basic dXNlcjpwYXNz", "events", "revoked"])
def test_ag002_wrong_token_is_refused_and_nothing_stored(engine, dashboard, header):
    issued = tokens(engine)
    if header == "events":
        header = f"Bearer {issued['events']}"
    elif header == "revoked":
        with session_scope(engine) as session:
            revoke_token(session, "server-pembayaran", actor="test")
        header = f"Bearer {issued['agent']}"
    client = dashboard[0].server.test_client()

    response = client.post(PATH, json=payload(), headers={"Authorization": header} if header else {})

    assert response.status_code == 401
    assert response.json == {"error": "missing or invalid bearer token"}
    assert readings(engine) == []


def test_ag003_bad_reading_is_refused_naming_the_field(engine, dashboard):
    client = dashboard[0].server.test_client()
    headers = {"Authorization": f"Bearer {tokens(engine)['agent']}"}

    too_busy = client.post(PATH, json=payload(cpu_percent=250), headers=headers)
    naive = client.post(PATH, json=payload(taken_at=datetime(2026, 11, 23, 8, 0).isoformat()), headers=headers)
    not_json = client.post(PATH, data="cpu=5", headers=headers)

    assert (too_busy.status_code, too_busy.json["error"]) == (422, "field cpu_percent: Input should be less than "
                                                                    "or equal to 100")
    assert naive.status_code == 422 and naive.json["error"].startswith("field taken_at:")
    assert not_json.status_code == 400
    assert readings(engine) == []


def test_ag004_agent_command_pushes_once_and_reports_a_refusal(engine, dashboard):
    app, settings = dashboard
    token = tokens(engine)["agent"]
    runner = CliRunner()
    with serving(settings, engine) as url:
        pushed = runner.invoke(cli, ["agent", "--push", url, "--token", token, "--once", "--process", "sshd"],
                               env={"PANTAU_LANGUAGE": "id"})
        refused = runner.invoke(cli, ["agent", "--push", url, "--token", "wrong", "--once"],
                                env={"PANTAU_LANGUAGE": "id"})

    assert pushed.exit_code == 0, pushed.output
    assert f"terkirim {socket.gethostname()} pada" in pushed.output
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(HostMetric)) == 1
    assert refused.exit_code == 1
    assert refused.output.startswith("gagal: ") and "menolak pembacaan" in refused.output
    assert "HTTP 401" in refused.output
    assert "tokennya ditolak" in refused.output and "Traceback" not in refused.output


@pytest.fixture
def any_store_dashboard(store, make_settings):
    from dashboard import create_app

    return create_app(make_settings(store), store).server.test_client()


def test_ag005_a_late_reading_keeps_its_time_and_a_reading_pushed_again_is_stored_once(store, any_store_dashboard):
    headers = {"Authorization": f"Bearer {tokens(store)['agent']}"}
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    late = payload(hostname="server-pembayaran", taken_at=taken.isoformat())

    first = any_store_dashboard.post(PATH, json=late, headers=headers)
    again = any_store_dashboard.post(PATH, json=late, headers=headers)
    next_one = any_store_dashboard.post(PATH, json={**late, "taken_at": (taken + timedelta(minutes=1)).isoformat()},
                                        headers=headers)

    assert (first.status_code, first.json) == (201, {"stored": 1, "host": "server-pembayaran"})
    assert (again.status_code, again.json) == (200, {"stored": 0, "host": "server-pembayaran"})
    assert next_one.status_code == 201
    with store.connect() as connection:
        times = connection.scalars(select(HostMetric.collected_at).order_by(HostMetric.id)).all()
    assert times == [taken, taken + timedelta(minutes=1)]
