"""POST /api/v1/agent/metrics: `pantau agent` on another server pushes its psutil readings here.

Only a live bearer token of purpose "agent" is accepted (`pantau tokens add NAME --purpose agent`).
The reading is stored as it came, at the time it was taken (the agent pushes readings it kept during an outage
later, oldest first), once per host and instant (a reading pushed again is answered 200, "stored": 0); while the
store is away the answer is the maintenance 503 with Retry-After (`dashboard.maintenance`), which the agent waits
out. The collector process alerts on the readings (disk, processes). Each push is the
agent's attempt as a source (`pantau.sources`, kind "agent", named by the host): a refused reading is a failed
one, and the collector counts an agent that stops pushing as failing.
"""

from __future__ import annotations

import json

import flask
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.db import session_scope
from pantau.models import AuditEntry
from pantau.monitoring.readings import HostReading, store_reading
from pantau.sources import AGENT, record_attempt

from . import context
from .api import blueprint, json_body, require_token

AGENT_PATH = "/agent/metrics"


@blueprint.post(AGENT_PATH)
@require_token("agent")
def agent_metrics(source: str):
    """Store one host reading; 201 with the host name (200, "stored": 0, for a reading of this host and instant
    already stored), 400/422 saying what is wrong with the body, 413 for a
    body over the settings' `web.agent_max_bytes` (counted on the bytes read: `dashboard.security`)."""
    payload = json_body()
    if not isinstance(payload, dict):
        return flask.jsonify(error="expected a JSON object (HostSnapshot.to_dict())"), 400
    try:
        # strict, read as JSON: a number is not taken for a flag nor text for a number (docs/openapi.yaml)
        reading = HostReading.model_validate_json(json.dumps(payload), strict=True)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(body)"
        problem = f"field {field[:80]}: {first['msg'][:200]}"
        _record(_host_named(payload, source), error=ValueError(f"reading refused, {problem}"))
        return flask.jsonify(error=problem), 422
    with session_scope(context.engine()) as session:
        stored = store_reading(session, reading)
        record_attempt(session, context.settings(), AGENT, reading.hostname, ok=True, pushed=True,
                       interval_s=context.settings().source_status.agent_every_s,
                       message=f"reading of {reading.taken_at.isoformat(timespec='seconds')} (token {source})")
        if _first_push(session, source, reading.hostname):
            audit.record(session, f"agent:{source}", "agent.first_push", reading.hostname, {},
                         flask.request.remote_addr)
    return flask.jsonify(stored=int(stored), host=reading.hostname), 201 if stored else 200


def _host_named(payload: dict, source: str) -> str:
    """The host a refused reading names, if it names one plainly; else the token's name."""
    host = payload.get("hostname")
    return host if isinstance(host, str) and 0 < len(host) <= 80 else source


def _record(host: str, *, error: Exception) -> None:
    settings = context.settings()
    with session_scope(context.engine()) as session:
        record_attempt(session, settings, AGENT, host, ok=False, error=error, pushed=True,
                       interval_s=settings.source_status.agent_every_s)


def _first_push(session: Session, source: str, host: str) -> bool:
    """Has this token not pushed for this host before? (Audited once, not on every push.)"""
    seen = session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "agent.first_push", AuditEntry.actor == f"agent:{source}",
                                    AuditEntry.target == host).limit(1)
    )
    return seen is None
