"""alert level

An alert's level says how far its condition has gone (a certificate's 14, 7 and 1 days left, then expired):
raised again at a higher level, the alert escalates. Existing alerts start at level 0.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('level')
