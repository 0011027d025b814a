"""In a real Chromium: the methodist builds a survey from a template for young specialists, a young teacher
answers it from «Моё», the results show the answer. Then PD requests → the сводная заявка XLSX → a course."""
import io
from datetime import date

from openpyxl import load_workbook

from factories.core import person_in, school_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Course, Survey
from support import PASSWORD, log_in_as_another, login_page


def test_survey_from_a_template_answered_from_me(page, app, district, make_user):
    school = school_in(district.tenant, short_name="СОШ № 3")
    person_in(district.tenant, school_id=school.id, user_id=district.teacher.id, is_young_specialist=True,
              last_name="Молодцова")
    slug, methodist, teacher = district.slug, district.methodist.email, district.teacher.email
    db.session.commit()  # outside a request every transaction takes SQLite's write lock: end it before the browser
    with pinned(app, date(2025, 11, 20)):
        login_page(page, methodist, PASSWORD)
        page.goto(f"/{slug}/surveys/new")
        form = page.locator("#survey-new")
        form.locator("select[name=template]").select_option("pd")
        form.locator("input[name=opens_on]").fill("2025-11-15")
        form.locator("input[name=young]").check()
        form.locator("button[type=submit]").click()
        page.locator(".flash--success", has_text="Анкета создана").wait_for()
        assert page.locator("ol.questions li").count() == 4
        survey_id = db.session.scalar(db.select(Survey.id))
        db.session.rollback()  # end the test's read: SQLite would hold the app's next write

        log_in_as_another(page, teacher)
        page.goto(f"/{slug}/me/")
        page.click("text=Запрос на направления повышения квалификации")
        answer = page.locator("#answer-form")
        answer.locator("fieldset").nth(0).locator("input[type=checkbox]").first.check()
        answer.locator("input[value='Дистанционно']").check()
        answer.locator("input[value='72 часа']").check()
        answer.locator("textarea").fill("Функциональная грамотность в 5 классе")
        answer.locator("button[type=submit]").click()
        page.locator(".flash--success", has_text="Ваш ответ принят").wait_for()

        log_in_as_another(page, methodist)
        page.goto(f"/{slug}/surveys/{survey_id}/results")
        assert page.locator("#total").inner_text() == "1"
        assert "Функциональная грамотность в 5 классе" in page.locator("main").inner_text()
        assert "СОШ № 3" in page.locator("section", has_text="Отклик по школам").inner_text()


def test_pd_request_to_summary_xlsx_to_course(page, app, district):
    district.tenant.partners = "ТОИПКРО (региональный оператор)"
    school = school_in(district.tenant, name="МОУ «СОШ № 4» городского округа Стрежевой")
    teacher = person_in(district.tenant, school_id=school.id, user_id=district.teacher.id, last_name="Курсова")
    slug, methodist, teacher_email = district.slug, district.methodist.email, district.teacher.email
    teacher_id, teacher_name = teacher.id, teacher.full_name
    db.session.commit()
    with pinned(app, date(2025, 10, 1)):
        login_page(page, teacher_email, PASSWORD)
        page.goto(f"/{slug}/pd-requests/new")
        form = page.locator("#pd-request-form")
        form.locator("input[name=topic]").fill("Наставничество в образовательной организации")
        form.locator("input[name=hours]").fill("36")
        form.locator("button[type=submit]").click()
        page.locator(".flash--success", has_text="Заявка на курсы подана").wait_for()

        log_in_as_another(page, methodist)
        page.goto(f"/{slug}/pd-requests/")
        page.click("button:has-text('Согласовано школой')")
        page.locator(".flash--success").wait_for()
        page.goto(f"/{slug}/pd-requests/summary")
        with page.expect_download() as info:
            page.click("text=Сводная заявка в XLSX")
        ws = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
        assert "ТОИПКРО" in ws["A2"].value and ws["G5"].value == teacher_name
        page.goto(f"/{slug}/pd-requests/")
        page.click("button:has-text('Зачислен')")
        page.locator(".flash--success").wait_for()
        row = page.locator("tr", has_text="Курсова")
        row.locator("input[name=date_from]").fill("2025-10-06")
        row.locator("input[name=date_to]").fill("2025-10-17")
        row.locator("input[name=certificate]").fill("700800-11")
        row.locator("button:has-text('Курсы пройдены')").click()
        page.locator(".flash--success", has_text="Курсы пройдены").wait_for()
        course = db.session.scalar(db.select(Course))
        assert (course.person_id, course.certificate, course.date_to) == (teacher_id, "700800-11", date(2025, 10, 17))
