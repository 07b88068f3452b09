"""Workflow events: from source databases, CSV/XLSX files, the JSON API and the page's form, all
validated by `pantau.workflow.records` and stored by `pantau.workflow.store` (the core's write side, shared
with the JSON API and the SLA page); the `sla` collector keeps the SLA clock running."""

from . import collectors

__all__ = ["collectors"]
