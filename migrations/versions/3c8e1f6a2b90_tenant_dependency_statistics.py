"""speed: extended statistics that tell PostgreSQL a district table's parent rows fix its district

PostgreSQL only; nothing changes on SQLite. Every query of a district table says `tenant_id = …` (the scoped
lookup, and the row-level policy) beside its own condition on a parent (`plan_id = …`, `item_id = …`). The
planner took the two as independent and expected a few rows of a 5,000-item plan (rows=1 instead of 5,000),
so it walked them in nested loops: the plan list filtered by a responsible person took 50 ms instead of 20.
A `dependencies` statistics object on (tenant_id, the columns referring to other district tables) lets it
know that the parent decides the district. New tables get theirs the same way (`tenant_statistics`).

Revision ID: 3c8e1f6a2b90
Revises: 5b2d8e4f1a93
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op

from oms.rls import district_tables_in_database, drop_tenant_statistics, tenant_statistics


# revision identifiers, used by Alembic.
revision = '3c8e1f6a2b90'
down_revision = '5b2d8e4f1a93'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    tenant_statistics(op, district_tables_in_database(op))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    drop_tenant_statistics(op, district_tables_in_database(op))
