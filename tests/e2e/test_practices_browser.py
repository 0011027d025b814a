"""In a real Chromium: a teacher proposes a practice with a file; the methodist assigns an expert; the expert
scores it; the methodist records the council's decision; the admin publishes; the practice is in the catalogue
and its file downloads."""
from datetime import date

from factories.core import person_in, school_in
from factories.structure import council_in, meeting_in
from oms.extensions import db
from oms.services.sample_files import docx_bytes
from support import PASSWORD, login_page


def _as(_browser, live_server, email):
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    login_page(page, email, PASSWORD)
    return context, page


def test_a_practice_goes_from_the_teacher_to_the_catalogue(_browser, live_server, district, make_user, tmp_path):
    tenant = district.tenant
    school_a, school_b = school_in(tenant), school_in(tenant)
    person_in(tenant, last_name="Смирнова", first_name="Ольга", middle_name="Ивановна", school_id=school_a.id,
              user_id=district.teacher.id)
    expert_user = make_user(tenant, role="teacher", email=f"expert@{tenant.slug}.test")
    person_in(tenant, last_name="Орлова", first_name="Елена", middle_name="Викторовна", school_id=school_b.id,
              user_id=expert_user.id)
    council = council_in(tenant, name="Муниципальный методический совет")
    meeting_in(tenant, body=council, number="3", held_on=date(2026, 2, 12))
    db.session.commit()
    slug = district.slug
    material = tmp_path / "Ёлка знаний.docx"
    material.write_bytes(docx_bytes("Ёлка знаний", ["Проектная задача"]))

    # the teacher proposes from «Моё»
    ctx, page = _as(_browser, live_server, district.teacher.email)
    page.goto(f"/{slug}/me/")
    page.click("text=Предложить практику")
    form = page.locator("#practice-form")
    assert "Смирнова Ольга Ивановна" in form.locator(".picker__chips").inner_text()  # the teacher is the author
    form.locator("input[name=title]").fill("Ёлка знаний: проектная задача")
    form.locator("select[name=level]").select_option("primary")
    form.locator("input[name=new_files]").set_input_files(str(material))
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.locator(".flash--success", has_text="черновик").wait_for()
    page.click("button:has-text('Отправить на рассмотрение')")
    page.locator(".practice-status", has_text="Предложена").wait_for()
    practice_url = page.url
    ctx.close()

    # the methodist assigns the expert
    ctx, page = _as(_browser, live_server, district.methodist.email)
    page.goto(practice_url)
    with page.expect_navigation():  # the load event: htmx (the picker) is listening from then on
        page.click("text=Назначить экспертов")
    page.get_by_role("combobox", name="Эксперты (один или два)").fill("орлов")  # the person picker
    page.locator(".picker__results").get_by_role("option", name="Орлова Елена Викторовна").click()
    page.click("button:has-text('Назначить и отправить')")
    page.locator(".practice-status", has_text="На экспертизе").wait_for()
    ctx.close()

    # the expert scores it
    ctx, page = _as(_browser, live_server, expert_user.email)
    page.goto(f"/{slug}/practices/reviews/")
    page.click("text=Оценить")
    page.locator("select[name=conclusion]").wait_for()  # the review form, not the list the click left
    for field in page.locator("input[type=number]").all():
        field.fill("5")
    page.select_option("select[name=conclusion]", "recommend")
    page.click("button:has-text('Отправить заключение')")
    page.locator(".flash--success", has_text="Экспертное заключение отправлено").wait_for()
    ctx.close()

    # the methodist recommends and records the council's decision
    ctx, page = _as(_browser, live_server, district.methodist.email)
    page.goto(practice_url)
    assert "Средний балл" in page.content()
    page.click("button:has-text('Рекомендовать')")
    page.locator(".practice-status", has_text="Рекомендована").wait_for()
    with page.expect_navigation():
        page.click("text=Записать решение совета")
    page.get_by_role("combobox", name="Заседание совета").fill("12.02.2026")
    page.locator(".picker__results").get_by_role("option", name="Муниципальный методический совет: заседание № 3").click()
    page.locator(".picker__chips .chip", has_text="заседание № 3 от 12.02.2026").wait_for()
    page.click("button:has-text('Записать решение')")
    page.locator(".practice-status", has_text="Рассмотрена советом").wait_for()
    ctx.close()

    # the admin publishes
    ctx, page = _as(_browser, live_server, district.admin.email)
    page.goto(practice_url)
    page.click("button:has-text('Опубликовать')")
    page.locator(".practice-status", has_text="Опубликована").wait_for()
    ctx.close()

    # in the catalogue, found with «елка»; the file downloads
    ctx, page = _as(_browser, live_server, district.leader.email)
    page.goto(f"/{slug}/practices/?q=елка")
    page.click("text=Ёлка знаний: проектная задача")
    with page.expect_download() as download:
        page.click("a:has-text('Ёлка знаний.docx')")
    assert download.value.suggested_filename == "Ёлка знаний.docx"
    ctx.close()
