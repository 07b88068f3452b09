"""One typed settings object: defaults < TOML file (PANTAU_CONFIG) < environment (PANTAU_*) < arguments."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from pantau.sla.config import SopSettings
from pantau.workcalendar.config import CalendarConfig

Role = Literal["direktur", "kepala_it", "bendahara", "operator", "admin"]
ROLES: tuple[str, ...] = ("direktur", "kepala_it", "bendahara", "operator", "admin")


class AlertChannel(BaseModel):
    """An apprise URL and the roles whose alerts it carries (all roles when empty)."""

    url: str
    roles: list[Role] = Field(default_factory=list)
    name: str = ""


class AlertSettings(BaseModel):
    channels: list[AlertChannel] = Field(default_factory=list)
    reminder_minutes: int = 60
    deliver_every_s: int = 30


class KpiThreshold(BaseModel):
    """Status bands of a KPI: `good` and `warn` bounds in the KPI's unit; `higher_is_better` picks the side."""

    good: float
    warn: float
    higher_is_better: bool = True


def _default_thresholds() -> dict[str, KpiThreshold]:
    return {
        "collection_rate": KpiThreshold(good=0.90, warn=0.75),
        "availability_30d": KpiThreshold(good=0.995, warn=0.98),
        "sla_compliance": KpiThreshold(good=0.90, warn=0.75),
        "token_days_left": KpiThreshold(good=14, warn=5),
        "recon_overdue": KpiThreshold(good=0, warn=5, higher_is_better=False),
        "ktm_done": KpiThreshold(good=0.90, warn=0.70),
    }


class CollectorSettings(BaseModel):
    """The `pantau collect` process: exactly one is active; others wait as standbys for its lease to lapse."""

    lease_s: float = Field(30.0, ge=1.0, description="a standby takes over within this long after the active one dies")


class WebSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    login_max_failures: int = 5
    login_window_minutes: int = 15


class Settings(BaseSettings):
    """Everything Pantau can be told. See `pantau.example.toml` for a commented example."""

    model_config = SettingsConfigDict(
        env_prefix="PANTAU_", env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    config: Path | None = None
    data_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    timezone: str = "Asia/Jakarta"
    language: Literal["id", "en"] = "id"
    institution: str = "Politeknik Kesehatan Pantau"
    web: WebSettings = Field(default_factory=WebSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    collector: CollectorSettings = Field(default_factory=CollectorSettings)
    thresholds: dict[str, KpiThreshold] = Field(default_factory=_default_thresholds)
    monitors: list[dict[str, Any]] = Field(default_factory=list)
    monitoring: dict[str, Any] = Field(default_factory=dict)
    feeds: dict[str, Any] = Field(default_factory=dict)
    sources: dict[str, Any] = Field(default_factory=dict)
    recon: dict[str, Any] = Field(default_factory=dict)
    tokens: dict[str, Any] = Field(default_factory=dict)
    ktm: dict[str, Any] = Field(default_factory=dict)
    accounts: dict[str, Any] = Field(default_factory=dict)
    reports: dict[str, Any] = Field(default_factory=dict)
    sops: SopSettings = Field(default_factory=SopSettings)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    agent_tokens: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_path = init_settings().get("config") or env_settings().get("config")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_path:
            path = Path(config_path)
            if not path.is_file():
                raise FileNotFoundError(f"PANTAU_CONFIG names {path}, which does not exist")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        """The store's URL; an SQLite file under `data_dir` unless one is configured."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'pantau.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The session-signing secret: from the environment or config, else generated once under `data_dir`."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment, the TOML file it names, and explicit overrides."""
    return Settings(**overrides)
