"""The stored side of linking: the rows near a file's entries, the entries already stored, and the
statement lines a new notification takes over (see :mod:`collectors.bankstore.linking` for the rules).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, false, or_, select, update

from collectors.bankfeeds.entry import NOTIFICATION_FORMATS
from pantau.models import BankTransaction

from . import statements
from .linking import EXPORT_FORMATS, NEW_COLUMNS, STATEMENT_FORMATS, STORED_COLUMNS, link
from .links import Links, no_links

WINDOW = timedelta(days=2)
"""How far around a file's booking days stored rows are looked at (a statement books a day late)."""
PAIRING_WINDOW = timedelta(days=5)
"""How far around them stored credits are read for pairing by VA (:data:`.vapairing.NOTES_REACH`
days of notifications, a day more of lines, and a day for the time zone)."""
KEY_BATCH = 500
_TABLE = BankTransaction.__table__


def links_for(connection: Connection, frame: pd.DataFrame, overlaps: pd.DataFrame,
              tz: ZoneInfo) -> tuple[pd.DataFrame, Links]:
    """The rows of ``frame`` not stored yet, and what each of them is evidence of.

    When no stored row could be linked to (a first import, a bank export with no notification near
    it), nothing is looked up row by row: the unique index keeps a row read again out at insert.
    """
    if frame.empty:
        return frame, no_links(0)
    stored = _nearby(connection, frame, overlaps, tz)
    credits = _credits_around(connection, frame, tz) if frame["va_number"].notna().any() else pd.DataFrame()
    if stored.empty and credits.empty:
        return frame, no_links(len(frame))
    frame = frame.drop_duplicates("dedup_key").reset_index(drop=True)
    frame = frame[~_known(connection, frame["dedup_key"])].reset_index(drop=True)
    new = frame.reindex(columns=[column for column in NEW_COLUMNS if column != "day"])
    new["day"] = _days(frame["booked_at"], tz)
    return frame, link(new, stored, overlaps, credits)


def move(connection: Connection, frame: pd.DataFrame, links: Links) -> int:
    """Store the links' moves (after ``frame``'s rows are stored); returns how many rows changed payment."""
    if not links.moves:
        return 0
    keys = frame["dedup_key"].to_numpy()
    wanted = [keys[move.to_row] for move in links.moves if move.to_row is not None]
    ids = dict(connection.execute(select(_TABLE.c.dedup_key, _TABLE.c.id).where(_TABLE.c.dedup_key.in_(wanted))).all())
    moved = 0
    for change in links.moves:
        members = list(change.members)
        if change.freed:
            others = [member for member in members if member != change.line]
            connection.execute(update(_TABLE).where(_TABLE.c.id.in_(others)).values(payment_id=change.line))
            connection.execute(update(_TABLE).where(_TABLE.c.id == change.line).values(payment_id=None))
        else:
            target = ids[keys[change.to_row]] if change.to_row is not None else change.to_id
            connection.execute(update(_TABLE).where(_TABLE.c.id.in_(members)).values(payment_id=target))
            if change.check and change.to_row is None:
                connection.execute(update(_TABLE).where(_TABLE.c.id == change.line).values(to_check=True))
        statements.forget(connection, members)
        moved += len(members)
    return moved


def _credits_around(connection: Connection, frame: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """Every stored credit within :data:`PAIRING_WINDOW` of the file's days, for pairing by VA."""
    booked = pd.to_datetime(frame["booked_at"], utc=True)
    columns = [_TABLE.c[name] for name in STORED_COLUMNS if name != "day"] + [_TABLE.c.dedup_key]
    rows = connection.execute(select(*columns).where(
        _TABLE.c.booked_at.between(booked.min().to_pydatetime() - PAIRING_WINDOW,
                                   booked.max().to_pydatetime() + PAIRING_WINDOW),
        _TABLE.c.direction == "credit", _TABLE.c.is_reversal == false())).all()
    credits = pd.DataFrame(rows, columns=[column.name for column in columns])
    if not credits.empty:
        credits["day"] = _days(credits["booked_at"], tz)
    return credits


def _nearby(connection: Connection, frame: pd.DataFrame, overlaps: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """Stored rows a new row could be linked to, booked within :data:`WINDOW` of the file's days."""
    booked = pd.to_datetime(frame["booked_at"], utc=True)
    window = _TABLE.c.booked_at.between(booked.min().to_pydatetime() - WINDOW,
                                        booked.max().to_pydatetime() + WINDOW)
    notification = _TABLE.c.source_format.in_(NOTIFICATION_FORMATS)
    credit = and_(_TABLE.c.direction == "credit", _TABLE.c.is_reversal == false())
    formats = set(frame["source_format"].unique())
    if formats <= NOTIFICATION_FORMATS:
        relevant = and_(~notification, credit)
    else:
        other_kind = STATEMENT_FORMATS if formats <= EXPORT_FORMATS else EXPORT_FORMATS
        relevant = or_(and_(notification, credit), and_(~notification, _TABLE.c.payment_id.is_not(None)),
                       _TABLE.c.source_format.in_(other_kind))
        if not overlaps.empty:
            relevant = or_(relevant, _TABLE.c.statement_id.in_(overlaps["statement_id"].unique().tolist()))
    columns = [_TABLE.c[name] for name in STORED_COLUMNS if name != "day"]
    rows = connection.execute(select(*columns).where(window, relevant)).all()
    stored = pd.DataFrame(rows, columns=[column.name for column in columns])
    if stored.empty:
        return stored
    stored["day"] = _days(stored["booked_at"], tz)
    return stored


def _known(connection: Connection, keys: pd.Series) -> np.ndarray:
    """Which identity keys are stored already."""
    values = keys.tolist()
    found: set[str] = set()
    for first in range(0, len(values), KEY_BATCH):
        batch = values[first : first + KEY_BATCH]
        found.update(connection.execute(select(_TABLE.c.dedup_key).where(_TABLE.c.dedup_key.in_(batch))).scalars())
    return keys.isin(found).to_numpy(dtype=bool)


def _days(moments: pd.Series, tz: ZoneInfo) -> pd.Series:
    """Booking days on the campus calendar, as ISO text."""
    return pd.to_datetime(moments, utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m-%d").reset_index(drop=True)
