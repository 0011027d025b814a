"""Benchmark of the annual plan: the XLSX export of a 3,000-item plan against plain openpyxl writing the
same cells, and the plan page with 3,000 items.

    PYTHONPATH=. python bench/plan.py            # SQLite in a temporary directory
    DATABASE_URL=postgresql://... python bench/plan.py

Prints the figures; targets: export < 2 s and within 1.5x of plain openpyxl; the page stays quick
(it shows 100 items per page with the document's numbering kept across pages).
"""
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

STATUSES = ["done"] * 70 + ["moved"] * 8 + ["cancelled"] * 7 + ["planned"] * 15
ITEMS = int(os.environ.get("BENCH_ITEMS", 3000))
RUNS = 5
PAGE_RUNS = 20


def build_app():
    from oms import create_app
    from oms.config import TestConfig

    url = os.environ.get("DATABASE_URL")
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix):]
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False}))
    return app


def seed():
    from oms.extensions import db
    from oms.models import (Body, BodyKind, Direction, Person, Plan, PlanItem, PlanItemResponsible, Tenant, User,
                            WorkForm)
    from oms.models.plan import ACADEMIC_MONTHS, mask_of

    db.drop_all()
    db.create_all()
    tenant = Tenant(slug="bench", name="Тестовый район", region="Область", authority="Отдел образования",
                    service_name="Методическая служба", service_name_genitive="Методической службы")
    db.session.add(tenant)
    db.session.flush()
    user = User(tenant_id=tenant.id, email="methodist@bench.test", full_name="Методист", role="methodist")
    user.set_password("Kv4-ochen-nadezhnyi-parol")
    db.session.add(user)
    directions = [Direction(tenant_id=tenant.id, name=f"Направление {i}", position=i) for i in range(1, 8)]
    forms = [WorkForm(tenant_id=tenant.id, name=name, position=i) for i, name in
             enumerate(("Семинар", "Мастер-класс", "Конкурс", "Консультация", "Заседание", "Мониторинг"))]
    kind = BodyKind(tenant_id=tenant.id, code="mo", name="МО", category="association")
    db.session.add_all(directions + forms + [kind])
    db.session.flush()
    bodies = [Body(tenant_id=tenant.id, kind_id=kind.id, name=f"ММО учителей предмета {i}") for i in range(8)]
    people = [Person(tenant_id=tenant.id, last_name=f"Иванова{i}", first_name="Анна", middle_name="Петровна",
                     position="учитель") for i in range(80)]
    db.session.add_all(bodies + people)
    db.session.flush()
    plan = Plan(tenant_id=tenant.id, start_year=2025)
    db.session.add(plan)
    db.session.flush()
    for i in range(ITEMS):
        item = PlanItem(tenant_id=tenant.id, plan_id=plan.id, direction_id=directions[i % 7].id, position=i,
                        title=f"Семинар для заместителей директоров по УВР «Функциональная грамотность: шаг {i}»",
                        form_id=forms[i % 6].id, months=mask_of([ACADEMIC_MONTHS[i % 12], ACADEMIC_MONTHS[(i + 3) % 12]]),
                        audience="заместители директоров по УВР, руководители ШМО",
                        expected_result="Методические рекомендации для школ района, банк заданий",
                        body_id=bodies[i % 8].id if i % 5 == 0 else None,
                        # Mid-year: 70 % done, 8 % moved, 7 % cancelled, 15 % still without a mark.
                        status=STATUSES[i % 100], cancel_reason="карантин" if STATUSES[i % 100] == "cancelled" else "",
                        moved_to_month=3 if STATUSES[i % 100] == "moved" else None,
                        actual_date=date(2025, 10, 15) if STATUSES[i % 100] == "done" else None,
                        participants_count=25 if STATUSES[i % 100] == "done" else None)
        item.responsible_links = [PlanItemResponsible(tenant_id=tenant.id, person_id=people[(i + k) % 80].id,
                                                      position=k) for k in range(2)]
        db.session.add(item)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Autovacuum analyses freshly loaded tables within a minute; without statistics the planner joins
        # the 6,000 responsibilities by nested loop (0.4-0.6 s instead of 8 ms). Measure the steady state.
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return tenant, plan


def plain_openpyxl(doc):
    """The same cells (values and styles) written by plain openpyxl, the documented fast way:
    write-only mode, named styles registered once; no escaping, merges or row heights."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import NamedStyle

    from oms.services.plan_export import S

    wb = Workbook(write_only=True)
    for name, font, fill in (("t", S.text, None), ("b", S.bold, S.section_fill), ("h", S.title, None)):
        style = NamedStyle(name=name, font=font, alignment=S.wrap, border=S.border)
        if fill is not None:
            style.fill = fill
        wb.add_named_style(style)

    def row(ws, values, style):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.style = style
            cells.append(cell)
        ws.append(cells)

    ws = wb.create_sheet("План")
    for line in doc.approval:
        row(ws, [None] * 4 + [line], "t")
    row(ws, [doc.title], "h")
    row(ws, ["№ п/п", "Мероприятие", "Форма проведения", "Сроки", "Ответственные", "Участники",
             "Ожидаемый результат"], "b")
    for section in doc.sections:
        row(ws, [f"{section.number}. {section.name}"] + [None] * 6, "b")
        for r in section.rows:
            row(ws, [r.number, r.title, r.form, r.timing, r.responsible, r.audience, r.expected], "t")
    ws2 = wb.create_sheet("Анализ выполнения")
    row(ws2, [doc.analysis_title], "h")
    a = doc.analysis
    for _ in range(2 * len(a.by_direction) + 12 + 4):  # the summary tables
        row(ws2, ["1", "Направление", 12, "выполнено 9 (53 %) · перенесено 1 (6 %) · отменено 2 (12 %)"], "t")
    for section in doc.sections:
        row(ws2, [f"{section.number}. {section.name}"] + [None] * 3, "b")
        for r in section.rows:
            row(ws2, [r.number, r.title, r.timing, r.mark], "t")
    for item, _kind in a.not_done:
        row(ws2, ["1.1", item.title, "октябрь", "отменено: карантин"], "t")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main():
    if hasattr(os, "getloadavg"):
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(wall times grow with the machine's load; CPU times much less)")
    app = build_app()
    from flask import g

    from oms.extensions import db
    from oms.services import plan_export

    with app.app_context():
        tenant, plan = seed()
        tenant_id, plan_id, slug = tenant.id, plan.id, tenant.slug

    with app.test_request_context(f"/{slug}/plans/2025-2026/export.xlsx"):
        from oms.models import Plan, Tenant

        tenant = db.session.get(Tenant, tenant_id)
        g.tenant, g.tenant_id = tenant, tenant_id
        plan = db.session.get(Plan, plan_id)
        export_times, plain_times, gather_times, export_cpu, plain_cpu = [], [], [], [], []
        for _ in range(RUNS):
            db.session.expire_all()
            t0, c0 = time.perf_counter(), time.process_time()
            doc = plan_export.gather(plan, tenant)
            t1 = time.perf_counter()
            data = plan_export.build_workbook(doc)
            t2, c2 = time.perf_counter(), time.process_time()
            export_times.append(t2 - t0)
            export_cpu.append(c2 - c0)
            gather_times.append(t1 - t0)
            t3, c3 = time.perf_counter(), time.process_time()
            plain = plain_openpyxl(doc)
            plain_times.append(time.perf_counter() - t3)
            plain_cpu.append(time.process_time() - c3)
        export, base = statistics.median(export_times), statistics.median(plain_times)
        print(f"export of a {ITEMS}-item plan (both sheets, from the database): median {export:.3f} s "
              f"(CPU {statistics.median(export_cpu):.3f} s; reading the database {statistics.median(gather_times):.3f} s),"
              f" {len(data) // 1024} KiB")
        print(f"plain openpyxl writing the same cells:                      median {base:.3f} s "
              f"(CPU {statistics.median(plain_cpu):.3f} s), {len(plain) // 1024} KiB")
        print(f"ratio export / plain openpyxl: {export / base:.2f} (target < 1.5); export < 2 s: {export < 2}")

    client = app.test_client()
    with app.app_context():
        page = client.get("/login")
        import re

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
        client.post("/login", data={"email": "methodist@bench.test", "password": "Kv4-ochen-nadezhnyi-parol",
                                    "csrf_token": token})
    for label, url in (("first page", f"/{slug}/plans/2025-2026/"),
                       ("page 20", f"/{slug}/plans/2025-2026/?page=20"),
                       ("month view", f"/{slug}/plans/2025-2026/?view=month&month=10"),
                       ("search + filters (htmx)", f"/{slug}/plans/2025-2026/?q=шаг&status=done&direction=1"),
                       ("analysis page", f"/{slug}/plans/2025-2026/analysis")):
        times = []
        for _ in range(PAGE_RUNS):
            t0 = time.perf_counter()
            resp = client.get(url, headers={"HX-Request": "true", "HX-Target": "plan-list"} if "htmx" in label else {})
            times.append(time.perf_counter() - t0)
            assert resp.status_code == 200, (url, resp.status_code)
        print(f"plan page with {ITEMS} items, {label}: median {statistics.median(times) * 1000:.0f} ms "
              f"({len(resp.data) // 1024} KiB)")


if __name__ == "__main__":
    main()
