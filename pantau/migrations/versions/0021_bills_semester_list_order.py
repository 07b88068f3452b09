"""bills: one semester's list in the bill list's order

The payments page lists a semester's bills soonest due first (`queries.bill_rows.bill_rows`: due date, then id).
With an index on (semester, due_date) the id left PostgreSQL to walk the (due_date, id) index and throw away
the other semesters' bills, half a million on the large demo store, before the first row of a later semester.
The (semester, due_date) index takes the id as a third column: it serves every read it served before and
this order too.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:30:00
"""

from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bills_semester_due_date'))
        batch_op.create_index(batch_op.f('ix_bills_semester_due_date_id'), ['semester', 'due_date', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bills_semester_due_date_id'))
        batch_op.create_index(batch_op.f('ix_bills_semester_due_date'), ['semester', 'due_date'], unique=False)
