"""The audit log in words: actions and their details as a reader says them, not as the code stores them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pantau.recon.words import STATE_WORDS
from pantau.roles import ROLE_NAMES
from pantau.sources.kinds import KIND_NAMES

ACTIONS = {
    "login.ok": "Log-in succeeded", "login.failed": "Log-in failed", "login.throttled": "Log-in throttled",
    "login.lockout": "Account locked after failed log-ins", "logout": "Logged out",
    "user.create": "User created", "user.password": "Password changed", "user.activate": "User activated",
    "user.deactivate": "User deactivated", "user.logout_everywhere": "Logged out everywhere",
    "token.issue": "API token issued", "token.revoke": "API token revoked", "store.backup": "Store backed up",
    "store.restore": "Store restored", "sop.publish": "SOP version published",
    "admin.prodi.update": "Study programme edited", "admin.kinds.config": "Bill kinds read from the settings",
    "admin.kind.update": "Bill kind edited", "status.service": "Status page service changed",
    "status.incident.post": "Status page incident posted", "status.incident.update": "Status page incident updated",
    "status.incident.edit": "Status page note edited", "status.incident.withdraw": "Status page note withdrawn",
    "recon.case.resolve": "Reconciliation case resolved", "events.correction": "Workflow step corrected",
    "events.record": "Workflow step recorded", "alert.acknowledge": "Alert acknowledged",
    "alert.resolve": "Alert resolved", "alert.remind": "Alert reminder sent", "tokens.topup": "Token top-up",
    "tokens.extension": "Payment period extended", "agent.first_push": "Host agent's first reading",
    "source.check": "Source checked", "events.api": "Workflow events received", "bills.sync": "Bills synchronised",
    "events.import": "Workflow events imported", "bank.import": "Bank file imported",
    "bank.import.rejected": "Bank file refused", "report.monthly.sent": "Monthly report sent",
}
"""Each audited action's words (English message ids, translated by the page)."""
FIELDS = {"kind": "Kind", "role": "Role", "unit": "Unit", "purpose": "Purpose", "bytes": "Bytes",
          "resolution": "Resolution", "note": "Note", "note_en": "English note", "state": "State",
          "quantity": "Quantity", "until": "Until", "channel": "Channel", "channels": "Delivered to",
          "from": "Previous deadline", "to": "New deadline", "label": "Public label", "label_en": "English label",
          "title": "Title", "title_en": "English title", "update": "Update text", "before": "Before the edit",
          "after": "After the edit", "published": "Shown on the public page", "position": "Order on the page",
          "name": "Name", "source": "Source", "steps": "Steps", "sop": "SOP", "event": "Event",
          "started_at": "Started", "completed_at": "Completed", "performer": "Performer", "outcome": "Outcome",
          "read": "Rows read", "written": "Rows written", "quarantined": "Rows set aside",
          "deleted": "Rows deleted", "backfilled": "Rows backfilled", "master_rows": "Master data rows",
          "added": "Kinds added", "updated": "Kinds updated", "name_id": "Name in Indonesian",
          "name_en": "Name in English", "group_code": "Kind group", "per_semester": "Per semester",
          "tokens_apply": "Needs a payment token", "active": "Active", "jenjang": "Degree level",
          "jurusan": "Jurusan", "fakultas": "Faculty (if any)", "scope": "Counted per", "failures": "Failed log-ins",
          "minutes": "Locked for (minutes)", "kpis": "KPIs", "error": "Problem", "reason": "Reason"}
"""Each detail key's words (English message ids); a key not listed is shown as stored."""
SCOPES = {"user+address": "user name and address", "address": "address"}
"""What a lock-out counted failures per (`scope` in the details of login.lockout)."""
PUBLIC_STATES = {"investigating": "Investigating", "identified": "Cause identified", "monitoring": "Monitoring",
                 "resolved": "Resolved"}
"""A status page note's state of the work (`state` in the details of status.incident.*)."""
HIDDEN = {"case_key", "dedup_key"}
"""Internal keys of details: the target already names the case or the alert."""
TARGETS = {"recon_case": "Reconciliation case {id}", "alert": "Alert {id}", "wave": "Admission wave {id}",
           "prodi": "Study programme {id}", "bill_kind": "Bill kind {id}", "bank_import": "Bank file import {id}",
           "source": "Source {id}", "incident": "Incident {id}", "agent": "Host agent {id}", "token": "API token {id}"}
"""Targets written `<kind>:<id>` (or `<kind> <id>`), in words."""
WHOLE_TARGETS = {"bill_kinds": "Bill kinds"}
"""Targets that are a whole subject, in words."""
ROLES = ROLE_NAMES


def action_words(action: str, t: Callable[[str], str]) -> str:
    """`login.ok` -> "Masuk berhasil"; an action without words keeps its code."""
    return t(ACTIONS[action]) if action in ACTIONS else action


def detail_words(detail: Mapping | None, t: Callable[[str], str]) -> str:
    """`{"role": "admin", "unit": None}` -> "Peran: Administrator"; empty values left out, roles by name."""
    parts = []
    for key, value in (detail or {}).items():
        if value in (None, "", [], {}):
            continue
        if key in HIDDEN:
            continue
        shown = (t(ROLES[value]) if key == "role" and value in ROLES
                 else t(STATE_WORDS[value]) if key == "kind" and value in STATE_WORDS
                 else t(PUBLIC_STATES[value]) if key == "state" and value in PUBLIC_STATES
                 else t(SCOPES[value]) if key == "scope" and value in SCOPES
                 else _value(value, t))
        parts.append(f"{t(FIELDS[key]) if key in FIELDS else key}: {shown}")
    return "; ".join(parts)


def _value(value, t: Callable[[str], str]) -> str:
    """A detail's value as read: a change `[before, after]` as `before → after`, yes/no in words."""
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, list | tuple) and len(value) == 2:
        return " → ".join("–" if part in (None, "", "None") else str(part) for part in value)
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value)
    if isinstance(value, str) and " -> " in value:  # a master-data edit: "before -> after" as stored
        return _value(value.split(" -> ", 1), t)
    return str(value)


def target_words(target: str | None, t: Callable[[str], str], names: Mapping[str, str] | None = None) -> str:
    """`recon_case:12` -> "Kasus rekonsiliasi 12", `monitor:payment-server` -> "Monitor Server pembayaran"; a
    target `names` knows (a monitor's key) by its name; any other (a user name, a file) as it is."""
    names = names or {}
    if target in names:
        return names[target]
    if target in WHOLE_TARGETS:
        return t(WHOLE_TARGETS[target])
    found = re.fullmatch(r"([a-z_]+)[: ](.+)", target or "")
    if not found:
        return target or "–"
    kind, rest = found.groups()
    if kind in TARGETS:
        return t(TARGETS[kind]).format(id=rest)
    return f"{t(KIND_NAMES[kind])} {names.get(rest, rest)}" if kind in KIND_NAMES else target
