"""Every body can work: a school's council and the resource centre get members, meetings, attendance,
decisions and minutes through the council's own screens."""
import pytest

from factories.core import person_in, school_in
from factories.structure import association_in, kind_in
from oms.extensions import db
from oms.models import Meeting


@pytest.mark.parametrize("category, level", [("school_council", "school"), ("resource_centre", "municipal")])
def test_a_school_council_and_the_resource_centre_work_like_the_council(make_browser, district, category, level):
    t = district.tenant
    school = school_in(t, short_name="СШ № 2")
    body = association_in(t, kind=kind_in(t, category, level=level), name="Педагогический совет СШ № 2",
                          school_id=school.id if level == "school" else None)
    person = person_in(t, last_name="Председателева", school_id=school.id)
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/bodies/{body.id}"
    assert "Педагогический совет СШ № 2" in b.get(f"/{district.slug}/bodies/").get_data(as_text=True)
    assert b.get(base + "/").status_code == 200
    assert b.post(base + "/members", {"person_id": person.id, "role": "chair"}, htmx=True).status_code == 200
    resp = b.post(base + "/meetings/new", {"number": "1", "held_on": "2025-09-05", "topic": "План", "is_held": "y"})
    assert resp.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == body.id))
    assert b.post(f"{base}/meetings/{meeting.id}/attendance", {"present": [person.id]}, htmx=True).status_code == 200
    minutes = b.get(f"{base}/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "ПРОТОКОЛ" in minutes and "Председателева" in minutes
    # teachers read, do not edit; an association's id is not a body of this section
    t_b = make_browser(district.teacher.email)
    assert t_b.get(base + "/").status_code == 200
    assert t_b.post(base + "/meetings/new", {"number": "2", "held_on": "2025-10-05"}).status_code == 403
    other = association_in(t)
    db.session.commit()
    assert b.get(f"/{district.slug}/bodies/{other.id}/").status_code == 404


def test_a_leader_proposes_an_agenda_question_the_council_takes_it(make_browser, district):
    from factories.structure import council_in, meeting_in, member_in
    from oms.models import AgendaItem, AgendaProposal

    t = district.tenant
    council = council_in(t)
    own = association_in(t, name="ММО учителей химии")
    member_in(t, body=own, person=person_in(t, user_id=district.leader.id), role="leader")
    meeting = meeting_in(t, body=council, number="4", held_on=__import__("datetime").date(2026, 2, 10))
    db.session.commit()
    leader = make_browser(district.leader.email)
    url = f"/{district.slug}/council/{council.id}/"
    page = leader.get(url).get_data(as_text=True)
    assert "Предложить вопрос" in page and "ММО учителей химии" in page
    resp = leader.post(url + "proposals", {"title": "", "from_body_id": own.id})
    assert resp.status_code == 422 and "Введите вопрос." in resp.get_data(as_text=True)
    assert leader.post(url + "proposals", {"title": "Об опыте подготовки к ОГЭ по химии", "speaker": "Иванова",
                                           "from_body_id": own.id}).status_code == 302
    proposal = db.session.scalar(db.select(AgendaProposal))
    assert leader.post(url + f"proposals/{proposal.id}/take", {"meeting_id": meeting.id}).status_code == 403
    methodist = make_browser(district.methodist.email)
    assert methodist.post(url + f"proposals/{proposal.id}/take", {"meeting_id": meeting.id}).status_code == 302
    item = db.session.scalar(db.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert (item.title, item.speaker) == ("Об опыте подготовки к ОГЭ по химии", "Иванова")
    db.session.expire_all()
    assert db.session.get(AgendaProposal, proposal.id).status == "taken"


def test_a_guest_from_outside_the_registry_is_in_the_minutes(make_browser, district):
    from factories.structure import council_in, meeting_in

    t = district.tenant
    council = council_in(t)
    meeting = meeting_in(t, body=council, number="2")
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/council/{council.id}/meetings/{meeting.id}"
    resp = b.post(base + "/guests/external", {"guest_name": ""}, htmx=True)
    assert resp.status_code == 422 and "Введите фамилию, имя и отчество гостя." in resp.get_data(as_text=True)
    resp = b.post(base + "/guests/external", {"guest_name": "Петров Пётр Петрович", "guest_org": "ТОИПКРО",
                                              "guest_position": "доцент"}, htmx=True)
    assert resp.status_code == 200 and "не из реестра" in resp.get_data(as_text=True)
    minutes = b.get(base + "/minutes").get_data(as_text=True)
    assert "Петров Пётр Петрович (доцент, ТОИПКРО)" in minutes


def test_membership_by_position_shows_the_schools_without_their_member(make_browser, district):
    from factories.structure import council_in, member_in

    t = district.tenant
    council = council_in(t)
    first, second = school_in(t, short_name="СШ № 1"), school_in(t, short_name="СШ № 2")
    member_in(t, body=council, person=person_in(t, last_name="Завучева", school_id=first.id),
              role_title="Заместитель руководителя ОО по МР")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/council/{council.id}/"
    assert b.post(url + "composition/rules", {"title": "Заместитель руководителя ОО по МР",
                                              "per_school": "1"}).status_code == 303
    assert b.post(url + "composition/rules", {"title": "Методист по дошкольному образованию"}).status_code == 303
    page = b.get(url).get_data(as_text=True)
    section = page.split('id="composition"')[1].split("</section>")[0]
    assert "Завучева" in section and "нет представителя" in section and "СШ № 2" in section
    assert "СШ № 1" not in section.split("нет представителя")[1].split("</div>")[0]
    assert "не назначен" in section  # the methodist's seat is empty
    assert make_browser(district.leader.email).post(url + "composition/rules", {"title": "x"}).status_code == 403
