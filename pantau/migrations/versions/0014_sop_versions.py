"""Published SOP catalogue versions: table sop_versions, sop_cases.sop_version

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:30:00
"""

import sqlalchemy as sa
from alembic import op

from pantau.models.base import UTCDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sop_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sop_code', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.Column('published_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_versions')),
    sa.UniqueConstraint('sop_code', 'version', name=op.f('uq_sop_versions_sop_code_version'))
    )
    with op.batch_alter_table('sop_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sop_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sop_cases', schema=None) as batch_op:
        batch_op.drop_column('sop_version')
    op.drop_table('sop_versions')
