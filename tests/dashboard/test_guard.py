"""Log-in is required everywhere, and the server refuses pages and callbacks outside the user's role."""

from __future__ import annotations

import re

from sqlalchemy import select

from pantau.models import AuditEntry


def callback_payload(output_id: str, prop: str, inputs: list[dict]) -> dict:
    """The JSON body Dash's renderer POSTs to /_dash-update-component for a one-output callback."""
    return {
        "output": f"{output_id}.{prop}",
        "outputs": {"id": output_id, "property": prop},
        "inputs": inputs,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
        "state": [],
    }


AUDIT_CALLBACK = callback_payload(
    "admin-audit-body", "children", [{"id": "admin-audit-filter", "property": "value", "value": "login"}]
)


def _audit_actions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_guard001_anonymous_page_request_goes_to_login(web):
    response = web.client().get("/peringatan")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/peringatan")


def test_guard002_anonymous_callback_post_is_refused(web):
    response = web.client().post("/_dash-update-component", json=AUDIT_CALLBACK)
    assert response.status_code == 401


def test_guard003_anonymous_layout_and_dependencies_are_refused(web):
    client = web.client()
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401


def test_guard004_wrong_role_callback_post_is_refused(web):
    for role in ("direktur", "kepala_it", "bendahara", "operator"):
        response = web.client(role).post("/_dash-update-component", json=AUDIT_CALLBACK)
        assert response.status_code == 403, role


def test_guard005_admin_callback_post_runs_and_returns_the_audit_log(web):
    response = web.client("admin").post("/_dash-update-component", json=AUDIT_CALLBACK)
    assert response.status_code == 200
    assert "Masuk berhasil" in response.text  # the audit log's login.ok, in words


def test_guard006_borrowed_allowed_output_does_not_unlock_a_forbidden_callback(web):
    forged = dict(AUDIT_CALLBACK, outputs={"id": "shell-freshness", "property": "children"})
    assert web.client("operator").post("/_dash-update-component", json=forged).status_code == 403


def test_guard007_unknown_component_owner_is_refused(web):
    payload = callback_payload("mystery-table", "data", [{"id": "mystery-x", "property": "value", "value": 1}])
    assert web.client("admin").post("/_dash-update-component", json=payload).status_code == 403


def test_guard008_wrong_role_page_renders_not_authorised(web):
    payload = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/pengguna"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    denied = web.client("bendahara").post("/_dash-update-component", json=payload)
    assert denied.status_code == 200
    assert "Tidak berwenang" in denied.text and "user.admin" not in denied.text
    allowed = web.client("admin").post("/_dash-update-component", json=payload)
    assert "user.admin" in allowed.text


def test_guard009_each_role_lands_on_its_page(web):
    landings = {"direktur": "/ringkasan", "admin": "/ringkasan", "kepala_it": "/server",
                "bendahara": "/pembayaran", "operator": "/sla"}
    for role, path in landings.items():
        assert web.client(role).get("/").headers["Location"] == path, role


def test_guard010_wrong_password_is_refused_and_audited(web):
    response = web.login(web.client(), "user.admin", "salah-sekali")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text
    assert _audit_actions(web.engine)[-1] == "login.failed"


def test_guard011_login_attempts_are_rate_limited_per_user(web):
    client = web.client()
    for _ in range(web.settings.web.login_max_failures):
        assert web.login(client, "user.direktur", "salah-sekali").status_code == 401
    throttled = web.login(client, "user.direktur", web.password)
    assert throttled.status_code == 429
    assert "login.throttled" in _audit_actions(web.engine)


def test_guard012_login_form_needs_its_token(web):
    response = web.client().post("/login", data={"username": "user.admin", "password": web.password})
    assert response.status_code == 400


def test_guard013_login_never_redirects_off_site(web):
    response = web.login(web.client(), "user.admin", web.password, next_path="https://evil.example/")
    assert response.headers["Location"] == "/"


def test_guard014_logout_ends_the_session_and_is_audited(web):
    client = web.client("kepala_it")
    layout = client.get("/_dash-layout").text
    token = re.search(r'"value":\s*"([^"]+)"[^{}]*"id":\s*"shell-logout-csrf"', layout).group(1)
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    assert client.get("/peringatan").status_code == 302
    assert _audit_actions(web.engine)[-1] == "logout"


def test_guard015_language_switch_sets_a_cookie_and_returns(web):
    client = web.client("admin")
    response = client.get("/lang/en?next=/peringatan")
    assert response.headers["Location"] == "/peringatan"
    assert "pantau_lang=en" in response.headers["Set-Cookie"]
    assert client.get("/lang/fr").status_code == 404
