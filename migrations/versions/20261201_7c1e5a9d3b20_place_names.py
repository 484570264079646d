"""place names per language

Issue 12: countries, regions, districts, communities and organisations get ``names``, a JSON
object of their name per interface language (app/models/names.py). Existing rows start with an
empty object, so pages keep showing ``name`` until ``init-db`` (which loads the shipped names of
the whole geography and the demo organisations) or an administrator fills them.

ADD / DROP COLUMN in place (SQLite 3.35 or later), as the records point to these tables.

Revision ID: 7c1e5a9d3b20
Revises: 54900018cc39
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e5a9d3b20'
down_revision = '54900018cc39'
branch_labels = None
depends_on = None

TABLES = ('countries', 'regions', 'districts', 'communities', 'organisations')


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('names', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    for table in TABLES:
        op.drop_column(table, 'names')
