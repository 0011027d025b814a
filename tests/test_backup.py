"""`flask backup` and `flask restore`: a backup taken, data changed, the backup restored, the data as it was.

SQLite always; PostgreSQL when TEST_DATABASE_URL is set and pg_dump/pg_restore exist. Each
runs on a database of its own, built by the migrations, owned (on PostgreSQL) by a role that is
not a superuser, so row-level security is in force as in production.
"""
import os
import shutil

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from support import PG_URL, normalise_pg

OWNER_ROLE = "oms_backup_test_owner"


def _pg_database():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore not installed")
    base = make_url(normalise_pg(PG_URL))
    name = f"{base.database}_backup{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OWNER_ROLE}).scalar():
            conn.execute(text(f"CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}'))
    admin.dispose()
    return base.set(database=name, username=OWNER_ROLE, password=None).render_as_string(hide_password=False), name


@pytest.fixture(params=["sqlite", "postgresql"])
def own_db(request, tmp_path):
    """An app on a database of its own, migrated, with one district, a school and a person."""
    from flask_migrate import upgrade

    from oms import create_app
    from oms.config import TestConfig
    from oms.extensions import db
    from oms.models import Person, School, Tenant

    drop = None
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    else:
        uri, drop = _pg_database()
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))
    with app.app_context():
        upgrade()
        tenant = Tenant(slug="rezerv", name="Резервный район", region="Область")
        db.session.add(tenant)
        db.session.flush()
        school = School(tenant_id=tenant.id, name="Школа № 1")
        db.session.add(school)
        db.session.flush()
        db.session.add(Person(tenant_id=tenant.id, last_name="Петрова", first_name="Анна", school_id=school.id))
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    if drop:
        admin = create_engine(normalise_pg(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
        admin.dispose()


def _snapshot(app):
    from oms.extensions import db
    from oms.models import Person, Tenant

    with app.app_context():
        try:
            return (sorted(t.slug for t in db.session.scalars(select(Tenant))),
                    sorted(p.last_name for p in db.session.scalars(select(Person))))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_backup_change_restore_gives_the_data_back(own_db, tmp_path):
    from oms.extensions import db
    from oms.models import Person, Tenant

    app = own_db
    before = _snapshot(app)
    assert before == (["rezerv"], ["Петрова"])
    runner = app.test_cli_runner()
    target = tmp_path / "backups" / "oms.bak"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and "Backup written" in result.output

    with app.app_context():
        person = db.session.scalar(select(Person))
        person.last_name = "Испорченная"
        db.session.add(Tenant(slug="lishnii", name="Лишний район"))
        db.session.commit()
        db.session.remove()
    assert _snapshot(app) == (["lishnii", "rezerv"], ["Испорченная"])

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _snapshot(app) == before
    safety = [p for p in target.parent.iterdir() if p.name.startswith("before-restore-")]
    assert len(safety) == 1  # what was replaced is kept


def test_restore_asks_first(own_db, tmp_path):
    app = own_db
    runner = app.test_cli_runner()
    target = tmp_path / "snap.bak"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(own_db, tmp_path):
    app = own_db
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database at all" * 100)
    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert "not an SQLite database" in result.output or "not a pg_dump archive" in result.output
    assert _snapshot(app) == (["rezerv"], ["Петрова"])


def test_backup_without_a_path_goes_to_the_instance_folder(own_db, tmp_path, monkeypatch):
    app = own_db
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "instance" / "backups").iterdir())
    assert len(written) == 1 and written[0].name.startswith("oms-")
