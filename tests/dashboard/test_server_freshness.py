"""Kesehatan Server never calls stale data current: a monitor whose newest check is older than two of its
intervals shows a neutral tile saying since when there is no recent data (never "Normal"), availability
shows the time without checks beside it, the latency chart shades the gap; fresh tiles say when they were
checked. The banner on every page says when the collector has not reported within two heartbeats."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from collectors.monitors.rollups import record_samples
from pantau import formatting
from pantau.db import session_scope
from pantau.models import Monitor, SourceStatus, utcnow
from pantau.sources import heartbeat, stopped

UPDATE = "/_dash-update-component"
OVERVIEW = {
    "output": "..server-tiles.children...server-uptime.children..",
    "outputs": [{"id": "server-tiles", "property": "children"}, {"id": "server-uptime", "property": "children"}],
    "inputs": [{"id": "server-tick", "property": "n_intervals", "value": 1}],
    "changedPropIds": ["server-tick.n_intervals"], "state": [],
}
SHELL = {
    "output": "..shell-freshness.children...shell-banner.children..",
    "outputs": [{"id": "shell-freshness", "property": "children"}, {"id": "shell-banner", "property": "children"}],
    "inputs": [{"id": "shell-tick", "property": "n_intervals", "value": 1}],
    "changedPropIds": ["shell-tick.n_intervals"], "state": [],
}


def history(monitor_id: int, range_key: str = "24h") -> dict:
    outputs = [("server-latency", "children"), ("server-level", "children"), ("server-timeline", "children"),
               ("server-incidents", "children"), ("server-maintenance", "children")]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": "server-tick", "property": "n_intervals", "value": 1},
                   {"id": "server-monitor", "property": "value", "value": monitor_id},
                   {"id": "server-range", "property": "value", "value": range_key}],
        "changedPropIds": ["server-tick.n_intervals"], "state": [],
    }


def checks(monitor_id: int, last: datetime, hours: float, every_s: int = 60) -> list[dict]:
    count = int(hours * 3600 / every_s)
    return [{"monitor_id": monitor_id, "checked_at": last - timedelta(seconds=every_s * n), "ok": True,
             "in_maintenance": False, "latency_ms": 40.0, "latency_min_ms": 35.0, "latency_max_ms": 60.0, "loss": 0.0,
             "jitter_ms": None, "status_code": 200, "cert_days_left": None, "message": "HTTP 200"}
            for n in range(count)]


@pytest.fixture
def demo_like(web) -> dict:
    """As in the demo: both monitors say "up", one's checks ended five hours ago (nothing probes it any more),
    the other's were a minute ago."""
    now = utcnow()
    with session_scope(web.engine) as session:
        old = Monitor(name="payment-server", role="payment-server", check="http", target="https://bayar.test/",
                      interval_s=60, status="up", status_since=now - timedelta(days=3))
        live = Monitor(name="h2h-server", role="h2h-server", check="tcp", target="10.0.0.5:7001", interval_s=60,
                       status="up", status_since=now - timedelta(days=3))
        session.add_all([old, live])
        session.flush()
        record_samples(session, checks(old.id, now - timedelta(hours=5), hours=30)
                       + checks(live.id, now - timedelta(seconds=40), hours=30))
        return {"old": old.id, "live": live.id, "last": now - timedelta(hours=5), "now": now}


FIVE_HOURS = re.compile(r"\b(4 jam 59 menit|5 jam|5 jam 1 menit) tanpa data")


def tile_of(tiles, monitor_id: int) -> str:
    for column in tiles["props"]["children"]:
        card = column["props"]["children"]
        if card["props"]["id"]["index"] == monitor_id:
            return str(card)
    raise AssertionError(f"no tile for monitor {monitor_id}")


def test_fresh001_a_monitor_nobody_checks_any_more_is_not_shown_as_normal(web, demo_like):
    client = web.client("kepala_it")

    response = client.post(UPDATE, json=OVERVIEW).json["response"]

    old = tile_of(response["server-tiles"]["children"], demo_like["old"])
    since = formatting.when(demo_like["last"], "id", "Asia/Jakarta")
    assert f"Tidak ada data baru sejak {since}" in old
    assert "Normal" not in old and "kpi-none kpi-stale" in old and "kpi-good" not in old
    assert "Tidak ada data baru" in old, "its badge says so too, in a neutral colour"
    # five hours, give or take the minute the check and the page were read in (they may straddle a minute)
    assert FIVE_HOURS.search(old), "24 h availability says five of its hours are unknown"
    uptime = str(response["server-uptime"]["children"])
    assert FIVE_HOURS.search(uptime) and "Waktu tanpa pemeriksaan tidak diketahui" in uptime


def test_fresh002_a_monitor_checked_a_minute_ago_is_normal_and_says_when_it_was_checked(web, demo_like):
    client = web.client("kepala_it")

    tiles = client.post(UPDATE, json=OVERVIEW).json["response"]["server-tiles"]["children"]

    live = tile_of(tiles, demo_like["live"])
    assert "Normal" in live and "kpi-good" in live and "Tidak ada data baru" not in live
    assert "Diperiksa " in live and "detik lalu)" in live
    assert "tanpa data" not in live


def test_fresh003_the_latency_chart_shades_the_time_without_checks_and_says_since_when(web, demo_like):
    client = web.client("admin")

    latency = client.post(UPDATE, json=history(demo_like["old"])).json["response"]["server-latency"]["children"]

    graph, note = latency["props"]["children"]
    shapes = [shape for shape in graph["props"]["figure"]["layout"]["shapes"] if shape.get("name") == "no-data"]
    assert len(shapes) == 1, "one gap: from the last check to now"
    notes = [a["text"] for a in graph["props"]["figure"]["layout"]["annotations"]]
    assert notes == ["Tidak ada data"]
    assert "Tidak ada data baru sejak" in str(note)
    live = client.post(UPDATE, json=history(demo_like["live"])).json["response"]["server-latency"]["children"]
    assert "Pemeriksaan terbaru" in str(live["props"]["children"][1])


def test_fresh004_in_english_the_tile_says_no_recent_data_since(web, demo_like):
    client = web.client("direktur")
    client.set_cookie("pantau_lang", "en")

    tiles = client.post(UPDATE, json=OVERVIEW).json["response"]["server-tiles"]["children"]

    assert "No recent data since" in str(tiles) and "Up" in str(tiles)


def test_fresh005_a_banner_on_every_page_while_the_collector_has_not_reported_within_two_heartbeats(web):
    client = web.client("bendahara")

    never = client.post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]
    heartbeat(web.engine, interval_s=15, who="host a, pid 1")
    current = client.post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]
    with session_scope(web.engine) as session:
        row = session.get(SourceStatus, ("process", "collector"))
        row.last_success_at = utcnow() - timedelta(seconds=31)
        silent_since = row.last_success_at
    silent = client.post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]
    stopped(web.engine, who="host a, pid 1")
    halted = client.post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]

    assert "Pengumpul data belum pernah melapor" in str(never)
    assert current is None
    assert (f"Pengumpul data tidak melapor sejak {formatting.moment(silent_since, 'id', 'Asia/Jakarta')}"
            in str(silent))
    assert "Pengumpul data dihentikan pada" in str(halted)
    assert "/sumber" not in str(silent), "the bendahara may not open the sources page"
    admin = web.client("admin").post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]
    assert "/sumber" in str(admin)


def test_fresh006_the_demo_whose_collector_has_no_monitors_shows_every_tile_without_recent_data(web):
    """The fault as filed: `make run` seeds monitors whose probe samples end when the demo was made, and its
    collector reports "no monitors configured"; hours later the tiles said "Normal" and 100 %."""
    from app.demo import generate
    from collectors.monitors.collector import MonitorsCollector
    from collectors.scheduler import run_collector

    generate(web.engine, "small", seed=7, now=utcnow() - timedelta(hours=5))
    outcome = run_collector(MonitorsCollector(web.settings, web.engine))

    response = web.client("kepala_it").post(UPDATE, json=OVERVIEW).json["response"]

    assert outcome.ok and outcome.message.startswith("no monitors configured")
    tiles = response["server-tiles"]["children"]["props"]["children"]
    assert len(tiles) == 4
    for column in tiles:
        tile = str(column["props"]["children"])
        assert "Tidak ada data baru sejak" in tile and "Normal" not in tile and "kpi-none" in tile
    assert FIVE_HOURS.search(str(response["server-uptime"]["children"]))
