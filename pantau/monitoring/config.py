"""The ``[[monitors]]`` section: one typed, checked entry per monitored server or link.

Errors name the file and line (when the settings came from a TOML file), the monitor and the field:
``pantau.toml line 12: monitor 'h2h-server' field interval_s: Input should be greater than or equal to 5``.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from .maintenance import Window, parse_rule

ROLES = ("payment-server", "h2h-server", "bank-link", "router", "other")
CHECKS = ("icmp", "tcp", "http")
_HTTP_ONLY = ("keyword", "expected_status", "verify_tls")


class MonitorConfigError(ValueError):
    """A monitor's configuration is wrong; the message names the monitor and the field."""


class MaintenanceConfig(BaseModel):
    """A one-off window (``start`` and ``end``) or a recurring one (``weekly``, local time)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: datetime | None = None
    end: datetime | None = None
    weekly: str | None = None
    note: str = ""

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=ZoneInfo((info.context or {}).get("zone", "Asia/Jakarta")))

    @field_validator("weekly")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        return None if value is None else str(parse_rule(value))

    @model_validator(mode="after")
    def _one_kind(self) -> MaintenanceConfig:
        if self.weekly is not None:
            if self.start is not None or self.end is not None:
                raise ValueError("give either weekly or start and end, not both")
        elif self.start is None or self.end is None:
            raise ValueError("give start and end (a one-off window) or weekly (a recurring one)")
        elif self.end <= self.start:
            raise ValueError(f"end {self.end.isoformat()} is not after start {self.start.isoformat()}")
        return self

    def window(self) -> Window:
        rule = parse_rule(self.weekly) if self.weekly else None
        return Window(self.start, self.end, rule, self.note)


class MonitorConfig(BaseModel):
    """One monitor: what to check, how often, and when to call it down or up again."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    label: str | None = Field(None, min_length=1, max_length=120, description="what people call it, in alerts")
    role: Literal["payment-server", "h2h-server", "bank-link", "router", "other"]
    check: Literal["icmp", "tcp", "http"]
    target: str = Field(min_length=1, max_length=255)
    interval_s: int = Field(60, ge=5, le=86_400)
    timeout_s: float = Field(5.0, gt=0, le=120)
    down_after: int = Field(3, ge=1, le=100)
    up_after: int = Field(2, ge=1, le=100)
    depends_on: str | None = None
    maintenance: tuple[MaintenanceConfig, ...] = ()
    count: int = Field(5, ge=1, le=20, description="echo requests per ICMP round")
    keyword: str | None = Field(None, min_length=1)
    expected_status: tuple[int, ...] | None = None
    verify_tls: bool = True
    degraded_latency_ms: float | None = Field(None, gt=0)
    degraded_loss: float = Field(0.2, gt=0, le=1)

    @field_validator("expected_status", mode="before")
    @classmethod
    def _statuses(cls, value: Any) -> Any:
        return (value,) if isinstance(value, int) else value

    @field_validator("expected_status")
    @classmethod
    def _status_codes(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and (not value or any(not 100 <= code <= 599 for code in value)):
            raise ValueError("give HTTP status codes between 100 and 599")
        return value

    @model_validator(mode="before")
    @classmethod
    def _options_fit_the_check(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("check") in ("icmp", "tcp"):
            for option in _HTTP_ONLY:
                if option in data:
                    raise _field_error(option, f"only http checks take {option}")
        if isinstance(data, dict) and data.get("check") in ("tcp", "http") and "count" in data:
            raise _field_error("count", "only icmp checks take count")
        return data

    @model_validator(mode="after")
    def _target_and_timing(self) -> MonitorConfig:
        problem = _target_problem(self.check, self.target)
        if problem:
            raise _field_error("target", problem)
        if self.round_bound_s >= self.interval_s:
            raise _field_error("timeout_s", f"a round may take {self.round_bound_s:g} s, which is not shorter "
                                            f"than interval_s {self.interval_s}")
        if self.depends_on == self.name:
            raise _field_error("depends_on", "a monitor cannot depend on itself")
        return self

    @property
    def round_bound_s(self) -> float:
        """The longest one check of this monitor can take."""
        pings = (self.count - 1) * ICMP_SPACING_S if self.check == "icmp" else 0.0
        return pings + self.timeout_s

    @property
    def address(self) -> tuple[str, int]:
        """Host and port of a tcp target."""
        host, _, port = self.target.rpartition(":")
        return host.strip("[]"), int(port)

    def options(self) -> dict[str, Any]:
        """The check options kept with the monitor in the store."""
        options: dict[str, Any] = {"degraded_loss": self.degraded_loss}
        if self.degraded_latency_ms is not None:
            options["degraded_latency_ms"] = self.degraded_latency_ms
        if self.check == "icmp":
            options["count"] = self.count
        if self.check == "http":
            options["verify_tls"] = self.verify_tls
            if self.keyword is not None:
                options["keyword"] = self.keyword
            if self.expected_status is not None:
                options["expected_status"] = list(self.expected_status)
        return options

    def windows(self) -> list[Window]:
        return [entry.window() for entry in self.maintenance]


ICMP_SPACING_S = 0.2
"""Seconds between the echo requests of one ICMP round."""


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _field_error(field: str, message: str) -> _FieldError:
    return _FieldError(field, message)


def _target_problem(check: str, target: str) -> str | None:
    if check == "http":
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"{target!r} is not an http:// or https:// URL"
        return None
    if check == "tcp":
        host, colon, port = target.rpartition(":")
        if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
            return f"{target!r} is not host:port (a port within 1..65535; IPv6 as [::1]:443)"
        return _host_problem(host.strip("[]"))
    return _host_problem(target)


def _host_problem(host: str) -> str | None:
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    if re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*", host):
        return None
    return f"{host!r} is not a host name or IP address"


def parse_monitors(items: list[dict[str, Any]], *, zone: str = "Asia/Jakarta",
                   source: Path | None = None) -> list[MonitorConfig]:
    """Check every ``[[monitors]]`` entry and their dependencies; return them in configured order.

    Raises :class:`MonitorConfigError` for the first problem found, naming the monitor and the field
    (and, when ``source`` is the TOML file they came from, the line).
    """
    lines = _item_lines(source)
    monitors: list[MonitorConfig] = []
    for position, item in enumerate(items):
        try:
            monitors.append(MonitorConfig.model_validate(item, context={"zone": zone}))
        except ValidationError as error:
            field, problem = _describe(error)
            where = _where(source, lines, position, field.split(".")[0].split("[")[0])
            raise MonitorConfigError(f"{where}{_label(item, position)} field {field}: {problem}") from None
    by_name: dict[str, int] = {}
    for position, monitor in enumerate(monitors):
        if monitor.name in by_name:
            raise MonitorConfigError(f"{_where(source, lines, position, 'name')}monitor {monitor.name!r} "
                                     f"field name: used by monitors #{by_name[monitor.name] + 1} and #{position + 1}")
        by_name[monitor.name] = position
    for position, monitor in enumerate(monitors):
        if monitor.depends_on is not None and monitor.depends_on not in by_name:
            raise MonitorConfigError(f"{_where(source, lines, position, 'depends_on')}monitor "
                                     f"{monitor.name!r} field depends_on: no monitor is named {monitor.depends_on!r}")
    for position, monitor in enumerate(monitors):
        chain = [monitor.name]
        parent = monitor.depends_on
        while parent is not None:
            if parent in chain:
                loop = " -> ".join([*chain, parent])
                raise MonitorConfigError(f"{_where(source, lines, position, 'depends_on')}monitor "
                                         f"{monitor.name!r} field depends_on: dependency cycle {loop}")
            chain.append(parent)
            parent = monitors[by_name[parent]].depends_on
    return monitors


def ordered_by_dependency(monitors: list[MonitorConfig]) -> list[MonitorConfig]:
    """Parents before their children, otherwise in the given order."""
    by_name = {monitor.name: monitor for monitor in monitors}

    def depth(monitor: MonitorConfig) -> int:
        level, parent = 0, monitor.depends_on
        while parent in by_name:
            level, parent = level + 1, by_name[parent].depends_on
        return level

    return sorted(monitors, key=depth)


def _label(item: Any, position: int) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"monitor {name!r}" if isinstance(name, str) and name else f"monitor #{position + 1}"


def _describe(error: ValidationError) -> tuple[str, str]:
    """The field (dotted, with [n] for list items) and the problem of the first error."""
    first = error.errors()[0]
    location = list(first["loc"])
    message = first["msg"]
    context_error = (first.get("ctx") or {}).get("error")
    if isinstance(context_error, _FieldError):
        location, message = [context_error.field], str(context_error)
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location).lstrip(".")
    shown = "" if first["type"] in ("missing", "value_error") or context_error else f" (got {first['input']!r})"
    return field or "(entry)", f"{message}{shown}"


def _item_lines(source: Path | None) -> list[int]:
    """Line numbers of the ``[[monitors]]`` headers in the TOML file, in order."""
    if source is None or not Path(source).is_file():
        return []
    text = Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
    return [number for number, line in enumerate(text, 1) if re.match(r"^\s*\[\[\s*monitors\s*\]\]", line)]


def _where(source: Path | None, lines: list[int], position: int, field: str | None = None) -> str:
    if not lines or position >= len(lines):
        return ""
    line = lines[position]
    if field:
        text = Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
        end = lines[position + 1] if position + 1 < len(lines) else len(text) + 1
        line = next((n for n in range(line, end) if re.match(rf"^\s*{field}\s*=", text[n - 1])), line)
    return f"{Path(source).name} line {line}: "
