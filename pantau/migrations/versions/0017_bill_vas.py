"""bill VAs: a bill's virtual accounts, each with its bank, in bill_vas

A bill is payable to zero or more VAs (one per bank: BNI, BRI, Mandiri...). Each bill's VA so far moves into
bill_vas as its primary VA, bank not known; bills.va_number stays as a copy of the primary VA (the bill
list's search and column), and reconciliation looks VAs up in bill_vas, so bills' VA index goes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bill_vas',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bill_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bank', sa.String(length=16), nullable=True),
    sa.Column('va_number', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_bill_vas_bill_id_bills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill_vas')),
    sa.UniqueConstraint('bill_id', 'bank', 'va_number', name=op.f('uq_bill_vas_bill_id_bank_va_number'))
    )
    op.execute("UPDATE bills SET va_number = NULL WHERE va_number = ''")
    op.execute("INSERT INTO bill_vas (bill_id, bank, va_number, position)"
               " SELECT id, NULL, va_number, 0 FROM bills WHERE va_number IS NOT NULL")
    op.create_index(op.f('ix_bill_vas_va_number_bank_bill_id'), 'bill_vas', ['va_number', 'bank', 'bill_id'],
                    unique=False)
    op.execute("DROP INDEX IF EXISTS ix_bills_va_number_deleted_at_amount_due_date")
    if op.get_bind().dialect.name == "postgresql":
        # A table filled in bulk has no statistics until autovacuum comes by: without them the planner scans
        # bill_vas for each bill list's VA lookup (seen at 1M bills: 0.5-1.3 s a page instead of milliseconds).
        op.execute("ANALYZE bill_vas")


def downgrade() -> None:
    op.create_index(op.f('ix_bills_va_number_deleted_at_amount_due_date'), 'bills',
                    ['va_number', 'deleted_at', 'amount', 'due_date'], unique=False)
    op.drop_index(op.f('ix_bill_vas_va_number_bank_bill_id'), table_name='bill_vas')
    op.drop_table('bill_vas')
