"""How an imported SOP differs from a catalogue SOP, step by step: its name, executor, standard time, decision
branches and outside wait.

An executor is the same when the two name the same Pelaksana column; the catalogue may add a description
to the column's name ("Divisi PSI" for the column "PSI", "Unit Terkait (Bank)" for "Unit Terkait").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pantau.sops.models import Sop, StandardTime


@dataclass(frozen=True)
class Difference:
    """One field of one step (`step` as "3", or "flow:3" in an SOP with flows) that differs."""

    step: str
    field: str
    imported: object
    catalogue: object

    def __str__(self) -> str:
        return f"step {self.step} {self.field}: imported {self.imported!r}, catalogue {self.catalogue!r}"


def differences(imported: dict, catalogue: Sop) -> list[Difference]:
    """Differences between an imported SOP (in the catalogue's format: `Draft.as_catalogue`) and `catalogue`."""
    found: list[Difference] = []
    steps = imported.get("steps", [])
    flows = [flow.key for flow in catalogue.flows] or [None]
    for flow in flows:
        mine = [step for step in steps if step.get("flow") == flow]
        theirs = catalogue.flow_steps(flow)
        label = f"{flow}:" if flow else ""
        if len(mine) != len(theirs):
            found.append(Difference(f"{label}*", "steps", len(mine), len(theirs)))
        for number, (step, known) in enumerate(zip(mine, theirs), 1):
            where = f"{label}{number}"
            if _plain(step["name"]) != _plain(known.name):
                found.append(Difference(where, "name", step["name"], known.name))
            if not same_executor(step.get("performer") or "", known.performer):
                found.append(Difference(where, "performer", step.get("performer") or None, known.performer))
            time = StandardTime.model_validate({k: v for k, v in step["time"].items() if k != "written"})
            if (time.value, time.unit) != (known.time.value, known.time.unit):
                found.append(Difference(where, "time", _time(time), _time(known.time)))
            mine_branches = tuple(branch["label"] for branch in step.get("branches", ()))
            their_branches = tuple(branch.label for branch in known.branches)
            if mine_branches != their_branches:
                found.append(Difference(where, "branches", mine_branches, their_branches))
            if bool(step.get("outside_party")) != known.outside_party:
                found.append(Difference(where, "outside_party", bool(step.get("outside_party")), known.outside_party))
    return found


def same_executor(imported: str, catalogue: str) -> bool:
    """Whether the imported executor (a Pelaksana column) is the one the catalogue names."""
    if not imported:
        return not catalogue
    mine, theirs = _plain(imported), _plain(catalogue)
    return mine == theirs or re.search(rf"(?<![\w]){re.escape(mine)}(?![\w])", theirs) is not None


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def _time(time: StandardTime) -> str:
    return f"{time.value} {time.unit.value}" if time.value is not None else time.unit.value
