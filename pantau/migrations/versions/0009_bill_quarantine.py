"""bill quarantine

The rows of a bill source that its latest sync set aside (a missing amount, an unknown kind, a date that
cannot be read, a number given twice), each with its row, query, column, value and reason.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import pantau.models.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bill_quarantine',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('query', sa.String(length=64), nullable=True),
    sa.Column('row', sa.String(length=200), nullable=False),
    sa.Column('source_key', sa.String(length=40), nullable=True),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('column', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=400), nullable=False),
    sa.Column('first_seen_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill_quarantine'))
    )
    with op.batch_alter_table('bill_quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_quarantine_source_source_key'), ['source', 'source_key'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bill_quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bill_quarantine_source_source_key'))
    op.drop_table('bill_quarantine')
