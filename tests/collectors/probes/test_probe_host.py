"""Host metrics from psutil: ranges, process liveness and network rates."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from datetime import datetime

from collectors.probes import host_snapshot, processes_alive


def test_hs001_snapshot_values_are_in_range():
    snapshot = host_snapshot(mounts=["/"], cpu_sample_s=0.05)

    assert snapshot.hostname == socket.gethostname()
    assert snapshot.taken_at.utcoffset().total_seconds() == 0
    assert 0.0 <= snapshot.cpu_percent <= 100.0
    assert min(snapshot.load_1, snapshot.load_5, snapshot.load_15) >= 0.0
    assert 0.0 < snapshot.memory_percent <= 100.0
    assert 0.0 < snapshot.disk_percent["/"] <= 100.0
    assert snapshot.net_bytes_sent >= 0 and snapshot.net_bytes_recv >= 0
    assert snapshot.net_sent_per_s is None and snapshot.net_recv_per_s is None
    assert snapshot.uptime_s > 0


def test_hs002_default_mounts_include_the_root_filesystem():
    assert "/" in host_snapshot(cpu_sample_s=0.05).disk_percent


def test_hs003_missing_mount_is_reported_as_unknown():
    snapshot = host_snapshot(mounts=["/", f"/no/such/mount-{os.getpid()}"], cpu_sample_s=0.05)

    assert snapshot.disk_percent[f"/no/such/mount-{os.getpid()}"] is None
    assert snapshot.disk_percent["/"] is not None


def test_hs004_named_process_is_alive_until_it_ends():
    name = f"pantau-payment-{os.getpid()}"
    process = subprocess.Popen([name, "30"], executable="sleep")
    try:
        alive = host_snapshot(mounts=[], processes=[name, f"no-such-daemon-{os.getpid()}"], cpu_sample_s=0.05)
    finally:
        process.kill()
        process.wait()

    assert alive.processes == {name: True, f"no-such-daemon-{os.getpid()}": False}
    assert processes_alive([name]) == {name: False}


def test_hs005_interpreter_scripts_match_by_script_name(tmp_path):
    script = tmp_path / f"pantau-h2h-gateway-{os.getpid()}.py"
    script.write_text("import sys\nsys.stdin.read()\n")
    process = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE)
    try:
        alive = processes_alive([script.name])
    finally:
        process.communicate()

    assert alive == {script.name: True}


def _send_over_loopback(size: int) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname()) as client:
            connection, _ = server.accept()
            with connection:
                received = 0

                def read() -> None:
                    nonlocal received
                    while received < size:
                        received += len(connection.recv(65536))

                reader = threading.Thread(target=read)
                reader.start()
                client.sendall(bytes(size))
                reader.join()


def test_hs006_network_rates_come_from_the_previous_snapshot():
    first = host_snapshot(mounts=[], nics=["lo"], cpu_sample_s=0.0)
    _send_over_loopback(1_000_000)
    second = host_snapshot(mounts=[], nics=["lo"], previous=first, cpu_sample_s=0.0)

    received = second.net_bytes_recv - first.net_bytes_recv
    elapsed = second.monotonic_s - first.monotonic_s
    assert received >= 1_000_000
    assert second.net_recv_per_s == received / elapsed
    assert second.net_sent_per_s == (second.net_bytes_sent - first.net_bytes_sent) / elapsed


def test_hs007_to_dict_is_json_ready():
    snapshot = host_snapshot(mounts=["/"], processes=["init"], cpu_sample_s=0.05)

    data = json.loads(json.dumps(snapshot.to_dict()))

    assert "monotonic_s" not in data
    assert datetime.fromisoformat(data["taken_at"]) == snapshot.taken_at
    assert data["disk_percent"] == {"/": snapshot.disk_percent["/"]}
    assert data["processes"] == snapshot.processes
