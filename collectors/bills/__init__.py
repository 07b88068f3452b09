"""Bills from the payment application: its database read incrementally and read-only through a
mapping query, or its CSV/XLSX export; and the token-stock alerts of the admission waves."""

from .collector import BillsCollector
from .config import BillSource, bill_sources
from .records import BillDataError, normalise
from .sync import SourceUnreadable, SyncReport, TooManyBadRows, sync_source
from .tokens import TokenStockCollector, check_stock

__all__ = [
    "BillDataError",
    "BillSource",
    "BillsCollector",
    "SourceUnreadable",
    "SyncReport",
    "TokenStockCollector",
    "TooManyBadRows",
    "bill_sources",
    "check_stock",
    "normalise",
    "sync_source",
]
