"""In a real Chromium: the methodist records a consultation with the one-line quick add, choosing the teacher
with the person picker; a consultation dated in the future and marked held is refused in place."""
from datetime import date

from playwright.sync_api import expect

from factories.core import person_in, school_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Consultation
from support import PASSWORD, login_page


def test_quick_add_with_the_person_picker(page, app, district):
    school = school_in(district.tenant, short_name="СОШ № 2")
    teacher = person_in(district.tenant, school_id=school.id, last_name="Консультируемая", first_name="Вера",
                        middle_name="Павловна")
    slug, methodist, teacher_id = district.slug, district.methodist.email, teacher.id
    db.session.commit()
    with pinned(app, date(2025, 11, 20)):
        login_page(page, methodist, PASSWORD)
        page.goto(f"/{slug}/consultations/")
        form = page.locator("#quick-add")
        form.locator("input[name=held_at]").fill("2025-12-01T10:00")  # ahead of «today»
        search = form.get_by_role("combobox", name="Педагог из реестра")
        search.fill("консультир")
        form.locator(".picker__results").get_by_role("option", name="Консультируемая Вера Павловна").click()
        form.locator("input[name=topic]").fill("Портфолио к аттестации")
        form.locator("button[type=submit]").click()
        expect(page.locator("#quick-add .error")).to_contain_text("Консультация ещё не наступила")
        expect(page.locator("#quick-add .picker__chips .chip")).to_have_count(1)  # the choice survives the error
        page.locator("#quick-add input[name=held_at]").fill("2025-11-19T10:00")
        page.locator("#quick-add button[type=submit]").click()
        expect(page.locator(".flash--success")).to_contain_text("Консультация записана")
        expect(page.locator("#consultations-list")).to_contain_text("Консультируемая Вера Павловна")
    c = db.session.scalar(db.select(Consultation))
    assert (c.asker_person_id, c.topic, c.status) == (teacher_id, "Портфолио к аттестации", "held")
