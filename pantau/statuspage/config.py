"""The typed ``[status]`` settings section of the public status page."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pantau.recon.config import section_error
from pantau.settings import Settings


class StatusSettings(BaseModel):
    """What the public page shows and how long one built page is served.

    A built page (per language) is served for ``cache_s`` seconds before the store is read again; a
    publication in this process drops it at once. The bar covers ``days`` days; incidents of the last
    ``incident_days`` days are listed; maintenance is announced ``maintenance_days`` ahead. Payment periods
    (``payment_periods``) end at ``payment_closes_at`` campus time on their last day and stay listed
    ``period_recent_days`` days after they end."""

    model_config = ConfigDict(extra="forbid")

    cache_s: float = Field(30.0, ge=0, le=3600)
    days: int = Field(90, ge=7, le=365)
    incident_days: int = Field(30, ge=1, le=365)
    maintenance_days: int = Field(14, ge=1, le=90)
    payment_periods: bool = True
    payment_closes_at: time = time(16, 0)
    period_recent_days: int = Field(7, ge=0, le=90)


def status_settings(settings: Settings) -> StatusSettings:
    """The ``[status]`` section of ``settings``, typed; ValueError naming the field when it is wrong."""
    try:
        return StatusSettings.model_validate(settings.status)
    except ValidationError as error:
        raise section_error("status", error) from None
