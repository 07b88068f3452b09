"""Recognising a feed file's format by its content, and dispatching to the right parser."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from .camt053 import parse_camt053
from .entry import JAKARTA, Statement
from .errors import FeedError
from .h2h import flavour_of, parse_bni, parse_briva, parse_snap
from .mapping import ColumnMapping
from .mt940 import parse_mt940
from .tabular import is_xlsx, parse_csv, parse_xlsx

Parser = Callable[..., Statement]

FORMATS: dict[str, Parser] = {
    "mt940": parse_mt940,
    "camt053": parse_camt053,
    "csv": parse_csv,
    "xlsx": parse_xlsx,
    "bni": parse_bni,
    "briva": parse_briva,
    "snap": parse_snap,
}
"""Every format name accepted by ``--format``, with its parser."""

_SNIFF_BYTES = 64 * 1024
_MT940_START = re.compile(r"^[\x01\x03]*(?:\{1:|:(?:20|21|25|28C?|6[0-5][FM]?|86):)", re.MULTILINE)
_LOG_SUFFIXES = (".jsonl", ".ndjson", ".json", ".log")
_MT940_SUFFIXES = (".sta", ".mt940", ".940", ".swi", ".fin")
_LOG_NAMES = ("briva", "snap")


def detect_format(path: Path) -> str:
    """Guess a file's format from its first bytes.

    A zip container is XLSX; ``{1:`` or a line starting with a statement's field (``:20:``, or
    ``:25:``, ``:28C:``, ``:60F:``, ``:61:`` of a fragment without it) is MT940; an XML document
    with a ``Document``/``BkToCstmrStmt`` root is camt.053; a first line holding a JSON object is an
    H2H log, its keys telling BNI, BRIVA or SNAP apart; anything else is read as CSV. A file of only
    blank lines is read by its name: an empty notification log (``.jsonl``, ``.json``, ``.log``; BNI
    unless the name says BRIVA or SNAP, as it holds no notification either way), an MT940 statement,
    or else a CSV export.
    """
    path = Path(path)
    if is_xlsx(path):
        return "xlsx"
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).decode("utf-8-sig", errors="replace").lstrip()
    head = head.replace("\r\n", "\n").replace("\r", "\n")
    if not head:
        return _blank_format(path)
    if _MT940_START.search(head):
        return "mt940"
    if head.startswith("<") and ("<Document" in head or "BkToCstmrStmt" in head or ":Document" in head):
        return "camt053"
    first = head.split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            record = json.loads(first)
        except json.JSONDecodeError:
            reason = "looks like JSON lines but is not JSON"
            raise FeedError(path, 1, None, first, reason, format="h2h") from None
        flavour = flavour_of(record) if isinstance(record, dict) else None
        if flavour is None:
            reason = "a JSON notification of no known kind (BNI, BRIVA or SNAP)"
            raise FeedError(path, 1, None, first, reason, format="h2h")
        return flavour
    return "csv"


def _blank_format(path: Path) -> str:
    suffix, name = path.suffix.lower(), path.name.lower()
    if suffix in _LOG_SUFFIXES:
        return next((word for word in _LOG_NAMES if word in name), "bni")
    return "mt940" if suffix in _MT940_SUFFIXES else "csv"


def tried_format(error: FeedError, path: Path, fmt: str = "auto") -> FeedError:
    """``error`` naming the format the file was read as: ``fmt``, else the one its content shows."""
    if error.format is None and fmt != "auto":
        error.format = fmt
    elif error.format is None:
        try:
            error.format = detect_format(path)
        except FeedError as detected:
            error.format = detected.format
    return error


def parse_file(
    path: Path,
    fmt: str = "auto",
    mapping: ColumnMapping | None = None,
    tz: ZoneInfo = JAKARTA,
) -> Statement:
    """Parse ``path`` as ``fmt`` (or the detected format for ``auto``) into a :class:`Statement`.

    ``mapping`` is used by the CSV and XLSX parsers. Raises :class:`FeedError` for an unknown format
    name and for any bad content.
    """
    path = Path(path)
    name = detect_format(path) if fmt == "auto" else fmt
    parser = FORMATS.get(name)
    if parser is None:
        reason = "unknown format; expected auto or one of {formats}"
        raise FeedError(path, None, "format", fmt, reason, formats=", ".join(FORMATS))
    try:
        return parser(path, mapping=mapping, tz=tz)
    except FeedError as error:
        tried_format(error, path, name)
        raise
