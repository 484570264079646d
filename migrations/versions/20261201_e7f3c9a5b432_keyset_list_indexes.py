"""keyset list indexes

Issue 14: the entries lists and the review queue page from a cursor (app/keyset.py) instead of an
OFFSET. Each list's sort gets an index it can walk in order and leave after a page: the four
``(filter, date)`` indexes of every record table gain ``id`` (``ORDER BY date DESC, id DESC``;
SQLite appended the rowid already, PostgreSQL sorted each date's rows), and the review queue's
``(status, submitted_at)`` becomes ``(status, coalesce(submitted_at, updated_at), id)``, the
expression it sorts by. Indexes only: no table is rebuilt; the downgrade restores the old ones.

Revision ID: e7f3c9a5b432
Revises: d6e2b8f4a321
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7f3c9a5b432'
down_revision = 'd6e2b8f4a321'
branch_labels = None
depends_on = None

TABLES = ('activities', 'incidents', 'driver_assessments')
#: (old name, old columns) -> (new name, new columns); the filter first, then the sort.
RENAMED = (
    ('date', ['date'], 'date_id', ['date', 'id']),
    ('community_id_date', ['community_id', 'date'], 'community_id_date_id', ['community_id', 'date', 'id']),
    ('organisation_id_date', ['organisation_id', 'date'], 'organisation_id_date_id', ['organisation_id', 'date', 'id']),
    ('status_date', ['status', 'date'], 'status_date_id', ['status', 'date', 'id']),
)


def upgrade():
    for table in TABLES:
        for old, _old_columns, new, columns in RENAMED:
            op.create_index(f'ix_{table}_{new}', table, columns, unique=False)
            op.drop_index(f'ix_{table}_{old}', table_name=table)
        op.create_index(
            f'ix_{table}_waiting',
            table,
            ['status', sa.text('coalesce(submitted_at, updated_at)'), 'id'],
            unique=False,
        )
        op.drop_index(f'ix_{table}_status_submitted_at', table_name=table)


def downgrade():
    for table in TABLES:
        op.create_index(f'ix_{table}_status_submitted_at', table, ['status', 'submitted_at'], unique=False)
        op.drop_index(f'ix_{table}_waiting', table_name=table)
        for old, old_columns, new, _columns in RENAMED:
            op.create_index(f'ix_{table}_{old}', table, old_columns, unique=False)
            op.drop_index(f'ix_{table}_{new}', table_name=table)
