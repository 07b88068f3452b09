"""Event corrections and step data errors: step_events.correction, step_results.problem

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('step_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('step_results', schema=None) as batch_op:
        batch_op.drop_column('problem')
    with op.batch_alter_table('step_events', schema=None) as batch_op:
        batch_op.drop_column('correction')
