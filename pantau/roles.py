"""What people call each role (English message ids, `shell.po`): pages, the audit log and the command line say
"Kepala Unit IT", never `kepala_it`."""

from __future__ import annotations

from pantau.i18n import translate

ROLE_NAMES = {
    "direktur": "Director",
    "kepala_it": "Head of IT",
    "bendahara": "Receiving treasurer",
    "operator": "Operator",
    "admin": "Administrator",
}


def role_name(code: str | None, lang: str = "id") -> str:
    """`kepala_it` -> "Kepala Unit IT" (in `lang`); an unknown code as it is."""
    return translate(ROLE_NAMES[code], lang) if code in ROLE_NAMES else (code or "–")
