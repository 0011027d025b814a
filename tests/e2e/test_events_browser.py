"""A real Chromium: a teacher registers for a seminar from the calendar; the methodist ticks attendance;
the plan item turns done with the count; the analysis changes."""
from datetime import date, datetime

from playwright.sync_api import expect

from factories.core import person_in
from factories.events import event_in
from factories.plan import item_in, plan_in
from oms.clock import pinned
from oms.extensions import db
from oms.models.evidence import PlanItemLink
from support import log_in_as_another, login_page


def test_register_from_the_calendar_tick_attendance_and_the_plan_follows(page, app, district):
    t = district.tenant
    person_in(t, last_name="Учителева", first_name="Ирина", user_id=district.teacher.id)
    item = item_in(t, plan=plan_in(t), title="Семинар «Функциональная грамотность»", months=(11,))
    event = event_in(t, title="Функциональная грамотность на уроках математики",
                     starts_at=datetime(2025, 11, 12, 14), ends_at=datetime(2025, 11, 12, 16))
    db.session.add(PlanItemLink(tenant_id=t.id, item_id=item.id, kind="event", object_id=event.id))
    db.session.commit()
    db.session.rollback()
    with pinned(app, date(2025, 11, 12)):
        login_page(page, district.teacher.email)
        page.goto(f"/{t.slug}/calendar/?month=2025-11")
        page.get_by_role("link", name="14:00 Семинар: Функциональная грамотность на уроках математики").click()
        page.locator("#register").click()
        expect(page.locator("#my-registration")).to_contain_text("Записан")

        log_in_as_another(page, district.methodist.email)
        page.goto(f"/{t.slug}/plans/2025-2026/analysis")
        expect(page.locator("#stat-done")).to_have_text("0")
        page.goto(f"/{t.slug}/events/{event.id}/")
        page.get_by_label("Присутствовал: Учителева Ирина").check()
        page.locator("#save-attendance").click()
        expect(page.locator("#attended-count")).to_have_text("1")

        page.goto(f"/{t.slug}/plans/2025-2026/")
        row = page.locator(f"#item-{item.id}")
        expect(row).to_contain_text("по факту")
        expect(row).to_contain_text("12.11.2025")
        expect(row).to_contain_text("участников: 1")
        page.goto(f"/{t.slug}/plans/2025-2026/analysis")
        expect(page.locator("#stat-done")).to_have_text("1")
        expect(page.locator(".completion").first).to_have_text("100")
