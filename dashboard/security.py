"""What every response and request passes through: security headers, request body limits, trusted proxies.

Headers come from flask-talisman: a Content-Security-Policy that allows scripts only from this site plus
Dash's own inline scripts by their hashes (`Dash.csp_hashes`), no framing, `nosniff`, a same-origin
referrer. Styles may be inline (Plotly and the data tables set them at run time). Body limits are counted on
the bytes read from the WSGI input (a chunked upload too), by `BodyLimit`: the settings' `max_body_bytes`
everywhere, smaller ones for the agent and events API; over it, 413.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

import dash
import flask
from dash import _callback
from flask_talisman import Talisman
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from pantau.settings import WebSettings

AGENT_PATH = "/api/v1/agent/metrics"
EVENTS_PATH = "/api/v1/events"


class DashPolicy(Mapping):
    """The Content-Security-Policy, read by Talisman for each response. Its `script-src` names the hashes of
    the inline scripts Dash renders at that moment: Dash gathers some of them (clientside callbacks of pages
    and hooks) only when it first serves a page, after the app is built, so they cannot be fixed at start."""

    def __init__(self, app: dash.Dash):
        self.app = app
        self._hashes: tuple[int, list[str]] = (-1, [])

    def _policy(self) -> dict:
        return content_security_policy(self._script_hashes())

    def _script_hashes(self) -> list[str]:
        count = len(self.app._inline_scripts) + len(_callback.GLOBAL_INLINE_SCRIPTS)
        if self._hashes[0] != count:
            hashes = self.app.csp_hashes()
            self._hashes = (len(self.app._inline_scripts), hashes)
        return self._hashes[1]

    def __getitem__(self, key):
        return self._policy()[key]

    def __iter__(self):
        return iter(self._policy())

    def __len__(self) -> int:
        return len(self._policy())


def content_security_policy(script_hashes: list[str]) -> dict:
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def install(app: dash.Dash, web: WebSettings) -> None:
    """Headers on every response, body limits on every request, and the trusted-proxy rule."""
    server = app.server
    talisman = Talisman(
        server,
        force_https=False,
        frame_options="DENY",
        content_security_policy=content_security_policy(app.csp_hashes()),
        referrer_policy="same-origin",
        session_cookie_secure=web.secure_cookie,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )
    talisman.content_security_policy = DashPolicy(app)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.wsgi_app = BodyLimit(server.wsgi_app, web.max_body_bytes,
                                {AGENT_PATH: web.agent_max_bytes, EVENTS_PATH: web.events_max_bytes})
    if web.trusted_proxies:
        server.wsgi_app = TrustedProxyFix(server.wsgi_app, web.trusted_proxies, web.proxy_hops)


def _too_large(error: RequestEntityTooLarge):
    message = error.description if "bytes" in (error.description or "") else "request body too large"
    if flask.request.path.startswith(("/api/", "/_dash")):
        return flask.jsonify(error=message), 413
    return flask.Response(message, 413, mimetype="text/plain")


class CappedInput:
    """A request body stream that raises 413 as soon as more than `limit` bytes have come through it.

    werkzeug's own `max_content_length` stream stops a chunked body at the limit and hands the first `limit`
    bytes on as if they were all (a 50 MB upload read as its first 64 KiB): this one refuses it instead."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.count = stream, limit, 0

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.limit:
            raise RequestEntityTooLarge(f"request body larger than {self.limit} bytes")
        return data

    def _room(self, size: int | None) -> int:
        room = self.limit + 1 - self.count
        return room if size is None or size < 0 else min(size, room)

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._counted(self.stream.read(self._room(size)))
        parts = []
        while data := self._counted(self.stream.read(min(self._room(None), 64 * 1024))):
            parts.append(data)
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        return self._counted(self.stream.readline(self._room(size)))

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")


class BodyLimit:
    """WSGI middleware: no route reads more than its limit of a body, whatever the headers claim (a
    declared `Content-Length` and a chunked body alike). `limits` maps a path to its own limit."""

    def __init__(self, app, limit: int, limits: dict[str, int] | None = None):
        self.app, self.limit, self.limits = app, limit, limits or {}

    def __call__(self, environ, start_response):
        limit = min(self.limits.get(environ.get("PATH_INFO", ""), self.limit), self.limit)
        environ["wsgi.input"] = CappedInput(environ["wsgi.input"], limit)
        return self.app(environ, start_response)


class TrustedProxyFix:
    """werkzeug's ProxyFix for requests from a trusted proxy only: anyone else's `X-Forwarded-*` is ignored."""

    def __init__(self, app, trusted: list[str], hops: int):
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)
        self.networks = [ipaddress.ip_network(item, strict=False) for item in trusted]

    def __call__(self, environ, start_response):
        return (self.fixed if self.trusted(environ.get("REMOTE_ADDR")) else self.app)(environ, start_response)

    def trusted(self, address: str | None) -> bool:
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(peer in network for network in self.networks)
