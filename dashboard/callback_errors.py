"""A callback that fails on what it was sent answers 400 with a short message, never a 500.

The pages send only values their components can hold, so a callback failing on its input was sent a
forged or broken request. The failure is logged with the callback's outputs and the traceback for the
IT unit; the browser gets a short JSON message in the reader's language. The click-everything browser
suite counts any 4xx on a permitted page as a fault, so a bug on values a page does send still fails.
"""

from __future__ import annotations

import logging

import flask
from werkzeug.exceptions import HTTPException

from .context import t

CALLBACK_PATH = "/_dash-update-component"
log = logging.getLogger(__name__)


def install(server: flask.Flask) -> None:
    server.register_error_handler(Exception, answer)


def answer(error: Exception):
    """400 for a callback that failed on its input; any other route's error goes on to Flask (a 500)."""
    if isinstance(error, HTTPException):
        return error
    if flask.request.path != CALLBACK_PATH:
        raise error
    payload = flask.request.get_json(silent=True)
    output = payload.get("output") if isinstance(payload, dict) else None
    log.exception("callback %s refused its input", output or "?", exc_info=error)
    return flask.jsonify(message=t("The request could not be processed: its values are not valid.")), 400
