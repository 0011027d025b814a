"""Associations: the list with filters, the page, and who may edit which association."""
import pytest

from factories.core import person_in, school_in
from factories.structure import association_in, decision_in, kind_in, meeting_in, member_in
from oms.extensions import db
from oms.models import Body, BodyMember, Decision, Meeting
from support import picker_search


@pytest.fixture
def setup(district):
    """The leader account leads «own»; «other» is somebody else's association."""
    tenant = district.tenant
    school = school_in(tenant, short_name="СШ № 1")
    municipal = kind_in(tenant, "association", name="Городская группа педагогов")
    school_kind = kind_in(tenant, "association", level="school", name="ШМО")
    leader_person = person_in(tenant, last_name="Лидерова", school_id=school.id, user_id=district.leader.id)
    own = association_in(tenant, kind=municipal, name="Городская группа учителей истории", subject="История")
    other = association_in(tenant, kind=school_kind, name="ШМО учителей начальных классов",
                           subject="Начальные классы", school_id=school.id)
    member_in(tenant, body=own, person=leader_person, role="leader")
    member_in(tenant, body=other, role="leader")
    db.session.commit()
    return type("Setup", (), {"school": school, "own": own, "other": other, "leader_person": leader_person,
                              "municipal": municipal, "school_kind": school_kind})


def _url(district, body, tail=""):
    return f"/{district.slug}/associations/{body.id}{tail}"


def test_the_leader_keeps_their_own_association(make_browser, district, setup):
    newcomer = person_in(district.tenant, last_name="Новикова")
    db.session.commit()
    b = make_browser(district.leader.email)
    page = b.get(_url(district, setup.own, "/")).get_data(as_text=True)
    assert "Вы руководите этим объединением" in page and "Добавить в состав" in page
    resp = b.post(_url(district, setup.own, "/members"), {"person_id": newcomer.id, "role": "member"}, htmx=True)
    assert resp.status_code == 200 and "Новикова" in resp.get_data(as_text=True)
    resp = b.post(_url(district, setup.own, "/meetings/new"), {"number": "1", "held_on": "2025-09-10",
                                                               "topic": "План на год"})
    assert resp.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == setup.own.id))
    resp = b.post(_url(district, setup.own, f"/meetings/{meeting.id}/decisions"),
                  {"text": "Утвердить план", "responsible_id": newcomer.id, "status": "open"}, htmx=True)
    assert resp.status_code == 200
    # the leader may not rename or delete the association itself: that is the methodists'
    assert b.post(_url(district, setup.own, "/edit"), {"name": "x"}, htmx=True).status_code == 403
    assert b.post(_url(district, setup.own, "/delete"), htmx=True).status_code == 403


def test_a_leader_cannot_step_down_alone(make_browser, district, setup):
    own_leader = db.session.scalar(db.select(BodyMember).where(BodyMember.body_id == setup.own.id))
    b = make_browser(district.leader.email)
    resp = b.post(_url(district, setup.own, f"/members/{own_leader.id}/edit"), {"role": "member"}, htmx=True)
    assert resp.status_code == 422 and "обратитесь к методисту" in resp.get_data(as_text=True)
    resp = b.post(_url(district, setup.own, f"/members/{own_leader.id}/delete"), htmx=True)
    assert resp.status_code == 422
    db.session.expire_all()
    assert db.session.get(BodyMember, own_leader.id).role == "leader"


ASSOCIATION_EDITS = [
    ("post", "/members"), ("get", "/members/{member}/edit"), ("post", "/members/{member}/edit"),
    ("post", "/members/{member}/delete"), ("get", "/meetings/new"), ("post", "/meetings/new"),
    ("get", "/meetings/{meeting}/edit"), ("post", "/meetings/{meeting}/edit"), ("post", "/meetings/{meeting}/delete"),
    ("post", "/meetings/{meeting}/agenda"), ("post", "/meetings/{meeting}/attendance"),
    ("post", "/meetings/{meeting}/guests"), ("post", "/meetings/{meeting}/decisions"),
    ("get", "/meetings/{meeting}/decisions/{decision}/edit"), ("post", "/meetings/{meeting}/decisions/{decision}/edit"),
    ("post", "/meetings/{meeting}/decisions/{decision}/delete"), ("get", "/edit"), ("post", "/edit"),
    ("post", "/delete"),
]


@pytest.mark.parametrize("role, body", [("leader", "other"), ("teacher", "own"), ("teacher", "other")])
def test_no_edit_of_an_association_one_does_not_lead(make_browser, district, setup, role, body):
    body = getattr(setup, body)
    member = db.session.scalar(db.select(BodyMember).where(BodyMember.body_id == body.id))
    meeting = meeting_in(district.tenant, body=body)
    decision = decision_in(district.tenant, meeting=meeting, text="Не трогать")
    db.session.commit()
    b = make_browser(getattr(district, role).email)
    assert b.get(_url(district, body, "/")).status_code == 200
    assert b.get(_url(district, body, f"/meetings/{meeting.id}/")).status_code == 200
    for method, path in ASSOCIATION_EDITS:
        url = _url(district, body, path.format(member=member.id, meeting=meeting.id, decision=decision.id))
        resp = b.get(url) if method == "get" else b.post(url, {"text": "x", "person_id": member.person_id}, htmx=True)
        assert resp.status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).text == "Не трогать"
    assert db.session.get(Body, body.id).name == body.name


def test_forged_ids_of_another_association_are_refused(make_browser, district, setup):
    other_meeting = meeting_in(district.tenant, body=setup.other)
    other_decision = decision_in(district.tenant, meeting=other_meeting, text="Чужое решение")
    own_meeting = meeting_in(district.tenant, body=setup.own)
    other_member = db.session.scalar(db.select(BodyMember).where(BodyMember.body_id == setup.other.id))
    db.session.commit()
    b = make_browser(district.leader.email)
    own = _url(district, setup.own)
    # another association's meeting, decision or member under the leader's own association: 404
    assert b.post(f"{own}/meetings/{other_meeting.id}/decisions", {"text": "x", "status": "open"},
                  htmx=True).status_code == 404
    assert b.post(f"{own}/meetings/{own_meeting.id}/decisions/{other_decision.id}/edit",
                  {"text": "Подмена", "status": "done"}, htmx=True).status_code == 404
    assert b.post(f"{own}/members/{other_member.id}/delete", htmx=True).status_code == 404
    # a body id slipped into a form is ignored: the meeting belongs to the association of the URL
    resp = b.post(f"{own}/meetings/new", {"number": "9", "held_on": "2025-10-10", "body_id": setup.other.id,
                                          "association_id": setup.other.id})
    assert resp.status_code == 302
    created = db.session.scalar(db.select(Meeting).where(Meeting.number == "9"))
    assert created.body_id == setup.own.id
    db.session.expire_all()
    assert db.session.get(Decision, other_decision.id).text == "Чужое решение"
    assert db.session.get(BodyMember, other_member.id) is not None


def test_a_school_association_proposes_its_school_first(make_browser, district, setup):
    person_in(district.tenant, last_name="Аардваркова")  # another school, alphabetically first
    person_in(district.tenant, last_name="Школьникова", school_id=setup.school.id)
    db.session.commit()
    b = make_browser(district.methodist.email)
    found = picker_search(b, b.get(_url(district, setup.other, "/")), "person_id", "анна")
    assert found.index("Школьникова") < found.index("Аардваркова")


def test_methodist_creates_edits_and_deletes_an_association(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/associations"
    resp = b.post(f"{url}/new", {"kind_id": setup.school_kind.id, "name": "ШМО учителей физики"})
    assert resp.status_code == 422
    assert "Для элемента уровня образовательной организации выберите организацию." in resp.get_data(as_text=True)
    resp = b.post(f"{url}/new", {"kind_id": setup.school_kind.id, "name": "ШМО учителей физики",
                                 "subject": "Физика", "school_id": setup.school.id})
    assert resp.status_code == 302
    body = db.session.scalar(db.select(Body).where(Body.name == "ШМО учителей физики"))
    assert body.school_id == setup.school.id
    resp = b.post(f"{url}/{body.id}/edit", {"name": "ШМО физиков", "subject": "Физика",
                                            "school_id": setup.school.id, "version": body.version})
    assert resp.status_code == 302
    resp = b.post(f"{url}/{setup.own.id}/delete", follow_redirects=True)
    assert "Нельзя удалить «Городская группа учителей истории»" in resp.get_data(as_text=True)
    assert b.post(f"{url}/{body.id}/delete").status_code == 302
    assert db.session.scalar(db.select(Body).where(Body.name == "ШМО физиков")) is None


def test_list_filters_search_and_pagination(make_browser, district, setup):
    for i in range(30):
        association_in(district.tenant, kind=setup.municipal, name=f"Творческая группа № {i:02d}", subject="Наставничество")
    db.session.commit()
    b = make_browser(district.teacher.email)
    url = f"/{district.slug}/associations/"
    first = b.get(url).get_data(as_text=True)
    assert "стр. 1 из 2" in first and "всего 32" in first
    assert "ШМО учителей начальных классов" in b.get(url + "?level=school").get_data(as_text=True)
    assert "Творческая группа № 01" not in b.get(url + "?level=school").get_data(as_text=True)
    by_school = b.get(url + f"?school={setup.school.id}").get_data(as_text=True)
    assert "ШМО учителей начальных классов" in by_school and "Городская группа учителей истории" not in by_school
    by_kind = b.get(url + f"?kind={setup.school_kind.id}").get_data(as_text=True)
    assert "всего" not in by_kind and "Городская группа учителей истории" not in by_kind
    found = b.get(url + "?q=ИСТОРИ").get_data(as_text=True)  # Cyrillic, any case
    assert "Городская группа учителей истории" in found and "Творческая группа № 01" not in found
    by_subject = b.get(url + "?subject=История").get_data(as_text=True)
    assert "Городская группа учителей истории" in by_subject and "Творческая группа № 01" not in by_subject
    partial = b.get(url + "?q=истории", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "Городская группа учителей истории" in partial
    none = b.get(url + "?q=астрономия").get_data(as_text=True)
    assert "Ничего не нашли" in none
    leader_view = make_browser(district.leader.email).get(url + "?q=истории").get_data(as_text=True)
    assert "вы руководитель" in leader_view


def test_teacher_cannot_create_an_association(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    assert b.get(f"/{district.slug}/associations/new").status_code == 403
    assert b.post(f"/{district.slug}/associations/new", {"kind_id": setup.municipal.id, "name": "x"}).status_code == 403


def test_malformed_list_filters_are_ignored_not_a_500(make_browser, district, setup):
    """Numbers no database integer holds and a NUL in the subject come from hand-edited or hostile links."""
    b = make_browser(district.teacher.email)
    url = f"/{district.slug}/associations/"
    huge = "99999999999999999999"
    for query in (f"?school={huge}", f"?school=-{huge}", f"?kind={huge}", f"?page={huge}", "?subject=%00"):
        resp = b.get(url + query)
        assert resp.status_code == 200, query
    assert "Городская группа учителей истории" in b.get(url + f"?school={huge}").get_data(as_text=True)


def test_a_double_click_creates_one_association(make_browser, district, setup):
    import re

    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/associations/new"
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', b.get(url).get_data(as_text=True))
    assert match, "the new association form carries no one-time token"
    data = {"kind_id": setup.municipal.id, "name": "Городская группа физиков", "form_token": match.group(1)}
    first = b.post(url, data)
    second = b.post(url, data)
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Body.id)).where(Body.name == "Городская группа физиков")) == 1


def test_moving_a_school_association_to_another_school_moves_it_to_that_schools_council(make_browser, district,
                                                                                          setup):
    tenant = district.tenant
    service = association_in(tenant, kind=kind_in(tenant, "service"), name="Методическая служба")
    council_kind = kind_in(tenant, "school_council", level="school", name="ШМС")
    first = association_in(tenant, kind=council_kind, name="ШМС СШ № 1", school_id=setup.school.id,
                           parent_id=service.id)
    second_school = school_in(tenant, short_name="СШ № 2")
    second = association_in(tenant, kind=council_kind, name="ШМС СШ № 2", school_id=second_school.id,
                            parent_id=service.id)
    shmo = association_in(tenant, kind=setup.school_kind, name="ШМО физиков", school_id=setup.school.id,
                          parent_id=first.id)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, shmo, "/edit"), {"name": "ШМО физиков", "school_id": second_school.id,
                                                  "version": shmo.version})
    assert resp.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Body, shmo.id)
    assert moved.school_id == second_school.id and moved.parent_id == second.id
    admin = make_browser(district.admin.email)  # the structure editor saves it as it is
    resp = admin.post(f"/{district.slug}/structure/{shmo.id}/edit",
                      {"name": "ШМО физиков", "school_id": second_school.id, "parent_id": moved.parent_id,
                       "version": moved.version})
    assert resp.status_code == 302
