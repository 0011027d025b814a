"""PD requests: a teacher's own request, the school's approval, the сводная заявка XLSX, completion → a course."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from factories.core import person_in, school_in
from factories.pd_requests import pd_request_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Course, PDRequest
from oms.services.pd_requests import pd_institute


@pytest.fixture
def day(app):
    with pinned(app, date(2025, 10, 10)):
        yield


@pytest.mark.parametrize("role, manage", [("admin", True), ("methodist", True), ("leader", False),
                                          ("teacher", False)])
def test_each_role(day, district, make_browser, role, manage):
    pd_request_in(district.tenant, topic="Инклюзивное образование: практика")
    b = make_browser(getattr(district, role).email)
    page = b.get(f"/{district.slug}/pd-requests/")
    assert page.status_code == 200
    assert ("Инклюзивное образование: практика" in page.get_data(as_text=True)) == manage
    for url in ("summary", "summary.xlsx"):
        assert b.get(f"/{district.slug}/pd-requests/{url}").status_code == (200 if manage else 403)


def test_teacher_requests_for_themselves(day, district, make_browser):
    me = person_in(district.tenant, user_id=district.teacher.id, school_id=school_in(district.tenant).id)
    b = make_browser(district.teacher.email)
    assert b.post(f"/{district.slug}/pd-requests/new", data={"topic": "Цифровая дидактика", "form": "distance",
                                                             "hours": "72", "priority": "high"}).status_code == 302
    req = db.session.scalar(db.select(PDRequest))
    assert (req.person_id, req.school_id, req.hours, req.status, req.start_year) == \
        (me.id, me.school_id, 72, "submitted", 2025)
    bad = b.post(f"/{district.slug}/pd-requests/new", data={"topic": "", "form": "distance", "hours": "8"})
    assert bad.status_code == 422 and "Укажите тему курсов." in bad.get_data(as_text=True)
    assert "От 16 до 1000 часов." in bad.get_data(as_text=True)


def test_summary_xlsx_and_completion_make_a_course(day, district, make_browser):
    district.tenant.partners = "Министерство образования\nГУДПО «Институт развития образования Забайкальского края»"
    school = school_in(district.tenant, name="МОУ «Новочарская СОШ»")
    reqs = [pd_request_in(district.tenant, person=person_in(district.tenant, school_id=school.id),
                          status="approved") for _ in range(3)]
    pd_request_in(district.tenant, status="submitted")  # not approved by its school: not in the summary
    assert pd_institute(district.tenant) == "ГУДПО «Институт развития образования Забайкальского края»"
    b = make_browser(district.methodist.email)
    ws = load_workbook(io.BytesIO(b.get(f"/{district.slug}/pd-requests/summary.xlsx?year=2025").data)).active
    assert "2025/2026" in ws["A1"].value and "Забайкальского края" in ws["A2"].value
    assert ws["F5"].value == "МОУ «Новочарская СОШ»" and ws.max_row == 9
    r = reqs[0]
    assert b.post(f"/{district.slug}/pd-requests/{r.id}/status", data={"to": "completed"}).status_code == 422
    assert b.post(f"/{district.slug}/pd-requests/{r.id}/status", data={"to": "enrolled"}).status_code == 302
    assert b.post(f"/{district.slug}/pd-requests/{r.id}/status",
                  data={"to": "completed", "date_from": "2025-11-01"}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Course.id))) == 0
    assert b.post(f"/{district.slug}/pd-requests/{r.id}/status",
                  data={"to": "completed", "date_from": "2025-11-01", "date_to": "2025-11-20",
                        "certificate": "772-15"}).status_code == 302
    course = db.session.scalar(db.select(Course))
    assert (course.person_id, course.hours, course.status, course.certificate) == (r.person_id, 36, "confirmed", "772-15")
    db.session.refresh(r)
    assert r.course_id == course.id and r.status == "completed"
    page = b.get(f"/{district.slug}/pd-requests/summary?year=2025").get_data(as_text=True)
    assert 'id="summary-total">3<' in page and "Анализ: заявлено и пройдено" in page


def test_pages_run_a_constant_number_of_queries(day, district, make_browser, count_queries):
    b = make_browser(district.methodist.email)
    counts = []
    for extra in (2, 40):
        for _ in range(extra):
            pd_request_in(district.tenant, status="approved")
        db.session.commit()
        urls = [f"/{district.slug}/pd-requests/", f"/{district.slug}/pd-requests/summary?year=2025"]
        for url in urls:
            b.get(url)
        with count_queries() as q:
            for url in urls:
                assert b.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]


def test_the_methodist_requests_for_a_teacher_chosen_with_the_picker(day, district, make_browser):
    teacher = person_in(district.tenant, school_id=school_in(district.tenant).id)
    b = make_browser(district.methodist.email)
    form = b.get(f"/{district.slug}/pd-requests/new").get_data(as_text=True)
    assert "data-picker" in form
    data = {"topic": "Школа современного учителя", "form": "blended", "hours": "36", "priority": "normal"}
    assert b.post(f"/{district.slug}/pd-requests/new", data=data).status_code == 422  # no teacher chosen
    assert b.post(f"/{district.slug}/pd-requests/new", data={**data, "person_id": teacher.id}).status_code == 302
    req = db.session.scalar(db.select(PDRequest))
    assert (req.person_id, req.school_id, req.requested_by_id) == (teacher.id, teacher.school_id, district.methodist.id)
