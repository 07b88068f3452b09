"""Log-in, log-out and the language switch: plain Flask routes in front of the Dash app."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select

from pantau import audit
from pantau.accounts import authenticate
from pantau.db import session_scope
from pantau.i18n import LANGUAGES, translate
from pantau.models import User

from . import context

blueprint = flask.Blueprint("auth", __name__, template_folder="templates")
login_manager = LoginManager()
login_manager.login_view = "auth.login"


@dataclass(frozen=True)
class SessionUser(UserMixin):
    id: int
    username: str
    full_name: str
    role: str
    unit: str | None

    def get_id(self) -> str:
        return str(self.id)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    """Reload the user on every request, so a deactivated account or changed role takes effect at once."""
    with session_scope(context.engine()) as session:
        row = session.scalar(select(User).where(User.id == int(user_id), User.active.is_(True)))
        return _session_user(row) if row else None


def _session_user(row: User) -> SessionUser:
    return SessionUser(row.id, row.username, row.full_name, row.role, row.unit)


def _safe_next(target: str | None) -> str:
    """Only same-site paths may be redirected to after log-in."""
    if not target:
        return "/"
    parsed = urlparse(target)
    return target if not parsed.scheme and not parsed.netloc and target.startswith("/") else "/"


def _csrf_token() -> str:
    token = flask.session.get("csrf")
    if not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(24)
    return token


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    lang = context.lang()
    error = None
    status = 200
    if flask.request.method == "POST":
        form = flask.request.form
        expected = flask.session.get("csrf")
        if not expected or not secrets.compare_digest(form.get("csrf", ""), expected):
            flask.abort(400, "invalid form token; reload the page")
        web = context.settings().web
        with session_scope(context.engine()) as session:
            outcome = authenticate(
                session,
                form.get("username", "").strip(),
                form.get("password", ""),
                ip=flask.request.remote_addr,
                max_failures=web.login_max_failures,
                window=timedelta(minutes=web.login_window_minutes),
            )
            found = _session_user(outcome.user) if outcome.user else None
        if found:
            login_user(found)
            flask.session.pop("csrf", None)
            return flask.redirect(_safe_next(form.get("next")))
        if outcome.throttled:
            error, status = translate("Too many failed attempts. Try again in a few minutes.", lang), 429
        else:
            error, status = translate("Wrong username or password.", lang), 401
    page = flask.render_template(
        "login.html",
        t=lambda text: translate(text, lang),
        lang=lang,
        error=error,
        csrf=_csrf_token(),
        next=_safe_next(flask.request.values.get("next")),
        institution=context.settings().institution,
    )
    return page, status


@blueprint.route("/logout")
def logout():
    if current_user.is_authenticated:
        with session_scope(context.engine()) as session:
            audit.record(session, current_user.username, "logout", current_user.username, ip=flask.request.remote_addr)
        logout_user()
    return flask.redirect("/login")


@blueprint.route("/lang/<code>")
def switch_language(code: str):
    """Remember the reader's language in a cookie and go back to the page they were on."""
    if code not in LANGUAGES:
        flask.abort(404)
    response = flask.redirect(_safe_next(flask.request.args.get("next")))
    response.set_cookie(context.LANGUAGE_COOKIE, code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response
