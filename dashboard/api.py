"""The JSON API under /api/v1: bearer tokens per source system or agent, never the browser session."""

from __future__ import annotations

from functools import wraps

import flask
from sqlalchemy import select, text

from pantau.db import session_scope
from pantau.models import ApiToken
from pantau.security import token_digest

from . import context

blueprint = flask.Blueprint("api", __name__, url_prefix="/api/v1")


def token_name(purpose: str) -> str | None:
    """The name of the live token presented as `Authorization: Bearer …` for this purpose, if any."""
    header = flask.request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented:
        return None
    with session_scope(context.engine()) as session:
        return session.scalar(
            select(ApiToken.name).where(
                ApiToken.token_hash == token_digest(presented.strip()),
                ApiToken.purpose == purpose,
                ApiToken.revoked_at.is_(None),
            )
        )


def json_body() -> object | None:
    """The request's body read as JSON; None for a body that is not JSON, or nested deeper than Python's
    parser reads (about a thousand levels: it raises RecursionError, which `silent` does not cover)."""
    try:
        return flask.request.get_json(silent=True)
    except RecursionError:
        return None


def require_token(purpose: str):
    """Decorate a view so it runs only for a valid token of `purpose`; the token's name is passed in."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            name = token_name(purpose)
            if name is None:
                return flask.jsonify(error="missing or invalid bearer token"), 401
            return view(*args, source=name, **kwargs)

        return wrapper

    return decorate


@blueprint.get("/health")
def health():
    """For load balancers: 200 when the store answers, 503 (JSON, Retry-After) while it cannot be reached."""
    with context.engine().connect() as connection:
        connection.execute(text("SELECT 1"))
    return flask.jsonify(status="ok")


@blueprint.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@blueprint.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def elsewhere(rest: str):
    """Any other path or method under /api/v1: a JSON 405 naming the methods the path takes, or a JSON 404
    (without this, a GET of a POST-only route fell through to the Dash page shell)."""
    path = flask.request.path
    allowed = sorted({method for rule in flask.current_app.url_map.iter_rules()
                      if rule.endpoint.startswith("api.") and rule.endpoint != "api.elsewhere" and rule.rule == path
                      for method in rule.methods if method != "OPTIONS"})
    if allowed:
        response = flask.jsonify(error=f"{flask.request.method} is not allowed here; use {', '.join(allowed)}")
        response.status_code = 405
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return flask.jsonify(error="no such API route"), 404

