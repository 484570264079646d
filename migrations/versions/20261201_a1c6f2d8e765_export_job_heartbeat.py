"""export job heartbeat

Issue 14: a background export whose consumer was stopped stayed "running" until it expired, its
progress bar still for a day. The builder now stamps ``heartbeat_at`` when it claims the job and
whenever it writes its progress; a running job silent for ``EXPORT_STALLED_MINUTES`` is given up.
One nullable column; jobs stored before it count from ``started_at``.

Revision ID: a1c6f2d8e765
Revises: f8a4d0b6c543
Create Date: 2026-12-01 18:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c6f2d8e765'
down_revision = 'f8a4d0b6c543'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('export_jobs') as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('export_jobs') as batch_op:
        batch_op.drop_column('heartbeat_at')
