"""source status

One row per source (kind and name: a collector, a monitor, a bill source, the bank inbox, an event source, a
host agent, the collector process): its last attempt, last success and last error, the current run of
failures, its expected interval, and the sources page's "check now" request.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 11:00:00
"""

import sqlalchemy as sa
from alembic import op

import pantau.models.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('source_status',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('interval_s', sa.Double(), nullable=True),
    sa.Column('pushed', sa.Boolean(), nullable=False),
    sa.Column('last_attempt_at', pantau.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_success_at', pantau.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_error_at', pantau.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_error_kind', sa.String(length=24), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_message', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('failing_since', pantau.models.base.UTCDateTime(), nullable=True),
    sa.Column('check_requested_at', pantau.models.base.UTCDateTime(), nullable=True),
    sa.Column('check_requested_by', sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'name', name=op.f('pk_source_status'))
    )


def downgrade() -> None:
    op.drop_table('source_status')
