"""The demo campus's servers, live: while `pantau run` runs the demo, small loopback services answer its monitors
and the collector probes them for real, so the server pages go on with fresh results after the seeded history.

Demo mode holds when no ``[[monitors]]`` are configured, the store holds the demo campus (its bills) and every
monitor in the store is one of :data:`app.demo.monitoring.MONITORS` (same name and check). Then
:func:`demo_monitors` gives the collector those monitors as its configuration (each target as in ``MONITORS``,
everything else as the store keeps it: interval, timeout, parent, label, check options, maintenance windows), and
:class:`DemoServices` listens at their targets: one HTTPS server per address answering each http monitor's path
(the payment server's ``/status`` says "OK") with a self-signed certificate expiring when the store's newest
reading of it says (:func:`certificate_expiries`), one TCP listener per tcp target; the icmp targets are loopback
addresses, which the kernel answers. Only loopback addresses (127.0.0.0/8) are bound, and nothing is sent anywhere.
"""

from __future__ import annotations

import ipaddress
import socketserver
import ssl
import tempfile
import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from app.demo.bank import holds_demo
from app.demo.monitoring import MONITORS
from pantau.models import MaintenanceWindow, Monitor, ProbeSample

CERTIFICATE_DAYS = 90
"""The life of a certificate the store has no reading of (the demo's certificates are 90-day ones)."""
CHECK_OPTIONS = ("count", "keyword", "expected_status", "verify_tls", "degraded_latency_ms", "degraded_loss")
"""The check options a monitor's row keeps (`collectors.monitors.sync`) that are ``[[monitors]]`` fields."""


def demo_monitors(connection) -> list[dict]:
    """The store's monitors as ``[[monitors]]`` entries when they are the demo campus's (see the module); else []."""
    specs = {spec.name: spec for spec in MONITORS}
    rows = connection.execute(select(Monitor.__table__).order_by(Monitor.id)).all()
    if not rows or any(row.name not in specs or row.check != specs[row.name].check for row in rows):
        return []
    if not holds_demo(connection):
        return []
    names = {row.id: row.name for row in rows}
    windows: dict[int, list[dict]] = defaultdict(list)
    for window in connection.execute(select(MaintenanceWindow.__table__).order_by(MaintenanceWindow.id)):
        windows[window.monitor_id].append(_window(window))
    entries = []
    for row in rows:
        options = row.options or {}
        entry = {"name": row.name, "role": row.role, "check": row.check, "target": specs[row.name].target,
                 "interval_s": row.interval_s, "timeout_s": row.timeout_s, "down_after": row.down_after,
                 "up_after": row.up_after, "maintenance": windows[row.id]}
        if options.get("label"):
            entry["label"] = options["label"]
        if row.parent_id in names:
            entry["depends_on"] = names[row.parent_id]
        entry.update({key: options[key] for key in CHECK_OPTIONS if key in options})
        if entry["target"].startswith("https:"):
            entry["verify_tls"] = False  # the services' certificates are self-signed
        entries.append(entry)
    return entries


def certificate_expiries(connection) -> dict[str, datetime]:
    """When each monitor's certificate expires, by the store's newest reading of it (checked_at + days left)."""
    newest = (select(ProbeSample.monitor_id, func.max(ProbeSample.checked_at).label("at"))
              .where(ProbeSample.cert_days_left.is_not(None)).group_by(ProbeSample.monitor_id).subquery())
    rows = connection.execute(
        select(Monitor.name, ProbeSample.checked_at, ProbeSample.cert_days_left)
        .join(newest, newest.c.monitor_id == Monitor.id)
        .join(ProbeSample, (ProbeSample.monitor_id == Monitor.id) & (ProbeSample.checked_at == newest.c.at)))
    return {name: _utc(at) + timedelta(days=days) for name, at, days in rows}


def _window(row) -> dict:
    note = {"note": row.note} if row.note else {}
    if row.weekly_rule:
        return {"weekly": row.weekly_rule, **note}
    return {"start": _utc(row.starts_at).isoformat(), "end": _utc(row.ends_at).isoformat(), **note}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class DemoServices:
    """Loopback services answering the demo's http and tcp monitors, each in its own thread until :meth:`stop`;
    an https target's certificate expires at its monitor's entry in `expiries` (else in `CERTIFICATE_DAYS`)."""

    def __init__(self, monitors: list[dict], expiries: dict[str, datetime] | None = None) -> None:
        self.pages: dict[tuple[str, int], dict[str, bytes]] = defaultdict(dict)
        self.expiry: dict[tuple[str, int], datetime] = {}
        self.ports: list[tuple[str, int]] = []
        for monitor in monitors:
            if monitor["check"] == "http":
                parts = urlsplit(monitor["target"])
                answer = monitor.get("keyword") or monitor.get("label") or monitor["name"]
                address = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
                self.pages[address][parts.path or "/"] = f"{answer}\n".encode()
                if parts.scheme == "https":
                    self.expiry[address] = (expiries or {}).get(monitor["name"]) or datetime.now(UTC) + timedelta(
                        days=CERTIFICATE_DAYS)
            elif monitor["check"] == "tcp":
                host, _, port = monitor["target"].rpartition(":")
                self.ports.append((host, int(port)))
        self.servers: list[socketserver.BaseServer] = []
        self.listening: list[str] = []
        """The addresses listened at (host:port), once started."""
        self.problems: list[str] = []
        """What could not be listened at, and why."""

    def start(self) -> DemoServices:
        """Listen at every target that can be; what cannot is said in :attr:`problems` (its monitor then fails)."""
        for address, pages in self.pages.items():
            self._serve(address, ThreadingHTTPServer, _page_handler(pages), self.expiry.get(address))
        for address in self.ports:
            self._serve(address, socketserver.ThreadingTCPServer, _Hangup)
        return self

    def _serve(self, address: tuple[str, int], kind, handler, expires: datetime | None = None) -> None:
        where = f"{address[0]}:{address[1]}"
        if not ipaddress.ip_address(address[0]).is_loopback:
            self.problems.append(f"{where}: not a loopback address, not listened at")
            return
        try:
            server = _server(kind, address, handler)
            if expires is not None:
                server.socket = _tls(address[0], expires).wrap_socket(server.socket, server_side=True,
                                                                      do_handshake_on_connect=False)
        except OSError as error:
            self.problems.append(f"{where}: {error.strerror or error}")
            return
        threading.Thread(target=server.serve_forever, name=f"demo-live {where}", daemon=True).start()
        self.servers.append(server)
        self.listening.append(where)

    def stop(self) -> None:
        """Stop every service, side by side (each takes up to its poll interval to notice)."""
        stopping = [threading.Thread(target=server.shutdown) for server in self.servers]
        for thread in stopping:
            thread.start()
        for thread, server in zip(stopping, self.servers, strict=True):
            thread.join()
            server.server_close()
        self.servers.clear()

    def __enter__(self) -> DemoServices:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def _server(kind, address: tuple[str, int], handler) -> socketserver.BaseServer:
    quiet = {"allow_reuse_address": True, "daemon_threads": True, "handle_error": lambda *_: None}
    return type(kind.__name__, (kind,), quiet)(address, handler)


def _tls(host: str, expires: datetime) -> ssl.SSLContext:
    """A server context with a new self-signed certificate for `host` valid until `expires`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(datetime.now(UTC), expires) - timedelta(days=CERTIFICATE_DAYS))
        .not_valid_after(expires)
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory(prefix="pantau-demo-tls-") as folder:
        chain = Path(folder) / "chain.pem"
        chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        context.load_cert_chain(chain)
    return context


class _Hangup(socketserver.BaseRequestHandler):
    """Accept the connection and close it, as a tcp check needs nothing more."""

    def handle(self) -> None:
        pass


def _page_handler(pages: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            body = pages.get(urlsplit(self.path).path)
            self.send_response(200 if body is not None else 404)
            body = body if body is not None else b"not found\n"
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    return Pages
