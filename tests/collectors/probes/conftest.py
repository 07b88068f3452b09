"""Fixtures for the probe tests: loopback servers and test hosts in network namespaces."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[3]
RESPONDER = Path(__file__).with_name("icmp_responder.py")


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A loopback TCP port that accepts connections."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback TCP port nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


@pytest.fixture
def unanswering_port() -> Iterator[int]:
    """A loopback TCP port whose accept queue is full, so new connection attempts hang.

    Linux drops a SYN when the listener's accept queue is full; with a backlog of 0 one
    pending connection fills it.
    """
    with socket.create_server(("127.0.0.1", 0), backlog=0) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            yield port


class _Handler(BaseHTTPRequestHandler):
    pages = {
        "/ok": (200, "Layanan pembayaran: sehat"),
        "/error": (500, "Layanan pembayaran: gangguan"),
        "/moved": (302, ""),
    }

    def do_GET(self) -> None:
        if self.path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"partial")
            self.wfile.flush()
            self.server.release.wait(30)
            return
        status, text = self.pages.get(self.path, (404, "tidak ada"))
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.release = threading.Event()
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if context else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def http_base() -> Iterator[str]:
    """Base URL of a loopback HTTP server with pages /ok, /error, /moved and /stall."""
    with _serve() as url:
        yield url


@dataclass(frozen=True)
class TlsServer:
    url: str
    cert_valid_days: int


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[TlsServer]:
    """The same server over TLS with a self-signed certificate valid for 30 more days."""
    valid_days = 30
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    with _serve(context) as url:
        yield TlsServer(url, valid_days)


@dataclass(frozen=True)
class NsHost:
    """A test host: a network namespace joined to this one by a veth pair."""

    namespace: str
    outer: str
    inner: str
    address: str
    gateway: str


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class TestNetwork:
    """Test hosts in 10.213.x.0/30 subnets that exist only between this machine and those namespaces."""

    __test__ = False

    def __init__(self) -> None:
        self.hosts: list[NsHost] = []
        self._processes: list[subprocess.Popen] = []
        self._tag = f"{os.getpid() % 10_000_000}"

    def add_host(self) -> NsHost:
        """Create a host answering pings from its kernel."""
        index = len(self.hosts)
        subnet = self._free_subnet()
        host = NsHost(
            namespace=f"pantau-probe-{self._tag}-{index}",
            outer=f"pp{self._tag}o{index}",
            inner=f"pp{self._tag}i{index}",
            address=str(subnet[2]),
            gateway=str(subnet[1]),
        )
        self.hosts.append(host)
        _ip("netns", "add", host.namespace)
        _ip("link", "add", host.outer, "type", "veth", "peer", "name", host.inner, "netns", host.namespace)
        _ip("addr", "add", f"{host.gateway}/30", "dev", host.outer)
        _ip("link", "set", host.outer, "up")
        _ip("-n", host.namespace, "addr", "add", f"{host.address}/30", "dev", host.inner)
        _ip("-n", host.namespace, "link", "set", host.inner, "up")
        _ip("-n", host.namespace, "link", "set", "lo", "up")
        return host

    def sysctl(self, host: NsHost, setting: str) -> None:
        """Apply a sysctl ``key=value`` inside the host's namespace."""
        _ip("netns", "exec", host.namespace, "sysctl", "-qw", setting)

    def silence(self, host: NsHost) -> None:
        """Stop the host's kernel from answering pings (a blackhole)."""
        self.sysctl(host, "net.ipv4.icmp_echo_ignore_all=1")

    def start_responder(self, host: NsHost, delay_ms: float = 0, tamper: bool = False) -> None:
        """Answer the host's pings from icmp_responder.py instead of its kernel."""
        self.silence(host)
        options = ["--delay-ms", str(delay_ms)] + (["--tamper"] if tamper else [])
        process = self.run_in(host, sys.executable, str(RESPONDER), *options, stdout=subprocess.PIPE, text=True)
        self._processes.append(process)
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"ICMP responder in {host.namespace} did not start")

    def set_link(self, host: NsHost, up: bool) -> None:
        """Bring the host's own network interface down or up."""
        _ip("-n", host.namespace, "link", "set", host.inner, "up" if up else "down")

    def run_in(self, host: NsHost, *command: str, **kwargs) -> subprocess.Popen:
        """Start a command inside the host's namespace, from the repository root."""
        return subprocess.Popen(["ip", "netns", "exec", host.namespace, *command], cwd=ROOT, **kwargs)

    def remove_all(self) -> None:
        for process in self._processes:
            process.kill()
            process.wait()
        for host in self.hosts:
            subprocess.run(["ip", "netns", "del", host.namespace], capture_output=True)
            subprocess.run(["ip", "link", "del", host.outer], capture_output=True)

    def _free_subnet(self) -> ipaddress.IPv4Network:
        used = {
            ipaddress.ip_address(address.address)
            for addresses in psutil.net_if_addrs().values()
            for address in addresses
            if address.family == socket.AF_INET
        }
        start = int(self._tag) % 64 * 4
        for offset in range(256):
            subnet = ipaddress.ip_network(f"10.213.{(start + offset) % 256}.0/30")
            if not any(address in subnet for address in used):
                return subnet
        raise RuntimeError("no free 10.213.x.0/30 subnet for a test host")


@pytest.fixture
def test_network() -> Iterator[TestNetwork]:
    """Test hosts in network namespaces, all removed afterwards (even on failure)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create network namespaces")
    if shutil.which("ip") is None:
        pytest.skip("needs iproute2 (ip) to create network namespaces")
    network = TestNetwork()
    try:
        yield network
    finally:
        network.remove_all()
