"""Bill kinds and their groups as the store holds them: the codes a bill sync accepts, their names in the
reader's language, the ``[[bill_kinds]]`` of the configuration synced into the table, and the admin's edits.

The migration seeds the SOP's three kinds (registrasi, herregistrasi, sipenmatu) and the common ones (UKT,
SPP, praktikum, wisuda, asrama, KKN, remedial, denda, …). ``[[bill_kinds]]`` adds kinds, and updates those
the admin has not edited on the admin page (an admin's edit wins over the configuration)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from . import audit
from .i18n import Refusal
from .models import BillKind, BillKindGroup

SOP_KINDS = ("registrasi", "herregistrasi", "sipenmatu")
"""The three kinds the H2H SOP names (the demo campus bills these)."""
CODE = r"^[a-z][a-z0-9_-]{0,15}$"


class KindSetting(BaseModel):
    """One ``[[bill_kinds]]`` entry. ``group`` is a group code; a new group needs ``group_name_id`` and
    ``group_name_en``."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE)
    name_id: str = Field(min_length=1, max_length=80)
    name_en: str = Field(min_length=1, max_length=80)
    group: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,23}$")
    group_name_id: str | None = Field(None, max_length=80)
    group_name_en: str | None = Field(None, max_length=80)
    per_semester: bool = False
    tokens_apply: bool = False
    active: bool = True

    @field_validator("code", "group", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower() if isinstance(value, str) else value


def kind_settings(raw: list[dict]) -> list[KindSetting]:
    """The typed ``[[bill_kinds]]``; ValueError naming the entry and field when one is wrong."""
    kinds = []
    for number, entry in enumerate(raw or (), start=1):
        try:
            kinds.append(KindSetting.model_validate(entry))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "entry"
            raise ValueError(f"[[bill_kinds]] entry {number} ({entry.get('code', '?')}), field {field}: "
                             f"{first['msg']}") from None
    return kinds


def sync_kinds(engine: Engine, raw: list[dict], *, actor: str = "config") -> dict[str, list[str]]:
    """Write the configuration's kinds into the table: new codes added, those not edited by the admin
    updated; returns ``{"added": [...], "updated": [...], "kept": [...]}`` (kept: edited by the admin, left
    as they are). Audited when anything changed."""
    wanted = kind_settings(raw)
    done: dict[str, list[str]] = {"added": [], "updated": [], "kept": []}
    if not wanted:
        return done
    with Session(engine) as session, session.begin():
        groups = {group.code: group for group in session.scalars(select(BillKindGroup))}
        for kind in wanted:
            if kind.group not in groups:
                if not (kind.group_name_id and kind.group_name_en):
                    raise ValueError(f"[[bill_kinds]] {kind.code}: group {kind.group!r} is new; give group_name_id "
                                     f"and group_name_en (known groups: {', '.join(sorted(groups))})")
                groups[kind.group] = BillKindGroup(code=kind.group, name_id=kind.group_name_id,
                                                   name_en=kind.group_name_en)
                session.add(groups[kind.group])
                session.flush()
            row = session.get(BillKind, kind.code)
            values = {"name_id": kind.name_id, "name_en": kind.name_en, "group_code": kind.group,
                      "per_semester": kind.per_semester, "tokens_apply": kind.tokens_apply, "active": kind.active}
            if row is None:
                session.add(BillKind(code=kind.code, origin="config", **values))
                done["added"].append(kind.code)
            elif row.origin == "admin":
                done["kept"].append(kind.code)
            elif any(getattr(row, name) != value for name, value in values.items()) or row.origin != "config":
                for name, value in values.items():
                    setattr(row, name, value)
                row.origin = "config"
                done["updated"].append(kind.code)
        if done["added"] or done["updated"]:
            audit.record(session, actor, "admin.kinds.config", "bill_kinds",
                         {"added": ",".join(done["added"]), "updated": ",".join(done["updated"])})
    return done


def accepted_codes(connection: Connection) -> set[str]:
    """The kind codes a bill sync accepts: the active kinds."""
    return set(connection.scalars(select(BillKind.code).where(BillKind.active)))


def update_kind(session: Session, code: str, *, name_id: str, name_en: str, group: str, per_semester: bool,
                tokens_apply: bool, active: bool, actor: str, ip: str | None = None) -> bool:
    """The admin's edit of one kind (its code stays); returns whether anything changed. Audited with what
    changed; ValueError when the kind or group is unknown or a name is empty."""
    row = session.get(BillKind, code)
    if row is None:
        raise Refusal("no bill kind {code}", code=repr(code))
    if session.get(BillKindGroup, group) is None:
        raise Refusal("no bill kind group {group}", group=repr(group))
    name_id, name_en = (name_id or "").strip(), (name_en or "").strip()
    if not name_id or not name_en or len(name_id) > 80 or len(name_en) > 80:
        raise Refusal("names of 1 to 80 characters in both languages")
    values = {"name_id": name_id, "name_en": name_en, "group_code": group, "per_semester": bool(per_semester),
              "tokens_apply": bool(tokens_apply), "active": bool(active)}
    changed = {name: f"{getattr(row, name)} -> {value}" for name, value in values.items()
               if getattr(row, name) != value}
    if not changed:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.origin = "admin"
    audit.record(session, actor, "admin.kind.update", f"bill_kind:{code}", changed, ip=ip)
    return True
