"""The audit log in words: actions and their details as a reader says them, not as the code stores them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
    "source.check": "Source checked",
}
"""Each audited action's words (English message ids, translated by the page)."""
FIELDS = {"role": "Role", "unit": "Unit", "purpose": "Purpose", "bytes": "Bytes", "dedup_key": "Alert key",
          "resolution": "Resolution", "note": "Note", "quantity": "Quantity", "until": "Until"}
ROLES = {"direktur": "Director", "kepala_it": "Head of IT", "bendahara": "Receiving treasurer",
         "operator": "Operator", "admin": "Administrator"}


def action_words(action: str, t: Callable[[str], str]) -> str:
    """`login.ok` -> "Masuk berhasil"; an action without words keeps its code."""
    return t(ACTIONS[action]) if action in ACTIONS else action


def detail_words(detail: Mapping | None, t: Callable[[str], str]) -> str:
    """`{"role": "admin", "unit": None}` -> "Peran: Administrator"; empty values left out, roles by name."""
    parts = []
    for key, value in (detail or {}).items():
        if value in (None, "", [], {}):
            continue
        shown = t(ROLES[value]) if key == "role" and value in ROLES else str(value)
        parts.append(f"{t(FIELDS[key]) if key in FIELDS else key}: {shown}")
    return "; ".join(parts)
