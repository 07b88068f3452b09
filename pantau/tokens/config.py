"""The typed ``[tokens]`` settings section: forecast window and the bendahara's alert limits."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pantau.recon.config import section_error
from pantau.settings import Settings


class TokenSettings(BaseModel):
    """How token stock is forecast and when the bendahara hears about it.

    The forecast reads demand over the last ``window_days`` full days with an interval of
    ``interval_level``. An alert goes out when a wave's stock is forecast to run out within
    ``alert_days`` days (before the wave closes) or falls below ``low_stock``; a critical one when
    the stock is gone while applicants arrived in the last ``arriving_hours`` hours.
    """

    model_config = ConfigDict(extra="forbid")

    window_days: int = Field(14, ge=2, le=90)
    interval_level: float = Field(0.8, gt=0, lt=1)
    alert_days: float = Field(5, ge=0)
    low_stock: int = Field(50, ge=0)
    arriving_hours: float = Field(24, gt=0)
    every_s: float = Field(900, gt=0)
    channel_names: dict[str, str] = Field(default_factory=dict)
    """Display names of channels by code (`{"bank-bni" = "BNI Kantor Cabang Surakarta"}`); see `names.py`."""


def token_settings(settings: Settings) -> TokenSettings:
    """The ``[tokens]`` section of ``settings``, typed; ValueError naming the field when it is wrong."""
    try:
        return TokenSettings.model_validate(settings.tokens)
    except ValidationError as error:
        raise section_error("tokens", error) from None
