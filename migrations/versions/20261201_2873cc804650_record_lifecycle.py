"""record lifecycle

One record lifecycle (issue 8): a guarded ``version`` on every record, a random ``record_key``
for the cell-key perturbation of donor figures, ``submitted_at`` for the review queue, closed
months, the words of review notes beside (not inside) the audit log, the client address and
user agent on audit rows, and triggers that make ``audit_events`` append-only on SQLite and
PostgreSQL. Existing records start at version 1 with a random key; submitted ones take their
last change as the time they were submitted. The new NOT NULL columns are added with a server
default (kept: the models always set them) so that SQLite adds them in place: rebuilding a
record table would cascade-delete its link rows.

Revision ID: 2873cc804650
Revises: a54a9a429a34
Create Date: 2026-12-01 07:47:32.634769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2873cc804650'
down_revision = 'a54a9a429a34'
branch_labels = None
depends_on = None


RECORD_TABLES = ('activities', 'incidents', 'driver_assessments')
CELLS = ['f_u18', 'f_18_29', 'f_30_59', 'f_60p', 'm_u18', 'm_18_29', 'm_30_59', 'm_60p']
#: The covering report indexes as the previous revision made them.
REPORT_INDEXES = {
    'activities': ['date', 'status', 'community_id', 'organisation_id', *CELLS],
    'incidents': ['status', 'date', 'community_id', 'organisation_id', 'category_code'],
    'driver_assessments': ['status', 'date', 'community_id', 'organisation_id'],
}

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
)


def _random_key():
    if op.get_bind().dialect.name == 'postgresql':
        return 'floor(random() * 65536)::integer'
    return 'abs(random()) % 65536'


def upgrade():
    op.create_table('closed_periods',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('country_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_closed_periods_closed_by_id_users')),
    sa.ForeignKeyConstraint(['country_id'], ['countries.id'], name=op.f('fk_closed_periods_country_id_countries')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_closed_periods_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_periods')),
    sa.UniqueConstraint('uuid', name=op.f('uq_closed_periods_uuid'))
    )
    with op.batch_alter_table('closed_periods', schema=None) as batch_op:
        batch_op.create_index('ix_closed_periods_month_country_id', ['month', 'country_id'], unique=False)

    op.create_table('review_notes',
    sa.Column('audit_event_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_events.id'], name=op.f('fk_review_notes_audit_event_id_audit_events')),
    sa.PrimaryKeyConstraint('audit_event_id', name=op.f('pk_review_notes'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('record_key', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_activities_status_submitted_at', ['status', 'submitted_at'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip_address', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_audit_events_object_type_at', ['object_type', 'at'], unique=False)

    with op.batch_alter_table('driver_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('record_key', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_driver_assessments_status_submitted_at', ['status', 'submitted_at'], unique=False)

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('record_key', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_incidents_status_submitted_at', ['status', 'submitted_at'], unique=False)

    for table in RECORD_TABLES:
        op.execute(
            f"UPDATE {table} SET record_key = {_random_key()}, "
            f"submitted_at = CASE WHEN status = 'submitted' THEN updated_at END"
        )

    # The report indexes also cover record_key (donor figures sum it beside each count), and
    # donors, who read one status, get a status-first activities index.
    for table, columns in REPORT_INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_report')
            batch_op.create_index(f'ix_{table}_report', [*columns, 'record_key'], unique=False)
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(
            'ix_activities_report_status',
            ['status', 'date', 'community_id', 'organisation_id', *CELLS, 'record_key'],
            unique=False,
        )

    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == 'postgresql' else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_report_status')
    for table, columns in REPORT_INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_report')
            batch_op.create_index(f'ix_{table}_report', columns, unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_events_no_truncate ON audit_events')
        op.execute('DROP TRIGGER audit_events_no_change ON audit_events')
        op.execute('DROP FUNCTION audit_events_append_only()')
    else:
        op.execute('DROP TRIGGER audit_events_no_update')
        op.execute('DROP TRIGGER audit_events_no_delete')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_status_submitted_at')
        batch_op.drop_column('record_key')
        batch_op.drop_column('version')
        batch_op.drop_column('submitted_at')

    with op.batch_alter_table('driver_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_driver_assessments_status_submitted_at')
        batch_op.drop_column('record_key')
        batch_op.drop_column('version')
        batch_op.drop_column('submitted_at')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object_type_at')
        batch_op.drop_column('user_agent')
        batch_op.drop_column('ip_address')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_status_submitted_at')
        batch_op.drop_column('record_key')
        batch_op.drop_column('version')
        batch_op.drop_column('submitted_at')

    op.drop_table('review_notes')
    with op.batch_alter_table('closed_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_closed_periods_month_country_id')

    op.drop_table('closed_periods')
