"""Row-level security on PostgreSQL: the database's own check behind the app's scoping.

The app already reaches district data only through `Model.scoped()` and a
loader criterion (oms.tenancy). RLS is the second line: should a query ever
forget its `tenant_id` filter, PostgreSQL still returns and accepts only the
current district's rows.

How it works
- Every table of a `TenantScoped` model gets the policy `tenant_isolation`
  (`USING` and `WITH CHECK`), with `ENABLE` and `FORCE ROW LEVEL SECURITY`
  (FORCE: even a deployment that runs the app as the tables' owner is held to
  the policy; only superusers and BYPASSRLS roles escape it, so never run the
  app as one of those).
- The policy compares `tenant_id` with the setting `app.tenant`. Each
  transaction sets it with `set_config('app.tenant', <id>, true)` (the same as
  `SET LOCAL`: it ends with the transaction, so pooled connections carry
  nothing over). The hook is the engine's `begin` event below, reading
  `g.tenant_id`; `enter_district()` (called by oms.tenancy once the district
  of the URL is known) also applies it to the transaction already open.
- No district set: the policy matches no rows. Login works all the same: it
  reads `user`, `auth_session` and writes `audit_event`, none of which is a
  district table.
- Work that spans districts sets `app.all_districts = 'on'` instead. Only two
  kinds of code do: anything running outside an HTTP request (the `flask`
  CLI: `demo`, `backup`, migrations; the `oms-demo` launcher) — that is the
  operator's own tooling on the server — and, inside a request, the
  operator's console, which calls `all_districts()` after checking the role.
  A district page never does.

Migrations create the policies: for a new district table, a migration calls

    from oms.rls import enable_rls
    enable_rls(op, ["plan", "plan_item"])      # and disable_rls(op, [...]) in downgrade()

(idempotent; `enable_rls(op, district_tables_in_database(op))` covers every
district table present at that point of the history).

`tenant_tables()` lists the tables that need it (every TenantScoped model).
On SQLite the RLS functions do nothing; the append-only trigger exists on both.

The app's database role (see README, "Deploying"): the app should connect as
a role that owns nothing (`DATABASE_URL`), while the owner runs migrations and
backups (`MIGRATION_DATABASE_URL`). `grant_app_role()` (CLI `grant-app-role`)
gives that role what it needs and no more: no TRUNCATE (it skips RLS), and
only SELECT/INSERT on the audit trail, which is append-only.

The threat model, honestly: the setting is made by the app's own connection,
so SQL injection could set it too. RLS here guards against the app's own
mistakes (a forgotten filter, a foreign id slipping through), not against
arbitrary SQL; parameterised queries guard against that.
"""
from flask import g, has_request_context
from sqlalchemy import event, text

TENANT_SETTING = "app.tenant"
ALL_DISTRICTS_SETTING = "app.all_districts"
POLICY = "tenant_isolation"
# Tables with a tenant_id that are deliberately not district tables: accounts are
# found by email before any district is known, and the operator's events have none.
SHARED_TABLES_WITH_TENANT_ID = ("user", "audit_event", "outbox_mail")

# The all-districts branch is written as a null test so the planner estimates it as nearly always true
# (PostgreSQL guesses 0.995 for `<expression> IS NOT NULL` without statistics) and keeps its row estimate
# from the query's own `tenant_id = …`. Written as `current_setting(…) = 'on'` it was guessed true for
# 0.5 % of rows, so every district scan was expected to return about 2 rows and joins went to nested loops
# (a 5,000-item plan: 367 ms; 79 ms without the branch). The meaning is the same: on <=> the setting is 'on'.
_MATCH = (f"(tenant_id = NULLIF(current_setting('{TENANT_SETTING}', true), '')::integer"
          f" OR (CASE WHEN current_setting('{ALL_DISTRICTS_SETTING}', true) = 'on' THEN 1 END) IS NOT NULL)")
# The policy as the migrations before dd75d9e1daf8 made it (for its downgrade).
MATCH_BEFORE_DD75 = (f"(tenant_id = NULLIF(current_setting('{TENANT_SETTING}', true), '')::integer"
                     f" OR current_setting('{ALL_DISTRICTS_SETTING}', true) = 'on')")
_SET = ("SELECT set_config('" + TENANT_SETTING + "', %s, true), "
        "set_config('" + ALL_DISTRICTS_SETTING + "', %s, true)")


# ---- the schema: called by migrations -----------------------------------------------------

def tenant_tables() -> list[str]:
    """Every table of a TenantScoped model (the tables that need a policy)."""
    from .extensions import db
    from .models.base import TenantScoped

    names = set()
    for mapper in db.Model.registry.mappers:
        if issubclass(mapper.class_, TenantScoped):
            names.update(t.name for t in mapper.tables if "tenant_id" in t.c)
    return sorted(names)


def tables_with_tenant_id(metadata) -> list[str]:
    """Every table in the metadata with a tenant_id column (district tables and the shared ones)."""
    return sorted(t.name for t in metadata.sorted_tables if "tenant_id" in t.c)


def district_tables_in_database(target) -> list[str]:
    """Tables of the connected database with a tenant_id column, except the shared ones.

    For a migration that must cover "every district table that exists at this
    point of the history", whatever earlier migrations (of any branch) created.
    """
    from sqlalchemy import inspect

    found = inspect(_bind(target))
    return sorted(name for name in found.get_table_names()
                  if name not in SHARED_TABLES_WITH_TENANT_ID
                  and any(column["name"] == "tenant_id" for column in found.get_columns(name)))


def _bind(target):
    return target.get_bind() if hasattr(target, "get_bind") else target


def _is_postgresql(target) -> bool:
    return _bind(target).dialect.name == "postgresql"


def _run(target, sql: str) -> None:
    target.execute(text(sql))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def enable_rls(target, tables, match: str | None = None) -> None:
    """Turn on the district policy for these tables. `target`: Alembic's `op` or a Connection."""
    match = match or _MATCH
    if not _is_postgresql(target):
        return
    for name in tables:
        table = _quote(name)
        _run(target, f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        _run(target, f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        _run(target, f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        _run(target, f"CREATE POLICY {POLICY} ON {table} USING {match} WITH CHECK {match}")


def _statistics_name(table: str) -> str:
    return _quote(f"st_{table}_tenant"[:63])


def tenant_statistics(target, tables) -> None:
    """PostgreSQL: a `dependencies` statistics object on each district table's tenant_id and its columns that
    refer to other district tables (at most seven), analysed at once: the planner then knows a parent row
    fixes the district and estimates `tenant_id = … AND plan_id = …` as the plan's rows, not a fraction."""
    if not _is_postgresql(target):
        return
    from sqlalchemy import inspect

    found = inspect(_bind(target))
    district = set(tables)
    for table in tables:
        columns = sorted({fk["constrained_columns"][0] for fk in found.get_foreign_keys(table)
                          if fk["referred_table"] in district and len(fk["constrained_columns"]) == 1})[:7]
        if not columns:
            continue
        _run(target, f"CREATE STATISTICS IF NOT EXISTS {_statistics_name(table)} (dependencies) "
                     f"ON tenant_id, {', '.join(_quote(c) for c in columns)} FROM {_quote(table)}")
        _run(target, f"ANALYZE {_quote(table)}")


def drop_tenant_statistics(target, tables) -> None:
    if not _is_postgresql(target):
        return
    for table in tables:
        _run(target, f"DROP STATISTICS IF EXISTS {_statistics_name(table)}")


def disable_rls(target, tables) -> None:
    if not _is_postgresql(target):
        return
    for name in tables:
        table = _quote(name)
        _run(target, f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        _run(target, f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        _run(target, f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def make_append_only(target, table: str = "audit_event") -> None:
    """A trigger refusing UPDATE and DELETE on the table, whoever asks (even its owner).

    One update passes: the foreign key's ON DELETE SET NULL clearing `user_id`
    when an account is deleted (the entry keeps the e-mail it recorded).
    """
    if _bind(target).dialect.name == "sqlite":
        _sqlite_append_only(target, table)
        return
    if not _is_postgresql(target):
        return
    _run(target, """
        CREATE OR REPLACE FUNCTION oms_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
               AND to_jsonb(NEW) - 'user_id' = to_jsonb(OLD) - 'user_id' THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$""")
    _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only ON {_quote(table)}")
    _run(target, f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {_quote(table)} "
                 f"FOR EACH ROW EXECUTE FUNCTION oms_append_only()")


def _sqlite_append_only(target, table: str) -> None:
    columns = [c["name"] for c in _sqlite_columns(target, table) if c["name"] != "user_id"]
    unchanged = " AND ".join(f"NEW.{_quote(c)} IS OLD.{_quote(c)}" for c in columns)
    _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only_update")
    _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only_delete")
    _run(target, f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {_quote(table)} "
                 f"WHEN NOT (NEW.user_id IS NULL AND {unchanged}) "
                 f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only'); END")
    _run(target, f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {_quote(table)} "
                 f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only'); END")


def _sqlite_columns(target, table: str):
    return [dict(row._mapping) for row in _bind(target).execute(text(f"PRAGMA table_info({_quote(table)})"))]


def drop_append_only(target, table: str = "audit_event") -> None:
    if _bind(target).dialect.name == "sqlite":
        _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only_update")
        _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only_delete")
        return
    if not _is_postgresql(target):
        return
    _run(target, f"DROP TRIGGER IF EXISTS {table}_append_only ON {_quote(table)}")
    _run(target, "DROP FUNCTION IF EXISTS oms_append_only()")


def grant_app_role(conn, role: str, schema: str = "public") -> None:
    """Give the app's role what it needs on the owner's tables, and no more.

    Run as the owner of the tables (the migration role). Future tables created
    by that owner get the same rights through ALTER DEFAULT PRIVILEGES.
    """
    row = conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if row is None:
        raise ValueError(f"role {role} does not exist (CREATE ROLE {role} LOGIN PASSWORD '...')")
    if row.rolsuper or row.rolbypassrls:
        raise ValueError(f"role {role} is a superuser or has BYPASSRLS: row-level security would not apply")
    owned = conn.execute(text(
        "SELECT count(*) FROM pg_tables WHERE schemaname = :s AND tableowner = :r"), {"s": schema, "r": role}).scalar()
    if owned:
        raise ValueError(f"role {role} owns tables in {schema}: use a role that owns nothing")
    r, s = _quote(role), _quote(schema)
    for sql in (
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {s} FROM {r}",
        # The audit trail is append-only for the app.
        f"REVOKE UPDATE, DELETE ON {s}.audit_event FROM {r}",
        # Only migrations change the schema version.
        f"REVOKE INSERT, UPDATE, DELETE ON {s}.alembic_version FROM {r}",
    ):
        if "alembic_version" in sql and not _has_table(conn, schema, "alembic_version"):
            continue
        conn.execute(text(sql))


def _has_table(conn, schema: str, table: str) -> bool:
    return bool(conn.execute(text("SELECT to_regclass(:n)"), {"n": f"{schema}.{table}"}).scalar())


def policies(conn) -> dict[str, bool]:
    """Table name → whether RLS is forced and our policy exists (for checks and tests)."""
    rows = conn.execute(text(
        "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity AS forced, "
        "EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = :p) AS has_policy "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r'"), {"p": POLICY}).all()
    return {row.relname: bool(row.forced and row.has_policy) for row in rows}


# ---- at run time: the settings of each transaction -----------------------------------------

def _current_scope() -> tuple[int | None, bool]:
    """(district id, all districts?) for the transaction that is beginning."""
    if not has_request_context():
        return None, True  # CLI, demo loading, migrations: the operator's own tools
    return g.get("tenant_id"), bool(g.get("rls_all_districts"))


def _settings() -> tuple[str, str] | None:
    tenant_id, everything = _current_scope()
    if tenant_id is None and not everything:
        return None  # nothing set: the policies match no rows
    return ("" if tenant_id is None else str(int(tenant_id))), ("on" if everything else "")


def init_app(app, engine) -> None:
    """Set the district of every transaction on PostgreSQL (nothing to do elsewhere)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "begin")
    def _set_district(conn):
        values = _settings()
        if values is not None:
            conn.exec_driver_sql(_SET, values)


def _apply_to_open_transaction() -> None:
    """The session may have begun its transaction before the district was known."""
    from .extensions import db

    if db.engine.dialect.name != "postgresql" or not db.session().in_transaction():
        return
    values = _settings() or ("", "")
    db.session.execute(text("SELECT set_config(:k1, :v1, true), set_config(:k2, :v2, true)"),
                       {"k1": TENANT_SETTING, "v1": values[0], "k2": ALL_DISTRICTS_SETTING, "v2": values[1]})


def enter_district(tenant_id: int) -> None:
    """Make this district current for the rest of the request (g.tenant_id and the database)."""
    g.tenant_id = tenant_id
    _apply_to_open_transaction()


def all_districts() -> None:
    """For the operator's console only: this request may see every district's rows."""
    g.rls_all_districts = True
    _apply_to_open_transaction()

