"""What a request needs to know: settings, store, the logged-in user and the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import flask
from flask_login import current_user
from sqlalchemy import Engine

from pantau.cache import ResultCache, result_cache
from pantau.i18n import normalise, translate
from pantau.settings import Settings

EXTENSION = "pantau"
LANGUAGE_COOKIE = "pantau_lang"
T = TypeVar("T")


@dataclass(frozen=True)
class AppContext:
    """The app's settings and store, and the result cache shared by its workers (watching the store's writes)."""

    settings: Settings
    engine: Engine
    cache: ResultCache = field(default=None)

    def __post_init__(self):
        if self.cache is None:
            object.__setattr__(self, "cache", result_cache(self.settings))
        self.cache.watch(self.engine)


def app_context() -> AppContext:
    return flask.current_app.extensions[EXTENSION]


def settings() -> Settings:
    return app_context().settings


def engine() -> Engine:
    return app_context().engine


def cached(name: str, params: Any, subjects: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, or its result kept by another request with the same `name` and `params` (which must name
    everything the result depends on but the store: filters, the reader's scope, the language) since the last
    write to `subjects` (`pantau.cache`)."""
    return app_context().cache.get(name, params, subjects, compute)


def cached_dated(name: str, params: Any, subjects: Iterable[str], compute: Callable[[], T]) -> tuple[T, datetime]:
    """`cached`, with the moment (UTC) the result was computed, which a page states as its figures' age."""
    return app_context().cache.get_dated(name, params, subjects, compute)


def lang() -> str:
    """The reader's language: the switch's cookie, else the configured default (found once a request: a page
    of tables asks for it thousands of times)."""
    if not flask.has_request_context():
        return normalise(settings().language)
    environ = flask.request.environ
    found = environ.get(_LANG_KEY)
    if found is None:
        found = environ[_LANG_KEY] = normalise(flask.request.cookies.get(LANGUAGE_COOKIE) or settings().language)
    return found


_LANG_KEY = "pantau.lang"


def sla():
    """The SLA context (`pantau.sla.context.sla_context`) with the store's published SOPs, made once a request:
    the menu, the guard and the page each ask for it."""
    from pantau.sla.context import sla_context

    if not flask.has_request_context():
        return sla_context(settings(), engine())
    environ = flask.request.environ
    if _SLA_KEY not in environ:
        environ[_SLA_KEY] = sla_context(settings(), engine())
    return environ[_SLA_KEY]


_SLA_KEY = "pantau.sla_context"


def tz() -> str:
    return settings().timezone


def t(text: str, **values: object) -> str:
    """Translate a message id into the reader's language."""
    return translate(text, lang(), **values)


def user():
    """The logged-in user (a `dashboard.auth.SessionUser`), or Flask-Login's anonymous user."""
    return current_user
