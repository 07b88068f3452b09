"""One dispatcher from a monitor's configuration to the probe that checks it."""

from __future__ import annotations

from functools import partial

from collectors.probes import Check, ProbeResult, probe_http, probe_icmp, probe_tcp
from collectors.probes.http import DEFAULT_STATUS
from pantau.monitoring.config import ICMP_SPACING_S, MonitorConfig


def check_for(monitor: MonitorConfig) -> Check:
    """A callable running one check of ``monitor`` and returning its ProbeResult."""
    if monitor.check == "icmp":
        return partial(probe_icmp, monitor.target, count=monitor.count, timeout_s=monitor.timeout_s,
                       interval_s=ICMP_SPACING_S)
    if monitor.check == "tcp":
        host, port = monitor.address
        return partial(probe_tcp, host, port, timeout_s=monitor.timeout_s)
    return partial(probe_http, monitor.target, timeout_s=monitor.timeout_s, expect_keyword=monitor.keyword,
                   expect_status=monitor.expected_status or DEFAULT_STATUS, verify_tls=monitor.verify_tls)


def is_degraded(monitor: MonitorConfig, result: ProbeResult) -> bool:
    """Answering, but losing at least ``degraded_loss`` of its packets or slower than ``degraded_latency_ms``."""
    if not result.ok:
        return False
    slow = monitor.degraded_latency_ms is not None and (result.latency_ms or 0.0) > monitor.degraded_latency_ms
    return slow or result.loss >= monitor.degraded_loss
