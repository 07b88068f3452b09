"""bill key space

A bill is identified by its number within its source's key space, no longer by its number alone: the same
bill number in two sources is two bills. Every existing bill gets its own source as its key space.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_space', sa.String(length=32), nullable=False, server_default='demo'))
    op.execute("UPDATE bills SET key_space = source")
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_constraint('uq_bills_source_key', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_bills_source_key_key_space'), ['source_key', 'key_space'])


def downgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_constraint('uq_bills_source_key_key_space', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_bills_source_key'), ['source_key'])
        batch_op.drop_column('key_space')
