"""Importing one bank file into the store: all of it in one transaction, or nothing.

A file is known by its SHA-256: the same bytes dropped again add nothing. A file that cannot be
read (a bad line, a truncated download, a balance that does not add up) is refused whole, with the
parser's error naming file, line, field and value. Every import and refusal is audit-logged.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from collectors.bankfeeds import (
    ColumnMapping,
    FeedError,
    StatementPart,
    detect_format,
    parse_file,
    read_tabular_frame,
    tried_format,
)
from collectors.bankfeeds.entry import JAKARTA
from pantau import audit
from pantau.db import session_scope
from pantau.models import BankImport, utcnow

from . import alerts, evidence, statements
from .entries import check_sizes, payment_mask, statement_frame, stored_values
from .writer import insert_entries

Status = Literal["imported", "already_imported", "rejected"]
TABULAR = ("csv", "xlsx")
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
CHUNK_ROWS = 50_000
_LOCK_KEY = 0x70616E746175  # serialises bank imports on PostgreSQL ("pantau")


@dataclass(frozen=True)
class ImportSummary:
    """What importing one file did; ``as_dict`` is the CLI's ``--json`` output.

    ``added`` counts the entries stored (credits, debits, reversals); ``payments_added`` the new
    distinct payments among them (money not seen before); ``linked`` the entries stored as evidence of
    a payment already known (its notification, its line on another statement); ``to_check`` the
    entries whose link was not certain; ``duplicates`` the entries stored before (the same entry
    read again); ``rejected`` the lines refused, all of them when the file is. ``balance`` is the
    balance chain check of each statement in the file (None for files without balances).
    """

    file: str
    status: Status
    format: str | None = None
    lines_read: int = 0
    added: int = 0
    payments_added: int = 0
    duplicates: int = 0
    rejected: int = 0
    linked: int = 0
    to_check: int = 0
    balance: list[dict] | None = None
    import_id: int | None = None
    error: dict | None = field(default=None)

    def as_dict(self) -> dict:
        return asdict(self)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    engine: Engine,
    path: Path,
    *,
    fmt: str = "auto",
    mapping: ColumnMapping | None = None,
    actor: str = "system",
    tz: ZoneInfo = JAKARTA,
    language: str = "id",
) -> ImportSummary:
    """Import ``path`` (``fmt`` or its detected format) and say what happened; never raises FeedError.

    CSV and XLSX exports go through the vectorised reader (a million lines in seconds), the other
    formats through their parsers. ``mapping`` describes a CSV/XLSX layout (Pantau's own by default).
    ``language`` is the one alerts raised by the import (a broken balance chain) are written in.
    """
    path = Path(path)
    digest = file_digest(path)
    with engine.connect() as connection:
        earlier = connection.execute(
            select(BankImport.id, BankImport.format, BankImport.lines_read, BankImport.added, BankImport.duplicates)
            .where(BankImport.sha256 == digest)
        ).first()
    if earlier is not None:
        return _already(path, earlier)
    try:
        name = detect_format(path) if fmt == "auto" else fmt
        frame, lines_read, parts = _read(path, name, mapping, tz)
        check_sizes(frame, path)
    except FeedError as error:
        return _refuse(engine, path, fmt, error, actor)
    with session_scope(engine) as session:
        import_id = _claim(session, path, digest, name, actor)
        if import_id is None:
            return ImportSummary(str(path), "already_imported", name)
        summary = _store(session, import_id, path, name, frame, lines_read, parts, tz, language)
        audit.record(session, actor, "bank.import", f"bank_import:{import_id}", summary.as_dict())
    return summary


def _read(path: Path, name: str, mapping: ColumnMapping | None,
          tz: ZoneInfo) -> tuple[pd.DataFrame, int, tuple[StatementPart, ...]]:
    if name in TABULAR:
        frame = read_tabular_frame(path, mapping, tz=tz)
        return frame, int(frame["line_no"].max()) if len(frame) else _count_lines(path), ()
    statement = parse_file(path, name, mapping=mapping, tz=tz)
    return statement_frame(statement), statement.lines_read, statement.parts


def _claim(session: Session, path: Path, digest: str, name: str, actor: str) -> int | None:
    """Insert the file's ``bank_imports`` row; None when another import of the same bytes won."""
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    insert = (
        _INSERTS[dialect](BankImport)
        .values(file_name=path.name[:255], sha256=digest, format=name, imported_at=utcnow(), imported_by=actor)
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(BankImport.id)
    )
    return connection.execute(insert).scalar()


def _store(session: Session, import_id: int, path: Path, name: str, frame: pd.DataFrame, lines_read: int,
           parts: tuple[StatementPart, ...], tz: ZoneInfo, language: str) -> ImportSummary:
    """Store the file's statements and entries, each entry linked to the payment it is evidence of."""
    connection = session.connection()
    plan = statements.plan(connection, parts)
    relinked = statements.remove_replaced(connection, list(plan.corrected.values()))
    statement_ids = statements.save(connection, import_id, plan, utcnow())
    same = {part.key for part in plan.same}
    fresh = frame[~frame["statement_key"].isin(same)] if same else frame
    fresh, links = evidence.links_for(connection, fresh, plan.overlaps, tz)
    fresh = fresh.assign(
        payment_id=links.payment_ids(),
        to_check=links.to_check,
        statement_id=fresh["statement_key"].map(statement_ids).astype("Int64"),
    )
    known = links.known_money()
    own_payment = payment_mask(fresh) & ~known
    payments_added = _insert(connection, import_id, _rows(fresh, own_payment), tz)
    linked = _insert(connection, import_id, _rows(fresh, known), tz)
    others = _insert(connection, import_id, _rows(fresh, ~own_payment & ~known), tz)
    relinked += evidence.move(connection, fresh, links)
    added = payments_added + linked + others
    payments_added += links.stored_payments_change()
    chain = _chain(session, parts, language)
    record = session.get(BankImport, import_id)
    record.lines_read, record.added, record.duplicates = lines_read, added, len(frame) - added
    record.linked, record.relinked = linked, relinked
    return ImportSummary(str(path), "imported", name, lines_read, added, payments_added, len(frame) - added,
                         linked=linked, to_check=int(links.to_check.sum()), balance=chain, import_id=import_id)


def _chain(session: Session, parts: tuple[StatementPart, ...], language: str) -> list[dict] | None:
    """The balance check of the file's statements (None for files without balances), with an alert
    for the bendahara at each gap in an account's chain."""
    if not parts:
        return None
    links = statements.chain_of(session.connection(), {part.account for part in parts})
    alerts.balance_gaps(session, links, language)
    keys = {(part.account, part.number, part.closing_date) for part in parts}
    return [
        {"account": link.statement.account, "statement": link.statement.number,
         "opening_date": _iso(link.statement.opening_date), "closing_date": _iso(link.statement.closing_date),
         "status": link.status, "opening_balance": f"{link.statement.opening_balance:.2f}",
         "expected_opening": None if link.expected is None else f"{link.expected:.2f}"}
        for link in links
        if (link.statement.account, link.statement.number, link.statement.closing_date) in keys
    ]


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


def _insert(connection, import_id: int, frame: pd.DataFrame, tz: ZoneInfo) -> int:
    """Store the rows ``CHUNK_ROWS`` at a time: each chunk's Python values are freed before the next
    is made, so a million-line file reuses the same memory instead of faulting in gigabytes."""
    return sum(insert_entries(connection, import_id, stored_values(frame.iloc[first : first + CHUNK_ROWS], tz))
               for first in range(0, len(frame), CHUNK_ROWS))


def _rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    """The rows of ``mask``, without copying the frame when that is all of them."""
    return frame if mask.all() else frame[mask]


def _already(path: Path, earlier) -> ImportSummary:
    return ImportSummary(str(path), "already_imported", earlier.format, earlier.lines_read,
                         duplicates=earlier.added + earlier.duplicates, import_id=earlier.id)


def _refuse(engine: Engine, path: Path, fmt: str, error: FeedError, actor: str) -> ImportSummary:
    lines = _count_lines(path)
    error = tried_format(error, path, fmt)
    summary = ImportSummary(str(path), "rejected", error.format, lines, rejected=lines, error=error.as_dict())
    with session_scope(engine) as session:
        audit.record(session, actor, "bank.import.rejected", path.name, {"error": str(error)})
    return summary


def _count_lines(path: Path) -> int:
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return 0
    return data.count(b"\n") + (bool(data) and not data.endswith(b"\n"))
