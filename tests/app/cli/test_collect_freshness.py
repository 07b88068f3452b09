"""Done when (issue 15): killing the collector makes every affected tile say so within two intervals, restarting
it clears the banner, and availability over the gap shows the gap. A real `pantau collect` probes a loopback
TCP monitor every 5 s and reports every 1 s; the web app's callbacks are read as a browser would (run with -s
to see the measured times)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from test_collect_lease import Collect, store_url

from pantau.accounts import create_user
from pantau.db import session_scope
from pantau.settings import Settings

INTERVAL_S, HEARTBEAT_S, LEASE_S = 5, 1.0, 3.0
MARGIN_S = 1.5
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


def start(config, url: str, data_dir) -> Collect:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    env.update(PANTAU_CONFIG=str(config), PANTAU_DATABASE_URL=url, PANTAU_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "app", "collect", "--only", "monitors"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    return Collect(process)


def until(condition, timeout: float, what: str, every: float = 0.25) -> float:
    """Seconds until `condition()` holds; fails after `timeout`."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if condition():
            return time.monotonic() - began
        time.sleep(every)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


def test_fresh_cli001_killing_the_collector_makes_the_tile_and_banner_say_so_and_restarting_clears_them(
        store, tmp_path, tcp_listener):
    from dashboard import create_app

    config = tmp_path / "pantau.toml"
    config.write_text(f"""
[collector]
lease_s = {LEASE_S}
heartbeat_s = {HEARTBEAT_S}

[[monitors]]
name = "bank-link"
role = "bank-link"
check = "tcp"
target = "127.0.0.1:{tcp_listener}"
interval_s = {INTERVAL_S}
timeout_s = 1
""")
    url = store_url(store)
    settings = Settings(config=config, data_dir=tmp_path, database_url=url)
    with session_scope(store) as session:
        create_user(session, "kepala.it", "kepala_it", password="rahasia-123")
    web = create_app(settings, store).server.test_client()
    page = web.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    assert web.post("/login", data={"username": "kepala.it", "password": "rahasia-123", "csrf": csrf,
                                    "next": "/"}).status_code == 302

    def tiles() -> str:
        return str(web.post(UPDATE, json=OVERVIEW).json["response"]["server-tiles"]["children"])

    def banner():
        return web.post(UPDATE, json=SHELL).json["response"]["shell-banner"]["children"]

    collector = start(config, url, tmp_path)
    try:
        collector.wait_for("Pengumpul data aktif")
        until(lambda: "Normal" in tiles() and banner() is None, 30, "the first check")
        assert "Diperiksa " in tiles()
        time.sleep(2 * INTERVAL_S)

        collector.process.send_signal(signal.SIGKILL)
        collector.process.wait(timeout=10)
        killed = time.monotonic()
        to_banner = until(lambda: "Pengumpul data tidak melapor sejak" in str(banner()), 20, "the banner")
        to_tile = until(lambda: "Tidak ada data baru sejak" in tiles(), 30, "the tile without recent data")
        to_tile += to_banner
        shown = tiles()
        time.sleep(3 * INTERVAL_S)

        collector = start(config, url, tmp_path)
        collector.wait_for("Pengumpul data aktif", timeout=LEASE_S + 30)
        restarted = time.monotonic()
        to_clear = until(lambda: banner() is None, 20, "the banner clearing")
        until(lambda: "Normal" in tiles(), 20, "the tile back to Normal")
        uptime = str(web.post(UPDATE, json=OVERVIEW).json["response"]["server-uptime"]["children"])
    finally:
        collector.stop()

    print(f"\n[{store.dialect.name}] after SIGKILL: banner {to_banner:.1f} s, tile {to_tile:.1f} s "
          f"(interval {INTERVAL_S} s, heartbeat {HEARTBEAT_S:g} s); banner cleared {to_clear:.1f} s after restart; "
          f"down for {restarted - killed:.1f} s")
    assert to_banner <= 2 * HEARTBEAT_S + MARGIN_S
    assert to_tile <= 2 * INTERVAL_S + MARGIN_S
    assert "Normal" not in shown and "kpi-none" in shown
    assert "tanpa data" in uptime, "the 24 h availability shows the gap as time without data"
