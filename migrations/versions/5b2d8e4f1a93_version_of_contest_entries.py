"""stale-save check for a contest entry

Two people editing the same entry (the school's coordinator and a methodist, say): the later save used to
overwrite the earlier one silently; with a version it answers 409 with both variants (oms.concurrency).

Revision ID: 5b2d8e4f1a93
Revises: 9299e32d8de6
Create Date: 2027-01-20 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2d8e4f1a93'
down_revision = '9299e32d8de6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('version')
