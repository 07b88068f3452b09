"""bank evidence and statements

Bank rows become evidence: a payment is a row without ``payment_id`` and the rows naming it. Statements
get their own table (the balance chain). Notifications stored before take their new identity
(``ntf:<format>:<id>``); statement lines keep theirs, and a file imported before is still known by its
checksum.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 02:21:48.563107
"""

import sqlalchemy as sa
from alembic import op

import pantau.models.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_key', sa.String(length=128), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=34), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('opening_date', sa.Date(), nullable=True),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('opening_balance', pantau.models.base.Money(precision=18, scale=2), nullable=False),
    sa.Column('closing_balance', pantau.models.base.Money(precision=18, scale=2), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('replaced_at', pantau.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['bank_imports.id'], name=op.f('fk_bank_statements_import_id_bank_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statements')),
    sa.UniqueConstraint('statement_key', name=op.f('uq_bank_statements_statement_key'))
    )
    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statements_account_closing_date'), ['account', 'closing_date'],
                              unique=False)

    with op.batch_alter_table('bank_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('linked', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('relinked', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('payment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.add_column(sa.Column('to_check', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('statement_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_bank_transactions_statement_id_bank_statements'), 'bank_statements',
                                    ['statement_id'], ['id'])
        batch_op.drop_column('weak_key')

    reference = ("split_part(dedup_key, ':', 2)" if op.get_bind().dialect.name == "postgresql"
                 else "substr(dedup_key, 5, instr(substr(dedup_key, 5), ':') - 1)")
    op.execute(f"UPDATE bank_transactions SET payment_ref = {reference}, "
               f"dedup_key = 'ntf:' || source_format || ':' || {reference} "
               "WHERE source_format IN ('bni', 'briva', 'snap') AND dedup_key LIKE 'ref:%'")


def downgrade() -> None:
    with op.batch_alter_table('bank_transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weak_key', sa.VARCHAR(length=160), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_bank_transactions_statement_id_bank_statements'), type_='foreignkey')
        batch_op.drop_column('statement_id')
        batch_op.drop_column('to_check')
        batch_op.drop_column('payment_id')
        batch_op.drop_column('payment_ref')

    with op.batch_alter_table('bank_imports', schema=None) as batch_op:
        batch_op.drop_column('relinked')
        batch_op.drop_column('linked')

    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_statements_account_closing_date'))

    op.drop_table('bank_statements')
