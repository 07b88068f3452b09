"""status post edits: an incident post's note can be edited (marked "diperbarui") and withdrawn

status_updates gains edited_at / edited_by (the last edit; the public page marks the note as updated) and
withdrawn_at / withdrawn_by (a withdrawn note leaves /status, /status.json and /status.atom; the row and the
audit log keep it). Every edit and withdrawal is audited with the words before and after.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 21:00:00
"""

import sqlalchemy as sa
from alembic import op

from pantau.models.base import UTCDateTime

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('edited_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('edited_by')
        batch_op.drop_column('edited_at')
