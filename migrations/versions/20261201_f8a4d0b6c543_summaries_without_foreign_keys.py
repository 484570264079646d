"""summaries without foreign keys

Issue 14: the summary tables are sums of the records, written only by the application from rows
whose own foreign keys were checked when they were stored; their own foreign keys checked every
summary row again (four to six lookups a row), which made most of a rebuild's time on PostgreSQL
(13 s of 17 s for the recommendation x target group table at 300,000 activities). The keys are
dropped; the tables and their rows stay (SQLite copies each table once, in batch mode).

Revision ID: f8a4d0b6c543
Revises: e7f3c9a5b432
Create Date: 2026-12-01 18:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f8a4d0b6c543'
down_revision = 'e7f3c9a5b432'
branch_labels = None
depends_on = None

#: table -> its foreign keys as the record summaries migration (c5d1a7e3f210) made them:
#: (local column, referenced table, referenced column).
PLACES = (('community_id', 'communities', 'id'), ('organisation_id', 'organisations', 'id'))
KEYS = {
    'summary_activities': PLACES,
    'summary_activity_recommendations': (*PLACES, ('recommendation_code', 'recommendations', 'code')),
    'summary_activity_target_groups': (*PLACES, ('target_group_code', 'target_groups', 'code')),
    'summary_activity_recommendation_groups': (
        *PLACES,
        ('recommendation_code', 'recommendations', 'code'),
        ('target_group_code', 'target_groups', 'code'),
    ),
    'summary_incidents': (*PLACES, ('category_code', 'incident_categories', 'code')),
    'summary_incident_values': PLACES,
    'summary_assessments': PLACES,
    'summary_ratings': (*PLACES, ('driver_code', 'drivers', 'code')),
}


def _name(table, column, target):
    """The key's name (op.f: PostgreSQL's shortened form where it passes 63 characters, as made)."""
    return f'fk_{table}_{column}_{target}'


def upgrade():
    for table, keys in KEYS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, target, _remote in keys:
                batch_op.drop_constraint(op.f(_name(table, column, target)), type_='foreignkey')


def downgrade():
    for table, keys in KEYS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, target, remote in keys:
                batch_op.create_foreign_key(op.f(_name(table, column, target)), target, [column], [remote])
