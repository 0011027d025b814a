"""Benchmark of the teacher registry: a 5,000-row import end to end, and the people list of a large district.

Run: `PYTHONPATH=. python bench/people.py` (SQLite in a temporary directory), or set
BENCH_DATABASE_URL=postgresql://... to measure on PostgreSQL (the database is emptied).
Prints the import's rows per second (goal: 5,000 rows in under 10 s) and the median
time and SQL statement count of people list pages (the count must not grow with rows).
"""
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from oms import create_app  # noqa: E402
from oms.config import TestConfig  # noqa: E402
from oms.extensions import db  # noqa: E402
from support import PASSWORD, Browser, normalise_pg  # noqa: E402

ROWS = 5000
PAGE_RUNS = 15
SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
            "Новиков", "Морозов", "Волков", "Алексеев", "Лазарев", "Никифоров", "Трифонов", "Горохов"]
FIRST_F = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия", "Дарья"]
MIDDLE_F = ["Петровна", "Ивановна", "Сергеевна", "Андреевна", "Викторовна", "Олеговна", "Юрьевна"]
SUBJECTS = ["Математика", "Физика", "Русский язык", "Литература", "История", "Химия", "Биология",
            "Английский язык", "Начальные классы", "Информатика"]
CATEGORIES = ["высшая", "первая", "СЗД", ""]


def teacher_file(rows: int) -> bytes:
    rnd = random.Random(5000)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Педагоги")
    ws.append(["ФИО", "ОО", "Должность", "Предметы", "Категория", "Дата категории", "Стаж", "Образование",
               "Телефон", "Email"])
    seen = set()
    while len(seen) < rows:
        name = f"{rnd.choice(SURNAMES)}а {rnd.choice(FIRST_F)} {rnd.choice(MIDDLE_F)}"
        school = f"МБОУ СОШ № {rnd.randint(1, 40)}"
        if (name, school) in seen:
            continue
        seen.add((name, school))
        category = rnd.choice(CATEGORIES)
        ws.append([name, school, "учитель",
                   "; ".join(rnd.sample(SUBJECTS, 2)), category,
                   date(2020, rnd.randint(1, 12), rnd.randint(1, 28)) if category else None,
                   rnd.randint(0, 40), "высшее педагогическое", f"+7 900 {rnd.randint(100, 999)}-00-00",
                   f"t{len(seen)}@example.ru"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_app():
    url = os.environ.get("BENCH_DATABASE_URL")
    uri = normalise_pg(url) if url else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": uri}))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
    return app


def bench_district():
    """The benchmarks' district and its methodist (methodist@bench.test); call in an app context, then commit."""
    from oms.models import Tenant, User

    tenant = Tenant(slug="bench", name="Район для замеров", region="Тестовая область",
                    authority="Отдел образования", service_name="Методическая служба")
    db.session.add(tenant)
    db.session.flush()
    user = User(tenant_id=tenant.id, email="methodist@bench.test", full_name="Методист", role="methodist")
    user.set_password(PASSWORD)
    db.session.add(user)
    return tenant


def main() -> None:
    app = make_app()
    from oms.models import Person

    with app.app_context():
        bench_district()
        db.session.commit()
    data = teacher_file(ROWS)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; file: {ROWS} rows, "
          f"{len(data) / 1024:.0f} KB")

    b = Browser(app.test_client())
    b.login("methodist@bench.test")
    steps = {}
    start = time.perf_counter()
    t = time.perf_counter()
    resp = b.post("/bench/people/import/", data={"file": (io.BytesIO(data), "педагоги.xlsx")},
                  content_type="multipart/form-data")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    mapping_url = resp.headers["Location"]
    steps["upload and read"] = time.perf_counter() - t
    t = time.perf_counter()
    assert b.get(mapping_url).status_code == 200
    steps["column mapping page"] = time.perf_counter() - t
    t = time.perf_counter()
    preview = b.get(mapping_url.replace("/mapping", ""))
    assert preview.status_code == 200 and "строк с ошибками" not in preview.get_data(as_text=True)
    steps["preview (check every row)"] = time.perf_counter() - t
    t = time.perf_counter()
    done = b.post(mapping_url.replace("/mapping", "/confirm"))
    assert done.status_code == 303, done.status_code
    steps["confirm (check again and save)"] = time.perf_counter() - t
    total = time.perf_counter() - start
    for name, seconds in steps.items():
        print(f"  {name:32s} {seconds:6.2f} s")
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Person.id)))
    assert count == ROWS, count
    print(f"import of {ROWS} rows end to end: {total:.2f} s, {ROWS / total:.0f} rows/s "
          f"({'within' if total < 10 else 'OVER'} the 10 s goal)")

    t = time.perf_counter()
    b.post("/bench/people/import/", data={"file": (io.BytesIO(data), "педагоги.xlsx")},
           content_type="multipart/form-data")
    again = b.get(mapping_url.replace("/mapping", "").rsplit("/", 1)[0] + f"/{int(mapping_url.split('/')[-2]) + 1}")
    assert f"без изменений: {ROWS}" in again.get_data(as_text=True)
    print(f"re-import of the same file (upload + preview, all {ROWS} unchanged): {time.perf_counter() - t:.2f} s")

    pages = {"first page": "/bench/people/", "page 50": "/bench/people/?page=50",
             "search «иванова анна»": "/bench/people/?q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0+%D0%B0%D0%BD%D0%BD%D0%B0",
             "sorted by school": "/bench/people/?sort=school",
             "filters (category + subject)": "/bench/people/?category=highest&subject=%D0%A4%D0%B8%D0%B7%D0%B8%D0%BA%D0%B0",
             "htmx partial, sorted by experience": "/bench/people/?sort=experience&page=3"}
    with app.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"people list of a district with {ROWS} people ({PAGE_RUNS} runs each):")
    for label, url in pages.items():
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        times = []
        for _ in range(PAGE_RUNS):
            statements.clear()
            t = time.perf_counter()
            resp = b.get(url, headers=headers)
            times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        print(f"  {label:36s} median {statistics.median(times) * 1000:6.1f} ms, {len(statements)} SQL statements")


if __name__ == "__main__":
    main()
