"""Mentoring (flags of young specialists, the meetings log and who keeps it) and attestation."""
from datetime import date, timedelta

import pytest

from factories.core import person_in
from factories.development import attestation_in, mentoring_meeting_in, mentorship_in, teacher_in
from factories.structure import association_in, member_in
from oms.extensions import db
from oms.models import Attestation, MentoringMeeting, Mentorship, Person
from oms.models.development import add_months, years_after, years_before


def _url(district, tail):
    return f"/{district.slug}/development{tail}"


def _unmentored(b, district) -> str:
    page = b.get(_url(district, "/mentoring/")).get_data(as_text=True)
    return page.split('class="unmentored-count">')[1].split("<")[0]


def test_young_specialists_without_an_active_mentor_are_flagged(make_browser, district):
    tenant = district.tenant
    today = date.today()
    mentor = teacher_in(tenant, last_name="Опытная", experience_years=25)
    young = teacher_in(tenant, last_name="Новенькая", is_young_specialist=True)
    ended = teacher_in(tenant, last_name="Прошлогодняя", is_young_specialist=True)
    mentorship_in(tenant, mentor=mentor, mentee=ended, date_from=today - timedelta(days=400),
                  date_to=today - timedelta(days=30))
    future = teacher_in(tenant, last_name="Будущая", is_young_specialist=True)
    mentorship_in(tenant, mentor=mentor, mentee=future, date_from=today + timedelta(days=10))
    teacher_in(tenant, last_name="Бывалая")  # not young: never flagged
    db.session.commit()
    ids = {"mentor": mentor.id, "young": young.id}
    b = make_browser(district.methodist.email)
    assert _unmentored(b, district) == "3"
    flagged = b.get(_url(district, "/people/?flag=young_no_mentor")).get_data(as_text=True)
    for name in ("Новенькая", "Прошлогодняя", "Будущая"):
        assert name in flagged
    assert "Бывалая" not in flagged and "Опытная" not in flagged
    assert '<strong class="dash-unmentored">3</strong>' in b.get(f"/{district.slug}/").get_data(as_text=True)
    resp = b.post(_url(district, "/mentoring/new"), {"mentee_id": ids["young"], "mentor_id": ids["mentor"],
                                                     "date_from": today.isoformat(), "goals": "Адаптация"})
    assert resp.status_code == 302
    assert _unmentored(b, district) == "2"
    assert "Новенькая" not in b.get(_url(district, "/people/?flag=young_no_mentor")).get_data(as_text=True)
    card = b.get(_url(district, f"/people/{ids['young']}/")).get_data(as_text=True)
    assert "Опытная" in card and "нет действующего наставника" not in card


@pytest.mark.parametrize("change, message", [
    ({"mentor_id": "same"}, "Наставник и наставляемый должны быть разными людьми."),
    ({"mentee_id": ""}, "Выберите наставляемого."),
    ({"mentor_id": "0"}, "Такого человека нет среди педагогов района"),
    ({"date_from": ""}, "Укажите дату начала наставничества."),
    ({"date_to": "2020-01-01"}, "Окончание не может быть раньше начала."),
    ({"body_id": "987654"}, "Такого значения нет в списке"),
])
def test_bad_mentorship_input_is_refused(make_browser, district, change, message):
    mentor = teacher_in(district.tenant)
    mentee = teacher_in(district.tenant, is_young_specialist=True)
    db.session.commit()
    data = {"mentee_id": mentee.id, "mentor_id": mentor.id, "date_from": "2025-09-01", **change}
    if data["mentor_id"] == "same":
        data["mentor_id"] = mentee.id
    resp = make_browser(district.methodist.email).post(_url(district, "/mentoring/new"), data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Mentorship.id))) == 0


def test_the_mentor_keeps_the_meetings_log_and_the_mentee_reads_it(make_browser, district, make_user):
    tenant = district.tenant
    mentor = teacher_in(tenant, last_name="Наставникова", user_id=district.teacher.id)
    mentee_user = make_user(tenant, role="teacher")
    mentee = teacher_in(tenant, last_name="Молодая", is_young_specialist=True, user_id=mentee_user.id)
    pair = mentorship_in(tenant, mentor=mentor, mentee=mentee)
    other = mentorship_in(tenant)
    db.session.commit()
    pair_id, other_id = pair.id, other.id
    t = make_browser(district.teacher.email)
    resp = t.post(_url(district, f"/mentoring/{pair_id}/meetings"), {"held_on": "2025-10-02", "topic": ""},
                  htmx=True)
    assert resp.status_code == 422 and "Введите тему встречи." in resp.get_data(as_text=True)
    resp = t.post(_url(district, f"/mentoring/{pair_id}/meetings"),
                  {"held_on": "2025-10-02", "topic": "Разбор урока", "note": "Рекомендации по целеполаганию"},
                  htmx=True)
    assert resp.status_code == 200 and "Разбор урока" in resp.get_data(as_text=True)
    assert "<html" not in resp.get_data(as_text=True)
    meeting = db.session.scalar(db.select(MentoringMeeting).where(MentoringMeeting.mentorship_id == pair_id))
    assert meeting.held_on == date(2025, 10, 2)
    # another pair's log: neither visible nor writable for this teacher
    assert t.get(_url(district, f"/mentoring/{other_id}/")).status_code == 403
    assert t.post(_url(district, f"/mentoring/{other_id}/meetings"),
                  {"held_on": "2025-10-02", "topic": "Чужая встреча"}).status_code == 403
    # the mentee reads the log but does not write in it
    m = make_browser(mentee_user.email)
    page = m.get(_url(district, f"/mentoring/{pair_id}/")).get_data(as_text=True)
    assert "Разбор урока" in page and "Записать встречу" not in page
    assert m.post(_url(district, f"/mentoring/{pair_id}/meetings"),
                  {"held_on": "2025-10-03", "topic": "Самозапись"}).status_code == 403
    assert m.post(_url(district, f"/mentoring/{pair_id}/meetings/{meeting.id}/delete")).status_code == 403
    assert "Наставникова" in m.get(_url(district, "/me")).get_data(as_text=True)
    assert t.post(_url(district, f"/mentoring/{pair_id}/meetings/{meeting.id}/delete"), htmx=True).status_code == 200
    assert db.session.scalar(db.select(db.func.count(MentoringMeeting.id))) == 0


def test_the_leader_of_the_pairs_association_keeps_its_log(make_browser, district):
    tenant = district.tenant
    leader = person_in(tenant, user_id=district.leader.id)
    body = association_in(tenant)
    member_in(tenant, body=body, person=leader, role="leader")
    own = mentorship_in(tenant, body_id=body.id)
    elsewhere = mentorship_in(tenant)
    meeting = mentoring_meeting_in(tenant, pair=elsewhere)
    db.session.commit()
    own_id, elsewhere_id, meeting_id = own.id, elsewhere.id, meeting.id
    b = make_browser(district.leader.email)
    assert b.post(_url(district, f"/mentoring/{own_id}/meetings"),
                  {"held_on": "2025-11-01", "topic": "Заседание ШМО"}).status_code == 302
    assert b.post(_url(district, f"/mentoring/{elsewhere_id}/meetings"),
                  {"held_on": "2025-11-01", "topic": "x"}).status_code == 403
    assert b.post(_url(district, f"/mentoring/{elsewhere_id}/meetings/{meeting_id}/delete")).status_code == 403
    # a meeting of another pair under this pair's URL: as if it did not exist
    assert b.post(_url(district, f"/mentoring/{own_id}/meetings/{meeting_id}/delete")).status_code == 404
    assert b.post(_url(district, f"/mentoring/{own_id}/edit"), {"goals": "x"}).status_code == 403
    assert db.session.get(MentoringMeeting, meeting_id) is not None


def test_editing_and_deleting_a_pair(make_browser, district):
    pair = mentorship_in(district.tenant, goals="Старые цели")
    meeting = mentoring_meeting_in(district.tenant, pair=pair)
    db.session.commit()
    pair_id, meeting_id = pair.id, meeting.id
    data = {"mentee_id": pair.mentee_id, "mentor_id": pair.mentor_id, "date_from": "2025-09-01",
            "date_to": "2026-05-31", "goals": "Новые цели", "result": "Освоил ведение журнала"}
    b = make_browser(district.methodist.email)
    assert b.post(_url(district, f"/mentoring/{pair_id}/edit"), {**data, "version": 1}).status_code == 302
    resp = b.post(_url(district, f"/mentoring/{pair_id}/edit"), {**data, "goals": "Опоздавшие цели", "version": 1})
    assert resp.status_code == 409 and "Новые цели" in resp.get_data(as_text=True)
    saved = db.session.get(Mentorship, pair_id)
    assert (saved.goals, saved.date_to) == ("Новые цели", date(2026, 5, 31))
    assert b.post(_url(district, f"/mentoring/{pair_id}/delete")).status_code == 302
    assert db.session.get(Mentorship, pair_id) is None and db.session.get(MentoringMeeting, meeting_id) is None


# ---- attestation ------------------------------------------------------------------------------------

def test_recording_an_attestation_updates_the_category_and_the_next_due_date(make_browser, district):
    teacher = teacher_in(district.tenant, category="first", category_date=date(2019, 5, 20))
    db.session.commit()
    teacher_id = teacher.id
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{teacher_id}/attestations/new"),
                  {"category": "highest", "passed_on": "2024-04-25", "order_number": "312-к"})
    assert resp.status_code == 302
    record = db.session.scalar(db.select(Attestation).where(Attestation.person_id == teacher_id))
    assert record.next_due == date(2029, 4, 25)
    person = db.session.get(Person, teacher_id)
    assert (person.category, person.category_date) == ("highest", date(2024, 4, 25))
    # an older record added later does not override the latest
    b.post(_url(district, f"/people/{teacher_id}/attestations/new"), {"category": "first", "passed_on": "2019-05-20"})
    db.session.expire_all()
    assert db.session.get(Person, teacher_id).category == "highest"
    # deleting the latest brings the previous one back
    b.post(_url(district, f"/attestations/{record.id}/delete"))
    db.session.expire_all()
    person = db.session.get(Person, teacher_id)
    assert (person.category, person.category_date) == ("first", date(2019, 5, 20))


@pytest.mark.parametrize("change, message", [
    ({"passed_on": ""}, "Укажите дату аттестации."),
    ({"passed_on": "2999-01-01"}, "Дата аттестации не может быть в будущем."),
    ({"next_due": "2020-01-01"}, "Срок следующей аттестации должен быть позже даты аттестации."),
    ({"category": "none"}, "Выберите значение из списка."),
])
def test_bad_attestation_input_is_refused(make_browser, district, change, message):
    teacher = teacher_in(district.tenant)
    db.session.commit()
    data = {"category": "first", "passed_on": "2024-04-25", **change}
    resp = make_browser(district.methodist.email).post(_url(district, f"/people/{teacher.id}/attestations/new"), data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attestation.id))) == 0


def test_upcoming_attestations_within_six_months(make_browser, district):
    tenant = district.tenant
    today = date.today()
    soon = teacher_in(tenant, last_name="Скоровая")
    attestation_in(tenant, person=soon, passed_on=years_before(today, 5) + timedelta(days=40),
                   next_due=today + timedelta(days=40))
    later = teacher_in(tenant, last_name="Позднева")
    attestation_in(tenant, person=later, next_due=add_months(today, 7))
    late = teacher_in(tenant, last_name="Просроченная")
    attestation_in(tenant, person=late, next_due=today - timedelta(days=3))
    # no attestation record: the category date plus five years
    teacher_in(tenant, last_name="Покатегорийная", category="first",
               category_date=years_before(today, 5) + timedelta(days=60))
    teacher_in(tenant, last_name="Бескатегорийная", category_date=years_before(today, 5) + timedelta(days=60))
    # re-attested: the old record's date no longer matters
    renewed = teacher_in(tenant, last_name="Переаттестованная")
    attestation_in(tenant, person=renewed, passed_on=years_before(today, 5), next_due=today + timedelta(days=5))
    attestation_in(tenant, person=renewed, passed_on=today - timedelta(days=100),
                   next_due=years_after(today - timedelta(days=100), 5))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(_url(district, "/attestation/")).get_data(as_text=True)
    assert "Скоровая" in page and "Покатегорийная" in page
    for name in ("Позднева", "Просроченная", "Бескатегорийная", "Переаттестованная"):
        assert name not in page
    assert page.index("Скоровая") < page.index("Покатегорийная")  # sorted by the due date
    assert "Просроченная" in b.get(_url(district, "/attestation/?period=overdue")).get_data(as_text=True)
    assert "Позднева" in b.get(_url(district, "/attestation/?period=year")).get_data(as_text=True)
    flagged = b.get(_url(district, "/people/?flag=attestation")).get_data(as_text=True)
    assert "Скоровая" in flagged and "Позднева" not in flagged
    home = b.get(f"/{district.slug}/").get_data(as_text=True)
    card = home.split('id="dash-attestation"')[1].split("</article>")[0]
    assert "Всего: <strong>2</strong>" in card and "срок прошёл: 1" in card
