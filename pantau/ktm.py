"""The `[ktm]` section: where the KTM photos are, whose NIMs to expect and how often to look; and how a photo
check names the list it was made against. Read by the `ktm-photos` collector and the KTM page."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pantau.settings import Settings

STORE_LIST = "students"
"""The `nim_source` of a check against the intake's students in the store (else the CSV's path)."""


class KtmPhotoSettings(BaseModel):
    """The `[ktm]` section: where the photos are, whose NIMs to expect, and how often to look."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    photo_dir: Path | None = None
    nim_csv: Path | None = None
    intake: int | None = Field(None, ge=1900, le=2200)
    nim_pattern: str = r"^P\d{11,12}$"
    every_s: int = Field(3600, ge=60)

    @field_validator("nim_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"not a regular expression: {error}") from None
        return value


def ktm_settings(settings: Settings) -> KtmPhotoSettings:
    """The typed `[ktm]` section; ValueError names the field that is wrong."""
    try:
        return KtmPhotoSettings.model_validate(settings.ktm)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "(section)"
        raise ValueError(f"[ktm] field {name}: {first['msg']} (got {first['input']!r})") from None
