"""Browser tests: the app served from a thread, driven by Debian's Chromium through Playwright."""
import os
import shutil

import pytest

from support import live

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser

# Assertions wait up to 15 s (Playwright's default is 5): CI runs two workers on two cores with PostgreSQL
# beside them, and a page that is slow there is not wrong.
try:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
except ImportError:  # the browser tests skip without Playwright
    pass


@pytest.fixture
def live_server(app):
    """The test app on a free port of 127.0.0.1; yields its base URL."""
    with live(app) as base:
        yield base


@pytest.fixture(scope="session")
def _browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone_page(_browser, live_server):
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 375, "height": 740},
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()

