"""The store's figures as Prometheus metric families, read at each scrape (see `queries.metrics`)."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import Engine

from pantau.models.alerts import ALERT_STATES, SEVERITIES
from pantau.models.monitoring import MONITOR_STATES
from queries import metrics as figures

UP_STATES = ("up", "degraded")
"""A monitor counts as up (1) in these states; down, unreachable, maintenance and pending count 0."""

STORE_METRICS = (
    "pantau_monitor_up", "pantau_monitor_status", "pantau_monitor_latency_seconds",
    "pantau_monitor_last_check_timestamp_seconds", "pantau_bank_import_files", "pantau_bank_import_lines",
    "pantau_bill_syncs", "pantau_bill_sync_bills_written", "pantau_bills_quarantined", "pantau_alerts",
    "pantau_source_last_success_age_seconds", "pantau_source_last_success_timestamp_seconds",
    "pantau_source_consecutive_failures",
)
"""The families this collector yields (counters gain `_total` in the exposition)."""


class StoreCollector:
    """A prometheus_client collector over the store: probe results, imports, alerts, source freshness."""

    def __init__(self, engine: Engine, now=lambda: datetime.now(UTC)):
        self.engine = engine
        self.now = now

    def describe(self):
        return []  # read at scrape time only; registering must not touch the store

    def collect(self):
        yield from self._monitors()
        yield from self._imports()
        yield from self._alerts()
        yield from self._freshness()

    def _monitors(self):
        up = GaugeMetricFamily("pantau_monitor_up", "1 when the monitor is up (or degraded), else 0",
                               labels=["monitor", "role", "check"])
        status = GaugeMetricFamily("pantau_monitor_status", "1 for the monitor's current state",
                                   labels=["monitor", "status"])
        latency = GaugeMetricFamily("pantau_monitor_latency_seconds", "latency of the latest probe round",
                                    labels=["monitor"])
        checked = GaugeMetricFamily("pantau_monitor_last_check_timestamp_seconds", "time of the latest probe round",
                                    labels=["monitor"])
        for row in figures.monitors(self.engine):
            up.add_metric([row.name, row.role, row.check], 1.0 if row.status in UP_STATES else 0.0)
            for state in MONITOR_STATES:
                status.add_metric([row.name, state], 1.0 if row.status == state else 0.0)
            if row.latency_ms is not None:
                latency.add_metric([row.name], row.latency_ms / 1000)
            if row.checked_at is not None:
                checked.add_metric([row.name], row.checked_at.timestamp())
        return up, status, latency, checked

    def _imports(self):
        files = CounterMetricFamily("pantau_bank_import_files", "bank files stored, per format", labels=["format"])
        lines = CounterMetricFamily("pantau_bank_import_lines", "bank file lines by outcome (stored, duplicate, "
                                    "rejected), per format", labels=["format", "outcome"])
        for row in figures.bank_imports(self.engine):
            files.add_metric([row.format], row.files)
            lines.add_metric([row.format, "stored"], row.stored)
            lines.add_metric([row.format, "duplicate"], row.duplicates)
            lines.add_metric([row.format, "rejected"], row.rejected)
        syncs = figures.bill_syncs(self.engine)
        runs = CounterMetricFamily("pantau_bill_syncs", "bill syncs by result", labels=["result"])
        runs.add_metric(["ok"], syncs.ok)
        runs.add_metric(["failed"], syncs.failed)
        written = CounterMetricFamily("pantau_bill_sync_bills_written", "bills written by bill syncs")
        written.add_metric([], syncs.written)
        held = GaugeMetricFamily("pantau_bills_quarantined", "rows the latest sync of a bill source set aside",
                                 labels=["source"])
        for source, count in sorted(syncs.quarantined.items()):
            held.add_metric([source], count)
        return files, lines, runs, written, held

    def _alerts(self):
        counts = figures.alert_counts(self.engine)
        family = GaugeMetricFamily("pantau_alerts", "alerts by severity and state", labels=["severity", "state"])
        for severity in sorted(set(SEVERITIES) | {s for s, _ in counts}):
            for state in sorted(set(ALERT_STATES) | {s for _, s in counts}):
                family.add_metric([severity, state], counts.get((severity, state), 0))
        return (family,)

    def _freshness(self):
        now = self.now()
        age = GaugeMetricFamily("pantau_source_last_success_age_seconds", "seconds since the source's last good "
                                "read (absent before its first)", labels=["kind", "name"])
        stamp = GaugeMetricFamily("pantau_source_last_success_timestamp_seconds", "time of the source's last good "
                                  "read", labels=["kind", "name"])
        failures = GaugeMetricFamily("pantau_source_consecutive_failures", "failed attempts in a row",
                                     labels=["kind", "name"])
        for row in figures.freshness(self.engine):
            failures.add_metric([row.kind, row.name], row.consecutive_failures)
            if row.last_success_at is not None:
                age.add_metric([row.kind, row.name], max(0.0, (now - row.last_success_at).total_seconds()))
                stamp.add_metric([row.kind, row.name], row.last_success_at.timestamp())
        return age, stamp, failures
