"""Bearer tokens for source systems (workflow events) and host agents; only digests are stored."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .models import ApiToken, utcnow
from .security import token_digest

PURPOSES = ("events", "agent")


def issue_token(session: Session, name: str, purpose: str, *, actor: str) -> str:
    """Create a token and return it in clear text, the only time it is ever shown."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; choose one of {', '.join(PURPOSES)}")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise ValueError(f"a token named {name!r} already exists")
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, purpose=purpose, token_hash=token_digest(token)))
    audit.record(session, actor, "token.issue", name, {"purpose": purpose})
    return token


def revoke_token(session: Session, name: str, *, actor: str) -> None:
    row = session.scalars(select(ApiToken).where(ApiToken.name == name)).first()
    if row is None:
        raise ValueError(f"no token named {name!r}")
    row.revoked_at = utcnow()
    audit.record(session, actor, "token.revoke", name)
