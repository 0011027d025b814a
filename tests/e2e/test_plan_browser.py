"""A real Chromium works with the plan: adds an item in place, filters, marks an item done, sees the analysis."""
from datetime import date

from playwright.sync_api import expect

from factories.core import person_in
from factories.plan import direction_in, form_in, item_in, plan_in
from oms.extensions import db
from oms.models import PlanItem
from support import login_page, screenshot


def test_add_filter_mark_done_and_see_the_analysis(page, district):
    t = district.tenant
    analytic = direction_in(t, "Аналитическая", position=1)
    direction_in(t, "Информационная", position=2)
    form_in(t, "Семинар")
    person_in(t, last_name="Сидорова", first_name="Анна", middle_name="Ивановна")
    plan = plan_in(t, 2025)
    item_in(t, plan, analytic, title="Мониторинг сайтов школ", months=(10,))
    db.session.commit()
    url = f"/{t.slug}/plans/2025-2026/"

    login_page(page, district.methodist.email)
    page.goto(f"/{t.slug}/plans/2025-2026/analysis")
    assert page.locator("#stat-done").inner_text() == "0"

    # Add an item in place, in the section of its direction.
    page.goto(url)
    page.click(f"#add-d{analytic.id} a")
    form = page.locator(f"#add-d{analytic.id} form")
    form.locator("textarea[name=title]").fill("Семинар «Функциональная грамотность» для учителей")
    form.locator("input[name=months][value='11']").check()
    form.locator("select[name=form_id]").select_option(label="Семинар")
    form.get_by_role("combobox", name="Ответственные").fill("сидор")
    form.locator(".picker__results").get_by_role("option", name="Сидорова Анна Ивановна").click()
    with page.expect_response(lambda r: r.url.endswith("/items?direction_id=%d&ctx=section" % analytic.id)):
        form.locator("button[type=submit]").click()
    row = page.locator("tr.plan-item", has_text="Функциональная грамотность")
    row.wait_for()
    assert "1.2" in row.locator("td.plan-num").inner_text() and "ноябрь" in row.inner_text()
    assert page.locator(f"#add-d{analytic.id} a").is_visible()  # ready for the next one
    screenshot(page, "plan-added-in-place")
    db.session.expire_all()
    assert db.session.scalar(db.select(PlanItem.id).where(PlanItem.title.like("%Функциональная%"))) is not None
    db.session.rollback()  # let go of SQLite's lock: the server writes next

    # Filter the list by text: no reload, the address keeps the filter.
    page.fill("input[name=q]", "грамотность")
    page.wait_for_url("**q=*")
    expect(page.locator("#plan-list tr.plan-item")).to_have_count(1)
    assert "Мониторинг сайтов" not in page.locator("#plan-list").inner_text()
    page.fill("input[name=q]", "")
    expect(page.locator("#plan-list tr.plan-item")).to_have_count(2)

    # Filter by a responsible person: found by typing in the picker, chosen, shown as a chip; the typing
    # itself does not reload the list.
    filters = page.locator("#plan-filters")
    filters.get_by_role("combobox", name="Ответственный", exact=True).fill("сидор")
    filters.locator(".picker__results").get_by_role("option", name="Сидорова Анна Ивановна").click()
    page.wait_for_url("**person=*")
    expect(page.locator("#plan-list tr.plan-item")).to_have_count(1)
    assert "Функциональная грамотность" in page.locator("#plan-list").inner_text()
    expect(filters.locator(".picker__chips .chip")).to_have_text("Сидорова Анна Ивановнаубрать")
    screenshot(page, "plan-filtered-by-person")
    filters.locator(".chip__remove").click()
    expect(page.locator("#plan-list tr.plan-item")).to_have_count(2)
    assert "person=" not in page.url

    # Mark the other item done.
    item = page.locator("tr.plan-item", has_text="Мониторинг сайтов школ")
    item.get_by_role("link", name="Отметка").click()
    exec_form = page.locator("form.exec-form")
    exec_form.locator("select[name=status]").select_option("done")
    exec_form.locator("input[name=actual_date]").fill("2025-10-21")
    exec_form.locator("input[name=participants_count]").fill("27")
    assert not exec_form.locator("input[name=cancel_reason]").is_visible()  # only what a «done» mark needs
    exec_form.locator("button[type=submit]").click()
    done = page.locator("tr.plan-item", has_text="Мониторинг сайтов школ")
    done.locator(".badge--ok").wait_for()
    assert "21.10.2025" in done.inner_text() and "27" in done.inner_text()
    screenshot(page, "plan-marked-done")

    # The analysis counts it.
    page.click("text=Анализ выполнения")
    page.wait_for_url("**/analysis")
    assert page.locator("#stat-done").inner_text() == "1"
    assert page.locator("#stat-planned").inner_text() == "2"
    screenshot(page, "plan-analysis")
    db.session.expire_all()
    marked = db.session.scalar(db.select(PlanItem).where(PlanItem.title == "Мониторинг сайтов школ"))
    assert (marked.status, marked.actual_date, marked.participants_count) == ("done", date(2025, 10, 21), 27)
    db.session.rollback()

    # Deleting asks first, then the list is renumbered without a reload.
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr.plan-item", has_text="Мониторинг сайтов школ").get_by_role("button", name="Удалить").click()
    expect(page.locator("#plan-list tr.plan-item")).to_have_count(1)
    expect(page.locator("#plan-list td.plan-num").first).to_have_text("1.1")


def test_month_view_and_a_phone_screen(phone_page, district):
    t = district.tenant
    direction = direction_in(t, "Аналитическая")
    plan = plan_in(t, 2025)
    item_in(t, plan, direction, title="Олимпиада школьников", months=(11,))
    item_in(t, plan, direction, title="Августовское совещание", months=(8,))
    db.session.commit()
    login_page(phone_page, district.teacher.email)
    phone_page.goto(f"/{t.slug}/plans/2025-2026/?view=month&month=11")
    assert "Олимпиада школьников" in phone_page.locator("#plan-list").inner_text()
    phone_page.locator(".month-tab", has_text="авг").click()
    phone_page.wait_for_url("**month=8*")
    expect(phone_page.locator("#plan-list")).to_contain_text("Августовское")
    assert "Олимпиада" not in phone_page.locator("#plan-list").inner_text()
    screenshot(phone_page, "plan-month-view-phone")
