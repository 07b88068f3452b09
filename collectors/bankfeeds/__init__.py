"""Bank feeds: parse statements and H2H notification logs into normalised :class:`BankEntry` rows.

Pure parsing, no storage. Every parser reads a whole file and returns a :class:`Statement`, or
raises :class:`FeedError` naming the file, line, field and value; nothing partial is returned.
"""

from .dedup import same_payment
from .detect import FORMATS, detect_format, parse_file
from .entry import BankEntry, Statement
from .errors import BalanceMismatch, FeedError
from .mapping import DEFAULT_MAPPING, ColumnMapping
from .tabular import read_tabular_frame

__all__ = [
    "DEFAULT_MAPPING",
    "FORMATS",
    "BalanceMismatch",
    "BankEntry",
    "ColumnMapping",
    "FeedError",
    "Statement",
    "detect_format",
    "parse_file",
    "read_tabular_frame",
    "same_payment",
]
