"""`/metrics` in the Prometheus text format, and the request latency histogram behind it.

Request timings are kept by prometheus_client in the process; under gunicorn set `PROMETHEUS_MULTIPROC_DIR`
to an empty folder writable by the workers (emptied at each start), and every worker writes its samples
there and any worker's `/metrics` sums them all. The store's figures (`metrics_store`) are read at each
scrape. Only a peer in `[metrics] allow_from` or a request bearing `[metrics] token` is answered.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

import dash
import flask
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from werkzeug.exceptions import HTTPException

from pantau.settings import MetricsSettings

from . import context
from .metrics_store import StoreCollector

PATH = "/metrics"
CALLBACK_PATH = "/_dash-update-component"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
OTHER = "other"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = CollectorRegistry(auto_describe=True)
LATENCY = Histogram("pantau_http_request_duration_seconds", "time to answer a request, by route and callback",
                    ["route", "callback"], buckets=BUCKETS, registry=REQUESTS)
RESPONSES = Counter("pantau_http_responses", "responses by route and status class", ["route", "code"],
                    registry=REQUESTS)
REQUEST_METRICS = ("pantau_http_request_duration_seconds", "pantau_http_responses")


def install(app: dash.Dash, settings: MetricsSettings) -> None:
    """Serve `/metrics` ahead of the log-in guard, and time every other request."""
    server = app.server

    def start():
        flask.g.pantau_started = time.perf_counter()
        if flask.request.path == PATH:
            if flask.request.method not in ("GET", "HEAD"):
                return flask.Response("method not allowed\n", status=405, mimetype="text/plain",
                                      headers={"Allow": "GET, HEAD"})
            return _serve(settings)
        return None

    def observe(response: flask.Response) -> flask.Response:
        started = flask.g.get("pantau_started")
        if started is not None and flask.request.path != PATH:
            route, callback = labels(app.callback_map)
            LATENCY.labels(route, callback).observe(time.perf_counter() - started)
            RESPONSES.labels(route, f"{response.status_code // 100}xx").inc()
        return response

    server.before_request_funcs.setdefault(None, []).insert(0, start)
    server.after_request(observe)


def labels(callbacks: dict) -> tuple[str, str]:
    """The request's route (its URL rule, never the raw path) and, for a Dash callback, the callback's outputs
    if the app has such a callback: label values come from the code, not from what a client sends."""
    rule = flask.request.url_rule
    route = rule.rule if rule is not None else OTHER
    if flask.request.path != CALLBACK_PATH:
        return route, ""
    try:
        payload = flask.request.get_json(silent=True)
    except HTTPException:  # a body over the limit (already answered 413): labelling never fails a response
        payload = None
    named = payload.get("output") if isinstance(payload, dict) else None
    return route, named if isinstance(named, str) and named in callbacks else OTHER


def _serve(settings: MetricsSettings) -> flask.Response:
    if not _allowed(settings):
        return flask.Response("forbidden\n", status=403, mimetype="text/plain")
    body = generate_latest(scrape_registry(context.engine()))
    return flask.Response(body, status=200, headers={"Content-Type": CONTENT_TYPE_LATEST,
                                                     "Cache-Control": "no-store"})


def _allowed(settings: MetricsSettings) -> bool:
    """A bearer token equal to the configured one, or a peer address inside `allow_from`."""
    scheme, _, presented = flask.request.headers.get("Authorization", "").partition(" ")
    if settings.token and scheme.lower() == "bearer" and presented:
        return hmac.compare_digest(presented.strip().encode(), settings.token.encode())
    try:
        peer = ipaddress.ip_address(flask.request.remote_addr or "")
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(item, strict=False) for item in settings.allow_from)


class _Forward:
    """Yields another registry's metrics (this process's request timings when not in multiprocess mode)."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def scrape_registry(engine) -> CollectorRegistry:
    """A registry for one scrape: every worker's request timings (or this process's), and the store's figures."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REQUESTS))
    registry.register(StoreCollector(engine))
    return registry


def worker_exit(_server, worker) -> None:
    """gunicorn's `child_exit` hook: a worker's live gauges leave the sums when it stops."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)
