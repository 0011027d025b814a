"""A methodist in a real Chromium records a teacher's deficit, builds the route with a course and a seminar
of the plan, completes both, and sees the deficit close and the home dashboard change."""

from factories.development import area_in, teacher_in
from factories.plan import form_in, item_in, plan_in
from oms import clock
from oms.extensions import db
from oms.models import Deficit, RouteStep
from oms.models.plan import academic_start_year
from support import PASSWORD, login_page, screenshot


def _open_deficits_on_home(page, slug, area_name):
    page.goto(f"/{slug}/")
    card = page.locator("#dash-deficits")
    card.wait_for()
    return card.inner_text(), area_name in card.inner_text()


def test_a_route_closes_a_deficit_and_the_dashboard_follows(page, district):
    tenant = district.tenant
    teacher = teacher_in(tenant, last_name="Маршрутова", first_name="Елена", middle_name="Игоревна")
    area_in(tenant, name="Формирование функциональной грамотности")
    area_in(tenant, name="Цифровые компетенции")
    plan = plan_in(tenant, start_year=academic_start_year(clock.today()))
    item_in(tenant, plan=plan, title="Семинар «Задания PISA на уроках математики»",
            form_id=form_in(tenant, "Семинар").id, months=(clock.today().month,))
    db.session.commit()
    slug, teacher_id = district.slug, teacher.id
    login_page(page, district.methodist.email, PASSWORD)

    text, shown = _open_deficits_on_home(page, slug, "Формирование функциональной грамотности")
    assert not shown and "Открытых дефицитов нет" in text

    # record the deficit
    page.goto(f"/{slug}/development/people/{teacher_id}/")
    page.click("text=Записать дефицит")
    form = page.locator("#deficit-form")
    form.locator("select[name=area_id]").select_option(label="Формирование функциональной грамотности")
    form.locator("select[name=source]").select_option(label="Посещение уроков (наблюдение)")
    form.locator("textarea[name=note]").fill("Затрудняется в подборе заданий на функциональную грамотность")
    form.locator("button[type=submit]").click()
    page.locator(".flash--success", has_text="Дефицит записан").wait_for()
    deficit = page.locator("article.deficit", has_text="Формирование функциональной грамотности")
    assert "Не закрыт" in deficit.locator(".deficit-status").inner_text()

    text, shown = _open_deficits_on_home(page, slug, "Формирование функциональной грамотности")
    assert shown

    # the route: a course, then the seminar of the plan
    page.goto(f"/{slug}/development/people/{teacher_id}/")
    with page.expect_navigation():  # the load event: htmx (the picker) is listening from then on
        page.locator("article.deficit").first.locator("text=Добавить шаг").click()
    step = page.locator("#step-form")
    assert "Формирование функциональной грамотности" in step.locator("select[name=deficit_id] option:checked").inner_text()
    step.locator("select[name=kind]").select_option(label="Курсы повышения квалификации")
    step.locator("input[name=title]").fill("Функциональная грамотность: от теории к практике (72 ч.)")
    step.locator("input[name=due_month]").fill(clock.today().strftime("%Y-%m"))
    step.locator("button[type=submit]").click()
    page.locator(".flash--success", has_text="Шаг добавлен").wait_for()

    with page.expect_navigation():  # the load event: htmx (the picker) is listening from then on
        page.locator("article.deficit").first.locator("text=Добавить шаг").click()
    step = page.locator("#step-form")
    step.locator("select[name=kind]").select_option(label="Мероприятие плана (семинар, мастер-класс…)")
    step.get_by_role("combobox", name="Мероприятие плана").fill("PISA")
    step.locator(".picker__results").get_by_role("option", name="Семинар «Задания PISA").click()
    step.locator(".picker__chips .chip", has_text="Задания PISA").wait_for()
    step.locator("input[name=due_month]").fill(clock.today().strftime("%Y-%m"))
    step.locator("button[type=submit]").click()
    page.locator(".flash--success", has_text="Шаг добавлен").wait_for()
    deficit = page.locator("article.deficit").first
    assert deficit.locator("tr.step").count() == 2
    assert "Семинар «Задания PISA на уроках математики»" in deficit.inner_text()

    # complete both steps: the deficit closes with the second
    deficit.locator("tr.step", has_text="Функциональная грамотность").locator("button", has_text="Выполнен").click()
    page.locator(".flash--success", has_text="выполнен").wait_for()
    assert "Не закрыт" in page.locator("article.deficit").first.locator(".deficit-status").inner_text()
    page.locator("article.deficit").first.locator("tr.step", has_text="Семинар").locator(
        "button", has_text="Выполнен").click()
    page.locator(".flash", has_text="дефицит закрыт").wait_for()
    status = page.locator("article.deficit").first.locator(".deficit-status").inner_text()
    assert status.startswith("Закрыт")
    screenshot(page, "development-route-closed")

    text, shown = _open_deficits_on_home(page, slug, "Формирование функциональной грамотности")
    assert not shown and "Открытых дефицитов нет" in text
    screenshot(page, "development-dashboard")

    db.session.expire_all()
    saved = db.session.scalar(db.select(Deficit).where(Deficit.person_id == teacher_id))
    assert saved.status == "closed" and saved.closed_on == clock.today()
    kinds = sorted(s.kind for s in db.session.scalars(db.select(RouteStep).where(RouteStep.deficit_id == saved.id)))
    assert kinds == ["course", "plan_item"]


def test_a_teacher_reads_their_development_on_a_phone(phone_page, district):
    teacher_in(district.tenant, last_name="Телефонова", user_id=district.teacher.id)
    db.session.commit()
    login_page(phone_page, district.teacher.email, PASSWORD)
    phone_page.goto(f"/{district.slug}/development/")
    assert phone_page.url.endswith("/development/me")
    assert "Телефонова" in phone_page.locator("h1").inner_text()
    phone_page.click("text=Сообщить о пройденном курсе")
    phone_page.locator("#course-form").wait_for()
    no_overflow = phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow
