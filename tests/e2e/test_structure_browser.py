"""A real Chromium edits the org chart in place (htmx) and is told why a body in use cannot be removed."""
from oms.extensions import db
from oms.models import Body
from oms.services.districts import configure_from_preset
from oms.services.presets import load_preset
from support import PASSWORD, login_page, screenshot


def test_admin_edits_the_org_chart_in_place(page, district):
    configure_from_preset(district.tenant, load_preset("kurchaloy"))
    service_id = db.session.scalar(db.select(Body.id).where(Body.name == "Отдел методического сопровождения"))
    db.session.commit()  # the server's requests need the write lock
    login_page(page, district.admin.email, PASSWORD)
    page.goto(f"/{district.slug}/structure/")
    page.evaluate("window.__notReloaded = true")
    service_box = page.locator(".org-box--service").first
    assert "Отдел методического сопровождения" in service_box.locator(".org-box__name").first.inner_text()

    # add a body inside the service
    page.click("#structure-add summary")
    add = page.locator("#structure-add form")
    add.locator("select[name=kind_id]").select_option(label="Творческая группа")
    add.locator("input[name=name]").fill("Творческая группа «Наставник»")
    add.locator("select[name=parent_id]").select_option(label="Отдел методического сопровождения")
    with page.expect_response(lambda r: r.url.endswith("/structure/new") and r.status == 200):
        add.locator("button[type=submit]").click()
    new_box = page.locator(".org-box", has=page.locator(".org-box__name", has_text="Творческая группа «Наставник»"))
    new_box.last.wait_for()
    assert service_box.locator("text=Творческая группа «Наставник»").count() == 1  # nested in the service's box

    # rename it in place
    new_box.last.locator(".org-box__actions >> text=Изменить").click()
    edit = page.locator("form.org-edit")
    edit.locator("input[name=name]").fill("Творческая группа «Молодой педагог»")
    with page.expect_response(lambda r: "/edit" in r.url and r.request.method == "POST" and r.status == 200):
        edit.locator("button[type=submit]").click()
    page.locator(".org-box__name", has_text="Творческая группа «Молодой педагог»").wait_for()
    assert page.locator("text=Творческая группа «Наставник»").count() == 0

    # removing the service, which still holds the council and associations, is refused with the reason
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: "/delete" in r.url and r.status == 422):
        page.locator(f"#body-{service_id}-head .org-box__actions button", has_text="Удалить").click()
    message = page.locator(".org-box__error")
    message.wait_for()
    assert "Нельзя удалить «Отдел методического сопровождения»" in message.inner_text()
    assert "подчинённые элементы структуры" in message.inner_text()
    assert page.evaluate("window.__notReloaded") is True  # all of it happened without reloading the page
    screenshot(page, "structure-in-place")
    db.session.expire_all()
    assert db.session.scalar(db.select(Body).where(Body.name == "Отдел методического сопровождения")) is not None
    assert db.session.scalar(db.select(Body).where(Body.name == "Творческая группа «Молодой педагог»")) is not None


def test_a_teacher_reads_the_chart_on_a_phone(phone_page, district):
    configure_from_preset(district.tenant, load_preset("strezhevoy"))
    db.session.commit()
    login_page(phone_page, district.teacher.email, PASSWORD)
    phone_page.goto(f"/{district.slug}/structure/")
    assert phone_page.locator(".org-box").count() >= 8
    assert phone_page.locator(".org-box__actions").count() == 0
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # nested boxes fit the screen: no sideways scrolling
    screenshot(phone_page, "structure-phone")
