"""The SOP catalogue's data model: an SOP, its flows and steps, standard times and branches."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pantau.workcalendar import TimeUnit, UnknownTermError, resolve_term

END = "end"
"""The branch or `next` target that ends a case."""

_KEY = r"^[a-z][a-z0-9_]*$"


class PerformerRole(StrEnum):
    """The Pantau role accountable for a step, and alerted when it is at risk or breached."""

    DIREKTUR = "direktur"
    KEPALA_IT = "kepala_it"
    BENDAHARA = "bendahara"
    OPERATOR = "operator"


class StepProblem(ValueError):
    """A problem with one step found when checking an SOP as a whole (keys, numbers, targets)."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.field = field
        self.message = message


class StandardTime(BaseModel):
    """A step's standard time ("Mutu Baku — Waktu"): an amount in an explicit unit.

    Written in a file either as `value` and `unit`, or as a `term` defined in
    `pantau.workcalendar.units.TERMS` (such as "1x24 jam hari kerja", optionally "maksimal ...").
    `written` keeps the SOP document's own words, for display.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int | None = None
    unit: TimeUnit
    term: str | None = None
    written: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise PydanticCustomError("time", "a time is a table with value and unit, or term")
        data = dict(data)
        if data.get("term") is not None:
            if "value" in data or "unit" in data:
                raise PydanticCustomError("time", "give either term or value and unit, not both")
            try:
                data["value"], data["unit"] = resolve_term(str(data["term"]))
            except UnknownTermError as error:
                raise PydanticCustomError("time", str(error)) from None
            return data
        if "unit" not in data:
            raise PydanticCustomError("time", "missing unit (or term)")
        unit = data["unit"]
        if not isinstance(unit, str) or unit not in {known.value for known in TimeUnit}:
            known = ", ".join(u.value for u in TimeUnit)
            raise PydanticCustomError("time", f"unknown unit {unit!r}; known units: {known}")
        value = data.get("value")
        if TimeUnit(unit).measurable:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise PydanticCustomError("time", f"unit {unit!r} needs a positive whole value, got {value!r}")
        elif value is not None:
            raise PydanticCustomError("time", f"unit {unit!r} takes no value")
        return data


class Branch(BaseModel):
    """One outcome of a decision step (Setuju/Ditolak, YA/TIDAK, access granted/rejected)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=_KEY)
    label: str
    target: str


class Flow(BaseModel):
    """One of several flows in an SOP document that describes more than one procedure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=_KEY)
    name: str


class Step(BaseModel):
    """One step of an SOP, as its table states it.

    `performer` is who the document says does the step; `performer_role` and `unit` are the role and
    the institution's unit accountable for it in Pantau (also when the performer is a student, an
    applicant or an outside body). `outside_party` marks a wait on a party outside the institution,
    tracked apart from the institution's own time. A decision step states its question in `decision`
    and its outcomes in `branches`; any other step leads to `next`, or to the following step of its
    flow, or ends the case when it is the last.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=_KEY)
    number: int = Field(ge=1)
    flow: str | None = None
    name: str
    performer: str
    performer_role: PerformerRole
    unit: str
    time: StandardTime
    equipment: str | None = None
    output: str | None = None
    notes: str | None = None
    outside_party: bool = False
    decision: str | None = None
    branches: tuple[Branch, ...] = ()
    next: str | None = None
    access_valid_for: StandardTime | None = None

    @field_validator("performer_role", mode="before")
    @classmethod
    def _known_role(cls, value: Any) -> Any:
        if not isinstance(value, str) or value not in {role.value for role in PerformerRole}:
            known = ", ".join(role.value for role in PerformerRole)
            raise PydanticCustomError("role", f"unknown role {value!r}; known roles: {known}")
        return value


class Sop(BaseModel):
    """A standard operating procedure: its document data and its steps in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    short_name: str | None = Field(default=None, min_length=1, max_length=48)
    """What a reader knows the SOP by, after its code ("KTM · Pembuatan KTM"); see `pantau.sops.names`."""
    institution: str
    document_number: str
    created: date | None = None
    effective: date | None = None
    unit: str
    warnings: tuple[str, ...] = ()
    flows: tuple[Flow, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_steps(self) -> Sop:
        flow_keys = [flow.key for flow in self.flows]
        if len(set(flow_keys)) != len(flow_keys):
            raise ValueError(f"duplicate flow key in {flow_keys}")
        seen: dict[str, int] = {}
        expected_number: dict[str | None, int] = {}
        for index, step in enumerate(self.steps):
            if step.key in seen:
                message = f"duplicate step key {step.key!r} (also the file's step {seen[step.key] + 1})"
                raise StepProblem(index, "key", message)
            seen[step.key] = index
            if self.flows and step.flow not in flow_keys:
                raise StepProblem(index, "flow", f"flow {step.flow!r} is not one of the SOP's flows {flow_keys}")
            if not self.flows and step.flow is not None:
                raise StepProblem(index, "flow", f"flow {step.flow!r} given but the SOP declares no flows")
            expected = expected_number.get(step.flow, 1)
            if step.number != expected:
                raise StepProblem(index, "number", f"number {step.number} out of order: expected {expected}")
            expected_number[step.flow] = expected + 1
        for index, step in enumerate(self.steps):
            self._check_targets(index, step)
        return self

    def _check_targets(self, index: int, step: Step) -> None:
        if step.branches and step.next is not None:
            raise StepProblem(index, "next", "a step with branches takes no next")
        if bool(step.branches) != (step.decision is not None):
            raise StepProblem(index, "decision", "a step has both a decision and branches, or neither")
        if len(step.branches) == 1:
            raise StepProblem(index, "branches", "a decision needs at least two branches")
        branch_keys = [branch.key for branch in step.branches]
        if len(set(branch_keys)) != len(branch_keys):
            raise StepProblem(index, "branches", f"duplicate branch key in {branch_keys}")
        targets = [("branches", branch.target) for branch in step.branches]
        if step.next is not None:
            targets.append(("next", step.next))
        for field, target in targets:
            if target == END:
                continue
            destination = next((other for other in self.steps if other.key == target), None)
            if destination is None:
                raise StepProblem(index, field, f"target {target!r} is not a step key of this SOP (or {END!r})")
            if destination.flow != step.flow:
                raise StepProblem(index, field, f"target {target!r} is in another flow")

    def step(self, key: str) -> Step:
        """The step with `key`; KeyError if there is none."""
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(f"SOP {self.code} has no step {key!r}")

    def flow_steps(self, flow: str | None = None) -> tuple[Step, ...]:
        """The steps of one flow in order (all steps of an SOP without flows)."""
        return tuple(step for step in self.steps if step.flow == flow)

    def successors(self, key: str) -> tuple[str, ...]:
        """The keys a step leads to: its branch targets, its `next`, or the following step ("end" last)."""
        step = self.step(key)
        if step.branches:
            return tuple(branch.target for branch in step.branches)
        if step.next is not None:
            return (step.next,)
        following = self.flow_steps(step.flow)
        position = following.index(step)
        return (following[position + 1].key,) if position + 1 < len(following) else (END,)
