"""Helpers shared by the tests (import from here, never from conftest)."""
import os
import re
import threading
from contextlib import contextmanager
from datetime import date

from werkzeug.serving import make_server

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# The suite's today: every test runs with the app's clock pinned to it (conftest `app`), so it gives the same
# answer on any day; a test needing another day pins it with `oms.clock.pinned`. Tests on the demo data run on
# the demo's own day (`oms.demo_steps.DEMO_DAY`), as `oms-demo` does.
TODAY = date(2026, 3, 18)
PASSWORD = "Kv4-ochen-nadezhnyi-parol"
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "test-artifacts")

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


@contextmanager
def live(app):
    """The app served on a free port of 127.0.0.1 from a thread (threaded, like a real server); yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that logs in and carries a CSRF token like a browser would."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, email, password=PASSWORD, follow=False):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        resp = self.client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                                follow_redirects=follow)
        self.refresh_token()
        return resp

    def refresh_token(self):
        page = self.client.get("/account/password")
        if page.status_code == 200:
            self.token = csrf_from(page.get_data(as_text=True))
        else:
            self.token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return self.token

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, htmx=False, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        headers = dict(kw.pop("headers", {}) or {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data=data, headers=headers, **kw)




def login_page(page, email, password=PASSWORD):
    """Log in through the real form in a Playwright page."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def log_in_as_another(page, email, password=PASSWORD):
    """Log out by dropping the cookies and log in as `email`. The page is left first: a request it still makes
    (a panel loading by htmx) would otherwise go out without the session and answer 401 midway."""
    page.goto("about:blank")
    page.context.clear_cookies()
    login_page(page, email, password)


def screenshot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def normalise_pg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def picker_search(browser, page, name, query):
    """What the person picker of field `name` on `page` offers for `query` (its search URL as the page sets it)."""
    import html

    text = page.get_data(as_text=True)
    box = text.split(f'data-name="{name}"', 1)[1]
    url = html.unescape(re.search(r'hx-get="([^"]+)"', box).group(1))
    sep = "&" if "?" in url else "?"
    return browser.get(f"{url}{sep}pick_q={query}", headers={"HX-Request": "true"}).get_data(as_text=True)


def page_and_queries(browser, url, count_queries):
    """A page's HTML and how many SQL statements it took: asked again after the district grows, the count must
    stay the same (no page lists every record)."""
    with count_queries() as q:
        body = browser.get(url).get_data(as_text=True)
    return body, q.count
