"""Open steps at risk and breached raise alerts to the step's performer role, and clear when done."""

from __future__ import annotations

from sla_helpers import case_row, feed, wib
from sqlalchemy import select

from pantau.alerts.sla import sync_alerts
from pantau.db import session_scope
from pantau.models import Alert

WS_START = [
    {"case": "WS-7", "step": "surat_permohonan", "started": "2026-05-11 09:00", "completed": "2026-05-11 09:03"},
    {"case": "WS-7", "step": "agenda_disposisi", "completed": "2026-05-11 09:06"},
]


def sync(engine, ctx, now):
    with session_scope(engine) as session:
        return sync_alerts(session, ctx, now=now, language="id")


def alerts(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(Alert.dedup_key, Alert.role, Alert.severity, Alert.state).order_by(Alert.id))]


def test_al001_at_risk_then_breached_then_completed(store, ctx):
    feed(store, ctx, "WS", WS_START)
    # buat_akun (kepala_it) opened Monday 09:06, due Tuesday 09:06; 80 % of 450 working minutes is 360:
    # 09:06–12:00 and 13:00–16:00 give 354, six more on Tuesday: at risk from 07:36.
    assert sync(store, ctx, wib(2026, 5, 12, 7, 35)).raised == 0
    assert sync(store, ctx, wib(2026, 5, 12, 7, 36)).raised == 1
    key = f"sla:{case_row(store, 'WS', 'WS-7')['id']}:buat_akun"
    assert alerts(store) == [(f"{key}:at_risk", "kepala_it", "warning", "open")]
    escalated = sync(store, ctx, wib(2026, 5, 12, 9, 7))
    assert (escalated.raised, escalated.cleared) == (1, 1)
    assert alerts(store) == [(f"{key}:at_risk", "kepala_it", "warning", "resolved"),
                             (f"{key}:breached", "kepala_it", "critical", "open")]
    assert sync(store, ctx, wib(2026, 5, 12, 9, 30)).raised == 0, "one alert per condition"
    feed(store, ctx, "WS", [{"case": "WS-7", "step": "buat_akun", "completed": "2026-05-12 09:40"}])
    done = sync(store, ctx, wib(2026, 5, 12, 9, 41))
    assert done.cleared == 1
    assert alerts(store)[-1][3] == "resolved"


def test_al002_alert_names_the_case_step_and_due_time_in_the_configured_language(store, ctx):
    feed(store, ctx, "WS", WS_START)
    sync(store, ctx, wib(2026, 5, 12, 10, 0))
    with store.connect() as connection:
        alert = connection.execute(select(Alert)).mappings().one()
    assert alert["title"].startswith("WS · Pengelolaan Webservice, kasus WS-7: tahap 3 "), "the SOP by its label"
    assert "12 Mei 2026 09.06 WIB" in alert["body"]
    assert alert["link"] == f"/sla?case={case_row(store, 'WS', 'WS-7')['id']}"


def test_al003_outside_party_waits_raise_no_alert(store, ctx):
    feed(store, ctx, "KSO", [{"case": "KSO-9", "step": "unggah_siaksi", "started": "2026-03-02 09:00",
                              "completed": "2026-03-02 09:30"}])
    result = sync(store, ctx, wib(2026, 6, 1, 9, 0))
    assert (result.raised, result.live) == (0, 0), "the kolegium's verification is long overdue, but not ours"
