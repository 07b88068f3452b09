"""session version

Each user carries a session version, copied into the signed session cookie at log-in and compared on every
request: log-out, a password change, disabling the user and an administrator's "log out everywhere" raise it,
so every copy of an earlier cookie is refused at once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
