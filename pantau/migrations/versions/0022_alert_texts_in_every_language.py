"""alerts: the title and body in every language of the interface

An alert's `title` and `body` are written in the installation's language, for its messages; `texts` holds them in
each language the pages speak (`{"en": [title, body], "id": [...]}`), so a reader who chose English reads an alert
raised in Indonesian in English. Alerts raised before hold none: the pages show their title and body.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 07:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('texts', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('texts')
