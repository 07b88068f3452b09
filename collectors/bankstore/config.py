"""The typed ``[feeds]`` settings section: the watched inbox and the column mappings of bank exports."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.bankfeeds import ColumnMapping
from pantau.recon.config import section_error
from pantau.settings import Settings


class FeedMapping(BaseModel):
    """A bank export layout: its column mapping, and the inbox file names (glob patterns) it reads."""

    model_config = ConfigDict(extra="forbid")

    columns: ColumnMapping
    files: list[str] = Field(default_factory=list)


class FeedSettings(BaseModel):
    """Where bank files arrive and go.

    Files dropped in ``inbox`` are imported one by one, then moved to ``archive`` (default
    ``<inbox>/arsip``) or, when refused, to ``rejected`` (default ``<inbox>/ditolak``) beside a
    ``.error.txt`` saying why. A CSV or XLSX file is read with the first mapping whose ``files``
    pattern matches its name, else with Pantau's own export layout. A file is left alone until it
    has not changed for ``settle_s`` seconds, so a copy still in progress is not read half-way.

    The ``h2h-stall`` check runs every ``stall_check_s``: an account whose day brought at least
    ``stall_min_credits`` VA credits mostly without notification, seen ``stall_minutes`` of working
    time ago, means the H2H link is silent; a working day's statement not there by
    ``statement_by_hour`` o'clock of the next working day is missing. It looks ``stall_lookback_days``
    back.
    """

    model_config = ConfigDict(extra="forbid")

    inbox: Path | None = None
    archive: Path | None = None
    rejected: Path | None = None
    interval_s: float = Field(60, gt=0)
    settle_s: float = Field(10, ge=0)
    mappings: dict[str, FeedMapping] = Field(default_factory=dict)
    stall_minutes: float = Field(30, gt=0)
    stall_min_credits: int = Field(3, ge=1)
    statement_by_hour: float = Field(12, ge=0, le=24)
    stall_lookback_days: float = Field(3, gt=0)
    stall_check_s: float = Field(300, gt=0)

    @property
    def archive_dir(self) -> Path | None:
        return self.archive or (self.inbox / "arsip" if self.inbox else None)

    @property
    def rejected_dir(self) -> Path | None:
        return self.rejected or (self.inbox / "ditolak" if self.inbox else None)

    def mapping(self, name: str) -> ColumnMapping:
        """The configured mapping called ``name``; ValueError naming the known ones otherwise."""
        try:
            return self.mappings[name].columns
        except KeyError:
            known = ", ".join(self.mappings) or "none configured"
            raise ValueError(f"feeds: no mapping called {name!r} (known: {known})") from None

    def mapping_for(self, file_name: str) -> ColumnMapping | None:
        """The mapping whose ``files`` patterns match ``file_name`` (case-insensitive), if any."""
        lowered = file_name.lower()
        for feed in self.mappings.values():
            if any(fnmatch(lowered, pattern.lower()) for pattern in feed.files):
                return feed.columns
        return None


def feed_settings(settings: Settings) -> FeedSettings:
    """The ``[feeds]`` section of ``settings``, typed; ValueError naming the item and field if wrong."""
    try:
        return FeedSettings.model_validate(settings.feeds)
    except ValidationError as error:
        raise section_error("feeds", error) from None
