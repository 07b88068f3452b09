"""partial indexes for two page reads that scanned a whole table

The payments page lists the bank entries to check (`queries.bankfeed.entries_to_check`, newest first) and the
SLA page the steps that could not be measured (`queries.sla.data_errors`, latest first, and how many); both
scanned every row (a million bank entries, half a million step results) for the few that qualify. Each gets a
partial index holding only those rows, in the order read, so it stays tiny and costs a bulk import nothing.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TO_CHECK = sa.text('to_check')
DATA_ERROR = sa.text("state = 'data_error'")


def upgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.create_index('ix_bank_transactions_to_check', ['booked_at', 'id'], unique=False,
                              sqlite_where=TO_CHECK, postgresql_where=TO_CHECK)
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.create_index('ix_step_results_data_error', ['completed_at', 'id'], unique=False,
                              sqlite_where=DATA_ERROR, postgresql_where=DATA_ERROR)


def downgrade() -> None:
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.drop_index('ix_step_results_data_error', sqlite_where=DATA_ERROR, postgresql_where=DATA_ERROR)
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_transactions_to_check', sqlite_where=TO_CHECK, postgresql_where=TO_CHECK)
