"""Issue 18 in a real Chromium: what a new user stumbled on, checked the way they met it.

One module, few launches: the users page's role select; then a walk through the main pages of the demo at
375 px and 1280 px (nothing cut off, labels on the plan cards, click targets of at least 24 px, hyphenation,
axe-core without serious or critical findings). Screenshots go to test-artifacts/walk-*.png.
"""
import os

from playwright.sync_api import expect

from oms.extensions import db
from oms.models import User
from support import login_page, screenshot


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


# ---- a walk through the main pages of the demo ------------------------------------------------------------

DEMO_PASSWORD = "oms-demo"
AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-4.14.1.min.js")
ADMIN_PAGES = ["/kalar/", "/kalar/structure/", "/kalar/council/", "/kalar/associations/",
               "/kalar/directions/",
               "/kalar/plans/2025-2026/", "/kalar/plans/2025-2026/analysis", "/kalar/people/", "/kalar/schools/",
               "/kalar/development/", "/kalar/development/people/", "/kalar/users/", "/kalar/audit/",
               "/kalar/people/new", "/kalar/plans/2025-2026/approve",
               # the second wave's sections
               "/kalar/calendar/", "/kalar/events/", "/kalar/practices/", "/kalar/contests/", "/kalar/olympiads/",
               "/kalar/consultations/", "/kalar/surveys/", "/kalar/pd-requests/", "/kalar/documents/",
               "/kalar/documents/checklist", "/kalar/bodies/"]
TEACHER_PAGES = ["/kalar/me/", "/kalar/development/me"]
LEADER_PAGES = ["/kalar/my/"]

# Targets: controls, and links that stand alone (not words inside a sentence, which WCAG 2.2 exempts).
SMALL_TARGETS = """() => {
  const out = [];
  const standalone = "nav a, .btn, .actions a, .plan-row-actions a, .tabs a, .pager a";
  for (const el of document.querySelectorAll(
      "button, input:not([type=hidden]), select, textarea, summary, " + standalone)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("noscript, .skip, .hidden")) continue;
    if (r.width < 24 || r.height < 24) out.push(`${el.tagName.toLowerCase()}.${el.className} «${(el.innerText || el.value || el.name || "").trim().slice(0, 30)}» ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}"""

# Tables wider than the screen must scroll inside their own box, which itself fits.
CUT_TABLES = """(width) => {
  const out = [];
  for (const t of document.querySelectorAll("main table")) {
    const r = t.getBoundingClientRect();
    if (!r.width || r.right <= width + 1) continue;
    let box = t.parentElement, ok = false;
    while (box && box !== document.body) {
      const s = getComputedStyle(box);
      if (["auto", "scroll"].includes(s.overflowX)) { ok = box.getBoundingClientRect().right <= width + 1; break; }
      box = box.parentElement;
    }
    if (!ok) out.push(t.id || t.className);
  }
  return out;
}"""

# Words split over two lines without a hyphen (a word's letters on two line boxes).
SPLIT_WORDS = """(selector) => {
  const out = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[А-Яа-яЁёA-Za-z]{6,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


def _axe(page):
    page.add_script_tag(path=AXE)
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ["violations"]});
      return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
        .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
    }""")
    return result


def _walk(context, email, pages, width, problems, axe=False):
    page = context.new_page()
    page.set_default_timeout(10000)
    login_page(page, email, DEMO_PASSWORD)
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        name = f"walk-{width}-" + (url.strip("/").replace("/", "-") or "root")
        screenshot(page, name)
        found = {
            "scrolls sideways": page.evaluate("document.documentElement.scrollWidth") > width,
            "tables cut off": page.evaluate(CUT_TABLES, width),
            "targets under 24 px": page.evaluate(SMALL_TARGETS),
            "menu rows too many": page.evaluate("document.querySelector('.mainnav').getBoundingClientRect().height")
                                  > 60,
        }
        if axe:
            found["axe"] = _axe(page)
        for what, value in found.items():
            if value:
                problems.append(f"{width} px {url}: {what}: {value if value is not True else ''}")
    return page


def _meeting_page() -> str:
    from oms.models import Body, BodyKind, Meeting, Tenant

    meeting = db.session.scalars(db.select(Meeting).join(Body, Body.id == Meeting.body_id)
                                 .join(BodyKind, BodyKind.id == Body.kind_id).join(Tenant, Tenant.id == Body.tenant_id)
                                 .where(Tenant.slug == "kalar", BodyKind.category == "council")
                                 .order_by(Meeting.id)).first()
    url = f"/kalar/council/{meeting.body_id}/meetings/{meeting.id}/"
    db.session.rollback()
    return url


def test_the_main_pages_at_1280_px(_browser, live_server, demo):
    problems = []
    pages = ADMIN_PAGES + [_meeting_page()]
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)  # axe-core is injected by the test only
    page = _walk(context, "admin@kalar.demo.oms", pages, 1280, problems, axe=True)
    page.goto("/kalar/plans/2025-2026/")
    assert page.locator("html").get_attribute("lang") == "ru"
    split = page.evaluate(SPLIT_WORDS, ".plan-table td")
    if split:
        problems.append(f"words split without a hyphen: {split}")
    # by keyboard alone: the skip link first, then every stop shows its focus, down to an item's mark
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").bounding_box()["x"] >= 0
    for _ in range(80):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {text: (e.innerText || e.value || e.name || '').trim(), outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)}; }""")
        if focus["outline"] == "none" or focus["width"] < 1:
            problems.append(f"focus not visible on «{focus['text'][:40]}»")
        if focus["text"] == "Отметка":
            break
    else:
        problems.append("an item's mark is not reachable by keyboard")
    context.close()
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)
    _walk(context, "teacher@kalar.demo.oms", TEACHER_PAGES, 1280, problems, axe=True)
    context.close()
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)
    _walk(context, "leader@kalar.demo.oms", LEADER_PAGES, 1280, problems, axe=True)
    context.close()
    assert not problems, "\n".join(problems)


def test_the_main_pages_on_a_375_px_phone(_browser, live_server, demo):
    problems = []
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 375, "height": 740},
                                   is_mobile=True, has_touch=True, bypass_csp=True)
    page = _walk(context, "admin@kalar.demo.oms", ADMIN_PAGES, 375, problems, axe=True)
    # plan cards keep their field labels
    page.goto("/kalar/plans/2025-2026/")
    labels = page.evaluate("""() => [...document.querySelector('tr.plan-item').querySelectorAll('td')]
        .map(td => getComputedStyle(td, '::before').content)""")
    for label in ("Форма проведения", "Сроки", "Ответственные", "Участники", "Ожидаемый результат"):
        assert any(label in text for text in labels), (label, labels)
    # the analysis: the reason of what was not done is in view, the chart's labels are readable
    page.goto("/kalar/plans/2025-2026/analysis")
    reason = page.locator("#not-done td[data-label]").last
    box = reason.bounding_box()
    assert box and box["x"] + box["width"] <= 375, box
    label = page.locator(".chart .chart__label").first.bounding_box()
    assert label and label["height"] >= 10, label
    screenshot(page, "walk-375-analysis-chart")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_groups_open_one_at_a_time_and_lead_to_their_sections(_browser, live_server, demo):
    """Twenty sections do not fit one row: the menu keeps five on it and groups the rest (oms/navigation.py)."""
    for width in (1280, 375):
        context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": width, "height": 800})
        page = context.new_page()
        login_page(page, "admin@kalar.demo.oms", DEMO_PASSWORD)
        page.goto("/kalar/")
        nav = page.locator("nav.mainnav")
        work = nav.locator("details.navgroup", has=page.locator("summary", has_text="Работа службы"))
        admin = nav.locator("details.navgroup", has=page.locator("summary", has_text="Управление"))
        expect(work.get_by_role("link", name="Банк практик")).to_be_hidden()
        work.locator("summary").click()
        expect(work.get_by_role("link", name="Банк практик")).to_be_visible()
        box = work.locator(".navgroup__list").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box  # not cut off by the menu row
        name = work.locator("summary").bounding_box()
        assert box["y"] >= name["y"] + name["height"] - 2, (box, name)  # it opens below its name …
        if width > 720:
            assert abs(box["x"] - name["x"]) < 24, (box, name)  # … and, on a wide screen, where its name stands
        admin.locator("summary").click()  # another group opens, the first closes
        expect(work.get_by_role("link", name="Банк практик")).to_be_hidden()
        page.keyboard.press("Escape")
        expect(admin.get_by_role("link", name="Журнал")).to_be_hidden()
        work.locator("summary").click()
        work.get_by_role("link", name="Банк практик").click()
        expect(page).to_have_url(f"{live_server}/kalar/practices/")
        expect(work.locator("summary")).to_have_attribute("aria-current", "page")  # the group of the page is marked
        context.close()
