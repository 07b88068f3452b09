"""The kinds of source Pantau watches, who owns each (the role its failing-source alert goes to), and where
that alert links.

Decided where the issue was silent: a collector belongs to the subject it feeds (server collectors to the IT
head, money collectors to the bendahara, the rest to the administrator); the collector process itself is
the administrator's; a file import (`pantau import bank|bills|events`, run by hand or from cron) belongs to the
subject its files feed. A monitor's failures are its own down alert (`collectors.monitors.alerts`: N checks in
a row, per monitor, to the IT head, resolved with the outage's length), so monitors get no second alert.
"""

from __future__ import annotations

from dataclasses import dataclass

PROCESS = "process"
COLLECTOR = "collector"
MONITOR = "monitor"
BILL_SOURCE = "bill_source"
BANK_INBOX = "bank_inbox"
EVENT_SOURCE = "event_source"
AGENT = "agent"
FILE_IMPORT = "file_import"

KINDS: tuple[str, ...] = (PROCESS, COLLECTOR, MONITOR, BILL_SOURCE, BANK_INBOX, EVENT_SOURCE, AGENT, FILE_IMPORT)
"""In the order the sources page lists them."""

KIND_NAMES = {
    PROCESS: "Collector process",
    COLLECTOR: "Collector",
    MONITOR: "Monitor",
    BILL_SOURCE: "Bill source",
    BANK_INBOX: "Bank inbox",
    EVENT_SOURCE: "Event source",
    AGENT: "Host agent",
    FILE_IMPORT: "File import",
}
"""English message ids (`pantau/locale/id/LC_MESSAGES/sources.po`)."""

OWNERS = {PROCESS: "admin", COLLECTOR: "admin", MONITOR: "kepala_it", BILL_SOURCE: "bendahara",
          BANK_INBOX: "bendahara", EVENT_SOURCE: "admin", AGENT: "kepala_it", FILE_IMPORT: "admin"}
COLLECTOR_OWNERS = {
    "monitors": "kepala_it", "host-metrics": "kepala_it", "monitor-retention": "kepala_it",
    "bills": "bendahara", "token-stock": "bendahara", "bank-inbox": "bendahara", "reconciliation": "bendahara",
    "h2h-stall": "bendahara",
}
IMPORT_OWNERS = {"pantau import bank": "bendahara", "pantau import bills": "bendahara"}
"""A file import (a source named after its command, `pantau import bank`) belongs to the subject it feeds."""
ALERTED = (COLLECTOR, BILL_SOURCE, BANK_INBOX, EVENT_SOURCE, AGENT, FILE_IMPORT)
"""Kinds whose failures alert their owner (see the module's docstring for monitors)."""
PAGE = "/sumber"
ROLE_PAGES = {"bendahara": "/pembayaran"}
"""The bendahara may not open the sources page; their alerts link to the payments page."""


@dataclass(frozen=True)
class SourceRef:
    """A source a collector reads: its kind, its name, and how often data is expected from it (seconds)."""

    kind: str
    name: str
    interval_s: float | None = None
    pushed: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


def owner(kind: str, name: str) -> str:
    """The role that owns a source: the one its failing-source alert goes to."""
    if kind == COLLECTOR:
        return COLLECTOR_OWNERS.get(name, "admin")
    if kind == FILE_IMPORT:
        return IMPORT_OWNERS.get(name, "admin")
    return OWNERS.get(kind, "admin")


def link_for(role: str) -> str:
    return ROLE_PAGES.get(role, PAGE)


def alert_key(kind: str, name: str) -> str:
    """The dedup key of a source's failing alert."""
    return f"source:{kind}:{name}:failing"[:160]
