"""Benchmark of the ВсОШ school-stage import: 10,000 results end to end (upload, column mapping, check, save),
then the published rating page's statement count as results grow.

Run: `PYTHONPATH=. python bench/olympiad_import.py` (SQLite in a temporary directory), or set
BENCH_DATABASE_URL=postgresql://... to measure on PostgreSQL (the database is emptied).
Goal: 10,000 rows in under 10 s.
"""
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import event  # noqa: E402

from oms.extensions import db  # noqa: E402
from people import bench_district, make_app  # noqa: E402
from support import Browser  # noqa: E402

ROWS = 10000
SCHOOLS = 40
SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
            "Новиков", "Морозов", "Волков", "Алексеев", "Лазарев", "Никифоров", "Трифонов", "Горохов"]
FIRST = ["Артём", "Максим", "Иван", "Михаил", "Даниил", "Егор", "Кирилл", "Матвей", "Тимофей", "Марк"]
MIDDLE = ["Петрович", "Иванович", "Сергеевич", "Андреевич", "Викторович", "Олегович", "Юрьевич"]
SUBJECTS = ["Математика", "Русский язык", "Физика", "Химия", "Биология", "История", "Обществознание",
            "Английский язык", "География", "Литература"]


def results_file(rows: int) -> bytes:
    rnd = random.Random(10000)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Школьный этап")
    ws.append(["ФИО", "Класс", "ОО", "Предмет", "Баллы"])
    seen = set()
    while len(seen) < rows:
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(FIRST)} {rnd.choice(MIDDLE)}"
        school = f"МБОУ СОШ № {rnd.randint(1, SCHOOLS)}"
        subject = rnd.choice(SUBJECTS)
        if (name, school, subject) in seen:
            continue
        seen.add((name, school, subject))
        ws.append([name, rnd.randint(4, 11), school, subject, rnd.randint(0, 100)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    app = make_app()
    from oms.models import Entry, School
    from oms.services import contests as svc

    with app.app_context():
        tenant = bench_district()
        for n in range(1, SCHOOLS + 1):
            db.session.add(School(tenant_id=tenant.id, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}"))
        stage_id = svc.stage_of(svc.create_season(tenant.id, 2025), "school").id
        db.session.commit()
    data = results_file(ROWS)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; file: {ROWS} rows, "
          f"{len(data) / 1024:.0f} KB")
    b = Browser(app.test_client())
    b.login("methodist@bench.test")
    steps = {}
    start = t = time.perf_counter()
    resp = b.post(f"/bench/olympiads/stages/{stage_id}/import", data={"file": (io.BytesIO(data), "результаты.xlsx")},
                  content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    mapping_url = resp.headers["Location"]
    steps["upload and read"] = time.perf_counter() - t
    t = time.perf_counter()
    assert b.get(mapping_url).status_code == 200
    form = {f"col_{i}": target for i, target in enumerate(["full_name", "grade", "school", "subject", "score"])}
    assert b.post(mapping_url, data=form).status_code == 302
    steps["column mapping"] = time.perf_counter() - t
    t = time.perf_counter()
    preview = b.get(mapping_url.replace("/mapping", ""))
    assert f"Будет сохранено результатов: {ROWS}" in preview.get_data(as_text=True)
    steps["preview (check every row)"] = time.perf_counter() - t
    t = time.perf_counter()
    done = b.post(mapping_url.replace("/mapping", "/confirm"))
    assert done.status_code == 302, done.status_code
    steps["confirm (check again and save)"] = time.perf_counter() - t
    total = time.perf_counter() - start
    for name, seconds in steps.items():
        print(f"  {name:34s} {seconds:6.2f} s")
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Entry.id)))
    assert count == ROWS, count
    print(f"import of {ROWS} results end to end: {total:.2f} s, {ROWS / total:.0f} rows/s "
          f"({'within' if total < 10 else 'OVER'} the 10 s goal)")

    with app.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for grade in (None, 9):
        statements.clear()
        t = time.perf_counter()
        url = f"/bench/olympiads/stages/{stage_id}/rating" + (f"?grade={grade}" if grade else "")
        assert b.get(url).status_code == 200
        print(f"rating page ({'one grade' if grade else 'all grades'} of a subject): "
              f"{(time.perf_counter() - t) * 1000:.0f} ms, {len(statements)} statements")


if __name__ == "__main__":
    main()
