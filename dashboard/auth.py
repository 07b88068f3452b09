"""Log-in, log-out and the language switch: plain Flask routes in front of the Dash app."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select

from pantau import formatting
from pantau.accounts import USERNAME_MAX, Throttle, authenticate, end_sessions
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


SESSION_VERSION = "sv"
LAST_SEEN = "seen"
SEEN_STEP_S = 60
"""The idle clock in the cookie is moved on at most once a minute, so not every request rewrites the cookie."""


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    """Reload the user on every request, so a deactivated account or changed role takes effect at once.

    The cookie must carry the user's current session version (raised by log-out, a password change,
    disabling and "log out everywhere", so every earlier copy of the cookie is refused) and must have been
    used within the idle timeout; otherwise the session is emptied and the reader logs in again."""
    if not user_id.isdigit():
        return None
    seen = flask.session.get(LAST_SEEN)
    idle = timedelta(minutes=context.settings().web.session_idle_minutes).total_seconds()
    if not isinstance(seen, int | float) or time.time() - seen > idle:
        flask.session.clear()
        return None
    with session_scope(context.engine()) as session:
        row = session.scalar(select(User).where(User.id == int(user_id), User.active.is_(True)))
        if row is None or flask.session.get(SESSION_VERSION) != row.session_version:
            flask.session.clear()
            return None
        return _session_user(row)


def mark_active() -> None:
    """The reader did something: restart the idle clock (timer-driven refreshes do not call this)."""
    now = time.time()
    if now - flask.session.get(LAST_SEEN, 0) >= SEEN_STEP_S:
        flask.session[LAST_SEEN] = int(now)


def _session_user(row: User) -> SessionUser:
    return SessionUser(row.id, row.username, row.full_name, row.role, row.unit)


def _safe_next(target: str | None) -> str:
    """Only same-site paths may be redirected to after log-in."""
    if not target:
        return "/"
    parsed = urlparse(target)
    return target if not parsed.scheme and not parsed.netloc and target.startswith("/") else "/"


def csrf_token() -> str:
    """The form token of this browser session (the log-in and log-out forms carry it)."""
    token = flask.session.get("csrf")
    if not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(24)
    return token


def _check_csrf() -> None:
    expected = flask.session.get("csrf")
    if not expected or not secrets.compare_digest(flask.request.form.get("csrf", ""), expected):
        flask.abort(400, "invalid form token; reload the page")


def _throttle() -> Throttle:
    web = context.settings().web
    return Throttle(web.login_max_failures, web.login_address_max_failures,
                    timedelta(minutes=web.login_window_minutes))


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    lang = context.lang()
    error = None
    status = 200
    headers = {}
    if flask.request.method == "POST":
        _check_csrf()
        form = flask.request.form
        with session_scope(context.engine()) as session:
            outcome = authenticate(session, form.get("username", "").strip(), form.get("password", ""),
                                   ip=flask.request.remote_addr, throttle=_throttle())
            found = (_session_user(outcome.user), outcome.user.session_version) if outcome.user else None
        if found:
            flask.session.clear()
            login_user(found[0])
            flask.session.permanent = True
            flask.session[SESSION_VERSION] = found[1]
            flask.session[LAST_SEEN] = int(time.time())
            csrf_token()
            return flask.redirect(_safe_next(form.get("next")))
        if outcome.throttled:
            wait = formatting.duration(_rounded_wait(outcome.retry_after), lang)
            error = translate("Too many failed attempts. Try again in {wait}.", lang, wait=wait)
            status, headers = 429, {"Retry-After": str(outcome.retry_after)}
        else:
            error, status = translate("Wrong username or password.", lang), 401
    page = flask.render_template(
        "login.html",
        t=lambda text: translate(text, lang),
        lang=lang,
        error=error,
        csrf=csrf_token(),
        next=_safe_next(flask.request.values.get("next")),
        institution=context.settings().institution,
        username=flask.request.form.get("username", "").strip()[:USERNAME_MAX] if error else "",
    )
    return page, status, headers


def _rounded_wait(seconds: int) -> int:
    """The wait shown to the reader: whole minutes, rounded up (seconds under a minute)."""
    return max(seconds, 1) if seconds < 60 else -(-seconds // 60) * 60


@blueprint.route("/logout", methods=["GET", "POST"])
def logout():
    """Log out by a form post carrying the session's token; every copy of this session's cookie ends.
    A GET (a link, an image, a prefetch) logs nobody out."""
    if flask.request.method != "POST":
        return flask.Response("Log out with the button in the page header (a POST).\n", 405,
                              {"Allow": "POST"}, mimetype="text/plain")
    _check_csrf()
    if current_user.is_authenticated:
        with session_scope(context.engine()) as session:
            end_sessions(session, current_user.username, actor=current_user.username, ip=flask.request.remote_addr,
                         action="logout")
        logout_user()
    flask.session.clear()
    return flask.redirect("/login")


@blueprint.route("/lang/<code>")
def switch_language(code: str):
    """Remember the reader's language in a cookie and go back to the page they were on."""
    if code not in LANGUAGES:
        flask.abort(404)
    response = flask.redirect(_safe_next(flask.request.args.get("next")))
    response.set_cookie(context.LANGUAGE_COOKIE, code, max_age=365 * 86400, samesite="Lax", httponly=True,
                        secure=context.settings().web.secure_cookie)
    return response
