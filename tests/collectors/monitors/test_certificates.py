"""Certificate alerts against a real loopback HTTPS server whose certificates the test makes: an alert at
`cert_alert_days` (warning), escalated at 7 days and at 1 day (critical), critical once expired, cleared when
the certificate is renewed; also from the stored readings alone (as the demo has them)."""

from __future__ import annotations

import ipaddress
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from collectors.monitors import MonitorsCollector
from collectors.monitors.alerts import certificate_stage
from collectors.monitors.certificates import certificate_alerts
from collectors.monitors.rollups import record_samples
from pantau.alerts import acknowledge, compose
from pantau.db import session_scope
from pantau.models import Alert, AlertDelivery, Monitor

NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pantau test CA")])


class Issuer:
    """A test CA that writes server certificates for 127.0.0.1 valid until a given instant."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        self.cert = (
            x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=400))
            .not_valid_after(now + timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.ca_file = folder / "ca.pem"
        self.ca_file.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def context(self, days_left: float) -> ssl.SSLContext:
        """A server context presenting a certificate that expires `days_left` days from now."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(NAME).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=100)).not_valid_after(now + timedelta(days=days_left))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(self.key, hashes.SHA256())
        )
        cert_path, key_path = self.folder / "server.pem", self.folder / "server-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        return context


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"Layanan pembayaran: sehat"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class RenewableServer(ThreadingHTTPServer):
    """A loopback HTTPS server; `present(days_left)` swaps the certificate new connections see."""

    daemon_threads = True

    def __init__(self, issuer: Issuer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.issuer = issuer
        self.tls = issuer.context(400)

    def present(self, days_left: float) -> None:
        self.tls = self.issuer.context(days_left)

    def get_request(self):
        sock, address = self.socket.accept()
        return self.tls.wrap_socket(sock, server_side=True), address

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}/"


@pytest.fixture
def issuer(tmp_path) -> Issuer:
    return Issuer(tmp_path)


@pytest.fixture
def renewable(issuer) -> Iterator[RenewableServer]:
    server = RenewableServer(issuer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def monitor(url: str, **fields) -> dict:
    return {"name": "payment-server", "role": "payment-server", "check": "http", "target": url, "interval_s": 60,
            "timeout_s": 5.0, "down_after": 3, "up_after": 1, **fields}


def alerts(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(Alert.id, Alert.state, Alert.severity, Alert.level, Alert.title, Alert.body)
            .where(Alert.dedup_key == "monitor:payment-server:certificate").order_by(Alert.id))]


def deliveries(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(AlertDelivery.event).order_by(AlertDelivery.id)).scalars())


@pytest.mark.parametrize(("days", "limit", "stage"), [
    (15, 14, 0), (14, 14, 1), (10, 14, 1), (7.01, 14, 1), (7, 14, 2), (1.01, 14, 2), (1, 14, 3), (0.2, 14, 3),
    (0, 14, 4), (-3, 14, 4), (6, 5, 0), (5, 5, 2), (0.5, 0, 0), (-0.1, 0, 4),
])
def test_cert001_stages_at_the_limit_7_days_1_day_and_expiry(days, limit, stage):
    assert certificate_stage(days, limit) == stage


def test_cert002_warned_at_the_limit_escalated_at_7_and_1_days_critical_expired_then_cleared(
        engine, make_settings, renewable):
    collector = MonitorsCollector(make_settings(engine, [monitor(renewable.url, verify_tls=False)]), engine)
    seen = []
    for days_left in (20, 10, 5, 0.5, -2, 90):
        renewable.present(days_left)
        collector.check()
        seen.append(alerts(engine))
        if days_left == 10:
            with session_scope(engine) as session:
                acknowledge(session, seen[-1][0][0], user="kepala.it")

    assert seen[0] == []
    [(alert_id, *_)] = seen[1]
    states = [rows[0][1:4] for rows in seen[1:]]
    assert states == [("open", "warning", 1), ("open", "warning", 2), ("open", "critical", 3), ("open", "critical", 4),
                      ("resolved", "critical", 4)]
    assert all(len(rows) == 1 and rows[0][0] == alert_id for rows in seen[1:]), "one alert, escalated in place"
    titles = [rows[0][4] for rows in seen[1:5]]
    assert titles == ["TLS certificate of payment-server expires soon",
                      "TLS certificate of payment-server expires within 7 days",
                      "TLS certificate of payment-server expires within a day",
                      "TLS certificate of payment-server has expired"]
    assert seen[1][0][5].startswith(("10.0 days left, until ", "9.9 days left, until "))
    assert seen[4][0][5].startswith("Expired ") and seen[4][0][5].endswith((", 2.0 days ago.", ", 1.9 days ago."))
    assert deliveries(engine) == ["opened", "escalated", "escalated", "escalated", "resolved"]
    with session_scope(engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert.resolved_by == "system" and alert.resolution_note.startswith("Certificate renewed: 9")
        alert.state, alert.severity = "open", "warning"
        alert.title = "TLS certificate of payment-server expires within 7 days"
        message = compose(alert, "escalated", language="en")
        session.rollback()
    assert message.title == "[WARNING] Escalated: TLS certificate of payment-server expires within 7 days"


def test_cert003_a_verified_monitor_still_hears_that_its_certificate_expired(engine, make_settings, renewable,
                                                                              issuer, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(issuer.ca_file))
    collector = MonitorsCollector(make_settings(engine, [monitor(renewable.url, verify_tls=True)]), engine)
    renewable.present(30)
    verified = collector.check().checked[0].result
    renewable.present(-1)
    rejected = collector.check().checked[0].result

    assert verified.ok and verified.cert_days_left == pytest.approx(30, abs=0.01)
    assert not rejected.ok and "TLS certificate rejected: certificate has expired" in rejected.message
    assert rejected.cert_days_left == pytest.approx(-1, abs=0.01)
    [(_, state, severity, level, title, _)] = alerts(engine)
    assert (state, severity, level, title) == ("open", "critical", 4, "TLS certificate of payment-server has expired")


def test_cert004_stored_readings_alert_as_their_certificates_age(store):
    read_at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    with session_scope(store) as session:
        portal = Monitor(name="pmb-portal", role="other", check="http", target="https://pmb.kampus.ac.id/")
        session.add(portal)
        session.flush()
        record_samples(session, [{
            "monitor_id": portal.id, "checked_at": read_at, "ok": True, "in_maintenance": False,
            "latency_ms": 160.0, "latency_min_ms": 160.0, "latency_max_ms": 160.0, "loss": 0.0, "jitter_ms": None,
            "status_code": 200, "cert_days_left": 9.5, "message": "HTTP 200 OK"}])
    run = dict(limit_days=14, lang="id", zone="Asia/Jakarta")

    first = certificate_alerts(store, now=read_at + timedelta(hours=1), **run)
    with store.connect() as connection:
        opened = connection.execute(select(Alert.severity, Alert.level, Alert.title, Alert.body)).one()
    later = certificate_alerts(store, now=read_at + timedelta(days=3), **run)
    with session_scope(store) as session:
        session.scalars(select(Monitor)).one().enabled = False
    gone = certificate_alerts(store, now=read_at + timedelta(days=3, hours=1), **run)
    with store.connect() as connection:
        closed = connection.execute(select(Alert.state, Alert.level, Alert.severity, Alert.resolution_note)).one()

    assert (first, later, gone) == ({"pmb-portal": 1}, {"pmb-portal": 2}, {})
    assert opened[:3] == ("warning", 1, "Sertifikat TLS pmb-portal segera kedaluwarsa")
    assert opened[3] == "Sisa 9,5 hari, sampai 10 Des 2026 22.00 WIB."
    assert closed == ("resolved", 2, "warning", "Monitor ini tidak lagi membaca sertifikat.")
