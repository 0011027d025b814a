"""Who may do what in teachers' development.

Methodists and the district admin keep the records. Association leaders read everything (they plan their
association's work around the deficits) and keep the meetings log of pairs in their association, but change
no records. A teacher sees only their own record (/development/me), proposes their own courses and, as a
mentor, keeps their pair's log.
"""
import re

import pytest

from factories.development import (area_in, attestation_in, course_in, deficit_in, mentoring_meeting_in,
                                   mentorship_in, step_in, teacher_in)
from oms.extensions import db
from oms.models import Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship, RouteStep


@pytest.fixture
def world(district):
    tenant = district.tenant
    own = teacher_in(tenant, last_name="Своя", user_id=district.teacher.id)
    other = teacher_in(tenant, last_name="Чужая")
    area = area_in(tenant, name="Цифровые компетенции")
    objects = {
        "own": own.id, "other": other.id, "area": area.id,
        "course": course_in(tenant, person=other).id,
        "proposed": course_in(tenant, person=other, status="proposed").id,
        "own_deficit": deficit_in(tenant, person=own, area=area, note="Мой дефицит").id,
    }
    deficit = deficit_in(tenant, person=other, area=area, note="Чужой дефицит")
    objects["deficit"] = deficit.id
    objects["step"] = step_in(tenant, deficit=deficit, person=other).id
    pair = mentorship_in(tenant, mentee=other)
    objects["pair"] = pair.id
    objects["meeting"] = mentoring_meeting_in(tenant, pair=pair).id
    objects["attestation"] = attestation_in(tenant, person=other).id
    db.session.commit()
    return objects


READS = ["/", "/people/", "/people/{other}/", "/courses/", "/courses/?status=proposed", "/deficits/", "/areas/",
         "/mentoring/", "/mentoring/{pair}/", "/attestation/"]

EDITS = [
    ("get", "/people/{other}/courses/new"), ("post", "/people/{other}/courses/new"),
    ("get", "/courses/{course}/edit"), ("post", "/courses/{course}/edit"), ("post", "/courses/{course}/delete"),
    ("post", "/courses/{proposed}/confirm"), ("get", "/courses/{proposed}/reject"),
    ("post", "/courses/{proposed}/reject"),
    ("get", "/people/{other}/deficits/new"), ("post", "/people/{other}/deficits/new"),
    ("get", "/people/{own}/deficits/new"), ("post", "/people/{own}/deficits/new"),
    ("get", "/deficits/{deficit}/edit"), ("post", "/deficits/{deficit}/edit"),
    ("post", "/deficits/{own_deficit}/edit"), ("post", "/deficits/{deficit}/delete"),
    ("post", "/areas/"), ("post", "/areas/defaults"), ("get", "/areas/{area}/edit"), ("post", "/areas/{area}/edit"),
    ("post", "/areas/{area}/delete"),
    ("get", "/people/{other}/steps/new"), ("post", "/people/{other}/steps/new"),
    ("get", "/people/{other}/steps/{step}/edit"), ("post", "/people/{other}/steps/{step}/edit"),
    ("post", "/people/{other}/steps/{step}/status"), ("post", "/people/{other}/steps/{step}/delete"),
    ("get", "/mentoring/new"), ("post", "/mentoring/new"), ("get", "/mentoring/{pair}/edit"),
    ("post", "/mentoring/{pair}/edit"), ("post", "/mentoring/{pair}/delete"),
    ("post", "/mentoring/{pair}/meetings"), ("post", "/mentoring/{pair}/meetings/{meeting}/delete"),
    ("get", "/people/{other}/attestations/new"), ("post", "/people/{other}/attestations/new"),
    ("get", "/attestations/{attestation}/edit"), ("post", "/attestations/{attestation}/edit"),
    ("post", "/attestations/{attestation}/delete"),
]

HOSTILE = {"title": "Подмена", "provider": "x", "hours": "72", "date_from": "2025-01-01", "date_to": "2025-01-10",
           "form": "distance", "reason": "x", "area_id": "", "source": "diagnostic", "found_on": "2025-01-01",
           "status": "done", "name": "Подмена", "kind": "self_study", "due_month": "2025-11", "topic": "Подмена",
           "held_on": "2025-01-01", "category": "highest", "passed_on": "2025-01-01", "goals": "Подмена"}


def _snapshot():
    return [db.session.scalar(db.select(db.func.count(m.id))) for m in
            (Course, Deficit, RouteStep, Mentorship, MentoringMeeting, Attestation, CompetenceArea)] + [
        db.session.scalar(db.select(Course.status).where(Course.status == "proposed")),
        sorted(db.session.scalars(db.select(Deficit.status)).all()),
        sorted(db.session.scalars(db.select(RouteStep.status)).all()),
    ]


def _url(district, path, objects):
    return f"/{district.slug}/development" + path.format(**objects)


@pytest.mark.parametrize("role", ["admin", "methodist", "leader"])
def test_staff_read_every_development_page(make_browser, district, world, role):
    b = make_browser(getattr(district, role).email)
    for path in READS:
        resp = b.get(_url(district, path, world))
        assert resp.status_code == 200, path
    assert "Чужой дефицит" in b.get(_url(district, "/people/{other}/", world)).get_data(as_text=True)


@pytest.mark.parametrize("role", ["leader", "teacher"])
def test_leaders_and_teachers_change_no_records(make_browser, district, world, role):
    before = _snapshot()
    b = make_browser(getattr(district, role).email)
    for method, path in EDITS:
        url = _url(district, path, world)
        resp = b.get(url) if method == "get" else b.post(url, {**HOSTILE, "area_id": world["area"]})
        assert resp.status_code == 403, f"{method} {path}"
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["admin", "methodist"])
def test_admin_and_methodist_open_every_form(make_browser, district, world, role):
    b = make_browser(getattr(district, role).email)
    for method, path in EDITS:
        if method == "get":
            assert b.get(_url(district, path, world)).status_code == 200, path


def test_a_teacher_sees_only_their_own_record(make_browser, district, world):
    b = make_browser(district.teacher.email)
    assert b.get(_url(district, "/", world)).headers["Location"].endswith("/development/me")
    for path in READS[1:]:
        assert b.get(_url(district, path, world)).status_code == 403, path
    own = b.get(_url(district, "/people/{own}/", world))
    assert own.status_code == 302 and own.headers["Location"].endswith("/development/me")
    page = b.get(_url(district, "/me", world)).get_data(as_text=True)
    assert "Своя" in page and "Мой дефицит" in page
    assert "Чужой дефицит" not in page and "Чужая" not in page
    assert "Сообщить о пройденном курсе" in page and "Записать дефицит" not in page
    # another person's objects behind the teacher's own URLs: not found
    assert b.post(_url(district, "/me/courses/{course}/withdraw", world)).status_code == 404


def test_a_user_without_a_person_record_is_told_so(make_browser, district):
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/development/me").get_data(as_text=True)
    assert "не связана с карточкой педагога" in page
    assert b.get(f"/{district.slug}/development/me/courses/new").status_code == 404


def test_the_dashboard_is_for_staff_only(make_browser, district, world):
    for role, shown in (("methodist", True), ("admin", True), ("leader", True), ("teacher", False)):
        page = make_browser(getattr(district, role).email).get(f"/{district.slug}/").get_data(as_text=True)
        assert ('id="dash-courses"' in page) is shown, role


@pytest.mark.parametrize("count, words", [(1, "из 1 мероприятия (без отменённых)"),
                                          (5, "из 5 мероприятий (без отменённых)")])
def test_the_dashboard_plan_caption_agrees_with_its_count(make_browser, district, count, words):
    from factories.plan import item_in, plan_in
    from oms.services.plans import current_start_year

    plan = plan_in(district.tenant, start_year=current_start_year())
    for _ in range(count):
        item_in(district.tenant, plan)
    db.session.commit()
    page = make_browser(district.methodist.email).get(f"/{district.slug}/").get_data(as_text=True)
    caption = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="dash__caption"')[1].split("</p>")[0]))
    assert words in caption


def test_leader_reading_a_person_sees_no_edit_buttons(make_browser, district, world):
    page = make_browser(district.leader.email).get(
        _url(district, "/people/{other}/", world)).get_data(as_text=True)
    assert "Чужой дефицит" in page
    for label in ("Добавить курс", "Записать дефицит", "Добавить шаг", "Назначить наставника", "Записать аттестацию",
                  "Удалить"):
        assert label not in page


def test_the_registry_card_links_to_development(make_browser, district, world):
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/people/{world['other']}").get_data(as_text=True)
    assert f"/development/people/{world['other']}/" in page
    t = make_browser(district.teacher.email)
    other = t.get(f"/{district.slug}/people/{world['other']}")
    assert f"/development/people/{world['other']}/" not in other.get_data(as_text=True)


def test_a_teacher_sees_their_own_development_on_the_home_page(make_browser, district, world):
    page = make_browser(district.teacher.email).get(f"/{district.slug}/").get_data(as_text=True)
    summary = page.split('class="card my-development"')[1].split("</section>")[0]
    assert "не закрыто: 1" in summary and "нужны курсы" in summary
    assert 'id="dash-courses"' not in page
    methodist = make_browser(district.methodist.email).get(f"/{district.slug}/").get_data(as_text=True)
    assert "my-development" not in methodist


NESTED = [("get", "/people/{parent}/steps/{child}/edit"), ("post", "/people/{parent}/steps/{child}/edit"),
          ("post", "/people/{parent}/steps/{child}/status"), ("post", "/people/{parent}/steps/{child}/delete")]


@pytest.mark.parametrize("role", ["leader", "teacher"])
def test_a_refused_user_learns_nothing_about_nested_objects(make_browser, district, world, role):
    """The permission is checked on the parent before the child is looked up: a real step of the person,
    another person's step and a step that does not exist are all the same 403."""
    before = _snapshot()
    b = make_browser(getattr(district, role).email)
    for method, path in NESTED:
        answers = set()
        for parent, child in ((world["other"], world["step"]), (world["own"], world["step"]),
                              (world["other"], 999999)):
            url = _url(district, path.format(parent=parent, child=child), world)
            resp = b.get(url) if method == "get" else b.post(url, {**HOSTILE, "status": "done"})
            answers.add(resp.status_code)
        assert answers == {403}, f"{method} {path}: {answers}"
    for meeting in (world["meeting"], 999999):
        assert b.post(_url(district, f"/mentoring/{{pair}}/meetings/{meeting}/delete", world)).status_code == 403
    db.session.expire_all()
    assert _snapshot() == before


def test_a_child_under_another_parent_is_not_found(make_browser, district, world):
    tenant = district.tenant
    other_pair = mentorship_in(tenant)
    other_meeting = mentoring_meeting_in(tenant, pair=other_pair).id
    db.session.commit()
    before = _snapshot()
    b = make_browser(district.methodist.email)
    for method, path in NESTED:
        for parent, child in ((world["own"], world["step"]), (world["other"], 999999)):
            url = _url(district, path.format(parent=parent, child=child), world)
            resp = b.get(url) if method == "get" else b.post(url, {**HOSTILE, "status": "done"})
            assert resp.status_code == 404, f"{method} {url}"
    for meeting in (other_meeting, 999999):
        assert b.post(_url(district, f"/mentoring/{{pair}}/meetings/{meeting}/delete", world)).status_code == 404
    # the same objects under their own parents are there
    assert b.get(_url(district, "/people/{other}/steps/{step}/edit", world)).status_code == 200
    db.session.expire_all()
    assert _snapshot() == before


def test_development_texts_follow_the_language_and_records_stay_russian(make_browser, district, world):
    """Labels, choices and messages are in the page's language; the audit trail and the exported register
    are Russian documents whatever it is."""
    from io import BytesIO
    from urllib.parse import unquote

    from openpyxl import load_workbook

    from oms.models import AuditEvent

    b = make_browser(district.methodist.email)
    assert b.post("/lang", data={"lang": "en", "next": "/"}).status_code == 302
    form = b.get(_url(district, "/people/{other}/courses/new", world)).get_data(as_text=True)
    assert "Programme (course) title" in form and "Full-time" in form and "Название программы" not in form
    bad = b.post(_url(district, "/people/{other}/courses/new", world), {**HOSTILE, "hours": "8"})
    assert bad.status_code == 422 and "at least 16 hours (and at most 3000)" in bad.get_data(as_text=True)
    page = b.get(_url(district, "/people/{other}/", world)).get_data(as_text=True)
    assert "Confirmed" in page and "Diagnostics of professional gaps" in page
    b.post(_url(district, "/people/{other}/steps/{step}/status", world), {"status": "done"})
    page = b.get(_url(district, "/people/{other}/", world)).get_data(as_text=True)
    assert "Step “Изучить методические рекомендации”: done." in page
    b.post(_url(district, "/attestations/{attestation}/delete", world))
    assert "Attestation record deleted." in b.get(_url(district, "/attestation/", world)).get_data(as_text=True)
    deleted = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "delete",
                                                            AuditEvent.object_type == "Attestation"))
    assert deleted.summary.startswith("Аттестация (Первая) от"), deleted.summary

    resp = b.get(_url(district, "/people/export.xlsx?flag=deficits", world))
    assert "С открытыми дефицитами" in unquote(resp.headers["Content-Disposition"])
    sheet = load_workbook(BytesIO(resp.get_data())).active
    assert sheet["B1"].value == "ФИО"
    export = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert export.summary.endswith("(С открытыми дефицитами)"), export.summary
