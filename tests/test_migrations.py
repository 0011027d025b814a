"""The migrations build exactly the schema of the models, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from support import PG_URL, normalise_pg as _normalise_pg
from oms import create_app
from oms.config import TestConfig
from oms.extensions import db


def _fresh_app(uri):
    return create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))


def _check(uri):
    app = _fresh_app(uri)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"render_as_batch": True}), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        upgrade()
    with app.app_context():
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'mig.sqlite3'}")


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set")
def test_migrations_match_models_on_postgresql():
    from sqlalchemy.engine import make_url

    url = make_url(_normalise_pg(PG_URL))
    name = f"{url.database}_migrations_check"  # beside the test database, never shared with another run
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _check(url.set(database=name).render_as_string(hide_password=False))
