"""Row-level security on PostgreSQL, with the app connected as a role that owns nothing.

A database of its own is built by the migrations (as `flask db upgrade` does), the
app's role gets its grants, and the demo is loaded through that role, as the CLI
would. Skipped without TEST_DATABASE_URL.
"""
import os
import re

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from support import PG_URL, csrf_from, normalise_pg

pytestmark = [pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"), pytest.mark.postgres_only]

APP_ROLE = "oms_rls_test_app"
OWNER_ROLE = "oms_rls_test_owner"  # owns the tables and runs migrations; not a superuser either
DEMO_PASSWORD = "oms-demo"


def _admin_engine():
    return create_engine(normalise_pg(PG_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def rls_urls():
    base = make_url(normalise_pg(PG_URL))
    name = f"{base.database}_rls{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for role in (APP_ROLE, OWNER_ROLE):
            if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
                try:
                    conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
                except DBAPIError:
                    pass  # another worker made it
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}'))
    admin.dispose()
    owner = base.set(database=name, username=OWNER_ROLE, password=None)
    app_role = owner.set(username=APP_ROLE, password=None)
    yield owner.render_as_string(hide_password=False), app_role.render_as_string(hide_password=False)
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _make_app(uri):
    from oms import create_app
    from oms.config import TestConfig

    return create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))


@pytest.fixture(scope="module")
def owner_app(rls_urls):
    from flask_migrate import upgrade

    from oms import rls
    from oms.extensions import db

    app = _make_app(rls_urls[0])
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            rls.grant_app_role(conn, APP_ROLE)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def rls_app(owner_app, rls_urls):
    """The app as it runs in production: connected as the app's role; the demo loaded through it."""
    from oms.demo import load_demo
    from oms.extensions import db

    app = _make_app(rls_urls[1])
    with app.app_context():
        load_demo(app.config["PASSWORD_HASH_METHOD"])  # outside a request, as `flask demo` does
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(rls_app):
    from oms.extensions import db

    with rls_app.app_context():
        yield rls_app
        db.session.remove()


def _districts():
    from oms.extensions import db
    from oms.models import Tenant

    return {t.slug: t for t in db.session.scalars(select(Tenant))}


def _login(app, email):
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


def test_the_app_role_owns_nothing_and_cannot_bypass(ctx):
    from oms.extensions import db

    row = db.session.execute(text(
        "SELECT current_user AS me, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
    assert row.me == APP_ROLE and not row.rolsuper and not row.rolbypassrls
    owned = db.session.scalar(text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user"))
    assert owned == 0


def test_migrations_put_a_policy_on_every_district_table(owner_app):
    from oms import rls
    from oms.extensions import db

    with owner_app.app_context():
        with db.engine.connect() as conn:
            state = rls.policies(conn)
        missing = [t for t in rls.tenant_tables() if not state.get(t)]
        assert not missing, f"district tables without the RLS policy (call oms.rls.enable_rls in a migration): {missing}"
        # A table with tenant_id must be a TenantScoped model's, unless it is one of the known shared ones.
        stray = set(rls.tables_with_tenant_id(db.metadata)) - set(rls.tenant_tables()) - set(rls.SHARED_TABLES_WITH_TENANT_ID)
        assert not stray, f"tables with tenant_id outside TenantScoped: {stray}"


def test_with_no_district_set_the_app_role_sees_no_rows(ctx):
    from oms.extensions import db
    from oms.models import Person, School

    # Outside a request (CLI) every district is visible: the demo is there.
    assert db.session.scalar(text("SELECT count(*) FROM person")) >= 4 * 40
    db.session.commit()
    with ctx.test_request_context("/"):
        assert db.session.scalar(text("SELECT count(*) FROM person")) == 0
        assert db.session.scalar(text("SELECT count(*) FROM school")) == 0
        assert db.session.scalars(select(Person)).all() == []
        assert db.session.scalars(select(School)).all() == []
        db.session.rollback()


def test_an_unscoped_query_inside_a_district_returns_only_its_rows(ctx):
    from oms import rls
    from oms.extensions import db
    from oms.models import Person

    districts = _districts()
    kurchaloy = districts["kurchaloy"]
    db.session.commit()
    with ctx.test_request_context("/"):
        rls.enter_district(kurchaloy.id)
        # Both the app's loader criterion and the SQL filter are skipped on purpose.
        people = db.session.scalars(select(Person).execution_options(all_districts=True)).all()
        raw = db.session.execute(text("SELECT DISTINCT tenant_id FROM person")).scalars().all()
        db.session.commit()
        # The next transaction gets the same district from the begin hook.
        again = db.session.execute(text("SELECT DISTINCT tenant_id FROM school")).scalars().all()
        db.session.rollback()
    assert len(people) >= 40 and {p.tenant_id for p in people} == {kurchaloy.id}
    assert raw == [kurchaloy.id] and again == [kurchaloy.id]


def test_writing_a_row_for_another_district_is_refused(ctx):
    from oms import rls
    from oms.extensions import db
    from oms.models import Person

    districts = _districts()
    home, other = districts["kurchaloy"], districts["kalar"]
    before = db.session.scalar(text("SELECT count(*) FROM person WHERE tenant_id = :t"), {"t": other.id})
    db.session.commit()
    with ctx.test_request_context("/"):
        rls.enter_district(home.id)
        db.session.add(Person(tenant_id=other.id, last_name="Чужая", first_name="Запись"))
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.flush()
        db.session.rollback()

        rls.enter_district(home.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(text("UPDATE person SET tenant_id = :o WHERE id = "
                                    "(SELECT min(id) FROM person)"), {"o": other.id})
        db.session.rollback()

        rls.enter_district(home.id)
        touched = db.session.execute(text("UPDATE person SET notes = 'x' WHERE tenant_id = :o"), {"o": other.id})
        assert touched.rowcount == 0
        db.session.rollback()
    after = db.session.scalar(text("SELECT count(*) FROM person WHERE tenant_id = :t"), {"t": other.id})
    assert after == before


def test_settings_end_with_the_transaction(ctx):
    """A pooled connection that served a district carries nothing into the next transaction."""
    from oms import rls
    from oms.extensions import db

    kurchaloy = _districts()["kurchaloy"]
    db.session.commit()
    with ctx.test_request_context("/"):
        rls.enter_district(kurchaloy.id)
        assert db.session.scalar(text("SELECT count(*) FROM person")) > 0
        db.session.commit()
        from flask import g

        g.tenant_id = None
        assert db.session.scalar(text("SELECT current_setting('app.tenant', true)")) in ("", None)
        assert db.session.scalar(text("SELECT count(*) FROM person")) == 0
        db.session.rollback()


def test_login_and_every_district_page_work_as_the_app_role(rls_app):
    # No app context around the requests: each request has its own, as in production.
    client = _login(rls_app, "admin@kurchaloy.demo.oms")
    home = client.get("/kurchaloy/")
    assert home.status_code == 200
    nav = re.search(r'<nav class="mainnav".*?</nav>', home.get_data(as_text=True), re.S).group(0)
    pages = sorted(set(re.findall(r'href="([^"]+)"', nav)))
    assert "/kurchaloy/users/" in pages and "/kurchaloy/audit/" in pages
    failures = [f"{url} -> {code}" for url in pages
                if (code := client.get(url, follow_redirects=True).status_code) != 200]
    assert not failures, failures
    users = client.get("/kurchaloy/users/").get_data(as_text=True)
    assert "methodist@kurchaloy.demo.oms" in users and "methodist@kalar.demo.oms" not in users


def test_operator_console_works_across_districts_as_the_app_role(rls_app):
    from oms.extensions import db
    from oms.models import Tenant, User

    client = _login(rls_app, "root@demo.oms")
    page = client.get("/platform/")
    assert page.status_code == 200
    form = client.get("/platform/districts/new").get_data(as_text=True)
    form_token = re.search(r'name="form_token"[^>]*value="([^"]+)"', form).group(1)
    resp = client.post("/platform/districts/new", data={
        "csrf_token": csrf_from(form), "form_token": form_token, "slug": "rls-new", "preset": "blank",
        "name": "Новый район", "region": "Область",
        "authority": "Отдел образования", "service_name": "Методическая служба", "model_kind": "department",
        "admin_email": "admin@rls-new.example.org", "admin_name": "Админ Нового Района",
    })
    assert resp.status_code == 200, resp.get_data(as_text=True)[:800]
    with rls_app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "rls-new"))
        assert tenant is not None
        assert db.session.scalar(select(User).where(User.email == "admin@rls-new.example.org")).tenant_id == tenant.id
        db.session.remove()


def test_the_audit_trail_is_append_only(ctx, owner_app):
    from oms.extensions import db

    from oms.audit import record

    record("export", summary="настоящая запись", tenant_id=_districts()["kalar"].id)  # the app may add entries
    db.session.commit()
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("UPDATE audit_event SET summary = 'forged'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("DELETE FROM audit_event"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("TRUNCATE audit_event"))
    db.session.rollback()
    # Even the owner cannot rewrite history: the trigger refuses.
    with owner_app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE audit_event SET summary = 'forged'"))
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM audit_event"))


def test_deleting_an_account_keeps_its_audit_entries(owner_app):
    """The one update the trigger lets through: ON DELETE SET NULL of the author."""
    from oms.extensions import db

    with owner_app.app_context():
        with db.engine.begin() as conn:
            tenant_id = conn.execute(text("SELECT min(id) FROM tenant")).scalar()
            user_id = conn.execute(text(
                "INSERT INTO \"user\" (tenant_id, email, full_name, role, password_hash, is_active_account, "
                "version, search_key, created_at, updated_at) VALUES (:t, 'gone@example.org', 'Ушедший', "
                "'teacher', '', true, 1, '', now(), now()) RETURNING id"), {"t": tenant_id}).scalar()
            conn.execute(text("INSERT INTO audit_event (tenant_id, user_id, user_email, at, action, object_type, "
                              "summary, changes, address) VALUES (:t, :u, 'gone@example.org', now(), 'login', "
                              "'User', '', '{}', '')"), {"t": tenant_id, "u": user_id})
            conn.execute(text('DELETE FROM "user" WHERE id = :u'), {"u": user_id})
            left = conn.execute(text("SELECT user_id, user_email FROM audit_event WHERE user_email = "
                                     "'gone@example.org'")).one()
    assert left.user_id is None and left.user_email == "gone@example.org"


def test_grant_refuses_a_role_that_could_bypass(owner_app):
    from oms import rls
    from oms.extensions import db

    with owner_app.app_context():
        with db.engine.connect() as conn:
            with pytest.raises(ValueError, match="superuser"):
                rls.grant_app_role(conn, "postgres")
