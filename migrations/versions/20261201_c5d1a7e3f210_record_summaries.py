"""record summaries per month, community, organisation and review status

Issue 14: eight summary tables (activities; activities per recommendation, per target group, per
recommendation and target group; incidents per category; incidents per severity, response and
state; assessments; ratings per driver), kept current by the
application on every change of a record. New tables only; ``flask init-db`` fills them from the
records already stored (``flask rebuild-summaries`` does it on demand).

Revision ID: c5d1a7e3f210
Revises: b4e8f0c2d917
Create Date: 2026-12-01 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5d1a7e3f210'
down_revision = 'b4e8f0c2d917'
branch_labels = None
depends_on = None

CELLS = ('f_u18', 'f_18_29', 'f_30_59', 'f_60p', 'm_u18', 'm_18_29', 'm_30_59', 'm_60p')
#: table -> (code columns (name, referenced table or None, length), sums after n and key_sum)
TABLES = {
    'summary_activities': ((), (*CELLS, 'first_time_participants')),
    'summary_activity_recommendations': ((('recommendation_code', 'recommendations', 3),), CELLS),
    'summary_activity_target_groups': ((('target_group_code', 'target_groups', 40),), CELLS),
    'summary_activity_recommendation_groups': (
        (('recommendation_code', 'recommendations', 3), ('target_group_code', 'target_groups', 40)),
        (),
    ),
    'summary_incidents': ((('category_code', 'incident_categories', 40),), ()),
    'summary_incident_values': ((('dimension', None, 20), ('value', None, 30)), ()),
    'summary_assessments': ((), ()),
    'summary_ratings': ((('driver_code', 'drivers', 40),), ('rating_sum',)),
}


def _code_type(table, column):
    """The referenced code column's own type, so that the foreign key matches it."""
    bind = op.get_bind()
    for found in sa.inspect(bind).get_columns(table):
        if found['name'] == 'code':
            return found['type']
    raise RuntimeError(f'{table}.code not found')


def upgrade():
    for name, (codes, sums) in TABLES.items():
        columns = [
            sa.Column('month', sa.Date(), nullable=False),
            sa.Column('community_id', sa.Integer(), nullable=False),
            sa.Column('organisation_id', sa.Integer(), nullable=False),
            sa.Column('status', sa.String(length=20), nullable=False),
        ]
        constraints = [
            sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f(f'fk_{name}_community_id_communities')),
            sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f(f'fk_{name}_organisation_id_organisations')),
        ]
        for column, target, length in codes:
            kind = _code_type(target, column) if target else sa.String(length=length)
            columns.append(sa.Column(column, kind, nullable=False))
            if target:
                constraints.append(
                    sa.ForeignKeyConstraint([column], [f'{target}.code'], name=op.f(f'fk_{name}_{column}_{target}'))
                )
        for column in ('n', 'key_sum', *sums):
            columns.append(sa.Column(column, sa.BigInteger(), nullable=False))
        key = ['month', 'community_id', 'organisation_id', 'status', *(c for c, _t, _l in codes)]
        op.create_table(name, *columns, *constraints, sa.PrimaryKeyConstraint(*key, name=op.f(f'pk_{name}')))


def downgrade():
    for name in reversed(list(TABLES)):
        op.drop_table(name)
