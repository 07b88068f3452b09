"""bill search indexes again

On SQLite, 0015's batch rebuild of ``bills`` (to make the VA and the due date optional) copied the table
without 0013's expression indexes (lower(column): SQLAlchemy cannot reflect them), so the bill search scanned
every bill again. Recreate any that is missing; PostgreSQL altered the table in place and kept them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:40:00
"""

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

SEARCHED = ("source_key", "va_number", "payer_name")


def upgrade() -> None:
    ops = " text_pattern_ops" if op.get_bind().dialect.name == "postgresql" else ""
    for column in SEARCHED:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_bills_search_{column} ON bills (lower({column}){ops})")


def downgrade() -> None:
    """Nothing to undo: the indexes are 0013's."""
