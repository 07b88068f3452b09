"""The admin's naming of a study programme (one created from bills, or any other), audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import audit
from .i18n import Refusal
from .models import Prodi

JENJANG = ("D3", "D4", "profesi", "S2 Terapan")
"""The levels the admin page offers (a source may give others)."""
LIMITS = {"name": 120, "jenjang": 8, "jurusan": 120, "fakultas": 120}


def name_prodi(session: Session, prodi_id: int, *, name: str, jenjang: str, jurusan: str, fakultas: str | None,
               actor: str, ip: str | None = None) -> bool:
    """Set a programme's name, jenjang, jurusan and fakultas; it is no longer "name unknown". Returns whether
    anything changed; ValueError for an unknown programme, an empty name or a value too long."""
    row = session.get(Prodi, prodi_id)
    if row is None:
        raise Refusal("no study programme {id}", id=repr(prodi_id))
    values = {"name": (name or "").strip(), "jenjang": (jenjang or "").strip(), "jurusan": (jurusan or "").strip(),
              "fakultas": (fakultas or "").strip() or None}
    if not values["name"]:
        raise Refusal("a study programme needs a name")
    for field, limit in LIMITS.items():
        if len(values[field] or "") > limit:
            raise Refusal("{field} longer than {limit} characters", field=field, limit=limit)
    changed = {field: f"{getattr(row, field)} -> {value}" for field, value in values.items()
               if getattr(row, field) != value}
    if not changed and not row.name_unknown:
        return False
    for field, value in values.items():
        setattr(row, field, value)
    row.name_unknown = False
    audit.record(session, actor, "admin.prodi.update", f"prodi:{row.code}", changed, ip=ip)
    return True
