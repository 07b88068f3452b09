"""bill search indexes

The payments page's bill list stays flat as bills pile up: (due_date, id) serves its order (soonest due first)
without sorting every bill, and lower() expression indexes on number, VA and payer name serve its search, a
case-insensitive prefix match (PostgreSQL: text_pattern_ops, so LIKE 'x%' uses them in any collation).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 17:20:00
"""

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

SEARCHED = ("source_key", "va_number", "payer_name")


def upgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bills_due_date_id'), ['due_date', 'id'], unique=False)
    ops = " text_pattern_ops" if op.get_bind().dialect.name == "postgresql" else ""
    for column in SEARCHED:
        op.execute(f"CREATE INDEX ix_bills_search_{column} ON bills (lower({column}){ops})")


def downgrade() -> None:
    for column in SEARCHED:
        op.execute(f"DROP INDEX ix_bills_search_{column}")
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bills_due_date_id'))
