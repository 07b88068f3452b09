"""The first-run checklist ticks a step only when it works (configured and seen working in the store), and the
start-up summary says in one line a subject what is not configured."""

from __future__ import annotations

from datetime import timedelta

from pantau.accounts import create_user
from pantau.alerts import deliver_pending, raise_alert
from pantau.db import session_scope
from pantau.models import Monitor, utcnow
from pantau.settings import ROLES, AlertChannel, AlertSettings, Settings
from pantau.sources import BANK_INBOX, BILL_SOURCE, record_attempt
from queries.first_run import checklist, missing_channels, startup_warnings


def _ticks(store, settings) -> dict[str, bool]:
    return {item.key: item.done for item in checklist(store, settings)}


def _configured(tmp_path, smtp_server) -> Settings:
    return Settings(
        data_dir=tmp_path, institution="Politeknik Kesehatan Surakarta", public_url="https://pantau.kampus.ac.id",
        monitors=[{"name": "payment-server", "role": "payment-server", "check": "tcp", "target": "10.0.0.5:443"}],
        sources={"bills": {"keuangan": {"url": "sqlite://", "query": "SELECT 1"}}},
        feeds={"inbox": str(tmp_path / "inbox")},
        alerts=AlertSettings(channels=[AlertChannel(url=smtp_server.mailto("piket@kampus.ac.id"))]),
    )


def test_frun001_a_fresh_installation_has_every_step_to_do(store, tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert _ticks(store, settings) == {"monitors": False, "bills": False, "inbox": False, "channels": False,
                                       "users": False, "campus": False}
    assert missing_channels(settings) == list(ROLES)


def test_frun002_configured_is_not_enough_each_step_is_ticked_once_it_works(store, tmp_path, smtp_server):
    settings = _configured(tmp_path, smtp_server)
    assert _ticks(store, settings) == {"monitors": False, "bills": False, "inbox": False, "channels": False,
                                       "users": False, "campus": True}
    with session_scope(store) as session:
        session.add(Monitor(name="payment-server", role="payment-server", check="tcp", target="10.0.0.5:443",
                            status="up", status_since=utcnow()))
        record_attempt(session, settings, BILL_SOURCE, "keuangan", ok=True, interval_s=300)
        record_attempt(session, settings, BANK_INBOX, "inbox", ok=True, interval_s=60)
        create_user(session, "budi", "bendahara", full_name="Budi", actor="admin")
        raise_alert(session, dedup_key="uji", source="test", role="bendahara", title="Uji kanal")
    with session_scope(store) as session:
        assert deliver_pending(session, settings.alerts.channels).sent == 1
    assert all(_ticks(store, settings).values())


def test_frun003_a_failing_source_and_demo_only_users_stay_unticked(store, tmp_path, smtp_server):
    settings = _configured(tmp_path, smtp_server)
    with session_scope(store) as session:
        record_attempt(session, settings, BILL_SOURCE, "keuangan", ok=True, interval_s=300,
                       at=utcnow() - timedelta(hours=1))
        record_attempt(session, settings, BILL_SOURCE, "keuangan", ok=False, error=OSError("refused"))
        create_user(session, "admin", "admin", actor="demo")
    ticks = _ticks(store, settings)
    assert (ticks["bills"], ticks["users"]) == (False, False)


def test_frun004_the_start_up_summary_names_the_roles_without_a_channel_in_one_line(tmp_path):
    partial = Settings(data_dir=tmp_path, alerts=AlertSettings(channels=[
        AlertChannel(url="mailto://x", roles=["kepala_it", "admin"])]))
    assert startup_warnings(partial) == [
        "alerts: no channel for role direktur, bendahara, operator — set alerts.channels",
        "alert mails: links point at http://127.0.0.1:8050 — set public_url",
    ]
    catch_all = Settings(data_dir=tmp_path, public_url="https://pantau.kampus.ac.id",
                         alerts=AlertSettings(channels=[AlertChannel(url="mailto://x")]))
    assert startup_warnings(catch_all) == []
