"""TCP connect probing: is the port open, and how long does the handshake take."""

from __future__ import annotations

import socket
import time

from collectors.probes.result import ProbeResult, utc_now


def probe_tcp(host: str, port: int, timeout_s: float = 5.0) -> ProbeResult:
    """Open a TCP connection to ``host:port`` and close it again.

    ``latency_ms`` is the time the handshake took (name resolution excluded). Every address
    the name resolves to is tried in turn within the one ``timeout_s``; the probe fails with
    the reason (refused, timed out, unreachable, unknown host) when none accepts.
    """
    if not 0 < port < 65536:
        raise ValueError(f"probe_tcp: port must be within 1..65535, got {port!r}")
    if timeout_s <= 0:
        raise ValueError(f"probe_tcp: timeout_s must be > 0, got {timeout_s!r}")
    checked_at = utc_now()
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return ProbeResult.failure(f"cannot resolve {host}: {exc.strerror}", checked_at)
    deadline = time.monotonic() + timeout_s
    reason = "no address"
    for family, kind, proto, _, sockaddr in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            reason = f"timed out after {timeout_s:g} s"
            break
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(remaining)
            started = time.perf_counter()
            try:
                sock.connect(sockaddr)
            except TimeoutError:
                reason = f"timed out after {timeout_s:g} s"
                continue
            except OSError as exc:
                reason = exc.strerror or str(exc)
                continue
            latency_ms = (time.perf_counter() - started) * 1000
        return ProbeResult.single(True, f"connected to {sockaddr[0]} port {port}", latency_ms, checked_at)
    return ProbeResult.failure(f"{host} port {port}: {reason}", checked_at)
