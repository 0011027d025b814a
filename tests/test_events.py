"""Events: creating one (bad input refused whole), registration with capacity and a waiting list, the sheet,
attendance that marks the linked plan item, walk-ins, certificates and feedback."""
from datetime import date, datetime

import pytest

from factories.core import person_in, school_in
from factories.events import event_in
from factories.plan import item_in, plan_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Event, EventRegistration, PlanItem
from oms.models.evidence import PlanItemLink


@pytest.fixture
def setup(app, district):
    t = district.tenant
    school = school_in(t, short_name="СШ № 1", name="МБОУ «СШ № 1»")
    teacher = person_in(t, last_name="Учителева", first_name="Ирина", user_id=district.teacher.id, school_id=school.id)
    methodist = person_in(t, last_name="Методистова", user_id=district.methodist.id)
    db.session.commit()
    with pinned(app, date(2025, 11, 1)):
        yield type("S", (), {"school": school, "teacher": teacher, "methodist": methodist})


def _form(**kw):
    data = {"kind": "seminar", "title": "Семинар «Функциональная грамотность»", "day": "2025-11-12",
            "start_time": "10:00", "end_time": "12:00", "address": "ул. Ленина, 1", "status": "planned",
            "audience": "учителя математики"}
    data.update(kw)
    return data


def test_a_methodist_creates_an_event_and_bad_input_saves_nothing(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/events/new"
    resp = b.post(url, _form(end_time="09:00"))
    assert resp.status_code == 422 and "Окончание должно быть позже начала." in resp.get_data(as_text=True)
    resp = b.post(url, _form(address=""))
    assert resp.status_code == 422 and "Укажите место" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    resp = b.post(url, _form(capacity="20", venue_school_id=setup.school.id))
    assert resp.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert (event.starts_at, event.ends_at, event.capacity) == (datetime(2025, 11, 12, 10), datetime(2025, 11, 12, 12), 20)
    assert make_browser(district.teacher.email).get(url).status_code == 403


def test_registration_twice_beyond_capacity_and_in_the_past(make_browser, district, setup, make_tenant):
    t = district.tenant
    event = event_in(t, capacity=1)
    past = event_in(t, title="Прошедший семинар", starts_at=datetime(2025, 10, 1, 10), ends_at=datetime(2025, 10, 1, 12))
    other = person_in(t, last_name="Второва", school_id=setup.school.id)
    db.session.commit()
    teacher = make_browser(district.teacher.email)
    base = f"/{district.slug}/events/{event.id}"
    assert teacher.post(base + "/register").status_code == 302
    resp = teacher.post(base + "/register")
    assert resp.status_code == 422 and "Вы уже записаны на это мероприятие." in resp.get_data(as_text=True)
    resp = teacher.post(f"/{district.slug}/events/{past.id}/register")
    assert resp.status_code == 422 and "Мероприятие уже прошло" in resp.get_data(as_text=True)

    methodist = make_browser(district.methodist.email)
    resp = methodist.post(base + "/registrations", {"person_id": other.id})
    assert resp.status_code == 302
    states = dict(db.session.execute(db.select(EventRegistration.person_id, EventRegistration.state)
                                     .where(EventRegistration.event_id == event.id)).all())
    assert states == {setup.teacher.id: "registered", other.id: "waiting"}
    page = methodist.get(base + "/").get_data(as_text=True)
    assert "в листе ожидания: 1" in page

    # the teacher withdraws: the waiting one takes the seat
    assert teacher.post(base + "/unregister").status_code == 302
    db.session.expire_all()
    states = dict(db.session.execute(db.select(EventRegistration.person_id, EventRegistration.state)
                                     .where(EventRegistration.event_id == event.id)).all())
    assert states == {setup.teacher.id: "cancelled", other.id: "registered"}
    # nobody chosen, or someone of another district: the form comes back with a message, nothing is saved
    resp = methodist.post(base + "/registrations", {})
    assert resp.status_code == 422 and "Выберите человека." in resp.get_data(as_text=True)
    other_district = make_tenant()
    stranger = person_in(other_district, last_name="Чужая")
    db.session.commit()
    before = db.session.scalar(db.select(db.func.count(EventRegistration.id)))
    resp = methodist.post(base + "/registrations", {"person_id": stranger.id})
    assert resp.status_code == 422 and "Такого человека нет" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(EventRegistration.id))) == before


def test_attendance_counts_participants_and_marks_the_plan_item(make_browser, district, setup):
    t = district.tenant
    item = item_in(t, plan=plan_in(t), title="Семинар для учителей математики", months=(11,))
    event = event_in(t)
    db.session.add(PlanItemLink(tenant_id=t.id, item_id=item.id, kind="event", object_id=event.id))
    walk = person_in(t, last_name="Пришедшая")
    db.session.commit()
    teacher = make_browser(district.teacher.email)
    teacher.post(f"/{district.slug}/events/{event.id}/register")
    methodist = make_browser(district.methodist.email)
    base = f"/{district.slug}/events/{event.id}"
    assert methodist.get(base + "/sheet").status_code == 200
    assert "Учителева" in methodist.get(base + "/sheet").get_data(as_text=True)
    with pinned(methodist.client.application, date(2025, 11, 12)):
        assert methodist.post(base + "/registrations", {"person_id": walk.id, "walk_in": "1"}).status_code == 302
        row = db.session.scalar(db.select(EventRegistration).where(EventRegistration.person_id == setup.teacher.id))
        walk_row = db.session.scalar(db.select(EventRegistration).where(EventRegistration.person_id == walk.id))
        assert methodist.post(base + "/attendance", {"attended": [row.id, walk_row.id]}).status_code == 302
        db.session.expire_all()
        item = db.session.get(PlanItem, item.id)
        assert (item.status, item.actual_date, item.participants_count) == ("done", date(2025, 11, 12), 2)
        # the certificate and feedback of an attendee
        cert = teacher.get(f"{base}/certificates/{row.id}").get_data(as_text=True)
        assert "СЕРТИФИКАТ" in cert and "Учителева Ирина" in cert
        assert teacher.post(base + "/feedback", {"rating": "5", "comment": "Полезно"}).status_code == 302
        # unticking: the item is no longer done
        assert methodist.post(base + "/attendance", {}).status_code == 302
        db.session.expire_all()
        assert db.session.get(PlanItem, item.id).status == "planned"
    # another person's certificate is not the teacher's to open
    assert teacher.get(f"{base}/certificates/{walk_row.id}").status_code == 403


def test_my_page_lists_my_registrations_and_events_for_me(make_browser, district, setup):
    t = district.tenant
    setup.teacher.subjects = "Математика"
    mine = event_in(t, title="Семинар для учителей математики", audience="учителя математики")
    event_in(t, title="Семинар для учителей музыки", audience="учителя музыки")
    db.session.commit()
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/me/").get_data(as_text=True)
    section = page.split('id="my-events"')[1].split("</section>")[0]
    assert "Семинар для учителей математики" in section and "ваш предмет: математика" in section
    assert "учителей музыки" not in section
    resp = b.post(f"/{district.slug}/events/{mine.id}/register", {"back": f"/{district.slug}/me/#my-events"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/me/#my-events")
    section = b.get(f"/{district.slug}/me/").get_data(as_text=True).split('id="my-events"')[1].split("</section>")[0]
    assert "Записан" in section
