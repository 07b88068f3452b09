"""public status page

The monitors published on the public status page under a plain-language label, the public posts about
their incidents, and the notes of each post.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 16:14:53
"""

import sqlalchemy as sa
from alembic import op

import pantau.models.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('status_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('monitor_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('label_en', sa.String(length=80), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_status_services_monitor_id_monitors'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_services')),
    sa.UniqueConstraint('monitor_id', name=op.f('uq_status_services_monitor_id'))
    )
    op.create_table('status_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_status_incidents_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_incidents')),
    sa.UniqueConstraint('incident_id', name=op.f('uq_status_incidents_incident_id'))
    )
    op.create_table('status_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status_incident_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_en', sa.Text(), nullable=True),
    sa.Column('posted_by', sa.String(length=64), nullable=False),
    sa.Column('posted_at', pantau.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['status_incident_id'], ['status_incidents.id'],
                            name=op.f('fk_status_updates_status_incident_id_status_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_updates'))
    )
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_updates_status_incident_id_posted_at'),
                              ['status_incident_id', 'posted_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_updates_status_incident_id_posted_at'))
    op.drop_table('status_updates')
    op.drop_table('status_incidents')
    op.drop_table('status_services')
