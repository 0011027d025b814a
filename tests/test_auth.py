"""Login, logout, sessions and throttling, as CONTRACT.md promises them."""
import pytest

from support import PASSWORD, csrf_from
from oms.extensions import db
from oms.models import AuditEvent, User


def test_login_lands_on_district_home_and_shows_the_district(browser, district):
    resp = browser.login(district.methodist.email)
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/{district.slug}/"
    page = browser.get(f"/{district.slug}/").get_data(as_text=True)
    assert district.tenant.name in page
    assert "Методическая служба" in page


def test_wrong_password_and_unknown_email_get_the_same_answer(browser, district):
    wrong = browser.login(district.methodist.email, "not-the-password")
    unknown = browser.login("nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 422
    msg = "Неверная почта или пароль"
    assert msg in wrong.get_data(as_text=True) and msg in unknown.get_data(as_text=True)
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert len(events) == 2


def test_login_form_errors_are_russian_and_next_to_fields(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Введите адрес электронной почты." in html and "Введите пароль." in html


def test_login_without_csrf_is_refused(client, district):
    resp = client.post("/login", data={"email": district.admin.email, "password": PASSWORD})
    assert resp.status_code == 400
    assert db.session.get(User, district.admin.id).last_login_at is None


@pytest.mark.parametrize("raw_query, expected", [
    ("next=/somewhere/else%3Fx%3D1", "/somewhere/else?x=1"),
    ("next=//evil.example", None), ("next=/%5Cevil.example", None), ("next=https:evil.example", None),
    ("next=https://evil.example/", None), ("next=/%09/evil.example", None), ("next=javascript:alert(1)", None),
    ("next=%2F%2Fevil.example", None), ("next=/%0D%0ALocation:%20//evil", None),
])
def test_next_is_followed_only_to_a_path_on_this_site(client, district, raw_query, expected):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login?" + raw_query,
                       data={"email": district.admin.email, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302
    assert resp.headers["Location"] == (expected or f"/{district.slug}/")


def test_logout_needs_post_and_kills_the_copied_cookie(app, browser, district):
    browser.login(district.admin.email)
    home = f"/{district.slug}/"
    assert browser.get(home).status_code == 200
    assert browser.get("/logout").status_code == 405
    stolen = browser.client.get_cookie("oms_session").value
    assert browser.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("oms_session", stolen)
    resp = thief.get(home)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_logged_out_pages_redirect_and_htmx_gets_401(client, district):
    resp = client.get(f"/{district.slug}/users/")
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/login?next=/{district.slug}/users/"
    hx = client.get(f"/{district.slug}/users/", headers={"HX-Request": "true"})
    assert hx.status_code == 401
    assert hx.headers["HX-Redirect"].startswith("/login?next=")


def test_suspended_district_users_cannot_log_in(browser, district):
    district.tenant.is_suspended = True
    db.session.commit()
    assert browser.login(district.admin.email).status_code == 422


def test_failed_logins_are_throttled_per_account(app, client, district):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    codes = [client.post("/login", data={"email": district.admin.email, "password": "wrong",
                                         "csrf_token": token}).status_code for _ in range(21)]
    assert 429 in codes
    assert codes.index(429) <= 20
    # Another account from the same address is not locked out.
    other = client.post("/login", data={"email": district.teacher.email, "password": PASSWORD, "csrf_token": token})
    assert other.status_code == 302


def test_a_school_behind_one_address_can_log_in(app, district, make_user):
    """60 logins a minute from one address (successful ones) are never throttled."""
    users = [make_user(district.tenant, role="teacher") for _ in range(3)]
    for i in range(60):
        client = app.test_client()
        token = csrf_from(client.get("/login").get_data(as_text=True))
        resp = client.post("/login", data={"email": users[i % 3].email, "password": PASSWORD, "csrf_token": token})
        assert resp.status_code == 302, i


def test_rotating_forwarded_for_does_not_escape_the_address_limit(app, client, district):
    app.config["LOGIN_FAILS_PER_ADDRESS"] = "5 per minute"
    try:
        token = csrf_from(client.get("/login").get_data(as_text=True))
        codes = []
        for i in range(8):
            codes.append(client.post("/login", headers={"X-Forwarded-For": f"10.0.0.{i}"},
                                     data={"email": f"x{i}@example.org", "password": "wrong",
                                           "csrf_token": token}).status_code)
        assert codes[-1] == 429
    finally:
        app.config["LOGIN_FAILS_PER_ADDRESS"] = "100 per minute"


def test_password_change_ends_other_sessions(app, make_browser, district):
    phone = make_browser(district.methodist.email)
    laptop = make_browser(district.methodist.email)
    home = f"/{district.slug}/"
    resp = laptop.post("/account/password", data={"current": PASSWORD, "password": "Sinyaya-reka-za-lesom-7",
                                                  "confirm": "Sinyaya-reka-za-lesom-7"})
    assert resp.status_code == 302
    assert laptop.get(home).status_code == 200
    assert phone.get(home).status_code == 302


def test_weak_and_short_passwords_are_refused(make_browser, district):
    b = make_browser(district.methodist.email)
    for bad, message in [("short1", "не короче 8"), ("password123", "слишком простой")]:
        resp = b.post("/account/password", data={"current": PASSWORD, "password": bad, "confirm": bad})
        assert resp.status_code == 422
        assert message in resp.get_data(as_text=True)
    long_ok = "очень длинная фраза про зимний лес и реку " * 5
    resp = b.post("/account/password", data={"current": PASSWORD, "password": long_ok, "confirm": long_ok})
    assert resp.status_code == 302


def test_production_password_hashing_meets_owasp():
    from oms.config import Config

    assert Config.PASSWORD_HASH_METHOD == "scrypt:131072:8:1"


def test_new_session_at_login(app, client, district):
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": district.admin.email, "password": PASSWORD, "csrf_token": token})
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_security_headers(browser, district):
    browser.login(district.admin.email)
    resp = browser.get(f"/{district.slug}/")
    csp = resp.headers["Content-Security-Policy"]
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"
    cookie = browser.client.get_cookie("oms_session")
    assert cookie.http_only and cookie.same_site == "Lax"
