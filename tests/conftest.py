"""Fixtures: the app on a real database (SQLite always; PostgreSQL when TEST_DATABASE_URL is set),
a client, a login helper and factories that return callables."""
import itertools
import os

import contextvars

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import text

from oms import create_app
from oms.config import TestConfig
from oms.extensions import db
from support import PASSWORD, PG_URL, TODAY, Browser, normalise_pg as _normalise_pg


_counter = itertools.count(1)


def _pg_url_for_worker(url: str) -> str:
    """Each xdist worker gets its own PostgreSQL database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, `g` and database session, as in production.

    The test itself holds an app context; Flask would otherwise reuse it (and its
    `g` and session) for every request. The test's own work is committed first
    and its objects are expired afterwards, so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()

        def run():
            _cv_app.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        try:
            return contextvars.copy_context().run(run)
        finally:
            db.session.expire_all()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"))]


def _build_app(backend: str, tmp_dir: str):
    if backend == "sqlite":
        uri = f"sqlite:///{os.path.join(tmp_dir, 'test.sqlite3')}"
    else:
        uri = _pg_url_for_worker(_normalise_pg(PG_URL))
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if backend == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        # The schema of the models; test_migrations checks the migrations build the same one.
        db.create_all()
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def _app_for_backend(request, tmp_path_factory):
    tmp_dir = str(tmp_path_factory.mktemp(request.param))
    return _build_app(request.param, tmp_dir)


def _wipe(app):
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as conn:
                for name in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def app(_app_for_backend):
    app = _app_for_backend
    from oms.extensions import limiter

    limiter.reset()
    app.config["TODAY"] = TODAY
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
    _wipe(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def make_browser(app):
    def make(email=None):
        b = Browser(app.test_client())
        if email:
            resp = b.login(email)
            assert resp.status_code == 302, f"login failed for {email}"
        return b
    return make


# ---- factories -----------------------------------------------------------------------------

@pytest.fixture
def make_tenant(app):
    from oms.models import Tenant

    def make(slug=None, **kw):
        n = next(_counter)
        tenant = Tenant(slug=slug or f"district-{n}", name=kw.pop("name", f"Район {n}"),
                        region=kw.pop("region", "Тестовая область"), authority="Отдел образования",
                        service_name="Методическая служба", service_abbr="ММС", **kw)
        db.session.add(tenant)
        db.session.commit()
        return tenant
    return make


@pytest.fixture
def make_user(app):
    from oms.models import User

    def make(tenant=None, role="methodist", email=None, password=PASSWORD, **kw):
        n = next(_counter)
        user = User(tenant=tenant, role=role, email=email or f"user{n}@example.org",
                    full_name=kw.pop("full_name", f"Пользователь {n}"), **kw)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def district(make_tenant, make_user):
    """A district with one user of every role."""
    tenant = make_tenant()
    users = {role: make_user(tenant, role=role, email=f"{role}@{tenant.slug}.test")
             for role in ("admin", "methodist", "leader", "teacher")}
    return type("District", (), {"tenant": tenant, "slug": tenant.slug, **users})


@pytest.fixture
def demo(app):
    """The demo districts, read on the demo's own day (as `oms-demo` serves them)."""
    from oms.demo import load_demo
    from oms.demo_steps import DEMO_DAY

    app.config["TODAY"] = DEMO_DAY
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    return app


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...` then `q.count`: SQL statements the app ran."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        box = type("Queries", (), {"count": 0, "statements": []})()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "SELECT SET_CONFIG")):
                box.count += 1
                box.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield box
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
    return counting
