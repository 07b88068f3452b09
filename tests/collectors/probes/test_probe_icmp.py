"""ICMP probing: SmokePing-style rounds, and replies credited only to the host that sent them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from collectors.probes import icmp, probe_icmp, run_round

SLOW_MS = 150


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def _dgram_allowed_here() -> bool:
    low, high = map(int, Path("/proc/sys/net/ipv4/ping_group_range").read_text().split())
    return low <= os.getgid() <= high


def test_ic001_loopback_answers_every_echo():
    result = probe_icmp("127.0.0.1", count=4, timeout_s=1.0, interval_s=0.01)

    assert result.ok
    assert result.loss == 0.0
    assert result.message == "4/4 replies from 127.0.0.1"
    assert 0 < result.latency_min_ms <= result.latency_ms <= result.latency_max_ms < 1000
    assert result.jitter_ms is not None and result.jitter_ms >= 0
    assert result.checked_at.utcoffset().total_seconds() == 0


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback")
def test_ic002_ipv6_loopback_answers():
    result = probe_icmp("::1", count=3, interval_s=0.01)

    assert result.ok and result.loss == 0.0


def test_ic003_single_echo_has_no_jitter():
    result = probe_icmp("127.0.0.1", count=1)

    assert result.ok
    assert result.latency_min_ms == result.latency_ms == result.latency_max_ms
    assert result.jitter_ms is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"count": 0}, "count"), ({"timeout_s": 0}, "timeout_s"), ({"interval_s": -1}, "interval_s"),
     ({"mode": "udp"}, "mode")],
)
def test_ic004_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        probe_icmp("127.0.0.1", **kwargs)


@pytest.mark.skipif(_dgram_allowed_here(), reason="unprivileged ICMP sockets are allowed here")
def test_ic005_datagram_mode_without_permission_says_how_to_allow_it():
    with pytest.raises(PermissionError, match="ping_group_range"):
        probe_icmp("127.0.0.1", mode="dgram")


@pytest.mark.netns
@pytest.mark.parametrize("kernel_filter", [True, False], ids=["kernel-filter", "matching-only"])
def test_ic010_concurrent_probes_credit_each_reply_to_its_own_host(test_network, monkeypatch, kernel_filter):
    if not kernel_filter:
        monkeypatch.setattr(icmp, "attach_echo_reply_filter", lambda *args, **kwargs: None)
    slow, fast, dead = test_network.add_host(), test_network.add_host(), test_network.add_host()
    test_network.start_responder(slow, delay_ms=SLOW_MS)
    test_network.set_link(dead, up=False)
    hosts = {"slow": slow, "fast": fast, "dead": dead}
    checks = [
        (f"{label}-{n}",
         lambda address=host.address: probe_icmp(address, count=5, timeout_s=1.0, interval_s=0.02, mode="raw"))
        for n in range(8)
        for label, host in hosts.items()
    ]

    results = run_round(checks)

    for name, result in results.items():
        label = name.split("-")[0]
        if label == "dead":
            assert not result.ok and result.loss == 1.0 and result.latency_ms is None, (name, result)
            continue
        assert result.ok and result.loss == 0.0, (name, result)
        if label == "slow":
            assert result.latency_min_ms >= SLOW_MS, (name, result)
        else:
            assert result.latency_max_ms < SLOW_MS, (name, result)


@pytest.mark.netns
def test_ic011_host_whose_link_goes_down_is_down_until_it_comes_back(test_network):
    host = test_network.add_host()

    before = probe_icmp(host.address, count=3, timeout_s=0.5, interval_s=0.05)
    test_network.set_link(host, up=False)
    during = probe_icmp(host.address, count=3, timeout_s=0.5, interval_s=0.05)
    test_network.set_link(host, up=True)
    after = probe_icmp(host.address, count=3, timeout_s=1.0, interval_s=0.05)

    assert before.ok and before.loss == 0.0
    assert not during.ok and during.loss == 1.0
    assert during.message.startswith(f"no reply from {host.address} to 3 echo requests")
    assert after.ok


@pytest.mark.netns
def test_ic012_silent_host_loses_every_echo(test_network):
    host = test_network.add_host()
    test_network.silence(host)

    result = probe_icmp(host.address, count=3, timeout_s=0.3, interval_s=0.05)

    assert not result.ok
    assert result.loss == 1.0
    assert result.latency_ms is result.latency_min_ms is result.latency_max_ms is result.jitter_ms is None


@pytest.mark.netns
@pytest.mark.parametrize(("tamper", "credited"), [(False, True), (True, False)], ids=["faithful", "impostor"])
def test_ic013_reply_counts_only_when_it_echoes_the_probe_token(test_network, tamper, credited):
    host = test_network.add_host()
    test_network.start_responder(host, tamper=tamper)

    result = probe_icmp(host.address, count=3, timeout_s=0.5, interval_s=0.02, mode="raw")

    assert result.ok is credited
    assert result.loss == (0.0 if credited else 1.0)


DGRAM_SCRIPT = """
import json, sys
from collectors.probes import probe_icmp, run_round
targets = sys.argv[1:]
checks = [(f"{t}#{n}", lambda t=t: probe_icmp(t, count=3, interval_s=0.02, mode="dgram"))
          for t in targets for n in range(5)]
print(json.dumps({name: [r.ok, r.loss, r.message] for name, r in run_round(checks).items()}))
"""


@pytest.mark.netns
def test_ic014_unprivileged_datagram_sockets_probe_concurrently(test_network):
    host = test_network.add_host()
    test_network.sysctl(host, "net.ipv4.ping_group_range=0 0")
    process = test_network.run_in(
        host, sys.executable, "-c", DGRAM_SCRIPT, "127.0.0.1", host.gateway, stdout=subprocess.PIPE, text=True,
    )
    output, _ = process.communicate(timeout=60)

    results = json.loads(output)
    assert len(results) == 10
    for name, (ok, loss, message) in results.items():
        target = name.split("#")[0]
        assert ok and loss == 0.0 and message == f"3/3 replies from {target}", (name, message)
