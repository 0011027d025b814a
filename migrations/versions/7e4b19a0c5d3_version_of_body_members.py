"""stale-save check for a member's role in a body; one specialist per name without a school

Two people changing the role of the same council or association member: the later save used to overwrite the
earlier one silently; with a version it answers 409 with both variants (oms.concurrency).
The unique (tenant, name, school) of a person does not hold when the school is empty (NULL): a partial unique
index does. Duplicates already there are kept apart by the index's creation failing: none are expected (the app
refused them), but a race could have made some, so they are renamed first with their id.

Revision ID: 7e4b19a0c5d3
Revises: a7c15e3d9b21
Create Date: 2026-12-04 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4b19a0c5d3'
down_revision = 'a7c15e3d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('body_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    # Copies a race made before this index: each later copy's key gets its id, so the index can be built.
    op.execute("UPDATE person SET name_key = name_key || ' #' || CAST(id AS VARCHAR(12)) "
               "WHERE school_id IS NULL AND id NOT IN (SELECT MIN(id) FROM person WHERE school_id IS NULL "
               "GROUP BY tenant_id, name_key)")
    op.create_index('uq_person_tenant_id_name_key_no_school', 'person', ['tenant_id', 'name_key'], unique=True,
                    sqlite_where=sa.text('school_id IS NULL'), postgresql_where=sa.text('school_id IS NULL'))


def downgrade():
    op.drop_index('uq_person_tenant_id_name_key_no_school', table_name='person',
                  sqlite_where=sa.text('school_id IS NULL'), postgresql_where=sa.text('school_id IS NULL'))
    with op.batch_alter_table('body_member', schema=None) as batch_op:
        batch_op.drop_column('version')
