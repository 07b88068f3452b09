"""Sessions end when they should (log-out, password change, disabling, "log out everywhere", idle time) for
every copy of the cookie; log-in throttles per (user, address), costs the same for unknown names, believes
X-Forwarded-For only from trusted proxies, and refuses over-long names without touching the store."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from demo_web import PASSWORD
from demo_web import DemoWeb as Web
from sqlalchemy import select
from test_guard import AUDIT_CALLBACK, callback_payload
from typer.testing import CliRunner

from pantau import accounts
from pantau.db import session_scope
from pantau.models import AuditEntry, User
from pantau.security import hash_password
from pantau.settings import ROLES, Settings

PAGE = "/peringatan"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def _web(engine, tmp_path, **web) -> Web:
    from dashboard import create_app

    settings = Settings(data_dir=tmp_path, database_url=str(engine.url), web=web)
    with session_scope(engine) as session:
        if session.scalar(select(User.id).limit(1)) is None:
            for role in ROLES:
                session.add(User(username=f"user.{role}", role=role, password_hash=_password_hash(),
                                 unit="UPT TIK" if role == "operator" else None))
    return Web(create_app(settings, engine), settings, engine)


def _login(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1", headers=None):
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"},
                       environ_base=environ, headers=headers or {})


def _logged_in(web: Web, role: str):
    client = web.app.server.test_client()
    assert _login(client, f"user.{role}").status_code == 302
    return client


def _copy(client, web: Web):
    """A second browser holding a copy of `client`'s session cookie (a stolen or copied cookie)."""
    thief = web.app.server.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _component(tree, component_id: str) -> dict | None:
    """The props of the component with this id in a Dash layout's JSON."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if isinstance(props, dict) and props.get("id") == component_id:
            return props
        return next((found for value in tree.values() if (found := _component(value, component_id))), None)
    if isinstance(tree, list):
        return next((found for value in tree if (found := _component(value, component_id))), None)
    return None


def _csrf(client) -> str:
    return _component(client.get("/_dash-layout").json, "shell-logout-csrf")["value"]


def _logout(client):
    return client.post("/logout", data={"csrf": _csrf(client)})


def _actions(engine) -> list[tuple[str, str | None, str | None]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(AuditEntry.action, AuditEntry.target, AuditEntry.ip).order_by(AuditEntry.id))]


def _works(client) -> bool:
    page = client.get(PAGE)
    callback = client.post("/_dash-update-component", json=AUDIT_CALLBACK)
    assert (page.status_code == 200) == (callback.status_code != 401), (page.status_code, callback.status_code)
    return page.status_code == 200


def test_sess001_a_cookie_copied_before_logout_is_refused_after(web):
    client = web.client("kepala_it")
    copy = _copy(client, web)
    assert _works(client) and _works(copy)
    response = _logout(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not _works(copy), "the copied cookie must die with the log-out"
    assert not _works(client)
    assert client.get(PAGE).headers["Location"].startswith("/login")
    assert _actions(web.engine)[-1][:2] == ("logout", "user.kepala_it")
    assert _works(web.client("kepala_it")), "logging in again works"


def test_sess002_only_a_post_with_the_form_token_logs_out(web):
    client = web.client("direktur")
    response = client.get("/logout")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert _works(client), "neither a GET nor a forged post ended the session"
    assert "logout" not in [action for action, _, _ in _actions(web.engine)]


def test_sess003_the_shell_logs_out_with_a_form_post_carrying_the_token(web):
    client = web.client("direktur")
    layout = client.get("/_dash-layout").json
    form = _component(layout, "shell-logout-form")
    assert form["action"] == "/logout" and form["method"] == "post"
    hidden = _component(layout, "shell-logout-csrf")
    assert hidden["type"] == "hidden" and hidden["name"] == "csrf" and len(hidden["value"]) > 20
    assert client.post("/logout", data={"csrf": _csrf(client)}).status_code == 302


def test_sess004_password_change_and_disabling_end_every_session(web):
    for change in (lambda s: accounts.set_password(s, "user.bendahara", "baru-sekali-99", actor="test"),
                   lambda s: accounts.set_active(s, "user.bendahara", False, actor="user.admin")):
        with session_scope(web.engine) as session:
            session.scalars(select(User).where(User.username == "user.bendahara")).one().active = True
            session.scalars(select(User).where(User.username == "user.bendahara")).one().password_hash = \
                _password_hash()
        client = web.client("bendahara")
        copy = _copy(client, web)
        with session_scope(web.engine) as session:
            change(session)
        assert not _works(client) and not _works(copy)


def test_sess005_admin_logs_a_user_out_everywhere_from_the_users_page(web):
    victim = web.client("operator")
    other_device = web.client("operator")
    bystander = web.client("bendahara")
    admin = web.client("admin")
    rows = [{"username": "user.operator", "status": "Aktif"}]
    payload = {
        "outputs": [{"id": "admin-feedback", "property": "children"},
                    {"id": "admin-users-body", "property": "children"},
                    {"id": "admin-audit-body", "property": "children"}],
        "inputs": [{"id": "admin-add", "property": "n_clicks", "value": None},
                   {"id": "admin-toggle", "property": "n_clicks", "value": None},
                   {"id": "admin-logout-everywhere", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["admin-logout-everywhere.n_clicks"],
        "state": [{"id": "admin-name", "property": "value", "value": None},
                  {"id": "admin-full-name", "property": "value", "value": None},
                  {"id": "admin-role", "property": "value", "value": "operator"},
                  {"id": "admin-unit", "property": "value", "value": None},
                  {"id": "admin-users", "property": "data", "value": rows},
                  {"id": "admin-users", "property": "selected_rows", "value": [0]},
                  {"id": "admin-audit-filter", "property": "value", "value": "all"}],
    }
    dependencies = admin.get("/_dash-dependencies").json
    wanted = next(d["output"] for d in dependencies if "admin-feedback.children" in d["output"])
    payload["output"] = wanted
    response = admin.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.text
    assert "user.operator" in response.text
    assert not _works(victim) and not _works(other_device)
    assert _works(bystander) and _works(admin)
    assert ("user.logout_everywhere", "user.operator") in [a[:2] for a in _actions(web.engine)]
    forbidden = web.client("direktur").post("/_dash-update-component", json=payload)
    assert forbidden.status_code == 403


def test_sess006_the_cli_logs_a_user_out_everywhere(web, monkeypatch):
    from app.cli import app as cli

    client = web.client("kepala_it")
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.setenv("PANTAU_DATABASE_URL", str(web.engine.url))
    monkeypatch.setenv("PANTAU_DATA_DIR", str(web.settings.data_dir))
    result = CliRunner().invoke(cli, ["users", "logout", "user.kepala_it"])
    assert result.exit_code == 0, result.output
    assert not _works(client)
    missing = CliRunner().invoke(cli, ["users", "logout", "nobody"])
    assert missing.exit_code != 0 and "nobody" in missing.output and "Traceback" not in missing.output
    assert ("user.logout_everywhere", "user.kepala_it") in [a[:2] for a in _actions(web.engine)]


def test_sess007_an_idle_session_ends_and_timer_refreshes_do_not_keep_it_alive(engine, tmp_path, monkeypatch):
    import dashboard.auth as auth

    web = _web(engine, tmp_path, session_idle_minutes=30)
    clock = [1_000_000.0]
    monkeypatch.setattr(auth.time, "time", lambda: clock[0])
    client = _logged_in(web, "kepala_it")
    clock[0] += 20 * 60
    assert _works(client), "20 minutes idle is within 30"
    clock[0] += 20 * 60
    assert _works(client), "the last request restarted the idle clock"
    tick = callback_payload("shell-freshness", "children",
                            [{"id": "shell-tick", "property": "n_intervals", "value": 7}])
    tick["outputs"] = [{"id": "shell-freshness", "property": "children"},
                       {"id": "shell-banner", "property": "children"}]
    tick["output"] = "..shell-freshness.children...shell-banner.children.."
    for minutes in (10, 10, 5):
        clock[0] += minutes * 60
        assert client.post("/_dash-update-component", json=tick).status_code == 200
    clock[0] += 10 * 60
    assert not _works(client), "35 minutes of timer ticks only is idle"


def test_sess008_the_unknown_user_path_verifies_against_a_dummy_hash(store, monkeypatch):
    calls = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda stored, pw: calls.append(stored) or real(stored, pw))
    with session_scope(store) as session:
        accounts.create_user(session, "rina", "bendahara", password="rahasia-123")
    with session_scope(store) as session:
        assert accounts.authenticate(session, "tidak.ada", "rahasia-123", ip="10.0.0.1").user is None
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")
    with session_scope(store) as session:
        accounts.set_active(session, "rina", False, actor="admin")
    with session_scope(store) as session:
        assert accounts.authenticate(session, "rina", "rahasia-123", ip="10.0.0.1").user is None
    assert len(calls) == 2 and calls[1] == calls[0], "a disabled user costs the same dummy check"


def test_sess009_throttle_is_per_user_and_address_with_a_softer_per_address_cap(engine, tmp_path):
    web = _web(engine, tmp_path, login_max_failures=3, login_address_max_failures=5)
    client = web.app.server.test_client()
    for _ in range(3):
        assert _login(client, "user.direktur", "salah-sekali", "10.1.1.1").status_code == 401
    locked = _login(client, "user.direktur", PASSWORD, "10.1.1.1")
    assert locked.status_code == 429
    assert 800 < int(locked.headers["Retry-After"]) <= 900
    assert "Coba lagi dalam 15 menit" in locked.text
    assert _login(web.app.server.test_client(), "user.direktur", PASSWORD, "10.2.2.2").status_code == 302, \
        "the same user from another address is not locked out"
    assert _login(web.app.server.test_client(), "user.admin", PASSWORD, "10.1.1.1").status_code == 302, \
        "another user behind the same address is not locked out"
    for name in ("user.bendahara", "user.operator"):
        assert _login(client, name, "salah-sekali", "10.1.1.1").status_code == 401
    capped = _login(web.app.server.test_client(), "user.kepala_it", PASSWORD, "10.1.1.1")
    assert capped.status_code == 429, "five failures from one address, any names, lock the address"
    lockouts = [(a, t, ip) for a, t, ip in _actions(web.engine) if a == "login.lockout"]
    assert lockouts == [("login.lockout", "user.direktur", "10.1.1.1"), ("login.lockout", "user.operator", "10.1.1.1")]
    english = web.app.server.test_client()
    english.set_cookie("pantau_lang", "en")
    assert "Try again in 15 minutes" in _login(english, "user.direktur", PASSWORD, "10.1.1.1").text


def test_sess010_x_forwarded_for_is_believed_only_from_a_trusted_proxy(engine, tmp_path):
    spoof = {"X-Forwarded-For": "10.66.66.66"}
    plain = _web(engine, tmp_path)
    _login(plain.app.server.test_client(), "user.admin", "salah", "10.0.0.7", spoof)
    proxied = _web(engine, tmp_path, trusted_proxies=["127.0.0.1", "192.168.10.0/24"])
    _login(proxied.app.server.test_client(), "user.admin", "salah", "10.0.0.8", spoof)
    _login(proxied.app.server.test_client(), "user.admin", "salah", "192.168.10.3", spoof)
    failed = [ip for action, _, ip in _actions(engine) if action == "login.failed"]
    assert failed == ["10.0.0.7", "10.0.0.8", "10.66.66.66"]


@pytest.mark.parametrize("name, password", [("x" * 65, PASSWORD), ("user.admin", "p" * 5000), ("", PASSWORD)])
def test_sess011_overlong_names_and_passwords_are_refused_and_audited(store, tmp_path, name, password):
    web = _web(store, tmp_path)
    response = _login(web.app.server.test_client(), name, password, "10.0.0.9")
    assert response.status_code == 401 and "Traceback" not in response.text
    action, target, ip = _actions(store)[-1]
    assert action == "login.failed" and ip == "10.0.0.9" and target == name[:64]


def test_sess012_session_cookie_flags(engine, tmp_path):
    def cookie(**web) -> str:
        return _login(_web(engine, tmp_path, **web).app.server.test_client(), "user.admin").headers["Set-Cookie"]

    default = cookie()
    assert "HttpOnly" in default and "SameSite=Lax" in default and "Secure" not in default
    assert "Secure" in cookie(trusted_proxies=["127.0.0.1"]), "behind a (TLS) proxy the cookie is Secure"
    assert "Secure" not in cookie(trusted_proxies=["127.0.0.1"], cookie_secure=False)
    assert "Secure" in cookie(cookie_secure=True)
