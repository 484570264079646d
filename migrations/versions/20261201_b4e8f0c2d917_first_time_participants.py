"""first-time participants of an activity; the "new participants" measure

Issue 13: ``activities.first_time_participants`` (of the people counted, how many took part for
the first time; 0 for the activities recorded before), never more than the people counted; and
``new_participants`` among the measures an indicator may use.

Revision ID: b4e8f0c2d917
Revises: 9b3c2061afbe
Create Date: 2026-12-01 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e8f0c2d917'
down_revision = '9b3c2061afbe'
branch_labels = None
depends_on = None

CELLS = ('f_u18', 'f_18_29', 'f_30_59', 'f_60p', 'm_u18', 'm_18_29', 'm_30_59', 'm_60p')
MEASURES = (
    'activities', 'participants', 'share_women', 'share_youth', 'communities_reached',
    'share_communities_reached', 'incidents', 'share_incidents_responded',
    'share_incidents_resolved', 'mean_rating', 'manual',
)


def _measure_check(measures):
    return 'measure IN (' + ', '.join(f"'{m}'" for m in measures) + ')'


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('first_time_participants', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_activities_first_time_within_participants'),
            'first_time_participants >= 0 AND first_time_participants <= ' + ' + '.join(CELLS),
        )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_indicators_measure'), type_='check')
        batch_op.create_check_constraint(op.f('ck_indicators_measure'), _measure_check((*MEASURES, 'new_participants')))


def downgrade():
    op.execute("DELETE FROM indicators WHERE measure = 'new_participants'")
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_indicators_measure'), type_='check')
        batch_op.create_check_constraint(op.f('ck_indicators_measure'), _measure_check(MEASURES))
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activities_first_time_within_participants'), type_='check')
        batch_op.drop_column('first_time_participants')
