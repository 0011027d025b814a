"""The leader's and the teacher's own pages on a 375 px phone: no sideways scrolling, the main controls
in view. Screenshots go to test-artifacts/ (workspace-leader-phone.png, workspace-teacher-phone.png)."""
from support import login_page, screenshot

DEMO_PASSWORD = "oms-demo"
PHONE_WIDTH = 375


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _within_screen(locator):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box


def test_the_leader_and_the_teacher_on_a_phone(phone_page, demo):
    page = phone_page
    login_page(page, "leader@kalar.demo.oms", DEMO_PASSWORD)
    assert page.url.endswith("/kalar/my/")
    assert page.locator("h1", has_text="Мои объединения").is_visible()
    card = page.locator(".ws-card").first
    for label in ("Вести объединение", "Новое заседание", "Отчёт за год (XLSX)"):
        button = card.locator(".ws-actions a", has_text=label)
        assert button.is_visible(), label
        _within_screen(button)
    _fits(page)
    screenshot(page, "workspace-leader-phone")

    card.locator(".ws-actions a", has_text="Вести объединение").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#members summary", has_text="Добавить в состав").is_visible()
    assert page.locator("#meetings a", has_text="Новое заседание").is_visible()
    _within_screen(page.locator("button", has_text="Скачать XLSX"))
    _fits(page)
    screenshot(page, "workspace-association-phone")

    # the teacher's page, on the same phone
    page.locator(".usermenu summary").click()
    page.locator("button", has_text="Выйти").click()
    page.wait_for_load_state("networkidle")
    login_page(page, "teacher@kalar.demo.oms", DEMO_PASSWORD)
    assert page.url.endswith("/kalar/me/")
    for heading in ("Поручено мне", "События месяца", "Мои объединения и советы"):
        assert page.locator("h2", has_text=heading).is_visible(), heading
    profile = page.locator("a", has_text="Изменить мой профиль")
    assert profile.is_visible()
    _within_screen(profile)
    _fits(page)
    screenshot(page, "workspace-teacher-phone")
