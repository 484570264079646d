"""session generation

Revocable sessions (issue 10): ``users.session_generation`` is copied into the session at
sign-in, and a session holding another number is signed out. Existing users start at 1 through
the server default (kept: the model sets it too), so the sessions open before this revision,
which hold no number, are signed out once.

Both directions alter ``users`` in place (ADD / DROP COLUMN, SQLite 3.35 or later): a batch
rebuild would drop the table that the records and the audit log point to.

Revision ID: 54900018cc39
Revises: 2873cc804650
Create Date: 2026-12-01 08:46:50.848085

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '54900018cc39'
down_revision = '2873cc804650'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'users', sa.Column('session_generation', sa.Integer(), server_default='1', nullable=False)
    )


def downgrade():
    op.drop_column('users', 'session_generation')
