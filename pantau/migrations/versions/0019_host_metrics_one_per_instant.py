"""host metrics: one reading per host and instant

`pantau agent` keeps the readings it could not deliver (the dashboard's store was away) and pushes them again
later; a reading whose answer was lost after the dashboard stored it comes twice. The (host, collected_at)
index becomes unique so the second copy is not stored (`pantau.monitoring.readings.store_reading`); copies
already stored go, the first one written stays.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:45:00
"""

from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM host_metrics WHERE EXISTS (SELECT 1 FROM host_metrics AS earlier"
               " WHERE earlier.host = host_metrics.host AND earlier.collected_at = host_metrics.collected_at"
               " AND earlier.id < host_metrics.id)")
    with op.batch_alter_table('host_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_host_metrics_host_collected_at'))
        batch_op.create_index(batch_op.f('ix_host_metrics_host_collected_at'), ['host', 'collected_at'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('host_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_host_metrics_host_collected_at'))
        batch_op.create_index(batch_op.f('ix_host_metrics_host_collected_at'), ['host', 'collected_at'], unique=False)
