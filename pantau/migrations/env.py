"""Alembic environment: runs on the connection `pantau.migrate` hands over, or on the URL in alembic.ini."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.exc import SAWarning

from pantau.models import Base

config = context.config
target_metadata = Base.metadata

# A batch migration on SQLite reflects the table it copies, and SQLAlchemy cannot reflect the bills' expression
# indexes (lower(column)): it says so once per index. The copy drops them and 0016 creates them again, so the
# warning tells an installer nothing.
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index",
                        category=SAWarning)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)
