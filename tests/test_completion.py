"""One completion figure: the home page, the plan's analysis, the leader's card, the association's year report
and sheet 2 of the XLSX plan show the same percent for the same plan."""
import io
import re
from datetime import date

from openpyxl import load_workbook

from factories.core import person_in
from factories.plan import item_in, plan_in
from factories.structure import association_in, kind_in, member_in
from oms.clock import pinned
from oms.extensions import db


def _cells(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_the_completion_figure_is_the_same_everywhere(app, make_browser, district):
    tenant = district.tenant
    body = association_in(tenant, kind=kind_in(tenant, "association"), name="ММО учителей истории")
    member_in(tenant, body=body, person=person_in(tenant, user_id=district.leader.id), role="leader")
    plan = plan_in(tenant)
    # 3 done, 1 planned, 1 moved, 1 cancelled: 3 of 5 = 60 % (3 of all 6 would be 50 %)
    for n, status in enumerate(("done", "done", "done", "planned", "moved", "cancelled")):
        extra = {"actual_date": date(2025, 10, 10)} if status == "done" else {}
        extra.update({"moved_to_month": 3} if status == "moved" else {})
        item_in(tenant, plan=plan, title=f"Мероприятие {n}", months=(10,), status=status, body_id=body.id, **extra)
    db.session.commit()
    with pinned(app, date(2025, 12, 1)):
        methodist = make_browser(district.methodist.email)
        home = methodist.get(f"/{district.slug}/").get_data(as_text=True)
        analysis = methodist.get(f"/{district.slug}/plans/2025-2026/analysis").get_data(as_text=True)
        xlsx = _cells(methodist.get(f"/{district.slug}/plans/2025-2026/export.xlsx").data)
        leader = make_browser(district.leader.email)
        card = leader.get(f"/{district.slug}/my/").get_data(as_text=True)
        report = _cells(leader.get(f"/{district.slug}/my/associations/{body.id}/report.xlsx").data)

    figures = {
        "home": re.search(r'class="completion">(\d+) %', home),
        "analysis": re.search(r'class="completion">(\d+)<', analysis),
        "leader card": re.search(r'class="completion">(\d+) %', card),
        "year report": re.search(r"Выполнение плана\n(\d+) %", report) or re.search(r"(\d+) % \(Процент", report),
        "xlsx sheet 2": re.search(r"Выполнение плана: (\d+) %", xlsx),
    }
    found = {page: m.group(1) if m else None for page, m in figures.items()}
    assert found == {page: "60" for page in figures}, found
    assert "выполнено ÷ (всего мероприятий − отменённые)" in analysis
