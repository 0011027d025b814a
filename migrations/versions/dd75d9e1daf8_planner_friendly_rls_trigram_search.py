"""speed: a district policy the planner estimates well, trigram search indexes and list indexes (PostgreSQL)

PostgreSQL only; nothing changes on SQLite (it keeps a plain index on the folded search key).
- The district policy of every district table is made again with its all-districts branch written as a
  null test (oms/rls.py: same meaning, estimated as nearly always true instead of 0.5 %).
- `search_key` of every searchable table: the btree index becomes a pg_trgm GIN index, which serves
  `LIKE '%word%'`; the extension pg_trgm is trusted, so the database owner may create it.

Revision ID: dd75d9e1daf8
Revises: a7e3c91d5b24
Create Date: 2026-12-04 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from oms.rls import MATCH_BEFORE_DD75, district_tables_in_database, enable_rls


# revision identifiers, used by Alembic.
revision = 'dd75d9e1daf8'
down_revision = 'a7e3c91d5b24'
branch_labels = None
depends_on = None

TRIGRAM = {"postgresql_using": "gin", "postgresql_ops": {"search_key": "gin_trgm_ops"}}


def _search_key_indexes():
    """(table, index) of every single-column index on a search_key column in the database now."""
    found = sa.inspect(op.get_bind())
    return [(table, index["name"]) for table in found.get_table_names() for index in found.get_indexes(table)
            if index["column_names"] == ["search_key"]]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    enable_rls(op, district_tables_in_database(op))
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in _search_key_indexes():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["search_key"], unique=False, **TRIGRAM)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in _search_key_indexes():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["search_key"], unique=False)
    enable_rls(op, district_tables_in_database(op), match=MATCH_BEFORE_DD75)
