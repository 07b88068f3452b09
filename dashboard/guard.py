"""Every request passes here first: log-in required, and callbacks only for pages the role may see."""

from __future__ import annotations

import flask
from flask_login import current_user

from . import access, auth, public_status

PUBLIC_PREFIXES = ("/login", "/logout", "/lang/", "/assets/", "/_favicon.ico", "/api/")
PUBLIC_PATHS = frozenset(public_status.PATHS)
"""The public status page and its feeds: exact paths, so no page under them becomes public by its prefix."""
CALLBACK_PATH = "/_dash-update-component"


def callback_outputs(payload: dict) -> list:
    """Every component id a Dash callback request names as output.

    Dash finds the callback by the `output` string and writes through `outputs`, so both are read: a
    request cannot borrow an allowed id in one to reach a forbidden callback in the other.
    """
    outputs = payload.get("outputs", [])
    if isinstance(outputs, dict):
        outputs = [outputs]
    ids = []
    for output in outputs:
        items = output if isinstance(output, list) else [output]
        ids.extend(item.get("id") for item in items if isinstance(item, dict))
    named = payload.get("output")
    if isinstance(named, str):
        ids.extend(part.rsplit(".", 1)[0] for part in named.strip(".").split("...") if part)
    return [i for i in ids if i]


def timer_only(payload: dict) -> bool:
    """Did only timers (`dcc.Interval`) fire this callback? Such refreshes do not keep a session alive."""
    changed = payload.get("changedPropIds")
    return bool(changed) and isinstance(changed, list) and all(
        isinstance(prop, str) and prop.endswith(".n_intervals") for prop in changed)


def check_request():
    """Flask `before_request` hook: refuse anonymous users and callbacks outside the user's pages."""
    path = flask.request.path
    if path.startswith(PUBLIC_PREFIXES) or path in PUBLIC_PATHS:
        return None
    if not current_user.is_authenticated:
        if flask.request.method == "GET" and not path.startswith("/_dash"):
            return flask.redirect(f"/login?next={flask.request.full_path.rstrip('?')}")
        return flask.jsonify(error="login required"), 401
    if path == CALLBACK_PATH and flask.request.method == "POST":
        payload = flask.request.get_json(silent=True)
        payload = payload if isinstance(payload, dict) else {}
        if not access.may_call(current_user, callback_outputs(payload)):
            return flask.jsonify(error="not authorised for this callback"), 403
        if not timer_only(payload):
            auth.mark_active()
    else:
        auth.mark_active()
    if path == "/" and flask.request.method == "GET":
        landing = access.landing_path(current_user)
        if landing and landing != "/":
            return flask.redirect(landing)
    return None
