"""Workflow events: from source databases, CSV/XLSX files, the JSON API and the page's form, all
validated by `records` and stored by `store`; the `sla` collector keeps the SLA clock running."""

from . import collectors

__all__ = ["collectors"]
