"""Kesehatan Server: the IT head's page and the directors' summary, refused to every other role."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from demo_web import browser_log_in, browser_to_english

from collectors.monitors.rollups import record_samples
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import HostMetric, Incident, Monitor

UPDATE = "/_dash-update-component"


def payload(outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]]) -> dict:
    """The JSON Dash's renderer POSTs for a callback with these outputs and inputs."""
    output = (f"{outputs[0][0]}.{outputs[0][1]}" if len(outputs) == 1
              else ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..")
    described = [{"id": i, "property": p} for i, p in outputs]
    return {
        "output": output,
        "outputs": described[0] if len(outputs) == 1 else described,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        "state": [],
    }


TICK = ("server-tick", "n_intervals", 1)
OVERVIEW = payload([("server-tiles", "children"), ("server-uptime", "children")], [TICK])


def history(monitor_id: int, range_key: str = "24h") -> dict:
    return payload(
        [("server-latency", "children"), ("server-level", "children"), ("server-timeline", "children"),
         ("server-incidents", "children"), ("server-maintenance", "children")],
        [TICK, ("server-monitor", "value", monitor_id), ("server-range", "value", range_key)],
    )


HOST = payload([("server-host-chart", "children"), ("server-host-now", "children")],
               [TICK, ("server-host", "value", "server-pembayaran"), ("server-range", "value", "24h")])
SIDE = payload([("server-alerts", "children"), ("server-certificates", "children")], [TICK])


def page(path: str = "/server") -> dict:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


@pytest.fixture
def monitored(web) -> dict[str, int]:
    """A payment server that is up, an H2H server that is down, and the bank link behind it."""
    now = datetime.now(UTC)
    with session_scope(web.engine) as session:
        payment = Monitor(name="payment-server", role="payment-server", check="http", target="https://bayar.test/",
                          status="up", status_since=now - timedelta(days=3))
        h2h = Monitor(name="h2h-server", role="h2h-server", check="tcp", target="10.0.0.5:7001", status="down",
                      status_since=now - timedelta(minutes=12), consecutive_failures=4)
        session.add_all([payment, h2h])
        session.flush()
        bank = Monitor(name="bank-link", role="bank-link", check="tcp", target="10.9.0.1:443", status="unreachable",
                       status_since=now - timedelta(minutes=10), parent_id=h2h.id)
        session.add(bank)
        session.flush()
        samples = []
        for minute in range(120, 0, -1):
            when = now - timedelta(minutes=minute)
            for monitor_id, ok in ((payment.id, True), (h2h.id, minute > 12), (bank.id, minute > 10)):
                samples.append({"monitor_id": monitor_id, "checked_at": when, "ok": ok, "in_maintenance": False,
                                "latency_ms": 40.0 if ok else None, "latency_min_ms": 35.0 if ok else None,
                                "latency_max_ms": 60.0 if ok else None, "loss": 0.0 if ok else 1.0,
                                "jitter_ms": None, "status_code": 200 if monitor_id == payment.id else None,
                                "cert_days_left": 9.5 if monitor_id == payment.id else None,
                                "message": "ok" if ok else "timed out after 5 s"})
        record_samples(session, samples)
        session.add_all([
            Incident(monitor_id=h2h.id, kind="down", started_at=now - timedelta(minutes=12),
                     cause="timed out after 5 s"),
            Incident(monitor_id=bank.id, kind="unreachable", started_at=now - timedelta(minutes=10)),
        ])
        session.add_all(HostMetric(host="server-pembayaran", collected_at=now - timedelta(minutes=n), cpu_pct=30.0,
                                   mem_pct=60.0, load1=1.2, disks={"/": 93.0}, processes={"php-fpm": False},
                                   uptime_s=86_400.0) for n in range(30))
        raise_alert(session, dedup_key="monitor:h2h-server:down", source="monitors", role="kepala_it",
                    words=lambda lang: (translate("{monitor} is down", lang, monitor="h2h-server"), ""),
                    severity="critical")
        return {"payment": payment.id, "h2h": h2h.id, "bank": bank.id}


@pytest.mark.parametrize("role", ["bendahara", "operator"])
def test_sp001_other_roles_get_neither_the_page_nor_its_callbacks(web, monitored, role):
    client = web.client(role)

    for request in (OVERVIEW, history(monitored["h2h"]), HOST, SIDE):
        assert client.post(UPDATE, json=request).status_code == 403
    shown = client.post(UPDATE, json=page())
    assert "Tidak berwenang" in shown.text and "h2h-server" not in shown.text


def test_sp002_directors_get_the_summary_only(web, monitored):
    client = web.client("direktur")

    summary = client.post(UPDATE, json=page()).text
    overview = client.post(UPDATE, json=OVERVIEW)

    assert "server-tiles" in summary and "server-uptime" in summary and "server-monitor" not in summary
    assert overview.status_code == 200
    assert "h2h-server" in overview.text and "Mati" in overview.text
    assert "'type': 'server-tile'" not in str(overview.json)
    for request in (history(monitored["h2h"]), HOST, SIDE):
        assert client.post(UPDATE, json=request).status_code == 204


@pytest.mark.parametrize("role", ["kepala_it", "admin"])
def test_sp003_it_head_gets_tiles_history_hosts_alerts_and_certificates(web, monitored, role):
    client = web.client(role)

    overview = client.post(UPDATE, json=OVERVIEW).json["response"]
    detail = client.post(UPDATE, json=history(monitored["h2h"], "24h")).json["response"]
    hosts = client.post(UPDATE, json=HOST).text
    side = client.post(UPDATE, json=SIDE).text

    tiles = str(overview["server-tiles"]["children"])
    assert "Tidak terjangkau (induk mati)" in tiles and "h2h-server mati" in tiles
    assert "'type': 'server-tile'" in tiles
    assert "Tingkat ringkasan: per menit" == detail["server-level"]["children"]
    figure = detail["server-latency"]["children"]["props"]["children"][0]["props"]["figure"]
    assert [trace["name"] for trace in figure["data"]] == ["Paket hilang", "Paling lambat", "Tercepat – paling lambat",
                                                           "Latensi rata-rata"]
    assert "Latensi h2h-server selama 24 jam" == figure["layout"]["title"]["text"]
    assert "masih berlangsung" in str(detail["server-incidents"]["children"])
    assert "php-fpm" in hosts and "tidak berjalan" in hosts and "Beban server-pembayaran selama 24 jam" in hosts
    assert "Jaringan" in hosts
    assert "h2h-server mati" in side and "sisa 10 hari" in side


def test_sp004_range_picks_the_rollup_level(web, monitored):
    client = web.client("kepala_it")
    levels = {key: client.post(UPDATE, json=history(monitored["payment"], key)).json["response"]["server-level"]
              ["children"] for key in ("1h", "24h", "7d", "30d", "1y")}

    assert levels == {"1h": "Tingkat ringkasan: setiap pemeriksaan", "24h": "Tingkat ringkasan: per menit",
                      "7d": "Tingkat ringkasan: per jam", "30d": "Tingkat ringkasan: per jam",
                      "1y": "Tingkat ringkasan: per hari"}


def test_sp005_empty_store_says_what_is_missing(web):
    client = web.client("kepala_it")

    overview = client.post(UPDATE, json=OVERVIEW).text

    assert "Belum ada monitor." in overview and "[[monitors]]" in overview


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_sp006_it_head_reads_the_page_and_switches_range_in_chromium(dash_duo, web, monitored):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys("user.kepala_it")
    dash_duo.find_element("#password").send_keys(web.password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#server-tiles .kpi-card", timeout=30)

    dash_duo.wait_for_contains_text("#server-tiles", "Tidak terjangkau (induk mati)", timeout=30)
    dash_duo.wait_for_contains_text("#server-level", "per menit", timeout=30)
    dash_duo.wait_for_element("#server-latency .js-plotly-plot", timeout=30)
    dash_duo.driver.find_element("xpath", "//label[normalize-space()='7 hari']").click()
    dash_duo.wait_for_contains_text("#server-level", "per jam", timeout=30)
    dash_duo.find_element("#server-tiles .kpi-card").click()
    dash_duo.wait_for_contains_text("#server-latency", "Latensi payment-server", timeout=30)
    assert "php-fpm" in dash_duo.find_element("#server-host-now").text


def test_sp007_host_picker_opens_on_the_host_heard_from_last(web, monitored):
    now = datetime.now(UTC)
    with session_scope(web.engine) as session:  # a host that stopped reporting an hour ago, first by name
        session.add(HostMetric(host="arsip-lama", collected_at=now - timedelta(hours=1), cpu_pct=5.0, mem_pct=20.0,
                               load1=0.1, disks={"/": 10.0}, processes={}, uptime_s=3_600.0))

    layout = str(web.client("kepala_it").post(UPDATE, json=page()).json["response"]["_pages_content"]["children"])

    picker = layout[layout.index("'id': 'server-host'") - 400:layout.index("'id': 'server-host'") + 400]
    assert "'value': 'server-pembayaran'" in picker and "arsip-lama" in picker


def test_sp008_packet_loss_is_drawn_only_where_packets_were_lost(web, monitored):
    detail = web.client("kepala_it").post(UPDATE, json=history(monitored["h2h"], "24h")).json["response"]

    loss, *lines = detail["server-latency"]["children"]["props"]["children"][0]["props"]["figure"]["data"]
    assert loss["y"] == [100.0] * 12 and len(loss["x"]) == 12  # the last twelve minutes, down
    assert all(len(line["x"]) >= 120 for line in lines)


def test_sp009_the_open_alerts_are_in_the_readers_language(web, monitored):
    client = web.client("kepala_it")
    client.set_cookie("pantau_lang", "en")
    side = client.post(UPDATE, json=SIDE).text
    assert "h2h-server is down" in side and "h2h-server mati" not in side


def test_sp010_the_page_arrives_with_its_figures_drawn(web, monitored):
    """The layout holds the tiles, the availability, the latency chart, the incidents, the host and the alerts:
    their callbacks run only on the next refresh or when a picker changes."""
    client = web.client("kepala_it")
    shown = str(client.post(UPDATE, json=page()).json["response"]["_pages_content"])
    assert "Tidak terjangkau (induk mati)" in shown and "Tingkat ringkasan: per menit" in shown
    assert "Latensi h2h-server selama 24 jam" in shown or "Latensi payment-server selama 24 jam" in shown
    assert "php-fpm" in shown and "sisa 10 hari" in shown
    prevented = [spec["output"] for spec in client.get("/_dash-dependencies").json if spec["prevent_initial_call"]]
    for output in ("server-tiles.children", "server-latency.children", "server-host-chart.children",
                   "server-alerts.children"):
        assert any(output in key for key in prevented), f"{output} would be computed twice a load"


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_sp011_switching_language_draws_the_charts_for_the_range_brought_back(dash_duo, web, monitored):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    browser_log_in(dash_duo, "kepala_it")
    dash_duo.wait_for_contains_text("#server-level", "per menit", timeout=30)
    dash_duo.driver.find_element("xpath", "//label[normalize-space()='7 hari']").click()
    dash_duo.wait_for_contains_text("#server-level", "per jam", timeout=30)
    browser_to_english(dash_duo, "server", "Server health", "/server")
    dash_duo.wait_for_contains_text("#server-latency", "over 7 days", timeout=30)
    dash_duo.wait_for_text_to_equal("#server-level", "Rollup level: per hour", timeout=30)
