"""`pantau run` (what `make run` starts) says what it does in a few lines: one line per step, one warning for
what is not configured, the address and the demo log-ins; requests are logged only with --verbose."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

READY_TIMEOUT_S = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    env.update(PANTAU_DATA_DIR=str(data_dir), PANTAU_WEB__PORT=str(port), PANTAU_WEB__WORKERS="1",
               COLUMNS="200")
    return env


def _get(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status


def _wait_until_served(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the command ended early: {process.stdout.read()}")
        try:
            if _get(port, "/login") == 200:
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("the web server did not answer")


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    return out


def test_run001_the_first_run_prints_steps_one_warning_the_address_and_log_ins_and_no_requests(tmp_path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "app", "run", "--scale", "small"], env=_env(tmp_path, port),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_served(process, port)
        for path in ("/login", "/assets/10-pantau.css", "/login?next=/server"):
            assert _get(port, path) == 200
    finally:
        out = _stop(process)

    lines = [line.rstrip() for line in out.splitlines() if line.strip()]
    steps = [re.sub(r"\s+\d+:\d\d:\d\d$", "", line) for line in lines if line.startswith("✓")]
    assert steps == [
        "✓ Store up to date",
        "✓ Demo campus seeded (small, " + steps[1].split("(small, ")[1].split(")")[0] + ")",
        "✓ Demo settled: SLA measured, bank feed reconciled, alerts raised",
        "✓ Demo servers answering 4 monitors on loopback addresses",
        "✓ Collector and web server started (1 workers)",
    ]
    warnings = [line for line in lines if "no channel" in line]
    assert warnings == ["! alerts: no channel for role direktur, kepala_it, bendahara, operator, admin — set "
                        "alerts.channels"]
    assert f"! alert mails: links point at http://127.0.0.1:{port} — set public_url" in lines
    assert f"Pantau is running at http://127.0.0.1:{port}" in lines
    credentials = (tmp_path / "demo-credentials.txt").read_text().splitlines()
    assert [line.split()[:2] for line in credentials] == [
        ["direktur", "direktur"], ["kepala_it", "kepala.it"], ["bendahara", "bendahara"], ["operator", "operator"],
        ["admin", "admin"]]
    assert all(line in lines for line in credentials)
    assert not [line for line in lines if "HTTP/1.1" in line or "GET /" in line]
    assert not [line for line in lines if "WARNING" in line or "Traceback" in line]
    assert lines[-1] == "Pantau stopped."


def test_run002_serve_logs_each_request_only_when_verbose(tmp_path):
    logged = {}
    for verbose in (False, True):
        port = _free_port()
        command = [sys.executable, "-m", "app", "serve", *(["--verbose"] if verbose else [])]
        process = subprocess.Popen(command, env=_env(tmp_path, port), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            _wait_until_served(process, port)
            _get(port, "/login?next=/tanda")
        finally:
            out = _stop(process)
        logged[verbose] = [line for line in out.splitlines() if '"GET /login?next=/tanda HTTP/1.1" 200' in line]
    assert (len(logged[False]), len(logged[True])) == (0, 1)
