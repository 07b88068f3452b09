"""ICMP echo probing, SmokePing style, safe to run from many threads at once.

Each probe opens its own socket and sends ``count`` echo requests ``interval_s`` apart. A reply
is credited to the probe only when its source address, ICMP identifier, sequence number and a
random per-probe token echoed in the payload all match what this probe sent, so a reply can
never be counted for another host, even on raw sockets (which receive every ICMP packet the
machine gets) and even when another program uses the same identifier.

Unprivileged ICMP datagram sockets are preferred (the kernel then delivers to each socket only
the replies to its own identifier; allow them with ``sysctl net.ipv4.ping_group_range``); raw
sockets (root or CAP_NET_RAW) are the fallback.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from statistics import fmean
from typing import Literal

from collectors.probes.icmp_filter import attach_echo_reply_filter
from collectors.probes.result import ProbeResult, utc_now

IcmpMode = Literal["auto", "dgram", "raw"]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_ECHO_REQUEST = {socket.AF_INET: 8, socket.AF_INET6: 128}
_ECHO_REPLY = {socket.AF_INET: 0, socket.AF_INET6: 129}
_PROTOCOL = {socket.AF_INET: socket.IPPROTO_ICMP, socket.AF_INET6: socket.IPPROTO_ICMPV6}
_SOCKET_KINDS = {
    "auto": (socket.SOCK_DGRAM, socket.SOCK_RAW),
    "dgram": (socket.SOCK_DGRAM,),
    "raw": (socket.SOCK_RAW,),
}
_HEADER = struct.Struct("!BBHHH")
_PAYLOAD_BYTES = 56
_TOKEN_BYTES = 16
# Linux kernel receive timestamps (SO_TIMESTAMPNS) keep round-trips exact while many threads
# compete for the interpreter; other systems fall back to the time the reply is read.
_SO_TIMESTAMPNS = 35 if sys.platform == "linux" else None
_TIMESPEC = struct.Struct("@ll")

_raw_ids_lock = threading.Lock()
_raw_ids_in_use: set[int] = set()


def probe_icmp(
    host: str,
    count: int = 5,
    timeout_s: float = 1.0,
    interval_s: float = 0.2,
    *,
    mode: IcmpMode = "auto",
) -> ProbeResult:
    """Send ``count`` echo requests to ``host`` and summarise the replies.

    Requests go out ``interval_s`` apart; each reply must arrive within ``timeout_s`` of its
    request or the request counts as lost, so a probe takes at most
    ``(count - 1) * interval_s + timeout_s``. The result carries min/avg/max round-trip in
    milliseconds, the loss fraction and the jitter (mean absolute difference of consecutive
    round-trips); it is ``ok`` when at least one reply came back. ``mode`` picks the socket:
    ``"dgram"`` (unprivileged), ``"raw"`` or ``"auto"`` (datagram, else raw).
    """
    if count < 1:
        raise ValueError(f"probe_icmp: count must be at least 1, got {count!r}")
    if timeout_s <= 0 or interval_s < 0:
        raise ValueError(f"probe_icmp: timeout_s must be > 0 and interval_s >= 0, got {timeout_s!r}, {interval_s!r}")
    if mode not in _SOCKET_KINDS:
        raise ValueError(f"probe_icmp: mode must be one of {', '.join(_SOCKET_KINDS)}, got {mode!r}")
    checked_at = utc_now()
    try:
        family, address = _resolve(host)
    except socket.gaierror as exc:
        return ProbeResult.failure(f"cannot resolve {host}: {exc.strerror}", checked_at)
    with _EchoSession.open(family, address, mode) as session:
        rtts, error = session.ping(count, timeout_s, interval_s)
    if not rtts:
        detail = f": {error}" if error else ""
        return ProbeResult.failure(f"no reply from {host} to {count} echo requests{detail}", checked_at)
    samples = [rtts[seq] for seq in sorted(rtts)]
    lost = count - len(samples)
    return ProbeResult(
        ok=True,
        message=f"{len(samples)}/{count} replies from {address}",
        latency_ms=fmean(samples),
        latency_min_ms=min(samples),
        latency_max_ms=max(samples),
        loss=lost / count,
        jitter_ms=fmean(abs(b - a) for a, b in pairwise(samples)) if len(samples) > 1 else None,
        checked_at=checked_at,
    )


def _resolve(host: str) -> tuple[socket.AddressFamily, Address]:
    family, _, _, _, sockaddr = socket.getaddrinfo(host, None, type=socket.SOCK_DGRAM)[0]
    return family, ipaddress.ip_address(sockaddr[0].split("%")[0])


def checksum(data: bytes) -> int:
    """RFC 1071 Internet checksum, in network byte order."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


@contextmanager
def _raw_identifier() -> Iterator[int]:
    """Reserve an ICMP identifier no other probe of this process is using."""
    with _raw_ids_lock:
        if len(_raw_ids_in_use) >= 0xFFFF:
            raise RuntimeError("probe_icmp: every ICMP identifier is in use")
        ident = secrets.randbelow(0xFFFF) + 1
        while ident in _raw_ids_in_use:
            ident = ident % 0xFFFF + 1
        _raw_ids_in_use.add(ident)
    try:
        yield ident
    finally:
        with _raw_ids_lock:
            _raw_ids_in_use.discard(ident)


def _open_socket(family: socket.AddressFamily, mode: IcmpMode) -> socket.socket:
    errors = []
    for kind in _SOCKET_KINDS[mode]:
        try:
            return socket.socket(family, kind, _PROTOCOL[family])
        except OSError as exc:
            errors.append(f"{kind.name}: {exc.strerror}")
    raise PermissionError(
        f"probe_icmp: cannot open an ICMP socket ({'; '.join(errors)}); run as root or allow "
        "unprivileged ping with sysctl net.ipv4.ping_group_range"
    )


class _EchoSession:
    """One probe's socket, identifier and token."""

    def __init__(self, sock: socket.socket, family: socket.AddressFamily, address: Address, ident: int) -> None:
        self.sock = sock
        self.family = family
        self.address = address
        self.ident = ident
        self.token = secrets.token_bytes(_TOKEN_BYTES)
        self.raw_ipv4 = sock.type == socket.SOCK_RAW and family == socket.AF_INET
        if _SO_TIMESTAMPNS is not None:
            sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)

    @classmethod
    @contextmanager
    def open(cls, family: socket.AddressFamily, address: Address, mode: IcmpMode) -> Iterator[_EchoSession]:
        with _open_socket(family, mode) as sock:
            if sock.type == socket.SOCK_RAW:
                with _raw_identifier() as ident:
                    attach_echo_reply_filter(sock, ident, _ECHO_REPLY[family], ip_header=family == socket.AF_INET)
                    yield cls(sock, family, address, ident)
            else:
                sock.bind(("0.0.0.0", 0) if family == socket.AF_INET else ("::", 0))
                yield cls(sock, family, address, sock.getsockname()[1])

    def ping(self, count: int, timeout_s: float, interval_s: float) -> tuple[dict[int, float], str | None]:
        """Send the echo requests; return round-trips in ms by sequence number and the last error."""
        sent: dict[int, int] = {}
        rtts: dict[int, float] = {}
        error = None
        start = time.monotonic()
        for seq in range(count):
            self._collect(sent, rtts, timeout_s, until=start + seq * interval_s, stop_when_answered=False)
            try:
                sent[seq] = self._send(seq)
            except OSError as exc:
                error = exc.strerror or str(exc)
        self._collect(sent, rtts, timeout_s, until=time.monotonic() + timeout_s, stop_when_answered=True)
        return rtts, error

    def _send(self, seq: int) -> int:
        payload = self.token + bytes(_PAYLOAD_BYTES - _TOKEN_BYTES)
        kind = _ECHO_REQUEST[self.family]
        check = checksum(_HEADER.pack(kind, 0, 0, self.ident, seq) + payload) if self.family == socket.AF_INET else 0
        sent_at = time.time_ns()
        self.sock.sendto(_HEADER.pack(kind, 0, check, self.ident, seq) + payload, (str(self.address), 0))
        return sent_at

    def _collect(self, sent: dict[int, int], rtts: dict[int, float], timeout_s: float, until: float,
                 stop_when_answered: bool) -> None:
        limit_ns = timeout_s * 1e9
        while (remaining := until - time.monotonic()) > 0:
            if stop_when_answered and len(rtts) == len(sent):
                return
            self.sock.settimeout(remaining)
            try:
                data, ancillary, _, source = self.sock.recvmsg(2048, socket.CMSG_SPACE(_TIMESPEC.size))
            except TimeoutError:
                return
            except OSError:
                continue
            received_at = _kernel_time_ns(ancillary) or time.time_ns()
            seq = self._match(data, source)
            if seq in sent and seq not in rtts and received_at - sent[seq] <= limit_ns:
                rtts[seq] = max(received_at - sent[seq], 0) / 1e6

    def _match(self, data: bytes, source: tuple) -> int | None:
        """Return the sequence number if ``data`` is a reply to this probe, else None."""
        if ipaddress.ip_address(source[0].split("%")[0]) != self.address:
            return None
        if self.raw_ipv4:
            data = data[(data[0] & 0x0F) * 4:] if data else data
        if len(data) < _HEADER.size + _TOKEN_BYTES:
            return None
        kind, _, _, ident, seq = _HEADER.unpack_from(data)
        if kind != _ECHO_REPLY[self.family] or ident != self.ident:
            return None
        if data[_HEADER.size:_HEADER.size + _TOKEN_BYTES] != self.token:
            return None
        return seq


def _kernel_time_ns(ancillary: list[tuple[int, int, bytes]]) -> int | None:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(data) >= _TIMESPEC.size:
            seconds, nanoseconds = _TIMESPEC.unpack_from(data)
            return seconds * 1_000_000_000 + nanoseconds
    return None
