"""bill kinds and master data

Bill kinds become data: ``bill_kind_groups`` and ``bill_kinds``, seeded with the SOP's three (registrasi,
herregistrasi, sipenmatu) and the charges campuses commonly bill. Study programmes gain ``fakultas``,
``name_unknown`` (created by a bill sync from a code alone) and the ``source`` that created them. Bills keep
the ``nim`` and ``prodi_code`` their source gave, so a later sync can fill student and programme; bills whose
programme is known get its code, the others are read again once by their source's next sync.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

GROUPS = [
    ("pendidikan", "Biaya pendidikan", "Tuition and study fees"),
    ("penerimaan", "Penerimaan mahasiswa baru", "Admission"),
    ("layanan", "Layanan", "Services"),
    ("denda", "Denda", "Fines"),
]
KINDS = [
    # code, name_id, name_en, group, per_semester, tokens_apply
    ("registrasi", "Registrasi", "Registration", "penerimaan", False, False),
    ("herregistrasi", "Herregistrasi", "Re-registration", "pendidikan", True, False),
    ("sipenmatu", "Pendaftaran (Sipenmatu)", "Application fee (Sipenmatu)", "penerimaan", False, True),
    ("ukt", "Uang Kuliah Tunggal (UKT)", "Single tuition fee (UKT)", "pendidikan", True, False),
    ("spp", "SPP", "Tuition fee (SPP)", "pendidikan", True, False),
    ("ipi", "Iuran Pengembangan Institusi", "Institutional development fee", "penerimaan", False, False),
    ("praktikum", "Praktikum", "Practical work", "pendidikan", True, False),
    ("pkl", "Praktik Kerja Lapangan", "Field placement", "pendidikan", False, False),
    ("kkn", "Kuliah Kerja Nyata (KKN)", "Community service (KKN)", "pendidikan", False, False),
    ("remedial", "Remedial", "Remedial course", "pendidikan", False, False),
    ("wisuda", "Wisuda", "Graduation", "layanan", False, False),
    ("asrama", "Asrama", "Dormitory", "layanan", True, False),
    ("denda", "Denda", "Fine", "denda", False, False),
]


def upgrade() -> None:
    groups = op.create_table('bill_kind_groups',
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name_id', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_bill_kind_groups'))
    )
    kinds = op.create_table('bill_kinds',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_id', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('group_code', sa.String(length=24), nullable=False),
    sa.Column('per_semester', sa.Boolean(), nullable=False),
    sa.Column('tokens_apply', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(length=8), server_default='seed', nullable=False),
    sa.ForeignKeyConstraint(['group_code'], ['bill_kind_groups.code'],
                            name=op.f('fk_bill_kinds_group_code_bill_kind_groups')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_bill_kinds'))
    )
    op.bulk_insert(groups, [{"code": code, "name_id": name_id, "name_en": name_en}
                            for code, name_id, name_en in GROUPS])
    op.bulk_insert(kinds, [{"code": code, "name_id": name_id, "name_en": name_en, "group_code": group,
                            "per_semester": per_semester, "tokens_apply": tokens, "active": True, "origin": "seed"}
                           for code, name_id, name_en, group, per_semester, tokens in KINDS])
    with op.batch_alter_table('prodi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fakultas', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('name_unknown', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('source', sa.String(length=32), nullable=True))
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nim', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('prodi_code', sa.String(length=16), nullable=True))
    op.execute("UPDATE bills SET prodi_code = (SELECT prodi.code FROM prodi WHERE prodi.id = bills.prodi_id) "
               "WHERE prodi_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_column('prodi_code')
        batch_op.drop_column('nim')
    with op.batch_alter_table('prodi', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('name_unknown')
        batch_op.drop_column('fakultas')
    op.drop_table('bill_kinds')
    op.drop_table('bill_kind_groups')
