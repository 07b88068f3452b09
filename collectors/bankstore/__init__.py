"""Storing bank feeds: import a parsed file once, dedup payments across files and formats, drain the
watched inbox folder, and keep reconciliation current (see :mod:`collectors.bankfeeds` for parsers)."""

from .alerts import check_chains
from .config import FeedMapping, FeedSettings, feed_settings
from .importer import ImportSummary, file_digest, import_file
from .inbox import BankInboxCollector, drain
from .reconcile import ReconCollector
from .stall import H2hStallCollector

__all__ = [
    "BankInboxCollector",
    "check_chains",
    "FeedMapping",
    "FeedSettings",
    "H2hStallCollector",
    "ImportSummary",
    "ReconCollector",
    "drain",
    "feed_settings",
    "file_digest",
    "import_file",
]
