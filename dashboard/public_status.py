"""The public status page: `/status` (HTML), `/status.json` and `/status.atom`, no log-in needed.

Each worker keeps the built page of each language for `[status] cache_s` seconds (`StatusCache`), so a
thousand readers refreshing during an outage cost the store one build per language and period; a
publication in this worker drops it at once (`invalidate`), other workers see it within `cache_s`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import flask

from pantau.i18n import LANGUAGES, translate
from pantau.statuspage import StatusSettings, status_settings

from . import context, status_view

PATHS = ("/status", "/status.json", "/status.atom")
blueprint = flask.Blueprint("public_status", __name__, template_folder="templates")


class StatusCache:
    """Built pages by language, each kept for `ttl` seconds; one build at a time per language. Beside each
    page its renderings (HTML, Atom) are kept until the page is built again (`rendered`)."""

    def __init__(self) -> None:
        self._built: dict[str, tuple[float, dict, bytes, dict[str, str]]] = {}
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, lang: str, ttl: float, build: Callable[[], dict]) -> tuple[dict, bytes]:
        found = self._built.get(lang)
        if found and time.monotonic() - found[0] < ttl:
            return found[1], found[2]
        with self._lock:
            found = self._built.get(lang)
            if found and time.monotonic() - found[0] < ttl:
                return found[1], found[2]
            page = build()
            self.builds += 1
            body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
            self._built[lang] = (time.monotonic(), page, body, {})
            return page, body

    def rendered(self, lang: str, page: dict, name: str, render: Callable[[], str]) -> str:
        """`page` rendered as `name`, made once per build of the page."""
        found = self._built.get(lang)
        if found is None or found[1] is not page or (name not in found[3] and len(found[3]) >= RENDERINGS):
            return render()
        return found[3].get(name) or found[3].setdefault(name, render())

    def invalidate(self) -> None:
        with self._lock:
            self._built.clear()


CACHE_KEY = "pantau_status_cache"
RENDERINGS = 8
"""Renderings kept per page: HTML and the Atom feed of a few host names (a request names its own host)."""


def cache(app: flask.Flask | None = None) -> StatusCache:
    """This app's cache of built pages."""
    app = app or flask.current_app
    return app.extensions.setdefault(CACHE_KEY, StatusCache())


def invalidate() -> None:
    """Drop the built pages: called after every publication."""
    cache().invalidate()


def _options() -> StatusSettings:
    try:
        return status_settings(context.settings())
    except ValueError:
        return StatusSettings()


def _page() -> tuple[str, dict, bytes]:
    chosen = flask.request.args.get("lang")
    lang = chosen if chosen in LANGUAGES else context.lang()
    options = _options()
    engine, settings = context.engine(), context.settings()
    page, body = cache().get(lang, options.cache_s,
                             lambda: status_view.snapshot(engine, settings, options, lang))
    return lang, page, body


def _cached(response: flask.Response) -> flask.Response:
    response.headers["Cache-Control"] = f"public, max-age={int(_options().cache_s)}"
    response.vary.add("Cookie")
    return response


@blueprint.route("/status")
def status_page():
    lang, page, _ = _page()
    html = cache().rendered(lang, page, "html", lambda: flask.render_template(
        "status.html", page=page, lang=lang, t=lambda text, **values: translate(text, lang, **values),
        refresh=max(30, int(_options().cache_s))))
    return _cached(flask.Response(html, mimetype="text/html"))


@blueprint.route("/status.json")
def status_json():
    _, _, body = _page()
    response = _cached(flask.Response(body, mimetype="application/json"))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.route("/status.atom")
def status_atom():
    lang, page, _ = _page()
    base = flask.request.host_url.rstrip("/")

    def render() -> str:
        entries = _entries(page, lang)
        return flask.render_template("status_atom.xml", page=page, entries=entries, lang=lang, base=base,
                                     title=translate("Service status", lang),
                                     updated=max([e["updated"] for e in entries], default=page["generated_at"]))

    xml = cache().rendered(lang, page, f"atom {base}", render)
    return _cached(flask.Response(xml, mimetype="application/atom+xml"))


def _entries(page: dict, lang: str) -> list[dict]:
    """Feed entries: each incident post (updated at its newest note), each maintenance and payment period."""
    entries = [{"id": f"incident-{item['id']}", "title": f"{item['service']}: {item['title']}",
                "updated": item["updated_at"],
                "summary": " · ".join([item["state_text"]] + [u["note"] for u in item["updates"][:1]])}
               for item in page["incidents"]]
    entries += [{"id": f"maintenance-{item['starts_at']}-{index}", "title": item["text"],
                 "updated": page["generated_at"], "summary": item["text"]}
                for index, item in enumerate(page["maintenance"])]
    entries += [{"id": f"period-{item['name']}-{item['ends_at']}", "title": item["text"],
                 "updated": page["generated_at"],
                 "summary": " · ".join([item["text"]] + [e["text"] for e in item["extensions"]])}
                for item in page["periods"]]
    return entries
