"""The typed ``[recon]`` settings section, and how the finance sections report a bad value."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pantau.banks import BankSettings
from pantau.models.bank import RECON_STATES
from pantau.settings import Settings

CASE_STATES = ("bank_paid_app_unpaid", "app_paid_no_bank", "overpaid", "no_bill", "duplicate")
"""Reconciliation states that open a case in the exception queue by default."""


class ReconSettings(BaseModel):
    """How reconciliation runs: which states become cases, and when a case falls due.

    ``case_due_hours`` is the SOP's "maksimal 1x24 jam", in hours from detection. A payment the
    application recorded less than ``bank_lag_hours`` ago is not a case yet: the bank's statement
    of that day may still be on its way. ``every_s`` is how often the collector checks for
    changed bills or bank entries (and reconciles) and for overdue cases.
    """

    model_config = ConfigDict(extra="forbid")

    case_due_hours: float = Field(24, gt=0)
    case_states: tuple[str, ...] = CASE_STATES
    bank_lag_hours: float = Field(36, ge=0)
    every_s: float = Field(300, gt=0)

    @field_validator("case_states")
    @classmethod
    def _known_states(cls, states: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [state for state in states if state not in RECON_STATES]
        if unknown:
            raise ValueError(f"unknown state {', '.join(unknown)}; choose from {', '.join(RECON_STATES)}")
        return states


def section_error(section: str, error: ValidationError) -> ValueError:
    """One readable line for the first problem of a settings section, naming the item and field."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in (section, *first["loc"]))
    value = first.get("input")
    shown = "" if isinstance(value, dict) or value is None else f" (value {value!r})"
    return ValueError(f"{where}: {first['msg']}{shown}")


def recon_settings(settings: Settings) -> ReconSettings:
    """The ``[recon]`` section of ``settings``, typed; ValueError naming the field when it is wrong."""
    try:
        return ReconSettings.model_validate(settings.recon)
    except ValidationError as error:
        raise section_error("recon", error) from None


def bank_settings(settings: Settings) -> BankSettings:
    """The ``[banks]`` section of ``settings``, typed; ValueError naming the item when it is wrong."""
    try:
        return BankSettings.model_validate(settings.banks)
    except ValidationError as error:
        raise section_error("banks", error) from None
