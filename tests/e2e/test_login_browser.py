"""A real Chromium logs in and opens the district home."""
from support import PASSWORD, login_page as login, screenshot


def test_login_and_district_home(page, district):
    login(page, district.methodist.email, PASSWORD)
    assert page.url.endswith(f"/{district.slug}/")
    assert page.locator(".brand__district").inner_text().startswith(district.tenant.name)
    assert page.locator("h1").first.inner_text()
    screenshot(page, "district-home")
    # The menu works, and logging out through the user menu ends the session.
    page.click(".usermenu summary")
    page.click("text=Выйти")
    page.wait_for_url("**/login")
    page.goto(f"/{district.slug}/")
    assert "/login" in page.url


def test_wrong_password_shows_a_russian_message(page, district):
    login(page, district.methodist.email, "wrong-password")
    assert "Неверная почта или пароль" in page.content()


def test_htmx_csrf_header_reaches_the_server(page, district, make_user):
    """The admin changes a role in place: htmx sends the CSRF token from <body hx-headers>."""
    from oms.extensions import db
    from oms.models import User

    target = make_user(district.tenant, role="teacher", full_name="Петрова Мария Ивановна")
    login(page, district.admin.email, PASSWORD)
    page.goto(f"/{district.slug}/users/")
    row = page.locator(f"#user-{target.id}")
    with page.expect_response(lambda r: "/role" in r.url and r.status == 200):
        row.locator("select[name=role]").select_option("methodist")
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "methodist"
