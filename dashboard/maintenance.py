"""While the store cannot be reached, every request answers 503: a maintenance page in the reader's language
(Indonesian by default), JSON for the API, for `/status.json` and for Dash callbacks, with Retry-After. Nothing
is kept in the worker: the next request tries the store again (the pool checks a connection before lending it),
so the app recovers by itself when the store returns."""

from __future__ import annotations

import logging
from html import escape

import flask
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

from pantau import dbfault

from . import callback_errors, context

RETRY_AFTER_S = 30
CALLBACK_PATH = "/_dash-update-component"
log = logging.getLogger(__name__)

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry}"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#212529}}
h1{{font-size:1.5rem}}</style></head>
<body><h1>{title}</h1><p>{body}</p><p>{retry_text}</p></body></html>
"""


def install(server: flask.Flask) -> None:
    for kind in (OperationalError, InterfaceError, ProgrammingError):
        server.register_error_handler(kind, answer)


def answer(error: Exception):
    """The 503 for a store fault; any other database error is a request's (a callback's 400) or a 500."""
    if not dbfault.is_store_fault(error):
        return callback_errors.answer(error)
    log.warning("%s", dbfault.describe(error, context.settings().resolved_database_url))
    t = context.t
    message = t("Pantau is under maintenance: its database cannot be reached. Please try again in a few minutes.")
    path = flask.request.path
    if path.startswith("/api/") or path == CALLBACK_PATH or path.endswith(".json"):
        response = flask.jsonify(status="unavailable", message=message)
    else:
        response = flask.Response(_PAGE.format(
            lang=context.lang(), retry=RETRY_AFTER_S, title=escape(t("Under maintenance")), body=escape(message),
            retry_text=escape(t("This page reloads itself when the data is back."))), mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
