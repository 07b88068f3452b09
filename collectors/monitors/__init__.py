"""Server health: monitors from the configuration, probed on their intervals, rolled up, with incidents
and alerts; host metrics of the collector's machine and of agents; retention of old data.

Importing the package registers the ``monitors``, ``host-metrics`` and ``monitor-retention`` collectors.
"""

from pantau.monitoring.config import MonitorConfig, MonitorConfigError, parse_monitors
from pantau.monitoring.settings import MonitoringSettings, load_monitors, monitoring_settings

from .collector import MonitorsCollector
from .hosts import HostMetricsCollector, HostReading, check_hosts, store_reading
from .recorder import RoundReport, record_round
from .retention import RetentionCollector, purge

__all__ = [
    "HostMetricsCollector",
    "HostReading",
    "MonitorConfig",
    "MonitorConfigError",
    "MonitoringSettings",
    "MonitorsCollector",
    "RetentionCollector",
    "RoundReport",
    "check_hosts",
    "load_monitors",
    "monitoring_settings",
    "parse_monitors",
    "purge",
    "record_round",
    "store_reading",
]
