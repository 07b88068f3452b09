"""Pure probing: ICMP, TCP and HTTP checks, host metrics and concurrent rounds, with no storage."""

from collectors.probes.host import HostSnapshot, host_snapshot, processes_alive
from collectors.probes.http import probe_http
from collectors.probes.icmp import IcmpMode, probe_icmp
from collectors.probes.result import ProbeResult
from collectors.probes.round import Check, run_round
from collectors.probes.tcp import probe_tcp

__all__ = [
    "Check",
    "HostSnapshot",
    "IcmpMode",
    "ProbeResult",
    "host_snapshot",
    "probe_http",
    "probe_icmp",
    "probe_tcp",
    "processes_alive",
    "run_round",
]
