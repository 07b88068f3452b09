"""bills without a VA or a due date: bills.va_number and bills.due_date nullable, bills.issued_on

A bill paid at the counter or by transfer has no VA, and may have no due date; ageing then counts from its
issue date. Bills stored before keep their due date and are issued on the day they were last synced.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.alter_column('va_number', existing_type=sa.String(length=32), nullable=True)
        batch_op.alter_column('due_date', existing_type=sa.Date(), nullable=True)
    day = "CAST(synced_at AS DATE)" if op.get_bind().dialect.name == "postgresql" else "date(synced_at)"
    op.execute(f"UPDATE bills SET issued_on = {day}")


def downgrade() -> None:
    op.execute("UPDATE bills SET va_number = '' WHERE va_number IS NULL")
    op.execute("UPDATE bills SET due_date = issued_on WHERE due_date IS NULL")
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.alter_column('due_date', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('va_number', existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column('issued_on')
