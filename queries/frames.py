"""Query results as pandas frames."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, Engine


def read_frame(db: Engine | Connection, query, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of `query`, in columns named `columns` (default: the query's labels).

    Rows reach pandas as plain tuples: given SQLAlchemy's rows, pandas probes each one for named-tuple
    attributes, which cost more than the query itself at a thousand rows."""
    if isinstance(db, Engine):
        with db.connect() as connection:
            return read_frame(connection, query, columns)
    result = db.execute(query)
    return pd.DataFrame(list(map(tuple, result)), columns=list(columns if columns is not None else result.keys()))
