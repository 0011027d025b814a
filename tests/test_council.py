"""The council: members and roles, composition order, meetings with agenda, attendance, decisions, minutes."""
from datetime import date, timedelta

import pytest

from factories.core import person_in, school_in
from factories.structure import (agenda_item_in, association_in, council_in, decision_in, meeting_in, member_in)
from oms.extensions import db
from oms.models import AgendaItem, Attendance, Body, BodyMember, Decision, Meeting
from support import TODAY


@pytest.fixture
def council(district):
    body = council_in(district.tenant, name="Методический совет района")
    db.session.commit()
    return body


def _url(district, council, tail=""):
    return f"/{district.slug}/council/{council.id}{tail}"


def test_methodist_builds_the_composition_with_roles(make_browser, district, council):
    head = person_in(district.tenant, last_name="Абрамова", position="Начальник ОМС", school_id=None)
    deputy = person_in(district.tenant, last_name="Борисова", position="заместитель директора по УВР",
                       school_id=school_in(district.tenant).id)
    third = person_in(district.tenant, last_name="Власова")
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, council, "/members"), {"person_id": head.id, "role": "chair",
                                                       "role_title": "Начальник ОМС"}, htmx=True)
    assert resp.status_code == 200 and "Абрамова" in resp.get_data(as_text=True)
    b.post(_url(district, council, "/members"), {"person_id": deputy.id, "role": "secretary",
                                                "role_title": "Заместитель директора по УВР"}, htmx=True)
    resp = b.post(_url(district, council, "/members"), {"person_id": third.id, "role": "chair"}, htmx=True)
    assert resp.status_code == 422 and "Председатель уже есть: Абрамова" in resp.get_data(as_text=True)
    resp = b.post(_url(district, council, "/members"), {"person_id": head.id, "role": "member"}, htmx=True)
    assert resp.status_code == 422 and "Этот человек уже в составе." in resp.get_data(as_text=True)
    members = db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == council.id)).all()
    assert sorted((m.role, m.role_title) for m in members) == [("chair", "Начальник ОМС"),
                                                              ("secretary", "Заместитель директора по УВР")]
    page = b.get(f"/{district.slug}/council/").get_data(as_text=True)
    assert "Председатель" in page and "Секретарь" in page and "Всего в составе: 2" in page

    chair = next(m for m in members if m.role == "chair")
    resp = b.post(_url(district, council, f"/members/{chair.id}/edit"), {"role": "member", "role_title": "Член"},
                  htmx=True)
    assert resp.status_code == 200
    resp = b.post(_url(district, council, f"/members/{chair.id}/delete"), htmx=True)
    assert resp.status_code == 200
    assert db.session.scalar(db.select(db.func.count(BodyMember.id)).where(BodyMember.body_id == council.id)) == 1


def test_a_person_of_another_district_cannot_join(make_browser, district, council, make_tenant):
    stranger = person_in(make_tenant())
    db.session.commit()
    b = make_browser(district.admin.email)
    resp = b.post(_url(district, council, "/members"), {"person_id": stranger.id, "role": "member"}, htmx=True)
    assert resp.status_code == 422
    assert db.session.scalar(db.select(BodyMember.id).where(BodyMember.body_id == council.id)) is None


def test_composition_order_is_saved_and_a_stale_save_is_409(make_browser, district, council):
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, council, "/order"), {"order_number": "112-од", "order_date": "2025-08-25",
                                                      "version": council.version}, htmx=True)
    assert resp.status_code == 200
    assert "Состав утверждён приказом № 112-од от 25.08.2025" in resp.get_data(as_text=True)
    resp = b.post(_url(district, council, "/order"), {"order_number": "7", "order_date": "25.08.2025",
                                                      "version": council.version + 1}, htmx=True)
    assert resp.status_code == 422 and "Введите дату в формате дд.мм.гггг." in resp.get_data(as_text=True)
    resp = b.post(_url(district, council, "/order"), {"order_number": "113-од", "order_date": "",
                                                      "version": 1}, htmx=True)
    assert resp.status_code == 409
    assert "112-од" in resp.get_data(as_text=True) and "113-од" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Body, council.id).order_number == "112-од"


def test_a_meeting_from_creation_to_printed_minutes(make_browser, district, council):
    chair = member_in(district.tenant, body=council, role="chair",
                      person=person_in(district.tenant, last_name="Абрамова", first_name="Анна", middle_name="Петровна"))
    secretary = member_in(district.tenant, body=council, role="secretary",
                          person=person_in(district.tenant, last_name="Борисова", first_name="Белла", middle_name=""))
    absent = member_in(district.tenant, body=council, person=person_in(district.tenant, last_name="Власова"))
    guest = person_in(district.tenant, last_name="Гостева", position="директор школы")
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(_url(district, council, "/meetings/new")).get_data(as_text=True)
    assert 'value="1"' in page  # the next number is proposed
    resp = b.post(_url(district, council, "/meetings/new"), {"number": "2", "held_on": "2025-11-14",
                                                             "topic": "Олимпиады", "is_held": "y"})
    assert resp.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == council.id))
    base = _url(district, council, f"/meetings/{meeting.id}")
    assert resp.headers["Location"].endswith(base + "/")

    for title in ("О муниципальном этапе ВсОШ", "О банке педагогического опыта"):
        assert b.post(base + "/agenda", {"title": title, "speaker": "Абрамова А. П."}, htmx=True).status_code == 200
    assert b.post(base + "/agenda", {"title": ""}, htmx=True).status_code == 422
    second = db.session.scalar(db.select(AgendaItem).where(AgendaItem.title == "О банке педагогического опыта"))
    resp = b.post(base + f"/agenda/{second.id}/move", {"direction": "up"}, htmx=True)
    text = resp.get_data(as_text=True)
    assert text.index("О банке педагогического опыта") < text.index("О муниципальном этапе ВсОШ")

    resp = b.post(base + "/attendance", {"present": [chair.person_id, secretary.person_id]}, htmx=True)
    assert resp.status_code == 200 and "Присутствовали: 2 из 3" in resp.get_data(as_text=True)
    resp = b.post(base + "/attendance", {"present": [guest.id]}, htmx=True)  # not a member: forged
    assert resp.status_code == 422 and "не из состава" in resp.get_data(as_text=True)
    assert b.post(base + "/guests", {"person_id": guest.id}, htmx=True).status_code == 200
    rows = db.session.scalars(db.select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert {(r.person_id, r.present, r.is_guest) for r in rows} == {
        (chair.person_id, True, False), (secretary.person_id, True, False), (absent.person_id, False, False),
        (guest.id, True, True)}

    resp = b.post(base + "/decisions", {"text": "Провести муниципальный этап", "responsible_id": chair.person_id,
                                        "due_date": "2025-12-01", "status": "open"}, htmx=True)
    assert resp.status_code == 200 and "Просрочено" in resp.get_data(as_text=True)
    resp = b.post(base + "/decisions", {"text": "", "status": "open"}, htmx=True)
    assert resp.status_code == 422 and "Введите текст решения." in resp.get_data(as_text=True)
    decision = db.session.scalar(db.select(Decision).where(Decision.meeting_id == meeting.id))
    resp = b.post(base + f"/decisions/{decision.id}/edit", {
        "text": decision.text, "responsible_id": chair.person_id, "due_date": "2025-12-01", "status": "done",
        "status_note": "Проведён 01.12.2025", "version": decision.version}, htmx=True)
    assert resp.status_code == 200 and "Выполнено" in resp.get_data(as_text=True)

    minutes = b.get(base + "/minutes").get_data(as_text=True)
    assert "ПРОТОКОЛ" in minutes and "заседания № 2 от 14.11.2025" in minutes
    assert "Абрамова А. П." in minutes and "Отсутствовали:</strong> Власова" in minutes
    assert "Гостева" in minutes and "Провести муниципальный этап" in minutes
    assert minutes.index("О банке педагогического опыта") < minutes.index("О муниципальном этапе ВсОШ")
    assert "data-print" in minutes


def test_open_and_overdue_decisions_are_highlighted_on_the_council_page(make_browser, district, council):
    meeting = meeting_in(district.tenant, body=council, number="3")
    decision_in(district.tenant, meeting=meeting, text="Просроченное поручение", status="open",
                due_date=TODAY - timedelta(days=3))
    decision_in(district.tenant, meeting=meeting, text="Поручение в срок", status="open",
                due_date=TODAY + timedelta(days=30))
    decision_in(district.tenant, meeting=meeting, text="Исполненное поручение", status="done",
                due_date=TODAY - timedelta(days=30))
    db.session.commit()
    page = make_browser(district.teacher.email).get(f"/{district.slug}/council/").get_data(as_text=True)
    open_part = page.split('id="open-decisions"')[1].split("</ul>")[0]
    assert "Просроченное поручение" in open_part and "Поручение в срок" in open_part
    assert "Исполненное поручение" not in open_part
    assert 'decision decision--overdue' in open_part and "просрочено: 1" in page
    assert "в работе: 2" in page  # in the meetings list


def test_a_stale_meeting_edit_keeps_both_texts(make_browser, district, council):
    meeting = meeting_in(district.tenant, body=council, topic="Первоначальная тема")
    db.session.commit()
    stale = meeting.version
    meeting.topic = "Тема коллеги"
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = _url(district, council, f"/meetings/{meeting.id}/edit")
    resp = b.post(url, {"number": meeting.number, "held_on": "2025-10-01", "topic": "Моя тема", "version": stale},
                  htmx=True)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Тема коллеги" in text and "Моя тема" in text


def test_children_of_another_body_are_404_under_this_council(make_browser, district, council):
    other = association_in(district.tenant)
    foreign_meeting = meeting_in(district.tenant, body=other)
    own_meeting = meeting_in(district.tenant, body=council)
    foreign_decision = decision_in(district.tenant, meeting=foreign_meeting)
    foreign_item = agenda_item_in(district.tenant, meeting=foreign_meeting)
    db.session.commit()
    b = make_browser(district.admin.email)
    assert b.get(_url(district, council, f"/meetings/{foreign_meeting.id}/")).status_code == 404
    assert b.get(f"/{district.slug}/council/{other.id}/").status_code == 404  # not a council
    own = _url(district, council, f"/meetings/{own_meeting.id}")
    assert b.post(own + f"/decisions/{foreign_decision.id}/delete", htmx=True).status_code == 404
    assert b.post(own + f"/agenda/{foreign_item.id}/delete", htmx=True).status_code == 404
    assert db.session.get(Decision, foreign_decision.id) is not None


COUNCIL_EDITS = [
    ("post", "/members"), ("get", "/members/{member}/edit"), ("post", "/members/{member}/edit"),
    ("post", "/members/{member}/delete"), ("post", "/order"), ("get", "/meetings/new"), ("post", "/meetings/new"),
    ("get", "/meetings/{meeting}/edit"), ("post", "/meetings/{meeting}/edit"), ("post", "/meetings/{meeting}/delete"),
    ("post", "/meetings/{meeting}/agenda"), ("post", "/meetings/{meeting}/agenda/{item}/delete"),
    ("post", "/meetings/{meeting}/agenda/{item}/move"), ("post", "/meetings/{meeting}/attendance"),
    ("post", "/meetings/{meeting}/guests"), ("post", "/meetings/{meeting}/guests/{guest}/delete"),
    ("post", "/meetings/{meeting}/decisions"), ("get", "/meetings/{meeting}/decisions/{decision}/edit"),
    ("post", "/meetings/{meeting}/decisions/{decision}/edit"),
    ("post", "/meetings/{meeting}/decisions/{decision}/delete"),
]


@pytest.mark.parametrize("role", ["leader", "teacher"])
def test_leaders_and_teachers_read_the_council_but_do_not_edit_it(make_browser, district, council, role):
    from factories.structure import attendance_in

    member = member_in(district.tenant, body=council, role="chair")
    meeting = meeting_in(district.tenant, body=council)
    item = agenda_item_in(district.tenant, meeting=meeting)
    guest = attendance_in(district.tenant, meeting=meeting)
    decision = decision_in(district.tenant, meeting=meeting)
    db.session.commit()
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/council/").status_code == 200
    assert b.get(_url(district, council, f"/meetings/{meeting.id}/")).status_code == 200
    assert b.get(_url(district, council, f"/meetings/{meeting.id}/minutes")).status_code == 200
    page = b.get(_url(district, council, "/")).get_data(as_text=True)
    assert "Добавить в состав" not in page and "Новое заседание" not in page
    for method, path in COUNCIL_EDITS:
        url = _url(district, council, path.format(member=member.id, meeting=meeting.id, item=item.id,
                                                  guest=guest.id, decision=decision.id))
        resp = b.get(url) if method == "get" else b.post(url, {"text": "x", "title": "x"}, htmx=True)
        assert resp.status_code == 403, url
    assert db.session.get(Meeting, meeting.id) is not None


def test_a_district_without_a_council_gets_an_explanation(make_browser, district):
    page = make_browser(district.admin.email).get(f"/{district.slug}/council/").get_data(as_text=True)
    assert "В структуре района пока нет совета." in page


def test_deleting_a_meeting_takes_its_agenda_and_decisions_and_returns_to_the_council(make_browser, district,
                                                                                      council):
    meeting = meeting_in(district.tenant, body=council, number="5")
    agenda_item_in(district.tenant, meeting=meeting)
    decision_in(district.tenant, meeting=meeting)
    db.session.commit()
    meeting_id = meeting.id
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, council, f"/meetings/{meeting_id}/delete"), htmx=True)
    assert resp.status_code == 204
    assert resp.headers["HX-Redirect"] == _url(district, council, "/") + "#meetings"
    assert db.session.get(Meeting, meeting_id) is None
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0
    assert "Заседание № 5" in b.get(_url(district, council, "/")).get_data(as_text=True)  # the flash message


def test_a_meeting_or_decision_that_approved_a_practice_is_not_deleted(make_browser, district, council):
    from factories.practices import practice_in

    meeting = meeting_in(district.tenant, body=council, number="3")
    decision = decision_in(district.tenant, meeting=meeting, text="Рекомендовать практику «Ёлка знаний» к "
                                                                  "распространению в школах района")
    practice_in(district.tenant, title="Ёлка знаний", decision_id=decision.id)
    db.session.commit()
    meeting_id, decision_id = meeting.id, decision.id
    b = make_browser(district.methodist.email)

    resp = b.post(_url(district, council, f"/meetings/{meeting_id}/decisions/{decision_id}/delete"), htmx=True)
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert "Нельзя удалить «Решение «Рекомендовать практику" in text
    assert "практики банка педагогического опыта — 1" in text

    resp = b.post(_url(district, council, f"/meetings/{meeting_id}/delete"), htmx=True)
    assert "практики банка педагогического опыта — 1" in b.get(resp.headers["HX-Redirect"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id) is not None and db.session.get(Decision, decision_id) is not None


def test_a_double_click_creates_one_meeting(make_browser, district, council):
    import re

    b = make_browser(district.methodist.email)
    form = b.get(_url(district, council, "/meetings/new")).get_data(as_text=True)
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', form)
    assert match, "the new meeting form carries no one-time token"
    data = {"number": "3", "held_on": "2025-11-20", "topic": "Итоги олимпиады", "form_token": match.group(1)}
    first = b.post(_url(district, council, "/meetings/new"), data)
    second = b.post(_url(district, council, "/meetings/new"), data)
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Meeting.id)).where(Meeting.body_id == council.id)) == 1


def test_a_guest_who_joins_the_composition_is_marked_like_any_member(make_browser, district, council):
    meeting = meeting_in(district.tenant, body=council)
    guest = person_in(district.tenant, last_name="Гостева")
    db.session.commit()
    b = make_browser(district.methodist.email)
    meeting_url = _url(district, council, f"/meetings/{meeting.id}")
    assert b.post(meeting_url + "/guests", {"person_id": guest.id}, htmx=True).status_code == 200
    assert b.post(_url(district, council, "/members"), {"person_id": guest.id, "role": "member"},
                  htmx=True).status_code == 200
    assert b.post(meeting_url + "/attendance", {}, htmx=True).status_code == 200  # nobody was there
    row = db.session.scalar(db.select(Attendance).where(Attendance.meeting_id == meeting.id))
    assert row.present is False
    minutes = b.get(meeting_url + "/minutes").get_data(as_text=True)
    assert "Присутствовали (0 из 1)" in minutes and "Приглашённые" not in minutes


def test_the_minutes_keep_who_was_there_when_the_composition_changes_later(make_browser, district, council):
    was_there = member_in(district.tenant, body=council, person=person_in(district.tenant, last_name="Старова"))
    meeting = meeting_in(district.tenant, body=council, held_on=date(2025, 9, 10), is_held=True)
    newcomer = person_in(district.tenant, last_name="Новикова")
    db.session.commit()
    b = make_browser(district.methodist.email)
    meeting_url = _url(district, council, f"/meetings/{meeting.id}")
    assert b.post(meeting_url + "/attendance", {"present": [was_there.person_id]}, htmx=True).status_code == 200
    # a year later the composition is renewed: one member leaves, another joins
    assert b.post(_url(district, council, "/members"), {"person_id": newcomer.id, "role": "member"},
                  htmx=True).status_code == 200
    assert b.post(_url(district, council, f"/members/{was_there.id}/delete"), htmx=True).status_code == 200
    minutes = b.get(meeting_url + "/minutes").get_data(as_text=True)
    assert "Присутствовали (1 из 1):</strong>" in minutes and "Старова" in minutes
    assert "Новикова" not in minutes


def test_a_second_council_is_shown_under_its_own_name(make_browser, district, council):
    second = council_in(district.tenant, name="Совет по наставничеству", position=5)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/council/{second.id}/").get_data(as_text=True)
    assert "<h1>Совет по наставничеству</h1>" in page and "<title>Совет по наставничеству" in page
    assert "Заседания: Методсовет" not in page
    first = b.get(f"/{district.slug}/council/{council.id}/").get_data(as_text=True)
    assert "<h1>Методический совет</h1>" in first and "Заседания: Методсовет" in first
