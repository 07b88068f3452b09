"""Security headers on every response (a CSP that covers Dash's own inline scripts by hash, no framing,
nosniff, a same-origin referrer) and request body limits counted on the bytes read, chunked bodies too."""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import re
import threading

import pytest
from test_guard import AUDIT_CALLBACK
from werkzeug.serving import make_server
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Response

from pantau.api_tokens import issue_token
from pantau.db import session_scope


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _assert_headers(response, where: str) -> None:
    csp = _csp(response)
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], where
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"], where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "same-origin", where
    assert response.headers["X-Frame-Options"] == "DENY", where


def test_sec001_every_kind_of_response_carries_the_security_headers(web):
    anonymous, admin = web.client(), web.client("admin")
    responses = {
        "login form": anonymous.get("/login"),
        "page redirect": anonymous.get("/peringatan"),
        "asset": anonymous.get("/assets/10-pantau.css"),
        "health": anonymous.get("/api/v1/health"),
        "api refusal": anonymous.post("/api/v1/events", json=[]),
        "refused callback": anonymous.post("/_dash-update-component", json=AUDIT_CALLBACK),
        "page": admin.get("/peringatan"),
        "layout": admin.get("/_dash-layout"),
        "callback": admin.post("/_dash-update-component", json=AUDIT_CALLBACK),
        "405": admin.get("/logout"),
    }
    for where, response in responses.items():
        assert response.status_code < 500, where
        _assert_headers(response, where)


def test_sec002_every_inline_script_of_dashs_page_is_allowed_by_its_hash_and_nothing_else_inline(web):
    response = web.client("admin").get("/peringatan")
    allowed = set(_csp(response)["script-src"])
    html = re.sub(r"<!--.*?-->", "", response.text, flags=re.S)
    inline = [(attrs, body) for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if "src=" not in attrs]
    executable = [body for attrs, body in inline if "application/json" not in attrs]
    assert len(executable) >= 2, "Dash renders its renderer and the clientside callbacks inline"
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]
    assert "onclick=" not in html.lower() and "javascript:" not in html.lower()


def _agent_token(web) -> str:
    with session_scope(web.engine) as session:
        return issue_token(session, "host-1", "agent", actor="test")


class _Counting(io.RawIOBase):
    """A request body of `size` bytes that counts how many of them the app read."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = b" " * count
        self.read_bytes += count
        return count


def _terminated_post(web, path: str, size: int, bearer: str):
    """A POST as a WSGI server presents a chunked upload: no Content-Length, the stream ends by itself."""
    body = _Counting(size)
    environ = EnvironBuilder(path=path, method="POST", headers={
        "Authorization": f"Bearer {bearer}", "Content-Type": "application/json",
        "Transfer-Encoding": "chunked"}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BufferedReader(body, 8192), "wsgi.input_terminated": True})
    app_iter, status, headers = run_wsgi_app(web.app.server, environ, buffered=True)
    return Response(app_iter, status, headers), body.read_bytes


def test_sec003_a_chunked_50_mb_upload_to_the_agent_endpoint_is_refused_after_its_limit(web):
    limit = web.settings.web.agent_max_bytes
    response, read = _terminated_post(web, "/api/v1/agent/metrics", 50 * 1024 * 1024, _agent_token(web))
    assert response.status_code == 413 and "larger than" in response.json["error"]
    assert read <= limit + 64 * 1024, f"read {read} bytes of a {limit}-byte limit"
    declared = web.client().post("/api/v1/agent/metrics", data=b" " * (limit + 1), content_type="application/json",
                                 headers={"Authorization": f"Bearer {_agent_token_again(web)}"})
    assert declared.status_code == 413


def _agent_token_again(web) -> str:
    with session_scope(web.engine) as session:
        return issue_token(session, "host-2", "agent", actor="test")


def test_sec004_a_chunked_upload_over_a_real_socket_is_refused(web):
    server = make_server("127.0.0.1", 0, web.app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sent = 0
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        connection.putrequest("POST", "/api/v1/agent/metrics")
        connection.putheader("Authorization", f"Bearer {_agent_token(web)}")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("Content-Type", "application/json")
        connection.endheaders()
        chunk = b" " * (256 * 1024)
        try:
            for _ in range(200):  # 50 MB
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = connection.getresponse()
        assert response.status == 413
        assert "larger than" in json.loads(response.read())["error"]
    finally:
        server.shutdown()
        thread.join(5)


def test_sec005_events_api_limits_its_body_and_its_422_echoes_little(web):
    with session_scope(web.engine) as session:
        bearer = issue_token(session, "simak", "events", actor="test")
    headers = {"Authorization": f"Bearer {bearer}"}
    bad = [{"event_id": str(i), "sop": "WS", "case_ref": "x" * 20_000, "step": "tidak-ada",
            "completed_at": "bukan tanggal " + "y" * 10_000} for i in range(40)]
    response = web.client().post("/api/v1/events", json=bad, headers=headers)
    assert response.status_code == 422
    assert len(response.data) < 4000, f"the refusal is {len(response.data)} bytes"
    body = response.json
    assert body["refused"] == 40 and len(body["errors"]) == 5
    assert all(len(error["value"] or "") <= 80 for error in body["errors"])
    huge = web.client().post("/api/v1/events", data=b"[" + b" " * (40 * 1024 * 1024) + b"]",
                             headers={**headers, "Content-Type": "application/json"})
    assert huge.status_code == 413 and len(huge.data) < 500
    chunked, read = _terminated_post(web, "/api/v1/events", 40 * 1024 * 1024, bearer)
    assert chunked.status_code == 413 and read <= web.settings.web.events_max_bytes + 64 * 1024


def test_sec006_callbacks_and_pages_share_the_global_body_limit(web):
    admin = web.client("admin")
    padded = dict(AUDIT_CALLBACK, padding="z" * (web.settings.web.max_body_bytes + 10))
    response = admin.post("/_dash-update-component", json=padded)
    assert response.status_code == 413 and "larger than" in response.json["error"]
    client = web.client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    login = client.post("/login", data={"csrf": token, "username": "u" * (web.settings.web.max_body_bytes + 10)})
    assert login.status_code == 413 and "Traceback" not in login.text


@pytest.mark.parametrize("setting", ["agent_max_bytes", "events_max_bytes", "max_body_bytes"])
def test_sec007_limits_are_settings(engine, tmp_path, setting, monkeypatch):
    from pantau.settings import load_settings

    monkeypatch.setenv(f"PANTAU_WEB__{setting.upper()}", "4096")
    assert getattr(load_settings(data_dir=tmp_path).web, setting) == 4096
