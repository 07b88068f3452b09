"""POST /api/v1/events: source systems push workflow step events with their own bearer token.

The body is one event object, a list of them, or `{"events": [...]}` (at most `MAX_EVENTS`). Fields
are those of `pantau.workflow.records.FIELDS`; each event should carry the source's own
`event_id`, which makes a resend harmless. A batch is stored whole or not at all.

Answers: 200 with counts (`received`, `stored`, `duplicates`, `cases`, `steps`); 400 for a body
that is not JSON; 401 without a valid `events` token; 409 when an event id is already stored with
other content; 413 for too many events or a body over `web.events_max_bytes` (counted on the bytes read,
chunked bodies too: `dashboard.security`); 422 naming the first `LISTED` bad events' index, field and reason,
values cut to `VALUE_CHARS`, and how many were refused in all, and 422 too for an event that would make
its step complete before it starts, read with the step's stored events (naming its index and field).
"""

from __future__ import annotations

from dataclasses import replace

import flask

from pantau import audit
from pantau.db import session_scope
from pantau.sla.context import sla_context
from pantau.sources import EVENT_SOURCE, record_attempt
from pantau.workflow.records import EventProblem, parse_event
from pantau.workflow.store import EventConflict, EventOutOfOrder, store_events

from . import context
from .api import blueprint, json_body, require_token

MAX_EVENTS = 1000
LISTED = 5
VALUE_CHARS = 80


def _cut(value: object, most: int = VALUE_CHARS) -> str | None:
    """A submitted value as it may be echoed back: text, at most `most` characters."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= most else text[:most - 1] + "…"


@blueprint.post("/events")
@require_token("events")
def post_events(source: str):
    """Store the pushed events of the source system the token belongs to."""
    body = json_body()
    if body is None:
        return flask.jsonify(error="the body must be JSON: an event, a list of events, or {\"events\": [...]}"), 400
    items = body.get("events") if isinstance(body, dict) and "events" in body else body
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not items:
        return flask.jsonify(error="no events in the body"), 400
    if len(items) > MAX_EVENTS:
        return flask.jsonify(error=f"at most {MAX_EVENTS} events per request, got {len(items)}"), 413
    ctx = sla_context(context.settings(), context.engine())
    records, errors = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"index": index, "field": None, "value": None, "reason": "an event is a JSON object"})
            continue
        try:
            record = parse_event(item, ctx.catalogue, ctx.calendar.zone, strict=True)
        except EventProblem as problem:
            errors.append({"index": index, "field": _cut(problem.field), "value": _cut(problem.value),
                           "reason": _cut(problem.reason, 4 * VALUE_CHARS)})
            continue
        records.append(record if record.channel else replace(record, channel="api"))
    if errors:
        first = errors[0]
        _record(source, error=ValueError(f"{len(errors)} of {len(items)} events refused; event {first['index']}, "
                                         f"field {first['field']}: {first['reason']}"))
        return flask.jsonify(error=f"{len(errors)} of {len(items)} events are not valid; nothing was stored",
                             errors=errors[:LISTED], refused=len(errors)), 422
    try:
        with session_scope(context.engine()) as session:
            report = store_events(session, records, ctx, prefix=f"api:{source}", recorded_by=source[:64], source="api")
            audit.record(session, f"token:{source}", "events.api", source, report.as_dict(), flask.request.remote_addr)
            record_attempt(session, context.settings(), EVENT_SOURCE, source, ok=True, pushed=True,
                           message=f"{report.received} events pushed, {report.stored} new")
    except EventOutOfOrder as disorder:
        _record(source, error=ValueError(f"events refused: event {disorder.index}, field {disorder.field}: {disorder}"))
        bad = items[disorder.index].get(disorder.field) if isinstance(items[disorder.index], dict) else None
        error = {"index": disorder.index, "field": disorder.field, "value": _cut(bad),
                 "reason": _cut(str(disorder), 4 * VALUE_CHARS)}
        return flask.jsonify(error=f"1 of {len(items)} events is not valid; nothing was stored", errors=[error],
                             refused=1), 422
    except EventConflict as conflict:
        _record(source, error=ValueError(f"events refused: {conflict}"))
        return flask.jsonify(error=str(conflict), index=conflict.index), 409
    return flask.jsonify(report.as_dict())


def _record(source: str, *, error: Exception) -> None:
    """A push refused whole is the event source's failed attempt."""
    with session_scope(context.engine()) as session:
        record_attempt(session, context.settings(), EVENT_SOURCE, source, ok=False, error=error, pushed=True)
