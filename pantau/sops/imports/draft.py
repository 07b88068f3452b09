"""A draft SOP from a document's SOP table, in the catalogue's format, with notes for its reviewer.

Steps keep the table's order (numbered anew per flow: documents repeat and skip numbers); each step's
executor is its marked Pelaksana column, else the column its activity names as subject; its standard time
is read from the Waktu words (`times.parse_time`). Decisions (branch labels such as Setuju / Ditolak in the
Pelaksana cells) and outside waits ("... oleh kolegium") are made and flagged; conditional wording and
flowchart labels the table cannot place are flagged only. Where the catalogue already has the SOP (`base`),
step keys, roles and units are taken over from its steps, so cases and sources keep their step keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from dataclasses import field as default
from pathlib import Path

from pydantic import ValidationError

from pantau.sops.models import END, Sop

from .executors import counterpart, is_branch_label, likely_role, outside_party, subject
from .header import particulars
from .source import SopDocumentError, read_rows
from .table import SopTable, TableRow, find_tables
from .times import ParsedTime, parse_time, time_mentioned

_STOP = {"dan", "yang", "di", "ke", "dari", "melalui", "dengan", "untuk", "kepada", "pada", "oleh", "atau",
         "maupun", "serta", "akan", "dapat", "baik", "sesuai", "telah", "a", "b", "c"}
_NOBODY = "no marked Pelaksana column and none named in the activity: choose one"
_SAID = {("code", "string_pattern_mismatch"): "capital letters, digits and '_' only, beginning with a letter"}
"""Pydantic's refusals of what the reviewer types (a missing particular is found before), as message ids
(`sopimport.po`); others as pydantic says them."""
_CONDITIONAL = re.compile(r"\b(apabila|jika|bila|bilamana)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Note:
    """Something the reviewer should look at: the field concerned and why (`text` with `{placeholders}` filled
    from `values`, so a page can translate it)."""

    field: str
    text: str
    values: dict = default(default_factory=dict)

    @property
    def message(self) -> str:
        return self.text.format(**self.values)


@dataclass(frozen=True)
class DraftStep:
    """One step of the draft beside the row it came from."""

    row: TableRow
    data: dict
    time: ParsedTime
    notes: tuple[Note, ...] = ()
    columns: tuple[str, ...] = ()
    """The Pelaksana columns of its table, from which the reviewer may choose its executor."""
    adopted: bool = False
    """Whether key, role and unit come from the catalogue's step."""

    def uncertain(self, name: str) -> bool:
        return any(note.field == name for note in self.notes)


@dataclass(frozen=True)
class Draft:
    """The draft SOP: particulars, flows and steps, and notes on the document as a whole."""

    path: Path
    particulars: dict
    flows: tuple[dict, ...]
    steps: tuple[DraftStep, ...]
    notes: tuple[Note, ...] = ()

    def as_catalogue(self) -> dict:
        """The SOP as a catalogue file holds it (TOML's tables, before validation)."""
        data = {key: value for key, value in self.particulars.items() if value not in (None, [], "")}
        if self.flows:
            data["flows"] = [dict(flow) for flow in self.flows]
        data["steps"] = [dict(step.data) for step in self.steps]
        return data

    def problems(self) -> list[tuple[str, str, str]]:
        """What stops publishing, as (where, field, message): no executor, a time not understood, an invalid SOP."""
        found = []
        for step in self.steps:
            where = step.row.source.where
            if not step.data["performer"]:
                found.append((where, "Pelaksana", "no executor: choose the Pelaksana column"))
            if not step.time.understood:
                found.append((where, "Waktu", "not understood as a time"))
        for name in ("code", "name", "institution", "document_number", "unit"):
            if not self.particulars.get(name):
                found.append(("", name, "not given"))
        if not found:
            try:
                self.sop()
            except ValidationError as error:
                for detail in error.errors():
                    field = ".".join(map(str, detail["loc"]))
                    found.append(("", field, _SAID.get((field, detail["type"]), detail["msg"])))
            except ValueError as error:
                found.append(("", "steps", str(error)))
        return found

    def sop(self) -> Sop:
        """The draft as a catalogue SOP (pydantic's ValidationError when it is not yet one)."""
        return Sop.model_validate(self.as_catalogue())

    def with_executors(self, chosen: dict[int, str]) -> Draft:
        """The draft with the executors the reviewer chose, by step position (a Pelaksana column each)."""
        steps = list(self.steps)
        for position, column in chosen.items():
            if 0 <= position < len(steps) and column and column in steps[position].columns:
                step = steps[position]
                data = {**step.data, "performer": column}
                if not step.adopted:
                    data["performer_role"] = likely_role(column).value
                notes = tuple(note for note in step.notes if note.field != "performer")
                steps[position] = replace(step, data=data, notes=notes + (Note("performer", "chosen by the reviewer"),))
        return replace(self, steps=tuple(steps))

    def with_particulars(self, **values) -> Draft:
        return replace(self, particulars={**self.particulars, **{k: v for k, v in values.items() if v}})


def import_document(path: Path, *, data: bytes | None = None, code: str | None = None, unit: str | None = None,
                    base: Sop | None = None) -> Draft:
    """Read the SOP table of the document at `path` (or `data`) into a draft; SopDocumentError when it has none."""
    rows = read_rows(path, data)
    tables = find_tables(path, rows)
    about = particulars(rows[: _first_row(rows, tables[0])])
    info = {"code": (code or (base.code if base else "")).upper(), "name": about["name"] or (base.name if base else ""),
            "institution": about["institution"] or (base.institution if base else ""),
            "document_number": about["document_number"] or (base.document_number if base else ""),
            "created": about["created"], "effective": about["effective"],
            "unit": unit or (base.unit if base else ""), "warnings": about["warnings"]}
    notes = []
    flows: list[dict] = []
    if len(tables) > 1:
        base_flows = list(base.flows) if base else []
        for index, table in enumerate(tables):
            title = _flow_title(table.title) or f"Prosedur {index + 1}"
            key = base_flows[index].key if len(base_flows) == len(tables) else _slug(title, {f["key"] for f in flows})
            flows.append({"key": key, "name": title})
    steps: list[DraftStep] = []
    for index, table in enumerate(tables):
        flow = flows[index]["key"] if flows else None
        steps += _steps(path, table, flow, info["unit"], base)
        labels = [row.text for row in table.after if is_branch_label(row.text)]
        if labels:
            notes.append(Note("decision", "flowchart labels outside the table ({labels}): the decision they belong "
                                          "to is not placed; mark it on review", {"labels": ", ".join(labels)}))
    _link_branches(steps)
    for name in ("name", "institution", "document_number"):
        if not about[name]:
            notes.append(Note(name, "not found in the document: taken from the catalogue" if base
                              else "not found in the document"))
    return Draft(path, info, tuple(flows), tuple(steps), tuple(notes))


def _first_row(rows, table: SopTable) -> int:
    return next(index for index, row in enumerate(rows) if row.where == table.header.where)


def _flow_title(title: str | None) -> str | None:
    if not title:
        return None
    text = re.sub(r"^[a-z0-9]{1,2}[.)]\s*", "", title.strip("* "), flags=re.IGNORECASE).strip("*: ")
    text = re.sub(r"^diagram alur\s+", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def _steps(path: Path, table: SopTable, flow: str | None, unit: str, base: Sop | None) -> list[DraftStep]:
    columns = [name for _, name in table.header.performers]
    known = list(base.flow_steps(flow)) if base else []
    adopt = len(known) == len(table.rows)
    keys: set[str] = set()
    steps = []
    for number, row in enumerate(table.rows, 1):
        notes: list[Note] = []
        if row.number != number:
            notes.append(Note("number", "numbered {written} in the document; step {number} here",
                              {"written": row.number if row.number is not None else "-", "number": number}))
        performer, branch_labels = _executor(row, columns, notes)
        marked = any(not is_branch_label(text) for text in row.marks.values())
        outsider = None if marked else outside_party(row.activity, columns)
        if outsider:
            notes.append(Note("outside_party", "done by {who}, none of the Pelaksana columns: a wait on an outside "
                                               "party, tracked apart from the institution's time", {"who": outsider}))
            if performer is None:
                notes[:] = [note for note in notes if note.text != _NOBODY]
            performer = performer or outsider
        time = parse_time(row.time)
        if time.uncertain:
            notes += [Note("time", text, values) for text, values in time.reasons]
        mentioned = time_mentioned(f"{row.output} {row.notes}") if time.value is None else None
        if mentioned:
            notes.append(Note("time", "Waktu says '{written}' but the row's other words say '{mentioned}'",
                              {"written": row.time or "-", "mentioned": mentioned}))
        name = re.sub(r"^[-–•]\s*", "", row.activity)
        if not branch_labels and _CONDITIONAL.search(name):
            notes.append(Note("decision", "conditional wording ('{word}'): if this is a decision, mark its branches "
                                          "on review", {"word": _CONDITIONAL.search(name)[0]}))
        previous = known[number - 1] if adopt else next((s for s in known if _same(s.name, name)), None)
        key = previous.key if previous else _slug(name, keys)
        keys.add(key)
        data = {"key": key, "number": number, **({"flow": flow} if flow else {}), "name": name,
                "performer": performer or "",
                "performer_role": (previous.performer_role.value if previous else likely_role(performer or "").value),
                "unit": previous.unit if previous else unit, "time": time.as_catalogue()}
        if previous:
            notes.append(Note("key", "key, role and unit of the catalogue's step {number} ({key})",
                              {"number": previous.number, "key": previous.key}))
        for name_, value in (("equipment", row.equipment), ("output", row.output), ("notes", row.notes)):
            if value:
                data[name_] = value
        if outsider:
            data["outside_party"] = True
        if branch_labels:
            data["decision"] = f"{name}: {' / '.join(branch_labels)}?"
            data["_branches"] = branch_labels
            notes.append(Note("decision", "a decision with the branches {labels} (from the Pelaksana cells): the "
                                          "first goes on, the others end the case",
                              {"labels": ", ".join(branch_labels)}))
        steps.append(DraftStep(row, data, time, tuple(notes), tuple(columns), previous is not None))
    return steps


def _executor(row: TableRow, columns: list[str], notes: list[Note]) -> tuple[str | None, list[str]]:
    branches = [text for text in (*row.marks.values(), *row.unnamed_marks) if is_branch_label(text)]
    marked = [column for column, text in row.marks.items() if not is_branch_label(text)]
    if row.misaligned:
        stray = [text for text in row.unnamed_marks if not is_branch_label(text)]
        notes.append(Note("performer", "the row has fewer cells than the header, so its Pelaksana cells cannot be "
                                       "placed (it holds: {stray})", {"stray": ", ".join(stray) or "-"}))
    elif row.unnamed_marks and not branches:
        notes.append(Note("performer", "a mark in a Pelaksana column without a name: '{mark}'",
                          {"mark": row.unnamed_marks[0]}))
    if marked:
        if len(marked) > 1:
            notes.append(Note("performer", "{count} Pelaksana columns marked: {columns}",
                              {"count": len(marked), "columns": ", ".join(marked)}))
        return " dan ".join(marked), branches
    named = subject(row.activity, columns)
    if named:
        notes.append(Note("performer", "no marked column: '{column}' is named as the activity's subject",
                          {"column": named}))
        return named, branches
    party = counterpart(row.activity, columns)
    if party:
        notes.append(Note("performer", "no marked column: '{column}' read from the activity's wording (who asks "
                                       "and who serves)", {"column": party}))
        return party, branches
    notes.append(Note("performer", _NOBODY))
    return None, branches


def _link_branches(steps: list[DraftStep]) -> None:
    for index, step in enumerate(steps):
        labels = step.data.pop("_branches", None)
        if not labels:
            continue
        following = next((s for s in steps[index + 1:] if s.data.get("flow") == step.data.get("flow")), None)
        targets = [following.data["key"] if following else END] + [END] * (len(labels) - 1)
        keys: set[str] = set()
        branches = []
        for text, target in zip(labels, targets):
            key = _slug(text, keys)
            keys.add(key)
            branches.append({"key": key, "label": text, "target": target})
        step.data["branches"] = branches


def _same(left: str, right: str) -> bool:
    return _words(left) == _words(right)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _slug(text: str, taken: set[str]) -> str:
    words = [word for word in _words(text) if word not in _STOP and not word.isdigit()][:3] or ["langkah"]
    key = "_".join(words)[:40]
    key = key if re.match(r"^[a-z]", key) else f"s_{key}"
    candidate, suffix = key, 2
    while candidate in taken:
        candidate, suffix = f"{key}_{suffix}", suffix + 1
    return candidate


__all__ = ["Draft", "DraftStep", "Note", "SopDocumentError", "import_document"]
