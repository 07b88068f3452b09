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
    """An apprise URL and the roles whose alerts it carries (every alert when empty). An operators' channel
    names its `units`: it carries the alerts about SOPs assigned to one of them, as the alerts page shows an
    operator of that unit (without units, only operator alerts about no SOP)."""

    url: str
    roles: list[Role] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
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
    """The `pantau collect` process: exactly one is active; others wait as standbys for its lease to lapse.

    The active one reports to the store at least every `heartbeat_s` seconds; every page shows a banner when
    it has not reported within two of them. It also picks up the sources page's "check now" requests."""

    lease_s: float = Field(30.0, ge=1.0, description="a standby takes over within this long after the active one dies")
    heartbeat_s: float = Field(15.0, ge=0.2, le=3600, description="the active collector reports at least this often")


def _default_failures() -> dict[str, int]:
    return {"collector": 3, "bill_source": 3, "bank_inbox": 3, "event_source": 3, "agent": 3, "file_import": 3}


class SourceStatusSettings(BaseModel):
    """Watching the sources themselves (`pantau.sources`): after `failures[kind]` failed attempts in a row a
    source's owner gets one alert (0 turns a kind's alerts off); a host agent counts as failing for each
    `agent_every_s` it stays silent beyond two of them (the agent's `--interval`, 60 s by default)."""

    failures: dict[str, int] = Field(default_factory=_default_failures)
    agent_every_s: float = Field(60.0, ge=5)

    @field_validator("failures")
    @classmethod
    def _counts(cls, value: dict[str, int]) -> dict[str, int]:
        bad = {kind: count for kind, count in value.items() if count < 0}
        if bad:
            raise ValueError(f"failures must be 0 (no alert) or more, got {bad}")
        return {**_default_failures(), **value}


class WebSettings(BaseModel):
    """The web process. Log-in throttling counts failures per (user name, address) inside the window, and
    more softly per address alone (a campus NAT puts many people behind one). `trusted_proxies` are the
    addresses (or networks) of reverse proxies whose `X-Forwarded-For` / `-Proto` are believed, over
    `proxy_hops` of them; from anyone else those headers are ignored. The session cookie is `Secure` when
    `cookie_secure` says so, or by default when a trusted (TLS-terminating) proxy is configured."""

    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = Field(2, ge=1, description="gunicorn worker processes on this host")
    threads: int = Field(4, ge=1, le=64, description="threads a worker serves requests on (gthread)")
    timeout_s: int = Field(60, ge=5, description="a worker silent this long is killed and replaced")
    graceful_timeout_s: int = Field(30, ge=1, description="time a stopping worker gets to finish its requests")
    max_requests: int = Field(5000, ge=0, description="a worker is replaced after this many requests (0: never)")
    keepalive_s: int = Field(75, ge=0, description="an idle kept-alive connection is closed after this long")
    login_max_failures: int = Field(5, ge=1, description="failures of one name from one address before a wait")
    login_address_max_failures: int = Field(50, ge=1, description="failures from one address, any names")
    login_window_minutes: int = Field(15, ge=1)
    session_idle_minutes: int = Field(60, ge=1, description="a session unused this long must log in again")
    session_max_hours: int = Field(12, ge=1)
    cookie_secure: bool | None = None
    trusted_proxies: list[str] = Field(default_factory=list)
    proxy_hops: int = Field(1, ge=1, le=5)
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="largest request body on any route")
    agent_max_bytes: int = Field(64 * 1024, ge=1024, description="largest host reading pushed by an agent")
    events_max_bytes: int = Field(2 * 1024 * 1024, ge=1024, description="largest body pushed to /api/v1/events")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        return _networks("trusted_proxies", value)

    @property
    def secure_cookie(self) -> bool:
        """Whether the session cookie carries `Secure`: as configured, else on behind a trusted proxy."""
        return bool(self.trusted_proxies) if self.cookie_secure is None else self.cookie_secure


def _networks(setting: str, value: list[str]) -> list[str]:
    """`value` unchanged when every item is an address or a network, else the setting's one-line refusal."""
    import ipaddress

    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ValueError(f"{setting}: {item!r} is not an address or network") from exc
    return value


class MetricsSettings(BaseModel):
    """`/metrics` for Prometheus: answered to a peer address in `allow_from` (addresses or networks, the address
    as seen after a trusted proxy) or to a request bearing `token` (`Authorization: Bearer …`, from the
    environment as `PANTAU_METRICS__TOKEN`); refused to anyone else."""

    allow_from: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    token: str = ""

    @field_validator("allow_from")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        return _networks("metrics.allow_from", value)


class CacheSettings(BaseModel):
    """The result cache shared by web workers (`pantau.cache`; Redis at `redis_url`, else on SQLite each
    process's own, `local`): a page's read is kept at most `ttl_s` seconds and retired as soon as a write to its
    subject commits."""

    ttl_s: float = Field(60.0, ge=1, le=3600, description="longest a cached result is served")
    prefix: str = Field("pantau:", description="start of every Redis key (one per installation sharing a Redis)")
    timeout_s: float = Field(0.5, gt=0, le=10, description="a Redis slower than this is skipped")
    local: bool = Field(True, description="without redis_url, on SQLite: each process keeps results, retired by "
                                          "any process's writes on this host (files under data_dir/cache)")


class Settings(BaseSettings):
    """Everything Pantau can be told. See `pantau.example.toml` for a commented example."""

    model_config = SettingsConfigDict(
        env_prefix="PANTAU_", env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    config: Path | None = None
    data_dir: Path = Path("var")
    database_url: str = ""
    database_pool_size: int = Field(20, ge=1, description="connections a process keeps open to PostgreSQL")
    database_max_overflow: int = Field(5, ge=0, description="extra connections a process may open at a peak")
    redis_url: str | None = None
    cache: CacheSettings = Field(default_factory=CacheSettings)
    secret_key: str = ""
    timezone: str = "Asia/Jakarta"
    language: Literal["id", "en"] = "id"
    institution: str = "Politeknik Kesehatan Pantau"
    public_url: str = Field("", description="the address people open Pantau at; links in alert mails start with it")
    web: WebSettings = Field(default_factory=WebSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    collector: CollectorSettings = Field(default_factory=CollectorSettings)
    source_status: SourceStatusSettings = Field(default_factory=SourceStatusSettings)
    thresholds: dict[str, KpiThreshold] = Field(default_factory=_default_thresholds)
    monitors: list[dict[str, Any]] = Field(default_factory=list)
    monitoring: dict[str, Any] = Field(default_factory=dict)
    feeds: dict[str, Any] = Field(default_factory=dict)
    sources: dict[str, Any] = Field(default_factory=dict)
    bill_kinds: list[dict[str, Any]] = Field(default_factory=list)
    recon: dict[str, Any] = Field(default_factory=dict)
    banks: dict[str, Any] = Field(default_factory=dict)
    tokens: dict[str, Any] = Field(default_factory=dict)
    status: dict[str, Any] = Field(default_factory=dict)
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

    @property
    def resolved_public_url(self) -> str:
        """`public_url`, else the address the web process listens on (good for a demo, not for mail readers)."""
        return self.public_url.rstrip("/") or f"http://{self.web.host}:{self.web.port}"

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
