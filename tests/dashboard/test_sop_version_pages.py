"""The catalogue is one source: the newest published version of each SOP, else its file. A new case starts on
the newest version and keeps it; the SLA engine measures each case by its own version's standard times; the KSO
and KTM pages name the version new cases follow and the versions older cases still keep, the SLA page's case
timeline says which version a case is measured by, and the page access rules follow the published version's units
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from demo_web import UPDATE, DemoWeb, demo_web, page, payload
from sla_helpers import WIB, case_row, feed, results
from test_sla_page import call, shown

from pantau import formatting
from pantau.accounts import create_user
from pantau.db import session_scope
from pantau.models import utcnow
from pantau.settings import Settings
from pantau.sla.context import with_published
from pantau.sops import Sop
from pantau.sops.versions import publish

KSO_PAGE = payload([("kso-summary", "children"), ("kso-lead", "children"), ("kso-waiting", "children"),
                    ("kso-requests", "children"), ("kso-request", "options"), ("kso-request", "value")],
                   [("kso-period", "value", "12m")])
KTM_PAGE = payload([("ktm-summary", "children"), ("ktm-funnel", "children"), ("ktm-stage-chart", "children"),
                    ("ktm-stages", "children"), ("ktm-batches", "children"), ("ktm-photos", "children"),
                    ("ktm-stuck", "children")],
                   [("ktm-intake", "value", 2026), ("ktm-batch", "value", 0)])

KTM_VERSION = payload([("ktm-version", "children")], [("ktm-intake", "value", 2026), ("ktm-batch", "value", 0)])


def changed(sop: Sop, key: str, **values) -> Sop:
    """`sop` with one step changed (its standard time, its unit...)."""
    data = sop.model_dump(mode="json")
    for step in data["steps"]:
        if step["key"] == key:
            step.update(values)
    return Sop.model_validate(data)


def working_morning(ctx, weeks_ago: int) -> datetime:
    """09.00 WIB of a working day about `weeks_ago` weeks back (inside the KSO page's last 12 months)."""
    day = (utcnow().astimezone(WIB) - timedelta(weeks=weeks_ago)).date()
    while not ctx.calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=WIB)


def kso_request(case: str, start: datetime) -> list[dict]:
    """A KSO request whose document step (standard 30 minutes in the file) took one working hour."""
    moment = lambda hours: (start + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    return [{"case": case, "step": "permohonan", "started": moment(0), "completed": moment(1), "event_id": case + "-1"},
            {"case": case, "step": "dokumen_kso", "started": moment(1), "completed": moment(2),
             "event_id": case + "-2"}]


@pytest.fixture
def web_on(store, tmp_path) -> DemoWeb:
    """The app on an empty store (SQLite or PostgreSQL) with one user per role."""
    from dashboard import create_app

    settings = Settings(data_dir=tmp_path, database_url=store.url.render_as_string(hide_password=False))
    with session_scope(store) as session:
        create_user(session, "user.admin", "admin", password=DemoWeb.password)
    return DemoWeb(create_app(settings, store), settings, store)


def test_sopverpage001_a_new_case_runs_on_the_published_version_an_old_one_keeps_its_own(web_on, ctx):
    store, now = web_on.engine, utcnow()
    feed(store, with_published(ctx, store), "KSO", kso_request("KSO-OLD", working_morning(ctx, 3)), now=now)
    with session_scope(store) as session:
        version = publish(session, changed(ctx.catalogue["KSO"], "dokumen_kso",
                                           time={"value": 2, "unit": "working_hours", "written": "2 jam"}),
                          actor="user.admin", source="kso-rev1.docx")
    current = with_published(ctx, store)
    assert current.current == {"KSO": version} and current.catalogue["KSO"].step("dokumen_kso").time.value == 2
    feed(store, current, "KSO", kso_request("KSO-NEW", working_morning(ctx, 2)), now=now)

    assert (case_row(store, "KSO", "KSO-OLD")["sop_version"], case_row(store, "KSO", "KSO-NEW")["sop_version"]) == \
        (None, 1)
    old, new = results(store, "KSO", "KSO-OLD")["dokumen_kso"], results(store, "KSO", "KSO-NEW")["dokumen_kso"]
    assert (old["allowed_s"], old["state"]) == (30 * 60, "breached")
    assert (new["allowed_s"], new["state"]) == (2 * 3600, "met")

    requests = web_on.client("admin").post(UPDATE, json=KSO_PAGE).json["response"]["kso-requests"]["children"]
    text = str(requests)
    day = formatting.day(current.issued[("KSO", 1)], "id", "Asia/Jakarta")
    assert f"Kasus baru mengikuti SOP v1, terbit {day}." in text
    assert "tetap mengikuti versi saat dimulai: SOP bawaan (berkas katalog)." in text
    rows = {row["case_ref"]: row["sop"] for row in _table(requests)["data"]}
    assert rows == {"KSO-OLD": "bawaan", "KSO-NEW": "v1"}

    for case, version in (("KSO-OLD", "SOP bawaan (berkas katalog)"), ("KSO-NEW", f"SOP v1, terbit {day}")):
        timeline = shown(call(web_on, web_on.client("admin"), "sla-case.children@", [("sla-case-find", "n_clicks", 1)],
                              [("sla-case-ref", "value", case), ("sla-sop", "value", "__all__")]))
        assert f"Diukur dengan {version}, versi saat kasus dimulai." in timeline, timeline[:400]


def _table(tree):
    """The first DataTable's props in a rendered component tree."""
    if isinstance(tree, dict):
        if tree.get("type") == "DataTable":
            return tree["props"]
        return _table(tree.get("props", {}).get("children"))
    if isinstance(tree, list):
        return next((found for item in tree if (found := _table(item)) is not None), None)
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("sopver"))


def test_sopverpage002_the_ktm_page_shows_each_versions_standard_and_access_follows_the_published_units(site, ctx):
    before = site.client("ops.kso")
    assert "Tidak berwenang" in before.post(UPDATE, json=page("/ktm")).text
    moved = changed(ctx.catalogue["KTM"], "distribusi", unit="UPK SDMK",
                    time={"value": 2, "unit": "working_days", "written": "2 hari kerja"})
    with session_scope(site.engine) as session:
        publish(session, moved, actor="user.admin", source="ktm-rev1.docx")

    client = site.client("direktur")
    line = str(client.post(UPDATE, json=KTM_VERSION).json["response"]["ktm-version"]["children"])
    assert "Kasus baru mengikuti SOP v1, terbit" in line and "SOP bawaan (berkas katalog)" in line
    stages = client.post(UPDATE, json=KTM_PAGE).json["response"]["ktm-stages"]["children"]
    standards = {row["stage"]: row["standard"] for row in _table(stages)["data"]}
    assert standards["5. Distribusi KTM"] == "2 hari kerja (v1) · 3 hari kerja (bawaan)", standards
    assert standards["1. Sosialisasi Pembuatan KTM"] == "10 menit kerja"

    after = site.client("ops.kso")
    assert "ktm-funnel" in after.post(UPDATE, json=page("/ktm")).text, "the KSO unit now holds a KTM step"
    assert after.post(UPDATE, json=KTM_PAGE).status_code == 200
