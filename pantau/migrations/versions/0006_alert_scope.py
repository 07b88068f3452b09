"""alert scope

An alert about an SOP names it (`sop_code`) and, when it is about one step, the step (`step_key`): operators
are shown and told only the alerts about SOPs and steps assigned to their unit, as their pages. Live alerts
raised before get theirs here: SLA step alerts from their case and key (`sla:<case id>:<step>:<state>`), KTM
photo alerts the KTM SOP, webservice account alerts the WS SOP.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sop_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('step_key', sa.String(length=48), nullable=True))

    bind = op.get_bind()
    bind.execute(sa.text("UPDATE alerts SET sop_code = 'KTM' WHERE source = 'ktm-photos' AND state != 'resolved'"))
    bind.execute(sa.text("UPDATE alerts SET sop_code = 'WS' WHERE source = 'accounts' AND state != 'resolved'"))
    live = bind.execute(sa.text(
        "SELECT id, dedup_key FROM alerts WHERE source = 'sla' AND state != 'resolved'")).all()
    parsed = {}
    for alert_id, key in live:
        parts = key.split(":")
        if len(parts) == 4 and parts[1].isdigit():
            parsed[alert_id] = (int(parts[1]), parts[2])
    codes = dict(bind.execute(sa.text("SELECT id, sop_code FROM sop_cases WHERE id IN :ids")
                              .bindparams(sa.bindparam("ids", expanding=True)),
                              {"ids": sorted({case for case, _ in parsed.values()})}).all()) if parsed else {}
    for alert_id, (case_id, step_key) in parsed.items():
        if case_id in codes:
            bind.execute(sa.text("UPDATE alerts SET sop_code = :sop, step_key = :step WHERE id = :id"),
                         {"sop": codes[case_id], "step": step_key, "id": alert_id})


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('step_key')
        batch_op.drop_column('sop_code')
