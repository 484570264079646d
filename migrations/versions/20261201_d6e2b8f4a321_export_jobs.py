"""export jobs

Issue 14: exports too big for a web request are built in the background; one row per job (its
owner, filters, language, status and progress, the file and when it expires). A new table only.

Revision ID: d6e2b8f4a321
Revises: c5d1a7e3f210
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6e2b8f4a321'
down_revision = 'c5d1a7e3f210'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_jobs',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('xlsx', 'csv.zip', name='export_kind', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('programme_code', sa.String(length=40), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'expired', name='job_status', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=True),
    sa.Column('file_path', sa.String(length=200), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('issued_report_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name=op.f('ck_export_jobs_progress_range')),
    sa.ForeignKeyConstraint(['issued_report_id'], ['issued_reports.id'], name=op.f('fk_export_jobs_issued_report_id_issued_reports')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_export_jobs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    sa.UniqueConstraint('uuid', name=op.f('uq_export_jobs_uuid'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_jobs_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_jobs_user_id'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_expires_at'))

    op.drop_table('export_jobs')
