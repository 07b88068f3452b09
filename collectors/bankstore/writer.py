"""Writing a file's entries into ``bank_transactions`` in bulk, skipping the payments already stored.

Identity duplicates (equal ``dedup_key``) are left to the unique index: ``INSERT ... ON CONFLICT
DO NOTHING``. Weak duplicates (a statement line and an H2H notification of the same VA, amount,
day and number, see :func:`collectors.bankfeeds.same_payment`) are found first, in one range query
over the file's booking days. SQLite takes the rows through ``executemany``; PostgreSQL through
``COPY`` into a temporary table and one ``INSERT ... SELECT``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select, text

from pantau.models import BankTransaction

from .entries import STORED_COLUMNS, notification_mask

BATCH_ROWS = 100_000
_COLUMNS = ", ".join(("import_id", *STORED_COLUMNS))


def weak_duplicates(connection: Connection, frame: pd.DataFrame) -> np.ndarray:
    """Rows that are a stored entry of the other channel (statement vs. notification) by weak key.

    Two entries that both carry a payment reference are never weak duplicates: different
    references are different payments, equal ones already share their identity key.
    """
    duplicate = np.zeros(len(frame), dtype=bool)
    has_weak = frame["weak_key"].notna().to_numpy(dtype=bool)
    if not has_weak.any():
        return duplicate
    booked = pd.to_datetime(frame["booked_at"], utc=True)
    low = booked.min().to_pydatetime() - timedelta(days=2)
    high = booked.max().to_pydatetime() + timedelta(days=2)
    table = BankTransaction.__table__
    query = select(table.c.weak_key, table.c.source_format, table.c.dedup_key).where(
        table.c.booked_at.between(low, high), table.c.weak_key.is_not(None)
    )
    stored = pd.DataFrame(connection.execute(query).all(), columns=["weak_key", "source_format", "dedup_key"])
    if stored.empty:
        return duplicate
    stored["notification"] = notification_mask(stored)
    stored["has_ref"] = stored["dedup_key"].str.startswith("ref:")
    rows = pd.DataFrame({
        "row": np.arange(len(frame)),
        "weak_key": frame["weak_key"].astype(object),
        "notification": notification_mask(frame),
        "has_ref": frame["dedup_key"].str.startswith("ref:").to_numpy(dtype=bool),
    })[has_weak]
    pairs = rows.merge(stored, on="weak_key", suffixes=("", "_stored"))
    same = (pairs["notification"] != pairs["notification_stored"]) & ~(pairs["has_ref"] & pairs["has_ref_stored"])
    duplicate[pairs.loc[same, "row"].to_numpy()] = True
    return duplicate


def insert_entries(connection: Connection, import_id: int, values: dict[str, list]) -> int:
    """Insert the rows given column by column (see :func:`entries.stored_values`); returns how many
    were new, identity duplicates left out."""
    records = list(zip([import_id] * len(values["dedup_key"]), *(values[name] for name in STORED_COLUMNS)))
    if not records:
        return 0
    if connection.dialect.name == "postgresql":
        return _copy_insert(connection, records)
    marks = ", ".join("?" * (len(STORED_COLUMNS) + 1))
    statement = f"INSERT INTO bank_transactions ({_COLUMNS}) VALUES ({marks}) ON CONFLICT (dedup_key) DO NOTHING"
    added = 0
    for first in range(0, len(records), BATCH_ROWS):
        added += connection.exec_driver_sql(statement, records[first : first + BATCH_ROWS]).rowcount
    return added


def _copy_insert(connection: Connection, records: list[tuple]) -> int:
    connection.execute(text(
        "CREATE TEMPORARY TABLE bank_stage ON COMMIT DROP AS "
        f"SELECT {_COLUMNS} FROM bank_transactions WITH NO DATA"
    ))
    connection.execute(text("ALTER TABLE bank_stage ADD COLUMN seq BIGSERIAL"))
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY bank_stage ({_COLUMNS}) FROM STDIN") as copy:
        for record in records:
            copy.write_row(record)
    added = connection.execute(text(
        f"INSERT INTO bank_transactions ({_COLUMNS}) SELECT {_COLUMNS} FROM bank_stage ORDER BY seq "
        "ON CONFLICT (dedup_key) DO NOTHING"
    )).rowcount
    connection.execute(text("DROP TABLE bank_stage"))
    return added
