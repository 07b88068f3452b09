"""The `[sops]` settings section: where extra SOP files live, the at-risk share, the verdict
threshold, and the source databases workflow events are read from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class WorkflowSource(BaseModel):
    """A source system's database and the mapping query that turns its tables into step events.

    The query returns one row per step event with the columns `case_ref`, `step` and at least one
    of `started_at` and `completed_at`; optionally `event_id`, `sop` (else `sop` below),
    `performer`, `outcome`, `channel`, `unit` and `subject`. A query that mentions `:since` gets the
    newest event time already read from this source, less `overlap_hours`, so it reads only what
    is new; without `:since` it is read whole every time (events are idempotent either way).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,39}$")
    url: str = Field(min_length=1)
    query: str = Field(min_length=1)
    sop: str | None = None
    every_s: int = Field(300, ge=10)
    overlap_hours: int = Field(48, ge=0)

    @property
    def uses_since(self) -> bool:
        """Whether the query takes the `:since` parameter."""
        return re.search(r":since\b", self.query) is not None


class SopSettings(BaseModel):
    """What the SOP catalogue and the SLA engine are told.

    `dirs` add or replace SOP files beyond the built-in ones. A step is at risk once
    `at_risk_share` of its standard time is used. A half-year "berjalan baik" when its compliance
    reaches `verdict_threshold` (or the SOP's own entry in `verdict_thresholds`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dirs: list[Path] = Field(default_factory=list)
    at_risk_share: float = Field(0.8, gt=0, lt=1)
    verdict_threshold: float = Field(0.9, gt=0, le=1)
    verdict_thresholds: dict[str, float] = Field(default_factory=dict)
    evaluate_every_s: int = Field(60, ge=5)
    sources: list[WorkflowSource] = Field(default_factory=list)

    @field_validator("verdict_thresholds")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        for code, share in value.items():
            if not 0 < share <= 1:
                raise ValueError(f"SOP {code!r}: a threshold is a share above 0 and at most 1, got {share}")
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _named_sources(cls, value: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError("sources is a list of [[sops.sources]] tables")
        parsed, seen = [], set()
        for index, item in enumerate(value):
            name = item.get("name") if isinstance(item, dict) else None
            label = f"source {name!r}" if name else f"source {index + 1}"
            try:
                source = item if isinstance(item, WorkflowSource) else WorkflowSource.model_validate(item)
            except ValidationError as error:
                problem = error.errors()[0]
                field = ".".join(map(str, problem["loc"])) or "?"
                raise ValueError(f"{label} field {field}: {problem['msg']}") from None
            if source.name in seen:
                raise ValueError(f"{label}: the name is used twice")
            seen.add(source.name)
            parsed.append(source)
        return parsed

    def threshold(self, sop_code: str) -> float:
        """The compliance a half-year of `sop_code` needs to be "berjalan baik"."""
        return self.verdict_thresholds.get(sop_code, self.verdict_threshold)
