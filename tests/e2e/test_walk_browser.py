"""Issue 18 in a real Chromium: what a new user stumbled on, checked the way they met it.

One module, few launches: the users page's role select; then a walk through the main pages of the demo at
375 px and 1280 px (nothing cut off, labels on the plan cards, click targets of at least 24 px, hyphenation,
axe-core without serious or critical findings). Screenshots go to test-artifacts/walk-*.png.
"""
from playwright.sync_api import expect

from oms.extensions import db
from oms.models import User
from support import login_page


def test_a_role_change_shows_at_once_and_making_an_admin_asks_first(page, district, make_user):
    colleague = make_user(district.tenant, role="teacher", full_name="Коллегова Анна Петровна",
                          email="colleague@example.org")
    login_page(page, district.admin.email)
    page.goto(f"/{district.slug}/users/")
    row = page.locator(f"#user-{colleague.id}")
    with page.expect_response(lambda r: "/role" in r.url):
        row.locator("select[name=role]").select_option("methodist")
    page.wait_for_load_state("networkidle")
    expect(row.locator("select[name=role]")).to_have_value("methodist")
    page.reload()
    expect(row.locator("select[name=role]")).to_have_value("methodist")
    # a second change is not refused as somebody else's
    with page.expect_response(lambda r: "/role" in r.url):
        row.locator("select[name=role]").select_option("leader")
    page.wait_for_load_state("networkidle")
    expect(row.locator(".conflict")).to_have_count(0)
    expect(row.locator("select[name=role]")).to_have_value("leader")

    # making an administrator asks first; "no" leaves the role as it was
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    row.locator("select[name=role]").select_option("admin")
    expect(row.locator("select[name=role]")).to_have_value("leader")
    assert questions and "администратором" in questions[0]
    db.session.expire_all()
    assert db.session.get(User, colleague.id).role == "leader"
    db.session.rollback()
    page.once("dialog", lambda d: answer(d, True))
    with page.expect_response(lambda r: "/role" in r.url):
        row.locator("select[name=role]").select_option("admin")
    page.wait_for_load_state("networkidle")
    db.session.expire_all()
    assert db.session.get(User, colleague.id).role == "admin"
    db.session.rollback()
