"""The app factory: Flask server with log-in, the Dash shell, and the pages in `dashboard/pages/`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dash
import flask
from dash import _callback
from sqlalchemy import Engine

from pantau.db import engine_for
from pantau.settings import Settings, load_settings

from . import (
    api,
    api_agent,  # noqa: F401  (adds the agent push route to the API blueprint)
    api_events,  # noqa: F401  (adds the workflow events route to the API blueprint)
    auth,
    callback_errors,
    context,
    guard,
    maintenance,
    metrics,
    public_status,
    security,
    shell,
    theme,
)

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
PAGES = Path(__file__).with_name("pages")


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> dash.Dash:
    """Build the web app. The web process only reads the store; collectors run elsewhere."""
    settings = settings or load_settings()
    engine = engine or engine_for(settings)
    server = flask.Flask("pantau", template_folder=str(Path(__file__).with_name("templates")))
    server.config.update(
        SECRET_KEY=settings.resolved_secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookie,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.web.secure_cookie,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.web.session_max_hours),
    )
    server.extensions[context.EXTENSION] = context.AppContext(settings, engine)
    auth.login_manager.init_app(server)
    server.register_blueprint(auth.blueprint)
    server.register_blueprint(api.blueprint)
    server.register_blueprint(public_status.blueprint)
    server.before_request(guard.check_request)
    callback_errors.install(server)
    maintenance.install(server)

    theme.install()
    # Dash executes the pages anew for each app; drop page callbacks left by an app made earlier in this
    # process. The shell's callbacks are Dash hooks and not in this list: every app gets them (shell.py).
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()
    app = dash.Dash(
        "dashboard",
        server=server,
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(ASSETS),
        title="Pantau",
        update_title=None,
        suppress_callback_exceptions=True,
        external_stylesheets=[],
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = shell.layout
    security.install(app, settings.web)
    metrics.install(app, settings.metrics)
    return app


def wsgi() -> flask.Flask:
    """Entry point for gunicorn: `gunicorn 'dashboard.app:wsgi()'`."""
    return create_app().server
