"""Sources and their health: which sources Pantau reads or is sent data by, how each last fared, the alerts
for a failing one, the collector's heartbeat and the sources page's "check now" requests.

The write side lives here, in the core, so the scheduler, the collectors and the push APIs share it; the
read side is `queries.sources`.
"""

from .errors import REFUSED, describe_error
from .kinds import (
    AGENT,
    BANK_INBOX,
    BILL_SOURCE,
    COLLECTOR,
    EVENT_SOURCE,
    FILE_IMPORT,
    KIND_NAMES,
    KINDS,
    MONITOR,
    PROCESS,
    SourceRef,
    alert_key,
    owner,
)
from .status import (
    ALERT_SOURCE,
    PROCESS_NAME,
    NotCheckable,
    check_silent,
    declare,
    failure_text,
    finish_check,
    forget,
    heartbeat,
    pending_checks,
    record_attempt,
    request_check,
    source_label,
    stopped,
    threshold,
)

__all__ = [
    "AGENT", "ALERT_SOURCE", "BANK_INBOX", "BILL_SOURCE", "COLLECTOR", "EVENT_SOURCE", "FILE_IMPORT", "KINDS",
    "KIND_NAMES", "MONITOR", "PROCESS", "PROCESS_NAME", "REFUSED", "NotCheckable", "SourceRef", "alert_key",
    "check_silent", "declare", "describe_error", "failure_text", "finish_check", "forget", "heartbeat", "owner",
    "pending_checks", "record_attempt", "request_check", "source_label", "stopped", "threshold",
]
