"""What the administrator and the IT head publish on the public status page, each change in the audit log.

The administrator chooses the monitors shown and their public labels (`publish_service`); the administrator
and the IT head post about an incident of a shown monitor (`post_incident`) and add notes to the post
(`post_update`). Nothing else of a monitor or an incident reaches the public page: not its name, target,
cause or alerts.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.models import Incident, Monitor, StatusIncident, StatusService, StatusUpdate, utcnow
from pantau.models.status import PUBLIC_STATES

LABEL_MAX = 80
TITLE_MAX = 120
NOTE_MAX = 2000
POSITION_MAX = 999


class PublishError(ValueError):
    """A publication was refused; the message says why, in English (the page translates its own checks)."""


def publish_service(session: Session, *, monitor_id: int, label: str, label_en: str | None = None,
                    published: bool = True, position: int = 0, actor: str, ip: str | None = None) -> StatusService:
    """Show (or hide) a monitor on the public page under `label` (and `label_en` in English)."""
    if not 0 <= position <= POSITION_MAX:
        raise PublishError(f"the order must be a number from 0 to {POSITION_MAX}")
    monitor = session.get(Monitor, monitor_id) if 0 < monitor_id < 2**31 else None
    if monitor is None:
        raise PublishError(f"no monitor has id {monitor_id}")
    label, label_en = _text(label, LABEL_MAX, "label"), _optional(label_en, LABEL_MAX, "English label")
    service = session.scalar(select(StatusService).where(StatusService.monitor_id == monitor_id))
    if service is None:
        service = StatusService(monitor_id=monitor_id)
        session.add(service)
    service.label, service.label_en, service.published, service.position = label, label_en, bool(published), position
    service.updated_by, service.updated_at = actor, utcnow()
    session.flush()
    audit.record(session, actor, "status.service", target=monitor.name, ip=ip,
                 detail={"label": label, "label_en": label_en, "published": bool(published), "position": position})
    return service


def post_incident(session: Session, *, incident_id: int, title: str, title_en: str | None = None, state: str,
                  note: str, note_en: str | None = None, actor: str, ip: str | None = None) -> StatusIncident:
    """Post about an incident of a published monitor, with its first public note."""
    incident = session.get(Incident, incident_id) if 0 < incident_id < 2**31 else None
    if incident is None:
        raise PublishError(f"no incident has id {incident_id}")
    shown = session.scalar(select(StatusService.published).where(StatusService.monitor_id == incident.monitor_id))
    if not shown:
        raise PublishError("the incident's service is not published; publish it first")
    if session.scalar(select(StatusIncident.id).where(StatusIncident.incident_id == incident_id)) is not None:
        raise PublishError("this incident has a post already; add an update to it")
    post = StatusIncident(incident_id=incident_id, title=_text(title, TITLE_MAX, "title"),
                          title_en=_optional(title_en, TITLE_MAX, "English title"), created_by=actor,
                          created_at=utcnow())
    session.add(post)
    session.flush()
    audit.record(session, actor, "status.incident.post", target=f"incident {incident_id}", ip=ip,
                 detail={"title": post.title, "title_en": post.title_en})
    post_update(session, status_incident_id=post.id, state=state, note=note, note_en=note_en, actor=actor, ip=ip)
    return post


def post_update(session: Session, *, status_incident_id: int, state: str, note: str, note_en: str | None = None,
                actor: str, ip: str | None = None) -> StatusUpdate:
    """Add a public note to an incident post, saying the state of the work."""
    post = session.get(StatusIncident, status_incident_id)
    if post is None:
        raise PublishError(f"no incident post has id {status_incident_id}")
    if state not in PUBLIC_STATES:
        raise PublishError(f"state {state!r} is not one of {', '.join(PUBLIC_STATES)}")
    update = StatusUpdate(status_incident_id=post.id, state=state, note=_text(note, NOTE_MAX, "note"),
                          note_en=_optional(note_en, NOTE_MAX, "English note"), posted_by=actor, posted_at=utcnow())
    session.add(update)
    session.flush()
    audit.record(session, actor, "status.incident.update", target=f"incident {post.incident_id}", ip=ip,
                 detail={"state": state, "note": update.note, "note_en": update.note_en})
    return update


def _text(value: str | None, limit: int, field: str) -> str:
    text = " ".join((value or "").split()) if limit <= TITLE_MAX else (value or "").strip()
    if not text:
        raise PublishError(f"the {field} is empty")
    if len(text) > limit:
        raise PublishError(f"the {field} is longer than {limit} characters")
    return text


def _optional(value: str | None, limit: int, field: str) -> str | None:
    return _text(value, limit, field) if value and value.strip() else None
