"""Who is shown and told which alert: the alert's role, narrowed the way pages are.

An alert goes to one role. An alert about an SOP (its `sop_code`, and `step_key` when it is about one step)
reaches that role only where the role may open it by the rule the pages follow (`pantau.sla.scope`): an
operator the SOPs assigned to their unit, and of the others only the steps their unit performs; the IT
head and the treasurer the steps they perform. The administrator sees every alert. The alerts page filters
with `where_visible`, the notifier routes with `sees`: one rule for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql import ColumnElement

from pantau.models import Alert
from pantau.sla.scope import Scope, assigned_sops, visible_steps
from pantau.sops import Sop

EVERYTHING = "admin"


@dataclass(frozen=True)
class Audience:
    """A reader of alerts: a role, and for SOP alerts the SOPs and steps it may open (None: all)."""

    role: str
    sops: frozenset[str] | None
    steps: Scope

    @property
    def sees_everything(self) -> bool:
        return self.role == EVERYTHING


def audience(catalogue: Mapping[str, Sop], role: str, unit: str | None = None) -> Audience:
    """The audience of a user (or a channel) of `role`, of `unit` for an operator."""
    if role == EVERYTHING:
        return Audience(role, None, None)
    sops = assigned_sops(catalogue, role, unit, catalogue)
    return Audience(role, None if role != "operator" else frozenset(sops), visible_steps(catalogue, role, unit))


def sees(reader: Audience, role: str, sop_code: str | None, step_key: str | None) -> bool:
    """Whether `reader` is shown and told about an alert of `role` about (`sop_code`, `step_key`)."""
    if reader.sees_everything:
        return True
    if role != reader.role:
        return False
    if sop_code is None:
        return True
    if step_key is None:
        return reader.sops is None or sop_code in reader.sops
    return reader.steps is None or step_key in reader.steps.get(sop_code, ())


def where_visible(reader: Audience | None) -> ColumnElement[bool]:
    """`sees` as a condition on `alerts` (None, like the administrator, sees everything)."""
    if reader is None or reader.sees_everything:
        return true()
    about_sop = Alert.step_key.is_(None) if reader.sops is None else and_(
        Alert.step_key.is_(None), Alert.sop_code.in_(sorted(reader.sops)) if reader.sops else false())
    about_step = Alert.step_key.is_not(None) if reader.steps is None else or_(false(), *(
        and_(Alert.sop_code == code, Alert.step_key.in_(sorted(keys))) for code, keys in sorted(reader.steps.items())))
    return and_(Alert.role == reader.role, or_(Alert.sop_code.is_(None), about_sop, about_step))
