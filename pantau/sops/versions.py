"""Published versions of the catalogue's SOPs, kept in the store.

Publishing an SOP (imported from its document and reviewed) adds version n+1 of its code; new cases of that
code start on it, and a case keeps the version it started on, so the SLA engine measures old cases with the
steps and times they were opened under. A case without a version follows the catalogue files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.i18n import Refusal
from pantau.models import SopVersion
from pantau.sops.models import Sop


class PublishRefused(Refusal):
    """An SOP that may not be published as it is, naming the step (an English message id with its values)."""


@dataclass(frozen=True)
class VersionInfo:
    """One published version, without its definition."""

    code: str
    version: int
    name: str
    steps: int
    source: str
    published_by: str
    published_at: datetime


def publish(session: Session, sop: Sop, *, actor: str, source: str, ip: str | None = None) -> int:
    """Store `sop` as the next version of its code and audit it (`sop.publish`); returns the version number.

    PublishRefused for a step without an executor."""
    nobody = [step.number for step in sop.steps if not step.performer.strip()]
    if nobody:
        raise PublishRefused("step {number} has no executor: choose its Pelaksana column", number=nobody[0])
    latest = session.scalar(select(func.max(SopVersion.version)).where(SopVersion.sop_code == sop.code)) or 0
    version = latest + 1
    session.add(SopVersion(sop_code=sop.code, version=version, definition=sop.model_dump(mode="json"),
                           source=source[:200], published_by=actor))
    audit.record(session, actor, "sop.publish", f"{sop.code} v{version}",
                 {"source": source, "name": sop.name, "steps": len(sop.steps)}, ip=ip)
    return version


def latest_version(session: Session | Connection, code: str) -> int | None:
    """The newest published version of `code`, None when it has none."""
    return session.scalar(select(func.max(SopVersion.version)).where(SopVersion.sop_code == code))


def latest_versions(session: Session | Connection) -> dict[str, int]:
    """Each code's newest published version."""
    return dict(session.execute(select(SopVersion.sop_code, func.max(SopVersion.version))
                                .group_by(SopVersion.sop_code)).all())


def versions(session: Session | Connection, codes: set[str] | None = None) -> dict[tuple[str, int], Sop]:
    """Published definitions by (code, version): of every code, or of `codes`."""
    query = select(SopVersion.sop_code, SopVersion.version, SopVersion.definition)
    if codes is not None:
        query = query.where(SopVersion.sop_code.in_(sorted(codes)))
    return {(row.sop_code, row.version): Sop.model_validate(row.definition) for row in session.execute(query)}


def history(session: Session | Connection) -> list[VersionInfo]:
    """Every published version, newest first."""
    rows = session.execute(select(SopVersion.sop_code, SopVersion.version, SopVersion.definition, SopVersion.source,
                                  SopVersion.published_by, SopVersion.published_at)
                           .order_by(SopVersion.published_at.desc(), SopVersion.id.desc()))
    return [VersionInfo(row.sop_code, row.version, row.definition.get("name", ""), len(row.definition.get("steps", [])),
                        row.source, row.published_by, row.published_at) for row in rows]
