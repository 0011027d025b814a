"""The demo plans: every district's 2025/2026 plan covers its directions and the whole year, partly executed;
2024/2025 is approved and fully executed; loading twice adds nothing; every export opens."""
import io

from openpyxl import load_workbook

from oms.demo import DEMO_PASSWORD, DEMO_SLUGS
from oms.extensions import db
from oms.models import Direction, Plan, PlanItem, Tenant
from oms.models.plan import months_of
from support import Browser


def test_demo_plans(demo, app):
    from oms.demo import load_demo

    counts = {}
    for slug in DEMO_SLUGS:
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        directions = set(db.session.scalars(db.select(Direction.id).where(Direction.tenant_id == tenant.id)))
        current = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == 2025))
        items = db.session.scalars(db.select(PlanItem).where(PlanItem.plan_id == current.id)).all()
        assert len(items) >= 45, slug
        assert {i.direction_id for i in items} == directions, slug
        assert {m for i in items for m in months_of(i.months)} == set(range(1, 13)), slug
        statuses = {i.status for i in items}
        assert statuses == {"planned", "done", "moved", "cancelled"}, slug
        assert all(i.actual_date and i.participants_count for i in items if i.status == "done")
        assert all(i.cancel_reason for i in items if i.status == "cancelled")
        assert all(i.moved_to_month for i in items if i.status == "moved")
        assert sum(1 for i in items if i.body_id) >= 3, slug
        assert sum(1 for i in items if i.function_id) >= 10, slug
        previous = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == 2024))
        assert previous.status == "approved" and previous.act_number and previous.act_date
        old = db.session.scalars(db.select(PlanItem.status).where(PlanItem.plan_id == previous.id)).all()
        assert len(old) >= 45 and "planned" not in old, slug
        counts[slug] = db.session.scalar(db.select(db.func.count(PlanItem.id)).where(PlanItem.tenant_id == tenant.id))
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    for slug, count in counts.items():
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        assert db.session.scalar(db.select(db.func.count(PlanItem.id)).where(PlanItem.tenant_id == tenant.id)) == count


def test_every_demo_districts_export_opens_and_reads_like_the_document(demo, client):
    for slug in DEMO_SLUGS:
        b = Browser(client)
        assert b.login(f"teacher@{slug}.demo.oms", DEMO_PASSWORD).status_code == 302
        resp = b.get(f"/{slug}/plans/2025-2026/export.xlsx")
        assert resp.status_code == 200, slug
        wb = load_workbook(io.BytesIO(resp.data))
        ws = wb["План"]
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        assert ws["A5"].value == f"План работы {tenant.service_name_genitive} на 2025/2026 учебный год"
        sections = [r[0] for r in ws.iter_rows(min_row=8, values_only=True) if r[0] and r[1] is None]
        directions = db.session.scalars(db.select(Direction.name).where(Direction.tenant_id == tenant.id)
                                        .order_by(Direction.position, Direction.id)).all()
        assert sections == [f"{i}. {name}" for i, name in enumerate(directions, start=1)], slug
        assert "Анализ выполнения" in wb.sheetnames
        page = b.get(f"/{slug}/plans/2025-2026/")
        assert page.status_code == 200
        b.client.post("/logout", data={"csrf_token": b.token})
