"""Benchmark of the district dashboard and the development pages in a large district.

Run: `PYTHONPATH=. python bench/dashboard.py` (SQLite in a temporary directory), or set
BENCH_DATABASE_URL=postgresql://... to measure on PostgreSQL (the database is emptied).
Builds a district of 5,000 people and 20,000 course records (with deficits, mentors and attestations),
then prints, for the home page with the dashboard and each development page, the median time of
RUNS requests and the number of SQL statements per request (it must not grow with the district).
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import event, text  # noqa: E402

from oms import create_app  # noqa: E402
from oms.config import TestConfig  # noqa: E402
from oms.extensions import db  # noqa: E402
from support import PASSWORD, Browser, normalise_pg  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 5000))
COURSES = int(os.environ.get("BENCH_COURSES", 20000))
RUNS = int(os.environ.get("BENCH_RUNS", 15))
PAGES = ["/", "/development/", "/development/people/", "/development/people/?flag=no_course",
         "/development/courses/", "/development/deficits/", "/development/mentoring/", "/development/attestation/",
         "/development/people/{person}/"]


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = tempfile.mkdtemp(prefix="oms-bench-")
    uri = normalise_pg(url) if url else f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        from factories.development import bulk_district
        from oms.models import Tenant, User

        tenant = Tenant(slug="bench", name="Большой район", region="Область")
        db.session.add(tenant)
        db.session.commit()
        user = User(tenant=tenant, role="methodist", email="methodist@bench.example", full_name="Методист")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        started = time.perf_counter()
        built = bulk_district(tenant, PEOPLE, COURSES)
        print(f"{db.engine.dialect.name}: district of {PEOPLE} people and {COURSES} course records "
              f"built in {time.perf_counter() - started:.1f} s")

    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    browser = Browser(app.test_client())
    browser.login(user.email)
    print(f"{'page':45} {'median, ms':>11} {'SQL':>5}")
    for page in PAGES:
        path = "/bench" + page.format(person=built["people"][0])
        assert browser.get(path).status_code == 200, path  # warm-up (templates compiled, session row refreshed)
        times = []
        for _ in range(RUNS):
            statements.clear()
            started = time.perf_counter()
            response = browser.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, path
        print(f"{page.format(person='<id>'):45} {statistics.median(times) * 1000:11.0f} {len(statements):5d}")


if __name__ == "__main__":
    main()
