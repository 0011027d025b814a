"""The demo leader runs their association from «Мои объединения» in a real Chromium: adds a member, records a
meeting with a decision, adds the association's plan item, marks it done and downloads the year report."""
import io
from datetime import date

from openpyxl import load_workbook

from oms.extensions import db
from oms.models import BodyMember, Decision, PlanItem
from support import login_page, screenshot
from oms import clock

ITEM = "Педагогическая мастерская «Читательская грамотность на уроках»"
DECISION = "Каждому участнику подготовить открытый урок с приёмами смыслового чтения."


def test_the_demo_leader_runs_their_association(page, demo):
    login_page(page, "leader@kalar.demo.oms", "oms-demo")
    assert page.url.endswith("/kalar/my/")
    screenshot(page, "workspace-leader-home")
    page.locator(".ws-card .ws-actions a", has_text="Вести объединение").first.click()
    page.wait_for_load_state("networkidle")
    body_id = int(page.url.rstrip("/").split("/")[-1])
    workspace = page.url

    # a member from the district's people, added in place
    members = page.locator("#members")
    members.locator("summary", has_text="Добавить в состав").click()
    members.get_by_role("combobox", name="Кто").fill("ова")  # the person picker
    option = members.locator(".picker__results [role=option]").first
    newcomer = option.get_attribute("data-name")
    option.click()
    with page.expect_response(lambda r: r.url.endswith(f"/associations/{body_id}/members") and r.status == 200):
        members.locator("button", has_text="Добавить").click()
    page.locator("#members td", has_text=newcomer).wait_for()

    # a meeting with a decision
    page.locator("#meetings a", has_text="Новое заседание").click()
    page.fill("input[name=held_on]", clock.today().isoformat())
    page.fill("input[name=topic]", "Читательская грамотность: обмен опытом")
    page.check("input[name=is_held]")
    page.click("button:has-text('Создать заседание')")
    page.wait_for_url("**/meetings/*/")
    page.locator("#decisions summary", has_text="Добавить решение").click()
    page.fill("#decisions textarea[name=text]", DECISION)
    with page.expect_response(lambda r: r.url.endswith("/decisions") and r.status == 200):
        page.locator("#decisions button", has_text="Добавить решение").click()
    page.locator("#decisions td", has_text="открытый урок с приёмами смыслового чтения").wait_for()
    assert page.locator("a", has_text="Протокол для печати").is_visible()

    # the association's item of the district plan, added and marked done on the workspace page
    page.goto(workspace)
    page.locator("#plan-items a", has_text="Добавить мероприятие").click()
    form = page.locator("#plan-items form.plan-form")
    form.locator("textarea[name=title]").fill(ITEM)
    form.locator("select[name=direction_id]").select_option(index=1)
    form.locator("input[name=months][value='10']").check()
    assert form.locator("select[name=body_id] option:checked").inner_text() != ""  # the association, chosen
    with page.expect_response(lambda r: "/items?" in r.url and r.request.method == "POST" and r.status == 200):
        form.locator("button[type=submit]").click()
    row = page.locator("#plan-items tr.plan-item", has_text=ITEM)
    row.wait_for()
    # the workspace works on the plan of the year today is in (the demo's 2026/2027 draft after August 2026)
    from oms.models import Plan

    start = db.session.scalar(db.select(Plan.start_year).join(PlanItem, PlanItem.plan_id == Plan.id)
                              .where(PlanItem.title == ITEM))
    db.session.rollback()
    row.get_by_role("link", name="Отметка").click()
    mark = page.locator("#plan-items form.exec-form")
    mark.locator("select[name=status]").select_option("done")
    done_on = min(clock.today(), date(start + 1, 8, 31))  # inside the item's plan year
    mark.locator("input[name=actual_date]").fill(done_on.isoformat())
    mark.locator("input[name=participants_count]").fill("11")
    mark.locator("button[type=submit]").click()
    page.locator("#plan-items tr.plan-item", has_text=ITEM).locator(".badge--ok").wait_for()
    screenshot(page, "workspace-association")

    # the year report
    page.select_option("#report-year", str(start))
    with page.expect_download() as download:
        page.click("button:has-text('Скачать XLSX')")
    data = open(download.value.path(), "rb").read()
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row if c]
    assert ITEM in cells and newcomer in " ".join(str(c) for c in cells)

    db.session.expire_all()
    item = db.session.scalar(db.select(PlanItem).where(PlanItem.title == ITEM))
    assert item.body_id == body_id and item.status == "done" and item.participants_count == 11
    assert db.session.scalar(db.select(Decision.id).where(Decision.text == DECISION)) is not None
    assert db.session.scalar(db.select(db.func.count(BodyMember.id)).where(BodyMember.body_id == body_id)) == 7
    db.session.rollback()
