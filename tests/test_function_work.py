"""Functions show their work: the plan filters by function and form; a function's page lists what was done
under it, with the activities behind it."""
from datetime import date

from factories.plan import form_in, item_in, plan_in
from factories.structure import function_in, meeting_in, council_in
from oms.clock import pinned
from oms.extensions import db
from oms.models.evidence import PlanItemLink


def test_the_plan_filters_by_function_and_form_and_the_function_shows_its_work(app, make_browser, district):
    t = district.tenant
    function = function_in(t, clause="2.3", text="Организация работы с молодыми педагогами")
    seminar = form_in(t, "Семинар")
    plan = plan_in(t)
    done = item_in(t, plan=plan, title="Школа молодого педагога", function_id=function.id, form_id=seminar.id)
    item_in(t, plan=plan, title="Мониторинг сайтов школ")
    meeting = meeting_in(t, body=council_in(t), held_on=date(2025, 10, 14), is_held=True, topic="Наставничество")
    db.session.add(PlanItemLink(tenant_id=t.id, item_id=done.id, kind="meeting", object_id=meeting.id))
    db.session.commit()
    with pinned(app, date(2025, 11, 1)):
        b = make_browser(district.teacher.email)
        base = f"/{district.slug}/plans/2025-2026/"
        by_function = b.get(base + f"?function={function.id}").get_data(as_text=True)
        assert "Школа молодого педагога" in by_function and "Мониторинг сайтов школ" not in by_function
        by_form = b.get(base + f"?form={seminar.id}").get_data(as_text=True)
        assert "Школа молодого педагога" in by_form and "Мониторинг сайтов школ" not in by_form
        page = b.get(f"/{district.slug}/directions/functions/{function.id}/").get_data(as_text=True)
    assert "Школа молодого педагога" in page and "Мониторинг сайтов" not in page
    assert "Наставничество" in page  # the meeting that carried it out
