"""The person picker in a real Chromium: two responsible people of a plan item found by typing, chosen by
keyboard and by click, both kept after saving."""
from playwright.sync_api import expect

from factories.core import person_in
from factories.plan import direction_in, form_in, item_in, plan_in
from oms.extensions import db
from oms.models import PlanItem, PlanItemResponsible
from support import login_page


def test_pick_two_responsible_people_by_typing(page, district):
    t = district.tenant
    analytic = direction_in(t, "Аналитическая", position=1)
    form_in(t, "Семинар")
    first = person_in(t, last_name="Ёлкина", first_name="Анна", middle_name="Ивановна")
    second = person_in(t, last_name="Кузнецова", first_name="Ольга", middle_name="Петровна")
    person_in(t, last_name="Кузьмина", first_name="Вера", middle_name="Павловна")
    plan_in(t, 2025)
    db.session.commit()
    login_page(page, district.methodist.email)
    page.goto(f"/{t.slug}/plans/2025-2026/")
    page.click(f"#add-d{analytic.id} a")
    form = page.locator(f"#add-d{analytic.id} form")
    form.locator("textarea[name=title]").fill("Семинар для заместителей")
    form.locator("input[name=months][value='11']").check()
    form.locator("select[name=form_id]").select_option(label="Семинар")

    search = form.get_by_role("combobox", name="Ответственные")
    found = form.locator(".picker__results")
    search.fill("елкина")  # by keyboard: down to the option, Enter
    expect(found.get_by_role("option")).to_have_count(1)
    search.press("ArrowDown")
    expect(found.get_by_role("option", name="Ёлкина Анна Ивановна")).to_be_focused()
    page.keyboard.press("Enter")
    expect(search).to_be_focused()
    expect(found.get_by_role("option")).to_have_count(0)

    search.fill("кузн")  # by click
    found.get_by_role("option", name="Кузнецова Ольга Петровна").click()
    chips = form.locator(".picker__chips .chip")
    expect(chips).to_have_count(2)
    search.fill("кузн")  # the same words again are searched again: the chosen one is no longer offered
    expect(found).to_contain_text("Никого не нашли")
    search.fill("куз")  # the chosen are not offered again; Escape closes the list
    expect(found.get_by_role("option")).to_have_count(1)
    search.press("Escape")
    expect(found.get_by_role("option")).to_have_count(0)

    form.locator("button[type=submit]").click()
    row = page.locator("tr.plan-item", has_text="Семинар для заместителей")
    expect(row).to_contain_text("Ёлкина А. И.")
    expect(row).to_contain_text("Кузнецова О. П.")
    db.session.expire_all()
    item_id = db.session.scalar(db.select(PlanItem.id))
    assert db.session.scalars(db.select(PlanItemResponsible.person_id).where(PlanItemResponsible.item_id == item_id)
                              .order_by(PlanItemResponsible.position)).all() == [first.id, second.id]
    db.session.rollback()


def test_link_an_event_to_its_plan_item_by_typing(page, app, district):
    """The evidence panel of an event: nothing chosen at first, a submit without a choice says so; the item
    found by typing, chosen by keyboard, is linked."""
    from datetime import date, datetime

    from factories.events import event_in
    from oms.clock import pinned
    from oms.models.evidence import PlanItemLink

    t = district.tenant
    plan = plan_in(t, 2025)
    for n in range(5):
        item_in(t, plan=plan, title=f"Совещание руководителей № {n}")
    item = item_in(t, plan=plan, title="Семинар «Функциональная грамотность»", months=(11,))
    event = event_in(t, title="Функциональная грамотность на уроках математики",
                     starts_at=datetime(2025, 11, 12, 14), ends_at=datetime(2025, 11, 12, 16))
    db.session.commit()
    with pinned(app, date(2025, 11, 1)):
        login_page(page, district.methodist.email)
        page.goto(f"/{t.slug}/events/{event.id}/")
        panel = page.locator("#plan-panel")
        search = panel.get_by_role("combobox", name="Связать с пунктом плана")
        expect(search).to_have_value("")
        expect(panel.locator(".picker__chips .chip")).to_have_count(0)
        with page.expect_navigation():  # the page reloads; its plan panel then loads by htmx
            panel.get_by_role("button", name="Связать", exact=True).click()
        expect(page.locator(".flash").first).to_contain_text("Выберите пункт плана.")

        panel = page.locator("#plan-panel")
        search = panel.get_by_role("combobox", name="Связать с пунктом плана")
        search.fill("функциональная")
        found = panel.locator(".picker__results")
        expect(found.get_by_role("option")).to_have_count(1)
        search.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(panel.locator(".picker__chips .chip")).to_contain_text("Семинар «Функциональная грамотность»")
        panel.get_by_role("button", name="Связать", exact=True).click()
        expect(page.locator("#plan-panel #plan-links")).to_contain_text("Семинар «Функциональная грамотность»")
    db.session.expire_all()
    assert db.session.scalars(db.select(PlanItemLink.item_id).where(PlanItemLink.kind == "event",
                                                                    PlanItemLink.object_id == event.id)).all() == [item.id]
    db.session.rollback()
