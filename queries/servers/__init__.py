"""Server health, read side: monitor status, availability from rollups, latency history, incidents,
maintenance, certificates, host metrics and the open server alerts."""

from .history import incidents, latency
from .hosts import host_history, hosts
from .status import certificates, maintenance, monitor_names, monitors, server_alerts
from .uptime import uptime
from .windows import DEFAULT_RETENTION, RANGES, WINDOWS, pieces, time_range

__all__ = [
    "DEFAULT_RETENTION",
    "RANGES",
    "WINDOWS",
    "certificates",
    "host_history",
    "hosts",
    "incidents",
    "latency",
    "maintenance",
    "monitor_names",
    "monitors",
    "pieces",
    "server_alerts",
    "time_range",
    "uptime",
]
