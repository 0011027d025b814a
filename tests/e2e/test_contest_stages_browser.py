"""In a real Chromium, a contest in two stages: the methodist adds the final, a school's entry is submitted and
admitted, the jury is assigned in bulk (recusal skips a juror's own school), the juror scores, the top two pass to
the final, the final's jury is spread automatically, scored, and the chair's lock proposes the winner."""
from factories.contests import competition_in, entry_in
from factories.core import person_in, school_in
from oms.extensions import db
from oms.models import Juror
from support import PASSWORD, login_page, screenshot


def _as(_browser, live_server, email):
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    page.on("dialog", lambda dialog: dialog.accept())
    login_page(page, email, PASSWORD)
    return context, page


def _score_all(page, slug, stage_id, points):
    page.goto(f"/{slug}/contests/stages/{stage_id}")
    links = page.locator("section:has-text('Работы, назначенные мне') li a")
    for i in range(links.count()):
        page.goto(f"/{slug}/contests/stages/{stage_id}")
        with page.expect_navigation():
            page.locator("section:has-text('Работы, назначенные мне') li a").nth(i).click()
        page.locator("form.form input[inputmode=decimal]").first.fill(points[i])
        with page.expect_navigation():
            page.click("text=Сохранить баллы")
        assert "Баллы сохранены" in page.content()


def test_a_two_stage_contest(_browser, live_server, district):
    tenant = district.tenant
    lyceum = school_in(tenant, name="МБОУ «Лицей № 1»", short_name="Лицей № 1")
    gymnasium = school_in(tenant, name="МБОУ «Гимназия № 2»", short_name="Гимназия № 2")
    comp = competition_in(tenant, kind="pupils", title="Юный исследователь", criteria=(("Исследование", 1, 10),))
    chair = person_in(tenant, last_name="Орлова", first_name="Елена", school_id=lyceum.id, user_id=district.leader.id)
    db.session.add(Juror(tenant_id=tenant.id, competition_id=comp.id, person_id=chair.id, school_id=lyceum.id,
                         is_chair=True))
    db.session.add(Juror(tenant_id=tenant.id, competition_id=comp.id, outsider_name="Гордеева Ольга",
                         outsider_org="Институт развития образования"))
    entry_in(tenant, comp, school=gymnasium, pupil_name="Белов Глеб")
    entry_in(tenant, comp, school=lyceum, pupil_name="Аксёнова Вера")
    db.session.commit()
    slug = district.slug

    ctx, page = _as(_browser, live_server, district.methodist.email)
    page.goto(f"/{slug}/contests/{comp.id}")
    with page.expect_navigation():
        page.click("text=Добавить этап")
    page.fill("#name", "Финал")
    page.fill("#criteria", "Защита; 2; 10")
    with page.expect_navigation():
        page.click("text=Сохранить")
    page.goto(f"/{slug}/contests/{comp.id}")
    stages = page.locator("#stages li")
    assert stages.count() == 2 and "Финал" in stages.nth(1).inner_text()

    with page.expect_navigation():
        page.click("text=Подать заявку")
    page.select_option("#entrant", "pupil")
    page.fill("#pupil_name", "Светлова Дарья")
    page.fill("#grade", "9")
    page.select_option("#school_id", str(gymnasium.id))
    with page.expect_navigation():
        page.click("button:has-text('Подать заявку')")
    page.select_option("#status", "admitted")
    with page.expect_navigation():
        page.click("text=Сохранить решение")

    page.goto(f"/{slug}/contests/{comp.id}")
    with page.expect_navigation():
        page.locator("#stages li a").first.click()
    first_url = page.url
    page.locator("input[name=entry]").evaluate_all("boxes => boxes.forEach(b => b.checked = true)")
    page.locator("input[name=juror]").evaluate_all("boxes => boxes.forEach(b => b.checked = true)")
    with page.expect_navigation():
        page.click("text=Назначить отмеченным")
    assert "Назначено работ: 5." in page.content()  # 3 entries × 2 jurors, less the chair's own school
    assert "Не назначено из-за самоотвода" in page.content()
    screenshot(page, "contest-stage-bulk-assigned")
    first_id = int(first_url.rstrip("/").rsplit("/", 1)[1])

    jctx, juror = _as(_browser, live_server, district.leader.email)
    _score_all(juror, slug, first_id, ["9", "7"])

    page.goto(first_url)
    page.fill("#top", "2")
    with page.expect_navigation():
        page.click("text=Допустить на следующий этап")
    assert "На этап «Финал» допущено: 2." in page.content()
    with page.expect_navigation():
        page.locator("dd a:has-text('Финал')").click()
    final_url = page.url
    final_id = int(final_url.rstrip("/").rsplit("/", 1)[1])
    assert page.locator("tbody tr").count() == 2
    page.fill("#per_entry", "1")
    with page.expect_navigation():
        page.click("button:has-text('Распределить автоматически')")
    assert "Работы распределены" in page.content()

    juror.goto(f"/{slug}/contests/stages/{final_id}")
    # one juror per entry, the least loaded first: the chair gets Белов, the outside expert Светлова
    assert juror.locator("section:has-text('Работы, назначенные мне') li a").all_inner_texts() == ["Белов Глеб"]
    _score_all(juror, slug, final_id, ["8"])
    juror.goto(f"/{slug}/contests/stages/{final_id}/protocol")
    with juror.expect_navigation():
        juror.click("text=Утвердить результаты")
    assert "Результаты утверждены" in juror.content()
    screenshot(juror, "contest-final-locked")
    jctx.close()

    page.goto(f"/{slug}/contests/{comp.id}/rating")
    assert "финал" in page.content()
    first_row = page.locator("table tbody tr").first.inner_text()
    assert "Б. Г." in first_row and "Победитель" in first_row  # initials: no parent's consent recorded
    ctx.close()
