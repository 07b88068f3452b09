"""What a request needs to know: settings, store, the logged-in user and the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

import flask
from flask_login import current_user
from sqlalchemy import Engine

from pantau.i18n import normalise, translate
from pantau.settings import Settings

EXTENSION = "pantau"
LANGUAGE_COOKIE = "pantau_lang"


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    engine: Engine


def app_context() -> AppContext:
    return flask.current_app.extensions[EXTENSION]


def settings() -> Settings:
    return app_context().settings


def engine() -> Engine:
    return app_context().engine


def lang() -> str:
    """The reader's language: the switch's cookie, else the configured default."""
    chosen = flask.request.cookies.get(LANGUAGE_COOKIE) if flask.has_request_context() else None
    return normalise(chosen or settings().language)


def tz() -> str:
    return settings().timezone


def t(text: str, **values: object) -> str:
    """Translate a message id into the reader's language."""
    return translate(text, lang(), **values)


def user():
    """The logged-in user (a `dashboard.auth.SessionUser`), or Flask-Login's anonymous user."""
    return current_user
