"""Benchmark of a survey's results page: the needs-monitoring template with 5,000 answers.

Run: `PYTHONPATH=. python bench/survey_results.py` (SQLite in a temporary directory), or set
BENCH_DATABASE_URL=postgresql://... to measure on PostgreSQL (the database is emptied).
Prints the median time and the SQL statement count of the results page for 50 and for 5,000 answers (the
count must not grow with the answers) and of the raw-answers XLSX.
"""
import random
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from sqlalchemy import event  # noqa: E402

from oms.extensions import db  # noqa: E402
from people import make_app  # noqa: E402
from support import PASSWORD, Browser  # noqa: E402

RUNS = 7


def fill(survey, questions, count, rnd):
    from factories.development import _insert
    from oms.models import SurveyResponse

    rows = []
    for _ in range(count):
        answers = {}
        for q in questions:
            if q.kind == "single":
                answers[str(q.id)] = rnd.choice(q.options)
            elif q.kind == "multiple":
                answers[str(q.id)] = rnd.sample(q.options, 2)
            elif q.kind == "matrix":
                answers[str(q.id)] = {row: rnd.choice(q.options) for row in q.rows}
            else:
                answers[str(q.id)] = "Больше практических семинаров"
        import json

        rows.append({"id": secrets.token_hex(16), "tenant_id": survey.tenant_id, "survey_id": survey.id,
                     "answers": json.dumps(answers, ensure_ascii=False)})
    _insert(SurveyResponse, rows)
    db.session.commit()


def measure(b, url):
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    times = []
    try:
        for _ in range(RUNS):
            counter["n"] = 0
            t = time.perf_counter()
            assert b.get(url).status_code == 200
            times.append(time.perf_counter() - t)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(times), counter["n"]


def main() -> None:
    app = make_app()
    from oms.models import Survey, SurveyQuestion, Tenant, User
    from oms.services.surveys import from_template

    rnd = random.Random(5000)
    with app.app_context():
        tenant = Tenant(slug="bench", name="Район для замеров", region="Тестовая область",
                        authority="Отдел образования", service_name="Методическая служба")
        db.session.add(tenant)
        db.session.flush()
        user = User(tenant_id=tenant.id, email="methodist@bench.test", full_name="Методист", role="methodist")
        user.set_password(PASSWORD)
        survey = Survey(tenant_id=tenant.id, title="", opens_on=date(2025, 9, 15), closes_on=date(2025, 10, 10))
        db.session.add_all([user, survey])
        db.session.flush()
        from_template(survey, "needs")
        db.session.commit()
        survey_id = survey.id
        b = Browser(app.test_client())
        b.login("methodist@bench.test")
        url = f"/bench/surveys/{survey_id}/results"
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        done = 0
        for total in (50, 5000):
            survey = db.session.get(Survey, survey_id)
            questions = db.session.scalars(db.select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                                           .order_by(SurveyQuestion.position)).all()
            fill(survey, questions, total - done, rnd)
            done = total
            b.get(url)
            median, queries = measure(b, url)
            x_median, x_queries = measure(b, url.replace("/results", "/export.xlsx"))
            print(f"{total:>5} answers: results page {median * 1000:.0f} ms, {queries} SQL statements; "
                  f"raw answers XLSX {x_median * 1000:.0f} ms, {x_queries} SQL statements")


if __name__ == "__main__":
    main()
