"""A draft written as a catalogue file: TOML in the layout of the built-in SOP files, each reviewer's note a
comment above its step, so the file can be read, corrected and published (`pantau sop publish`)."""

from __future__ import annotations

import json
from datetime import date

from .draft import Draft

_ORDER = ("key", "number", "flow", "name", "performer", "performer_role", "unit", "time", "equipment", "output",
          "notes", "outside_party", "decision", "branches", "next")


def draft_toml(draft: Draft) -> str:
    """The draft as TOML text (the notes as comments)."""
    data = draft.as_catalogue()
    lines = [f"# Imported from {draft.path.name} by `pantau sop import`: a draft, review the notes before publishing."]
    lines += [f"# review ({note.field}): {note.message}" for note in draft.notes]
    lines.append("")
    for name in ("code", "name", "institution", "document_number", "created", "effective", "unit"):
        if name in data:
            lines.append(f"{name} = {_value(data[name])}")
    if data.get("warnings"):
        lines.append("warnings = [")
        lines += [f"  {_value(text)}," for text in data["warnings"]]
        lines.append("]")
    for flow in data.get("flows", ()):
        lines += ["", "[[flows]]", f"key = {_value(flow['key'])}", f"name = {_value(flow['name'])}"]
    for step, source in zip(data["steps"], draft.steps):
        lines += ["", f"# {source.row.source.where}"]
        lines += [f"# review ({note.field}): {note.message}" for note in source.notes]
        lines.append("[[steps]]")
        for name in _ORDER:
            if name in step:
                lines.append(f"{name} = {_value(step[name])}")
    return "\n".join(lines) + "\n"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
