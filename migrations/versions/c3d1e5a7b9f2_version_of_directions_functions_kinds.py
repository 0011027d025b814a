"""stale-save check for directions, functions and body kinds: a version column each

Two admins editing the same direction, function or kind: the later save used to overwrite the earlier one
silently; with a version it answers 409 with both variants (oms.concurrency).

Revision ID: c3d1e5a7b9f2
Revises: f46b95e558f0
Create Date: 2026-11-22 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d1e5a7b9f2'
down_revision = 'f46b95e558f0'
branch_labels = None
depends_on = None

TABLES = ('body_kind', 'direction', 'function')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
