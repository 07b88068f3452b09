"""`/metrics`: the store's figures (probes, imports, alerts, source freshness) and the request latency histogram
in the Prometheus text format, only for allowed addresses or the configured bearer token, summed over workers
in multiprocess mode; the Grafana dashboard in docs/ reads metrics that exist."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from pantau.db import session_scope
from pantau.models import Alert, BankImport, CollectorRun, Monitor, ProbeSample, SourceStatus
from pantau.models.billing import BillQuarantine
from pantau.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "docs" / "grafana" / "pantau.json"
NOW = datetime.now(UTC).replace(microsecond=0)


def seed(engine) -> None:
    """Two monitors (one down), two bank files, three bill syncs, a quarantined row, alerts, two sources."""
    with session_scope(engine) as session:
        bayar = Monitor(name="server-bayar", role="payment", check="http", target="http://127.0.0.1:9",
                        status="up")
        h2h = Monitor(name="h2h-bank", role="h2h", check="tcp", target="127.0.0.1:9", status="down")
        session.add_all([bayar, h2h])
        session.flush()
        session.add_all([
            ProbeSample(monitor_id=bayar.id, checked_at=NOW - timedelta(minutes=2), ok=True, latency_ms=900.0),
            ProbeSample(monitor_id=bayar.id, checked_at=NOW - timedelta(minutes=1), ok=True, latency_ms=120.0),
            ProbeSample(monitor_id=h2h.id, checked_at=NOW - timedelta(minutes=1), ok=False, latency_ms=None),
            BankImport(file_name="a.csv", sha256="a" * 64, format="csv", imported_by="t", lines_read=10, added=7,
                       duplicates=2, rejected=1),
            BankImport(file_name="b.csv", sha256="b" * 64, format="csv", imported_by="t", lines_read=5, added=5),
            BankImport(file_name="c.sta", sha256="c" * 64, format="mt940", imported_by="t", lines_read=3, added=3),
            *(CollectorRun(collector="bills", started_at=NOW, finished_at=NOW, ok=ok, items=items)
              for ok, items in ((True, 40), (True, 2), (False, 0))),
            CollectorRun(collector="monitors", started_at=NOW, finished_at=NOW, ok=True, items=99),
            BillQuarantine(source="siakad", row="3", field="amount", column="nominal", reason="kosong",
                           first_seen_at=NOW, last_seen_at=NOW),
            Alert(dedup_key="a1", source="t", severity="critical", role="kepala_it", title="H2H mati"),
            Alert(dedup_key="a2", source="t", severity="warning", role="bendahara", title="x", state="resolved"),
            Alert(dedup_key="a3", source="t", severity="warning", role="bendahara", title="y", state="resolved"),
            SourceStatus(kind="bill_source", name="siakad", last_success_at=NOW - timedelta(minutes=30),
                         consecutive_failures=2),
            SourceStatus(kind="bank_inbox", name="inbox", last_success_at=None, consecutive_failures=4),
        ])


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    return samples(response.text)


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def app_on(engine, tmp_path, **metrics):
    from dashboard import create_app

    settings = Settings(data_dir=tmp_path, database_url=str(engine.url), metrics=metrics)
    return create_app(settings, engine)


def test_metrics001_the_store_figures_are_exposed_on_both_databases(store, tmp_path):
    seed(store)
    got = scrape(app_on(store, tmp_path).server.test_client())

    assert got[("pantau_monitor_up", (("check", "http"), ("monitor", "server-bayar"), ("role", "payment")))] == 1
    assert got[("pantau_monitor_up", (("check", "tcp"), ("monitor", "h2h-bank"), ("role", "h2h")))] == 0
    assert got[("pantau_monitor_status", (("monitor", "h2h-bank"), ("status", "down")))] == 1
    assert got[("pantau_monitor_status", (("monitor", "h2h-bank"), ("status", "up")))] == 0
    assert got[("pantau_monitor_latency_seconds", (("monitor", "server-bayar"),))] == pytest.approx(0.12)
    assert ("pantau_monitor_latency_seconds", (("monitor", "h2h-bank"),)) not in got
    assert got[("pantau_monitor_last_check_timestamp_seconds", (("monitor", "h2h-bank"),))] == \
        pytest.approx((NOW - timedelta(minutes=1)).timestamp())
    assert got[("pantau_bank_import_files_total", (("format", "csv"),))] == 2
    assert got[("pantau_bank_import_lines_total", (("format", "csv"), ("outcome", "stored")))] == 12
    assert got[("pantau_bank_import_lines_total", (("format", "csv"), ("outcome", "duplicate")))] == 2
    assert got[("pantau_bank_import_lines_total", (("format", "csv"), ("outcome", "rejected")))] == 1
    assert got[("pantau_bank_import_lines_total", (("format", "mt940"), ("outcome", "stored")))] == 3
    assert got[("pantau_bill_syncs_total", (("result", "ok"),))] == 2
    assert got[("pantau_bill_syncs_total", (("result", "failed"),))] == 1
    assert got[("pantau_bill_sync_bills_written_total", ())] == 42
    assert got[("pantau_bills_quarantined", (("source", "siakad"),))] == 1
    assert got[("pantau_alerts", (("severity", "critical"), ("state", "open")))] == 1
    assert got[("pantau_alerts", (("severity", "warning"), ("state", "resolved")))] == 2
    assert got[("pantau_alerts", (("severity", "info"), ("state", "acknowledged")))] == 0
    age = got[("pantau_source_last_success_age_seconds", (("kind", "bill_source"), ("name", "siakad")))]
    since_seeded = (datetime.now(UTC) - NOW).total_seconds()  # the module's NOW is set when it is collected
    assert 30 * 60 <= age <= 30 * 60 + since_seeded + 60
    assert ("pantau_source_last_success_age_seconds", (("kind", "bank_inbox"), ("name", "inbox"))) not in got
    assert got[("pantau_source_consecutive_failures", (("kind", "bank_inbox"), ("name", "inbox")))] == 4


def test_metrics002_requests_are_timed_by_route_and_known_callback_only(web):
    client = web.client("admin")
    before = samples(client.get("/metrics").text)
    key = "pantau_http_request_duration_seconds_count"
    page = (key, (("callback", ""), ("route", "/<path:path>")))
    assert client.get("/pembayaran").status_code == 200
    output = next(iter(web.app.callback_map))
    body = {"output": output, "outputs": [], "inputs": [], "changedPropIds": []}
    client.post("/_dash-update-component", json=body)
    client.post("/_dash-update-component", json={**body, "output": "made-up-by-a-client.children"})

    after = samples(client.get("/metrics").text)
    callback = (key, (("callback", output), ("route", "/_dash-update-component")))
    other = (key, (("callback", "other"), ("route", "/_dash-update-component")))
    assert after[page] - before.get(page, 0) == 1
    assert after[callback] - before.get(callback, 0) == 1
    assert after[other] - before.get(other, 0) == 1
    assert not any("made-up" in str(labels) for _, labels in after)
    assert not any(name.startswith("pantau_http") and dict(labels).get("route") == "/metrics"
                   for name, labels in after)


def test_metrics003_only_allowed_addresses_or_the_bearer_token_may_scrape(engine, tmp_path):
    client = app_on(engine, tmp_path, allow_from=["10.0.5.0/24"], token="s3cret-token").server.test_client()

    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.5.7"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 403
    outside = {"REMOTE_ADDR": "192.0.2.1"}
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer s3cret-tokem"}).status_code == 403
    closed = app_on(engine, tmp_path, allow_from=[]).server.test_client()
    assert closed.get("/metrics").status_code == 403
    assert closed.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    default = app_on(engine, tmp_path).server.test_client()
    assert default.get("/metrics").status_code == 200
    assert default.get("/metrics", environ_base=outside).status_code == 403


def test_metrics004_the_grafana_dashboard_reads_metrics_that_exist(engine, tmp_path):
    board = json.loads(GRAFANA.read_text())
    exprs = [target["expr"] for panel in board["panels"] for target in panel["targets"]]
    named = {re.sub(r"_(bucket|total|count|sum)$", "", name) for expr in exprs
             for name in re.findall(r"\bpantau_[a-z0-9_]+", expr)}
    seed(engine)
    client = app_on(engine, tmp_path).server.test_client()
    client.get("/login")
    exposed = {re.sub(r"_(bucket|total|count|sum|created)$", "", name) for name, _ in scrape(client)}

    assert len(board["panels"]) >= 8
    assert named and named <= exposed, named - exposed
    assert {"pantau_monitor_up", "pantau_monitor_latency_seconds", "pantau_http_request_duration_seconds",
            "pantau_alerts", "pantau_source_last_success_age_seconds", "pantau_bank_import_lines"} <= named


WORKER = textwrap.dedent("""
    import sys
    from pantau.db import make_engine
    from pantau.settings import Settings
    from dashboard import create_app
    settings = Settings(data_dir=sys.argv[1], database_url=sys.argv[2])
    client = create_app(settings, make_engine(sys.argv[2])).server.test_client()
    for _ in range(int(sys.argv[3])):
        client.get("/login")
    if sys.argv[4] == "scrape":
        sys.stdout.write(client.get("/metrics").text)
""")


def test_metrics005_in_multiprocess_mode_every_worker_s_requests_are_summed(engine, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    args = [str(tmp_path), str(engine.url)]
    subprocess.run([sys.executable, "-c", WORKER, *args, "3", "-"], env=env, check=True, cwd=ROOT)
    text = subprocess.run([sys.executable, "-c", WORKER, *args, "4", "scrape"], env=env, check=True, cwd=ROOT,
                          capture_output=True, text=True).stdout

    got = samples(text)
    assert got[("pantau_http_request_duration_seconds_count", (("callback", ""), ("route", "/login")))] == 7
    assert len(list(folder.glob("*.db"))) >= 2
    assert got[("pantau_alerts", (("severity", "critical"), ("state", "open")))] == 0
