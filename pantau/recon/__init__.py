"""Bank reconciliation: match bank credits to bills, keep the exception queue, alert when it is late."""

from .cases import RESOLVERS, CaseChanges, CaseError, overdue_alert, resolve_case
from .config import ReconSettings, bank_settings, recon_settings
from .run import ReconRun, is_stale, reconcile

__all__ = [
    "RESOLVERS",
    "CaseChanges",
    "CaseError",
    "ReconRun",
    "ReconSettings",
    "bank_settings",
    "is_stale",
    "overdue_alert",
    "recon_settings",
    "reconcile",
    "resolve_case",
]
