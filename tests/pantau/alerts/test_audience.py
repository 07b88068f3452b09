"""Alerts scoped like pages: each role is shown (the alerts query) and told (the notifier's channels) only the
alerts about what it may open; operators those about their units' SOPs and steps; the administrator all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select, text

from pantau import migrate
from pantau.alerts import audience, channels_for_alert, deliver_pending, raise_alert, sees
from pantau.db import make_engine, session_scope
from pantau.models import Alert
from pantau.settings import AlertChannel
from pantau.sla.context import catalogue as builtin_catalogue
from pantau.sla.scope import assigned_sops
from queries.alerts import count_by_state, list_alerts

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
CATALOGUE = builtin_catalogue()
KTM_OWNER = "Sub Bagian Administrasi Kemahasiswaan, Alumni, dan Kerjasama"

# title: (role, SOP, step)
ALERTS = {
    "KSO permohonan late": ("operator", "KSO", "permohonan"),
    "WS surat_permohonan late": ("operator", "WS", "surat_permohonan"),
    "KTM sosialisasi late": ("operator", "KTM", "sosialisasi"),
    "KTM pembuatan_ktm late": ("operator", "KTM", "pembuatan_ktm"),
    "KTM photos missing": ("operator", "KTM", None),
    "WS account expiring (to operators)": ("operator", "WS", None),
    "Operator alert about no SOP": ("operator", None, None),
    "WS account expiring": ("kepala_it", "WS", None),
    "WS buat_akun late": ("kepala_it", "WS", "buat_akun"),
    "payment-server down": ("kepala_it", None, None),
    "Token stock low": ("bendahara", None, None),
    "H2H setting_tagihan late": ("bendahara", "H2H", "setting_tagihan"),
    "Monthly report not sent": ("direktur", None, None),
}
SEEN = {  # (role, unit): titles
    ("admin", None): set(ALERTS),
    ("direktur", None): {"Monthly report not sent"},
    ("kepala_it", None): {"WS account expiring", "WS buat_akun late", "payment-server down"},
    ("bendahara", None): {"Token stock low", "H2H setting_tagihan late"},
    ("operator", "UPT TIK"): {"WS surat_permohonan late", "WS account expiring (to operators)",
                              "Operator alert about no SOP"},
    ("operator", " upk sdmk "): {"KSO permohonan late", "Operator alert about no SOP"},
    ("operator", "Layanan Terpadu"): {"KTM sosialisasi late", "KTM photos missing", "Operator alert about no SOP"},
    ("operator", KTM_OWNER): {"KTM sosialisasi late", "KTM pembuatan_ktm late", "KTM photos missing",
                              "Operator alert about no SOP"},
    ("operator", None): {"Operator alert about no SOP"},
}


def raise_all(engine) -> dict[str, int]:
    ids = {}
    with session_scope(engine) as session:
        for number, (title, (role, sop, step)) in enumerate(ALERTS.items()):
            alert, _ = raise_alert(session, dedup_key=f"test:{number}", source="test", role=role, title=title,
                                   severity="critical", now=T0, sop_code=sop, step_key=step)
            ids[title] = alert.id
    return ids


@pytest.mark.parametrize(("role", "unit"), list(SEEN))
def test_scope001_each_role_is_shown_the_alerts_about_what_it_may_open(store, role, unit):
    raise_all(store)
    reader = audience(CATALOGUE, role, unit)

    listed = set(list_alerts(store, audience=reader, states=["open", "acknowledged", "resolved"])["title"])
    judged = {title for title, (alert_role, sop, step) in ALERTS.items() if sees(reader, alert_role, sop, step)}

    assert listed == judged == SEEN[role, unit]
    assert count_by_state(store, audience=reader) == {"open": len(SEEN[role, unit]), "acknowledged": 0,
                                                      "resolved": 0}


def test_scope002_an_operator_is_shown_an_sop_alert_exactly_when_its_page_is_offered():
    for unit in ("UPT TIK", "UPK SDMK", "Layanan Terpadu", KTM_OWNER, "Prodi", "Bagian Umum", None):
        reader = audience(CATALOGUE, "operator", unit)
        pages = set(assigned_sops(CATALOGUE, "operator", unit, CATALOGUE))
        alerts = {code for code in CATALOGUE if sees(reader, "operator", code, None)}
        assert alerts == pages, unit
    assert assigned_sops(CATALOGUE, "operator", "UPT TIK", ("KTM", "KSO", "WS")) == ["WS"]
    assert assigned_sops(CATALOGUE, "kepala_it", None, ("KTM", "WS")) == ["KTM", "WS"]


def test_scope003_channels_carry_what_their_role_and_units_may_open(engine):
    ids = raise_all(engine)
    channels = [
        AlertChannel(url="mailto://a", roles=["operator"], units=["UPK SDMK"], name="sdmk"),
        AlertChannel(url="mailto://b", roles=["operator"], units=["UPT TIK", "Layanan Terpadu"], name="tik+lt"),
        AlertChannel(url="mailto://c", roles=["operator"], name="operators, no unit"),
        AlertChannel(url="mailto://d", roles=["kepala_it"], name="it"),
        AlertChannel(url="mailto://e", name="everything"),
    ]
    with session_scope(engine) as session:
        routes = {title: [channel.name for channel in channels_for_alert(session.get(Alert, ids[title]), channels,
                                                                          CATALOGUE)]
                  for title in ALERTS}

    assert routes["KSO permohonan late"] == ["sdmk", "everything"]
    assert routes["WS surat_permohonan late"] == ["tik+lt", "everything"]
    assert routes["KTM sosialisasi late"] == ["tik+lt", "everything"]
    assert routes["KTM pembuatan_ktm late"] == ["everything"]
    assert routes["KTM photos missing"] == ["tik+lt", "everything"]
    assert routes["Operator alert about no SOP"] == ["sdmk", "tik+lt", "operators, no unit", "everything"]
    assert routes["WS account expiring"] == routes["payment-server down"] == ["it", "everything"]
    assert routes["Token stock low"] == ["everything"]


def test_scope004_operators_are_mailed_only_their_units_alerts(store, smtp_server):
    with session_scope(store) as session:
        for key, title, sop, step in (("kso", "KSO permohonan late", "KSO", "permohonan"),
                                      ("ws", "WS surat_permohonan late", "WS", "surat_permohonan"),
                                      ("ktm", "KTM pembuatan_ktm late", "KTM", "pembuatan_ktm")):
            raise_alert(session, dedup_key=key, source="sla", role="operator", title=title, now=T0, sop_code=sop,
                        step_key=step)
    channels = [AlertChannel(url=smtp_server.mailto("sdmk@kampus.ac.id"), roles=["operator"], units=["UPK SDMK"]),
                AlertChannel(url=smtp_server.mailto("tik@kampus.ac.id"), roles=["operator"], units=["UPT TIK"])]

    with session_scope(store) as session:
        report = deliver_pending(session, channels, language="en", now=T0)
    with store.connect() as connection:
        unrouted = connection.execute(text("SELECT error FROM alert_deliveries WHERE error IS NOT NULL")).scalars()
        unrouted = list(unrouted)

    mailed = sorted((message["To"], message["Subject"]) for message in smtp_server.messages)
    assert mailed == [("sdmk@kampus.ac.id", "[WARNING] KSO permohonan late"),
                      ("tik@kampus.ac.id", "[WARNING] WS surat_permohonan late")]
    assert (report.sent, report.unrouted) == (2, 1)
    assert unrouted == ["no channel for role operator that may see SOP KTM"]


def test_scope005_the_migration_gives_live_alerts_raised_before_their_sop(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.execute(text("INSERT INTO sop_cases (id, sop_code, case_ref, opened_at, source, attrs) VALUES "
                                "(7, 'KSO', 'KSO-7', '2026-11-01 01:00:00', 'import', '{}')"))
        for number, (key, source, state) in enumerate((
                ("sla:7:permohonan:breached", "sla", "open"), ("sla:7:dokumen_kso:at_risk", "sla", "resolved"),
                ("sla:99:permohonan:breached", "sla", "open"), ("ktm-photos:2026:3", "ktm-photos", "open"),
                ("accounts:ws-expiring:4", "accounts", "acknowledged"), ("monitor:x:down", "monitors", "open"))):
            connection.execute(text(
                "INSERT INTO alerts (id, dedup_key, source, severity, level, role, title, body, state, opened_at, "
                "last_seen_at) VALUES (:id, :key, :source, 'warning', 0, 'operator', 't', '', :state, "
                "'2026-11-01 01:00:00', '2026-11-01 01:00:00')"), {"id": number + 1, "key": key, "source": source,
                                                                   "state": state})
    migrate.upgrade(engine)
    with engine.connect() as connection:
        scoped = connection.execute(select(Alert.dedup_key, Alert.sop_code, Alert.step_key).order_by(Alert.id)).all()

    assert [tuple(row) for row in scoped] == [
        ("sla:7:permohonan:breached", "KSO", "permohonan"), ("sla:7:dokumen_kso:at_risk", None, None),
        ("sla:99:permohonan:breached", None, None), ("ktm-photos:2026:3", "KTM", None),
        ("accounts:ws-expiring:4", "WS", None), ("monitor:x:down", None, None)]
    engine.dispose()


def test_scope006_a_live_alert_raised_again_with_its_sop_takes_it(store):
    with session_scope(store) as session:
        first, _ = raise_alert(session, dedup_key="sla:1:permohonan:at_risk", source="sla", role="operator",
                               title="t", now=T0)
    with session_scope(store) as session:
        again, created = raise_alert(session, dedup_key="sla:1:permohonan:at_risk", source="sla", role="operator",
                                     title="t", now=T0, sop_code="KSO", step_key="permohonan")
        assert (again.id, created, again.sop_code, again.step_key) == (first.id, False, "KSO", "permohonan")
