"""The practice bank on a 375 px phone (demo data): the catalogue, a card and the proposal form fit the screen
without sideways scrolling."""
from support import login_page, screenshot

PHONE_WIDTH = 375


def test_the_practice_bank_on_a_phone(phone_page, demo):
    page = phone_page
    login_page(page, "methodist@serdobsk.demo.oms", "oms-demo")
    page.goto("/serdobsk/practices/")
    page.locator(".practice-item").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.locator(".practice-item a").first.click()
    page.locator(".practice-status").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(page, "practice-card-phone")
    page.goto("/serdobsk/practices/new")
    assert page.locator("input[name=title]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
