"""Bank feeds: parse statements and H2H notification logs into normalised :class:`BankEntry` rows.

Pure parsing, no storage. Every parser reads a whole file and returns a :class:`Statement`, or
raises :class:`FeedError` naming the file, line, field and value; nothing partial is returned.
Each entry's identity, by what its channel guarantees, is described in
:mod:`collectors.bankfeeds.entry`.
"""

from .camt053 import parse_camt053
from .dedup import number_occurrences
from .detect import FORMATS, detect_format, parse_file, tried_format
from .entry import BankEntry, Statement, StatementPart
from .errors import BalanceMismatch, FeedError
from .h2h import parse_bni, parse_briva, parse_snap
from .mapping import DEFAULT_MAPPING, ColumnMapping
from .mt940 import parse_mt940
from .tabular import parse_csv, parse_xlsx, read_tabular_frame

__all__ = [
    "DEFAULT_MAPPING",
    "FORMATS",
    "BalanceMismatch",
    "BankEntry",
    "ColumnMapping",
    "FeedError",
    "Statement",
    "StatementPart",
    "detect_format",
    "number_occurrences",
    "parse_bni",
    "parse_briva",
    "parse_camt053",
    "parse_csv",
    "parse_file",
    "parse_mt940",
    "parse_snap",
    "parse_xlsx",
    "read_tabular_frame",
    "tried_format",
]
