"""Which SOP steps a user is shown: all for the director and the administrator, their own otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pantau.sops import Sop

Scope = dict[str, frozenset[str]] | None
"""Step keys by SOP code a user may see; None means every step of every SOP."""

_ALL = ("direktur", "admin")
_BY_ROLE = ("kepala_it", "bendahara")


def visible_steps(catalogue: Mapping[str, Sop], role: str, unit: str | None = None) -> Scope:
    """The steps `role` (and, for an operator, `unit`) may see.

    Operators see every step of the SOPs their unit owns and the steps their unit performs in
    other SOPs (units compare ignoring case and surrounding spaces). The IT head and the receiving
    treasurer see the steps whose performer role is theirs. Other roles see nothing.
    """
    if role in _ALL:
        return None
    scope: dict[str, frozenset[str]] = {}
    for code, sop in catalogue.items():
        if role == "operator":
            own = _same(unit, sop.unit)
            keys = frozenset(step.key for step in sop.steps if own or _same(unit, step.unit))
        elif role in _BY_ROLE:
            keys = frozenset(step.key for step in sop.steps if step.performer_role == role)
        else:
            keys = frozenset()
        if keys:
            scope[code] = keys
    return scope


def assigned_sops(catalogue: Mapping[str, Sop], role: str, unit: str | None, codes: Iterable[str]) -> list[str]:
    """Which of `codes` a user may open pages and alerts about, by unit: an operator only the SOPs assigned to
    their unit (it owns the SOP or performs one of its steps, as `visible_steps` reads it); other roles are not
    limited by unit (their pages are limited by role)."""
    if role != "operator":
        return list(codes)
    scope = visible_steps(catalogue, role, unit)
    return [code for code in codes if code in scope]


def visible_sops(catalogue: Mapping[str, Sop], scope: Scope) -> list[str]:
    """SOP codes with at least one visible step, in catalogue order."""
    return [code for code in catalogue if scope is None or code in scope]


def narrow(scope: Scope, catalogue: Mapping[str, Sop], sop_code: str | None) -> Scope:
    """`scope` limited to one SOP (unchanged when `sop_code` is None)."""
    if sop_code is None:
        return scope
    if scope is None:
        sop = catalogue.get(sop_code)
        return {sop_code: frozenset(step.key for step in sop.steps)} if sop else {}
    return {sop_code: scope[sop_code]} if sop_code in scope else {}


def _same(unit: str | None, other: str) -> bool:
    return bool(unit) and unit.strip().casefold() == other.strip().casefold()
