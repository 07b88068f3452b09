"""collector lease

One row per lease name (the collector's): which process holds it, on which host, since when, and until when
it lasts unless renewed. Exactly one `pantau collect` runs the collectors; others wait for the lease.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

import pantau.models.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('collector_lease',
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('acquired_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.Column('renewed_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_collector_lease'))
    )


def downgrade() -> None:
    op.drop_table('collector_lease')
