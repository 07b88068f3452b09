"""HTTP(S) probing: status code, an expected keyword, and the TLS certificate's days left."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Container
from datetime import datetime
from urllib.parse import urlsplit

from cryptography import x509

from collectors.probes.result import ProbeResult, utc_now

DEFAULT_STATUS = range(200, 400)
USER_AGENT = "Pantau-probe/1"


def probe_http(
    url: str,
    timeout_s: float = 10.0,
    expect_keyword: str | None = None,
    expect_status: Container[int] = DEFAULT_STATUS,
    verify_tls: bool = True,
    *,
    max_body_bytes: int = 1 << 20,
) -> ProbeResult:
    """GET ``url`` once and judge the answer.

    The probe is ok when the status code is in ``expect_status`` (redirects are not followed,
    so 3xx counts by default) and, if given, ``expect_keyword`` occurs (case-sensitive) in the
    first ``max_body_bytes`` of the body. ``latency_ms`` covers connect, TLS handshake, request
    and body; the whole exchange must finish within ``timeout_s``. For https the peer
    certificate's days until notAfter are reported in ``cert_days_left`` even when
    ``verify_tls`` is off (as for a self-signed certificate), and when verification rejects the
    certificate (read then from a second, unverified handshake; negative once it has expired).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"probe_http: {url!r} is not an http:// or https:// URL")
    if timeout_s <= 0:
        raise ValueError(f"probe_http: timeout_s must be > 0, got {timeout_s!r}")
    checked_at = utc_now()
    deadline = time.monotonic() + timeout_s
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    if https:
        connection = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout_s,
                                                 context=_tls_context(verify_tls))
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout_s)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    cert_days_left = None
    try:
        connection.connect()
        sock = connection.sock
        if https:
            cert_days_left = _days_left(sock.getpeercert(binary_form=True), checked_at)
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Connection": "close"})
        sock.settimeout(_remaining(deadline))
        response = connection.getresponse()
        body = _read_body(response, sock, deadline, max_body_bytes)
    except ssl.SSLCertVerificationError as exc:
        return ProbeResult.failure(f"{url}: TLS certificate rejected: {exc.verify_message}", checked_at,
                                   cert_days_left=_unverified_days_left(parts.hostname, port, deadline, checked_at))
    except TimeoutError:
        return ProbeResult.failure(f"{url}: timed out after {timeout_s:g} s", checked_at, cert_days_left=cert_days_left)
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return ProbeResult.failure(f"{url}: {reason}", checked_at, cert_days_left=cert_days_left)
    finally:
        connection.close()
    latency_ms = (time.perf_counter() - started) * 1000
    status = f"HTTP {response.status} {response.reason}".rstrip()
    ok, message = response.status in expect_status, status
    if not ok:
        message = f"{status}, not an expected status"
    elif expect_keyword is not None:
        text = body.decode(response.headers.get_content_charset() or "utf-8", errors="replace")
        ok = expect_keyword in text
        message = f"{status}, keyword {expect_keyword!r} {'found' if ok else 'not found'}"
    return ProbeResult.single(
        ok, message, latency_ms, checked_at, status_code=response.status, cert_days_left=cert_days_left,
    )


def _tls_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _days_left(der: bytes | None, now: datetime) -> float | None:
    if not der:
        return None
    not_after = x509.load_der_x509_certificate(der).not_valid_after_utc
    return (not_after - now).total_seconds() / 86400


def _unverified_days_left(host: str, port: int, deadline: float, now: datetime) -> float | None:
    """Days left on the certificate the server presents, read without verifying it: a certificate that failed
    verification (expired, say) still has an expiry the IT head must hear about. None if it cannot be read
    before ``deadline``."""
    try:
        with socket.create_connection((host, port), timeout=_remaining(deadline)) as raw:
            raw.settimeout(_remaining(deadline))
            with _tls_context(False).wrap_socket(raw, server_hostname=host) as tls:
                return _days_left(tls.getpeercert(binary_form=True), now)
    except (OSError, ValueError):
        return None


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining


def _read_body(response: http.client.HTTPResponse, sock: socket.socket, deadline: float, limit: int) -> bytes:
    """Read up to ``limit`` bytes of the body, giving up at ``deadline``."""
    chunks, size = [], 0
    while size < limit:
        sock.settimeout(_remaining(deadline))
        chunk = response.read1(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
