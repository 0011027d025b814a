"""At scale on PostgreSQL: 2,500 districts, 40,000 schools, 1.1 M people, 250,000 plan items.

    PYTHONPATH=. .venv/bin/python bench/scale.py --pg postgresql://postgres@127.0.0.1:5432/oms_scale
    PYTHONPATH=. .venv/bin/python bench/scale.py --pg ... --measure-only      # the database is already built

Builds (DROPS AND RECREATES the named database; give a scratch name) as production runs: the tables owned by a
role that is not a superuser (oms_scale_owner, runs the migrations), the app connected as a role that owns
nothing (oms_scale_app), so row-level security is in force.

The shape: the four demo districts (`load_demo`, through the app's role); then 2,500 districts cloned from
the demo district `kalar` inside PostgreSQL (INSERT … SELECT over generate_series: every district table, ids
shifted, references to the district's own rows shifted alike, to accounts left empty; 100 of its plan items
per district), each with people added up to 440 and schools up to 16; and the demo district `serdobsk`
enlarged to 5,000 people and a plan of 5,000 items (the large district).

Every district table is cloned, so the newer sections (calendar, practices, contests, olympiads, consultations,
surveys, documents, events) hold 2,500 copies of kalar's demo rows too (an anonymous survey answer's text key
becomes its md5 with the copy's number).

Then the pages are requested through the app (Flask test client, the app's role, RLS on, the start-up objects
frozen out of the collector and its threshold raised as wsgi.py does) by the admin of an ordinary cloned
district and of the large one: the main pages, the people list's and the person picker's search and the plan filtered by a responsible
person's name, and the newer sections' lists; p50 and p95 of RUNS requests, the SQL statements of one request
and the page's size. Targets: p95 < 100 ms (ordinary), < 250 ms (large), no page over 300 KB.
"""
import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import create_engine, event, inspect, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

OWNER, APP = "oms_scale_owner", "oms_scale_app"
DISTRICTS, PEOPLE, SCHOOLS, ITEMS_PER_PLAN = 2500, 440, 16, 50
LARGE_PEOPLE, LARGE_ITEMS = 5000, 5000
OFFSET = 100_000  # the ids of clone k are the template's + k * OFFSET
PAGES = {"home": "/{slug}/", "plan": "/{slug}/plans/2025-2026/", "people": "/{slug}/people/",
         "structure": "/{slug}/structure/", "council": "/{slug}/council/",
         # the searches: the people list's and the person picker's (htmx), on a name many people share
         "people?q": "/{slug}/people/?q=фамилия1", "pick": "/{slug}/people/pick?pick_q=фамилия12",
         "plan?person": "/{slug}/plans/2025-2026/?person_q=фамилия1",
         "calendar": "/{slug}/calendar/", "practices": "/{slug}/practices/", "contests": "/{slug}/contests/",
         "olympiads": "/{slug}/olympiads/", "consultations": "/{slug}/consultations/",
         "surveys": "/{slug}/surveys/", "documents": "/{slug}/documents/", "events": "/{slug}/events/"}
DEMO_PASSWORD = "oms-demo"


def urls(pg: str):
    base = make_url(pg.replace("postgresql://", "postgresql+psycopg://", 1) if pg.startswith("postgresql://") else pg)
    return base, base.set(username=OWNER, password=None), base.set(username=APP, password=None)


def make_app(url):
    from oms import create_app
    from oms.config import TestConfig

    return create_app(type("ScaleConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False), "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False}))


def log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


# ---- building --------------------------------------------------------------------------------

def create_database(base, started) -> None:
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)'))
        for role in (OWNER, APP):
            if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
                conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f'CREATE DATABASE "{base.database}" OWNER {OWNER}'))
    admin.dispose()
    log(f"database {base.database} created", started)


def migrate_and_load_demo(owner, app_url, started) -> None:
    from flask_migrate import upgrade

    from oms import rls
    from oms.demo import load_demo
    from oms.extensions import db

    app = make_app(owner)
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            rls.grant_app_role(conn, APP)
        db.engine.dispose()
    app = make_app(app_url)
    with app.app_context():
        load_demo("pbkdf2:sha256:1000")
        db.engine.dispose()
    log("migrations applied, demo loaded through the app's role", started)


def district_tables(conn) -> list[tuple[str, list[dict], list[dict]]]:
    """(table, columns, foreign keys) of every district table, parents first."""
    from oms.extensions import db
    from oms.rls import tenant_tables

    names = set(tenant_tables())
    found = inspect(conn)
    ordered = [t.name for t in db.Model.metadata.sorted_tables if t.name in names]
    return [(name, found.get_columns(name), found.get_foreign_keys(name)) for name in ordered]


def clone_districts(conn, started) -> None:
    """2,500 copies of the demo district kalar, inside PostgreSQL."""
    template = conn.execute(text("SELECT id FROM tenant WHERE slug = 'kalar'")).scalar_one()
    tenant_columns = [c["name"] for c in inspect(conn).get_columns("tenant") if c["name"] != "id"]
    first = conn.execute(text("SELECT max(id) FROM tenant")).scalar() + 1
    values = ", ".join(
        {"slug": "'district-' || k", "name": "'Район № ' || k", "full_name": "full_name || ' № ' || k"}.get(c, c)
        for c in tenant_columns)
    conn.execute(text(f"INSERT INTO tenant (id, {', '.join(tenant_columns)}) SELECT {first - 1} + k, {values} "
                      f"FROM tenant CROSS JOIN generate_series(1, {DISTRICTS}) k WHERE id = {template}"))
    tables = district_tables(conn)
    district = {name for name, _, _ in tables}
    # 100 plan items of the template (the first ITEMS_PER_PLAN of each plan), and only rows whose parents exist
    limited = {"plan_item": f"id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY plan_id ORDER BY "
                            f"position, id) AS n FROM plan_item WHERE tenant_id = {template}) r "
                            f"WHERE n <= {ITEMS_PER_PLAN})"}
    for name, columns, fks in tables:
        shifted, nulled, conditions = set(), set(), []
        for fk in fks:
            column = fk["constrained_columns"][0]
            if fk["referred_table"] in district:
                shifted.add(column)
                if fk["referred_table"] in limited:
                    conditions.append(f"({column} IS NULL OR {column} IN (SELECT id FROM {fk['referred_table']} "
                                      f"WHERE {limited[fk['referred_table']]}))")
            elif fk["referred_table"] != "tenant":
                nulled.add(column)
        if any(c["name"] in nulled and not c["nullable"] for c in columns):
            continue  # a row that needs an account: not cloned
        if name in limited:
            conditions.append(limited[name])
        select = []
        for c in columns:
            n = c["name"]
            if n == "id" and c["type"].python_type is not int:
                select.append(f'md5("{n}" || k)')  # a random text key (an anonymous survey answer): another one
                continue
            select.append(f"{first - 1} + k" if n == "tenant_id" else f"\"{n}\" + k * {OFFSET}"
                          if n == "id" or n in shifted else "NULL" if n in nulled else f'"{n}"')
        where = " AND ".join([f"tenant_id = {template}"] + conditions)
        column_list = ", ".join(f'"{c["name"]}"' for c in columns)
        conn.execute(text(f'INSERT INTO "{name}" ({column_list}) SELECT {", ".join(select)} FROM "{name}" '
                          f"CROSS JOIN generate_series(1, {DISTRICTS}) k WHERE {where}"))
    log(f"{DISTRICTS} districts cloned from kalar", started)
    return first


def person_values(tenant_expr: str, n_expr: str, school_expr: str) -> str:
    """The SELECT list of a synthetic person (columns as in the model; the search key folded like fold())."""
    last = f"'Фамилия' || {n_expr}"
    return (f"{last}, 'Имя', 'Отчество', lower({last} || ' имя отчество'), {school_expr}, 'учитель', "
            f"'математика; физика', '', NULL, ({n_expr}) % 40, false, '', '', '', '', NULL, 1, {tenant_expr}, "
            f"lower({last} || ' имя отчество учитель математика физика'), now(), now()")


PERSON_COLUMNS = ("last_name, first_name, middle_name, name_key, school_id, position, subjects, category, "
                  "category_date, experience_years, is_young_specialist, education, phone, email, notes, user_id, "
                  "version, tenant_id, search_key, created_at, updated_at")
SCHOOL_COLUMNS = ("name, short_name, name_key, kind, address, head, is_base_site, base_site_year, base_site_topic, "
                  "is_internship_site, internship_site_year, internship_site_topic, is_innovation_site, "
                  "innovation_site_year, innovation_site_topic, low_results, low_results_year, version, tenant_id, "
                  "search_key, created_at, updated_at")


def grow_districts(conn, first: int, started) -> None:
    """People up to 440 and schools up to 16 in every cloned district."""
    last = first + DISTRICTS - 1
    schools = conn.execute(text(f"SELECT count(*) FROM school WHERE tenant_id = {first}")).scalar()
    people = conn.execute(text(f"SELECT count(*) FROM person WHERE tenant_id = {first}")).scalar()
    conn.execute(text(
        f"INSERT INTO school ({SCHOOL_COLUMNS}) SELECT 'Школа № ' || s, 'СОШ № ' || s, 'школа № ' || s, 'school', "
        f"'', '', false, NULL, '', false, NULL, '', false, NULL, '', false, NULL, 1, t, 'школа № ' || s, now(), now() "
        f"FROM generate_series({first}, {last}) t CROSS JOIN generate_series(1, {SCHOOLS - schools}) s"))
    conn.execute(text(
        f"INSERT INTO person ({PERSON_COLUMNS}) SELECT {person_values('t', 'n', 's.sch')} "
        f"FROM generate_series({first}, {last}) t CROSS JOIN generate_series(1, {PEOPLE - people}) n "
        f"CROSS JOIN LATERAL (SELECT min(id) AS sch FROM school WHERE tenant_id = t) s"))
    log(f"people up to {PEOPLE} and schools up to {SCHOOLS} per district", started)


def grow_large(conn, started) -> str:
    """The demo district serdobsk with 5,000 people and a 2025/2026 plan of 5,000 items."""
    tid = conn.execute(text("SELECT id FROM tenant WHERE slug = 'serdobsk'")).scalar_one()
    people = conn.execute(text(f"SELECT count(*) FROM person WHERE tenant_id = {tid}")).scalar()
    conn.execute(text(
        f"INSERT INTO person ({PERSON_COLUMNS}) SELECT {person_values(str(tid), 'n', 'sch')} "
        f"FROM generate_series(1, {LARGE_PEOPLE - people}) n CROSS JOIN LATERAL (SELECT id AS sch FROM school "
        f"WHERE tenant_id = {tid} ORDER BY id OFFSET n % 10 LIMIT 1) s"))
    plan = conn.execute(text(f"SELECT id FROM plan WHERE tenant_id = {tid} AND start_year = 2025")).scalar_one()
    items = conn.execute(text(f"SELECT count(*) FROM plan_item WHERE plan_id = {plan}")).scalar()
    columns = [c["name"] for c in inspect(conn).get_columns("plan_item") if c["name"] != "id"]
    select = ", ".join({"position": "position + 1000 * n", "title": "title || ' (' || n || ')'",
                        "search_key": "search_key || ' ' || n"}.get(c, c) for c in columns)
    copies = (LARGE_ITEMS - items) // items + 1
    conn.execute(text(
        f"INSERT INTO plan_item ({', '.join(columns)}) SELECT {select} FROM plan_item CROSS JOIN "
        f"generate_series(1, {copies}) n WHERE plan_id = {plan} LIMIT {LARGE_ITEMS - items}"))
    conn.execute(text(
        f"INSERT INTO plan_item_responsible (item_id, person_id, position, tenant_id) SELECT i.id, p.id, 0, {tid} "
        f"FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM plan_item WHERE plan_id = {plan} AND NOT EXISTS "
        f"(SELECT 1 FROM plan_item_responsible r WHERE r.item_id = plan_item.id)) i "
        f"JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM person WHERE tenant_id = {tid}) p "
        f"ON p.n = i.n % 2000 + 1"))
    log(f"serdobsk grown to {LARGE_PEOPLE} people and {LARGE_ITEMS} plan items", started)
    return "serdobsk"


def ordinary_admin(conn, first: int) -> str:
    """An admin account for the first cloned district (a copy of the demo admin of kalar)."""
    columns = [c["name"] for c in inspect(conn).get_columns("user") if c["name"] != "id"]
    select = ", ".join({"email": "'admin@district-1.demo.oms'", "tenant_id": str(first)}.get(c, c) for c in columns)
    conn.execute(text(f'INSERT INTO "user" ({", ".join(columns)}) SELECT {select} FROM "user" '
                      f"WHERE email = 'admin@kalar.demo.oms'"))
    return "district-1"


def fix_sequences(conn) -> None:
    for (table,) in conn.execute(text("SELECT table_name FROM information_schema.columns WHERE table_schema = "
                                      "'public' AND column_name = 'id'")).all():
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table}"'}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval('{seq}', coalesce((SELECT max(id) FROM \"{table}\"), 1))"))


def build(base, owner, app_url) -> None:
    started = time.perf_counter()
    create_database(base, started)
    migrate_and_load_demo(owner, app_url, started)
    from oms.extensions import db

    app = make_app(owner)
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("SET LOCAL app.all_districts = 'on'"))  # the owner is held to the policy too (FORCE)
        first = clone_districts(conn, started)
        fix_sequences(conn)  # new rows get ids after the clones'
        grow_districts(conn, first, started)
        grow_large(conn, started)
        ordinary_admin(conn, first)
        fix_sequences(conn)
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        conn.execute(text("SET app.all_districts = 'on'"))
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("tenant", "school", "person", "plan_item")}
        db.engine.dispose()
    log(f"built and analysed: {counts}", started)


# ---- measuring -------------------------------------------------------------------------------

def measure(app_url, runs: int) -> None:
    from support import Browser

    from oms.extensions import db

    app = make_app(app_url)
    gc.freeze()  # as wsgi.py does after making the app
    gc.set_threshold(10_000, 10, 10)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    print(f"{'district':9} {'page':13} {'p50, ms':>8} {'p95, ms':>8} {'SQL':>4} {'KB':>6}")
    for slug, label in (("district-1", "ordinary"), ("serdobsk", "large")):
        browser = Browser(app.test_client())
        assert browser.login(f"admin@{slug}.demo.oms", DEMO_PASSWORD).status_code == 302
        for name, pattern in PAGES.items():
            path = pattern.format(slug=slug)
            response = browser.get(path)
            assert response.status_code == 200, (path, response.status_code)
            size = len(response.data)
            times = []
            for _ in range(runs):
                statements.clear()
                started = time.perf_counter()
                response = browser.get(path)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(f"{label:9} {name:13} {statistics.median(times):8.1f} {p95:8.1f} {len(statements):4d} "
                  f"{size / 1024:6.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", required=True, help="postgresql://user@host:port/<scratch database>")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    base, owner, app_url = urls(args.pg)
    if not args.measure_only:
        build(base, owner, app_url)
    measure(app_url, args.runs)


if __name__ == "__main__":
    main()
