"""What the administrator and the IT head publish on the public status page, each change in the audit log.

The administrator chooses the monitors shown and their public labels (`publish_service`); the administrator
and the IT head post about an incident of a shown monitor (`post_incident`), add notes to the post
(`post_update`), edit a note (`edit_update`, marked as updated on the public page) or withdraw it
(`withdraw_update`: no longer public, kept in the store and the audit log). Nothing else of a monitor or an
incident reaches the public page: not its name, target, cause or alerts.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.i18n import Count, Refusal, Word
from pantau.models import Incident, Monitor, StatusIncident, StatusService, StatusUpdate, utcnow
from pantau.models.status import PUBLIC_STATES

LABEL_MAX = 80
TITLE_MAX = 120
NOTE_MAX = 2000
POSITION_MAX = 999


class PublishError(Refusal):
    """A publication was refused: an English message id with its values, which a page says in its language."""


def publish_service(session: Session, *, monitor_id: int, label: str, label_en: str | None = None,
                    published: bool = True, position: int = 0, actor: str, ip: str | None = None) -> StatusService:
    """Show (or hide) a monitor on the public page under `label` (and `label_en` in English)."""
    if not 0 <= position <= POSITION_MAX:
        raise PublishError("the order must be a number from 0 to {most}", most=Count(POSITION_MAX))
    monitor = session.get(Monitor, monitor_id) if 0 < monitor_id < 2**31 else None
    if monitor is None:
        raise PublishError("no monitor has id {id}", id=monitor_id)
    label, label_en = _text(label, LABEL_MAX, "Public label"), _optional(label_en, LABEL_MAX, "English label")
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
        raise PublishError("no incident has id {id}", id=incident_id)
    shown = session.scalar(select(StatusService.published).where(StatusService.monitor_id == incident.monitor_id))
    if not shown:
        raise PublishError("the incident's service is not published; publish it first")
    if session.scalar(select(StatusIncident.id).where(StatusIncident.incident_id == incident_id)) is not None:
        raise PublishError("this incident has a post already; add an update to it")
    post = StatusIncident(incident_id=incident_id, title=_text(title, TITLE_MAX, "Title"),
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
        raise PublishError("no incident post has id {id}", id=status_incident_id)
    if state not in PUBLIC_STATES:
        raise PublishError("state {state} is not a state of the work; choose one from the list", state=repr(state))
    update = StatusUpdate(status_incident_id=post.id, state=state, note=_text(note, NOTE_MAX, "Public note"),
                          note_en=_optional(note_en, NOTE_MAX, "English note"), posted_by=actor, posted_at=utcnow())
    session.add(update)
    session.flush()
    audit.record(session, actor, "status.incident.update", target=f"incident {post.incident_id}", ip=ip,
                 detail={"state": state, "note": update.note, "note_en": update.note_en})
    return update


def edit_update(session: Session, *, update_id: int, state: str, note: str, note_en: str | None = None,
                actor: str, ip: str | None = None) -> StatusUpdate:
    """Change a public note's state and words; the audit log keeps the words before and after."""
    update = _live_update(session, update_id)
    if state not in PUBLIC_STATES:
        raise PublishError("state {state} is not a state of the work; choose one from the list", state=repr(state))
    before = {"state": update.state, "note": update.note, "note_en": update.note_en}
    after = {"state": state, "note": _text(note, NOTE_MAX, "Public note"),
             "note_en": _optional(note_en, NOTE_MAX, "English note")}
    if after == before:
        raise PublishError("nothing changed")
    update.state, update.note, update.note_en = after["state"], after["note"], after["note_en"]
    update.edited_at, update.edited_by = utcnow(), actor
    session.flush()
    post = session.get(StatusIncident, update.status_incident_id)
    audit.record(session, actor, "status.incident.edit", target=f"incident {post.incident_id}", ip=ip,
                 detail={"update": update.id, "before": before, "after": after})
    return update


def withdraw_update(session: Session, *, update_id: int, actor: str, ip: str | None = None) -> StatusUpdate:
    """Take a public note off the public page (and its feeds); the row and the audit log keep its words."""
    update = _live_update(session, update_id)
    update.withdrawn_at, update.withdrawn_by = utcnow(), actor
    session.flush()
    post = session.get(StatusIncident, update.status_incident_id)
    audit.record(session, actor, "status.incident.withdraw", target=f"incident {post.incident_id}", ip=ip,
                 detail={"update": update.id, "state": update.state, "note": update.note, "note_en": update.note_en})
    return update


def _live_update(session: Session, update_id: int) -> StatusUpdate:
    update = session.get(StatusUpdate, update_id) if 0 < update_id < 2**31 else None
    if update is None:
        raise PublishError("no public note has id {id}", id=update_id)
    if update.withdrawn_at is not None:
        raise PublishError("this note was withdrawn already")
    return update


def _text(value: str | None, limit: int, field: str) -> str:
    """The form's words, trimmed; `field` is the form's name for them (a message id)."""
    text = " ".join((value or "").split()) if limit <= TITLE_MAX else (value or "").strip()
    if not text:
        raise PublishError("{field} is empty", field=Word(field))
    if len(text) > limit:
        raise PublishError("{field} is longer than {limit} characters", field=Word(field),
                           limit=Count(limit))
    return text


def _optional(value: str | None, limit: int, field: str) -> str | None:
    return _text(value, limit, field) if value and value.strip() else None
