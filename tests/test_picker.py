"""The one person picker: the scoped search behind it, and the fields that check what it posts."""
import pytest

from factories.core import person_in, school_in
from factories.plan import direction_in, form_in, plan_in
from oms.extensions import db
from oms.models import PlanItem, PlanItemResponsible


def text(resp):
    return resp.get_data(as_text=True)


def pick(b, slug, q, **args):
    return b.get(f"/{slug}/people/pick", query_string={"pick_q": q, **args}, headers={"HX-Request": "true"})


@pytest.fixture
def viewer(make_browser, district):
    return make_browser(district.teacher.email)


def test_search_finds_the_districts_people_only(viewer, district, make_tenant):
    t = district.tenant
    mine = person_in(t, last_name="Елкина", first_name="Ольга", position="учитель химии")
    other = make_tenant()
    person_in(other, last_name="Елкина", first_name="Чужая")
    db.session.commit()
    resp = pick(viewer, district.slug, "ёлкина")  # folded: ё finds е
    body = text(resp)
    assert resp.status_code == 200
    assert f'data-id="{mine.id}"' in body and "учитель химии" in body
    assert "Чужая" not in body
    assert pick(viewer, other.slug, "Елкина").status_code == 404  # another district's slug


def test_empty_query_gives_a_hint_and_nothing_found_says_so(viewer, district):
    person_in(district.tenant, last_name="Петрова")
    db.session.commit()
    assert "Начните вводить" in text(pick(viewer, district.slug, "  "))
    assert "Никого не нашли" in text(pick(viewer, district.slug, "Сидоров"))


def test_first_school_first_then_by_name_excluded_and_chosen_left_out(viewer, district):
    t = district.tenant
    school = school_in(t, short_name="СШ № 7")
    a = person_in(t, last_name="Аксёнова")
    b_ = person_in(t, last_name="Борисова", school_id=school.id)
    c = person_in(t, last_name="Власова")
    d = person_in(t, last_name="Гусева")
    db.session.commit()
    body = text(pick(viewer, district.slug, "анна", school=school.id))
    assert body.index(f'data-id="{b_.id}"') < body.index(f'data-id="{a.id}"') < body.index(f'data-id="{c.id}"')
    assert "СШ № 7" in body
    body = text(pick(viewer, district.slug, "анна", exclude=f"{a.id},{c.id}", chosen=str(d.id)))
    assert f'data-id="{b_.id}"' in body
    assert all(f'data-id="{p.id}"' not in body for p in (a, c, d))


def test_at_most_twenty_options_in_a_constant_number_of_queries(viewer, district, count_queries):
    t = district.tenant
    school = school_in(t)
    for n in range(5):
        person_in(t, last_name=f"Смирнова{n}", school_id=school.id)
    db.session.commit()
    with count_queries() as few:
        pick(viewer, district.slug, "смирнова")
    for n in range(5, 60):
        person_in(t, last_name=f"Смирнова{n}", school_id=school.id)
    db.session.commit()
    with count_queries() as many:
        body = text(pick(viewer, district.slug, "смирнова"))
    assert body.count("data-picker-option") == 20
    assert "уточните запрос" in body
    assert many.count == few.count


@pytest.fixture
def plan_setup(district):
    t = district.tenant
    s = type("Setup", (), {})()
    s.direction, s.form = direction_in(t, "Аналитическая", position=1), form_in(t, "Семинар")
    s.first, s.second = person_in(t, last_name="Петрова"), person_in(t, last_name="Сорокина")
    plan_in(t, 2025)
    db.session.commit()
    s.url = f"/{t.slug}/plans/2025-2026/items"
    return s


def _item(s, responsible):
    return {"direction_id": s.direction.id, "form_id": s.form.id, "title": "Семинар", "months": ["10"],
            "responsible": responsible}


def test_the_plan_item_keeps_the_chosen_people_in_order(make_browser, district, plan_setup):
    b = make_browser(district.methodist.email)
    s = plan_setup
    resp = b.post(s.url, _item(s, [s.second.id, s.first.id, s.second.id]), htmx=True)
    assert resp.status_code == 200
    assert db.session.scalars(db.select(PlanItemResponsible.person_id)
                              .order_by(PlanItemResponsible.position)).all() == [s.second.id, s.first.id]


def test_a_foreign_or_made_up_id_is_refused_and_nothing_saved(make_browser, district, plan_setup, make_tenant):
    b = make_browser(district.methodist.email)
    s = plan_setup
    stranger = person_in(make_tenant(), last_name="Чужакова")
    db.session.commit()
    for bad in ([s.first.id, stranger.id], ["abc"], [10 ** 9]):
        resp = b.post(s.url, _item(s, bad), htmx=True)
        assert resp.status_code == 422
        assert "Такого человека нет среди педагогов района" in text(resp)
        assert "Чужакова" not in text(resp)
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_the_form_shows_chips_of_the_chosen_and_no_list_of_everybody(make_browser, district, plan_setup):
    b = make_browser(district.methodist.email)
    s = plan_setup
    for n in range(30):
        person_in(district.tenant, last_name=f"Лишняя{n}")
    db.session.commit()
    resp = b.post(s.url, _item(s, [s.second.id]) | {"title": ""}, htmx=True)  # back with an error
    body = text(resp)
    assert resp.status_code == 422
    assert f'name="responsible" value="{s.second.id}"' in body and "Сорокина" in body
    assert 'aria-label="Убрать: Сорокина' in body
    assert "Лишняя" not in body and "Петрова" not in body
    assert 'name="pick_q"' in body and "/people/pick" in body


def test_the_council_page_no_longer_lists_every_person(make_browser, district):
    from factories.structure import council_in, meeting_in

    t = district.tenant
    council = council_in(t)
    meeting = meeting_in(t, body=council)
    for n in range(300):
        person_in(t, last_name=f"Многолюдова{n}", position="учитель начальных классов")
    db.session.commit()
    b = make_browser(district.methodist.email)
    for url in (f"/{t.slug}/council/{council.id}", f"/{t.slug}/council/{council.id}/meetings/{meeting.id}"):
        resp = b.get(url, follow_redirects=True)
        page = text(resp)
        assert resp.status_code == 200 and 'data-picker' in page
        assert "Многолюдова" not in page
        assert len(resp.data) < 30_000  # was 35 KB more with these 300 people in a <select>


def test_the_council_refuses_a_member_twice_or_a_stranger_and_saves_nothing(make_browser, district, make_tenant):
    from factories.structure import council_in, member_in
    from oms.models import BodyMember

    t = district.tenant
    council = council_in(t)
    member = member_in(t, body=council)
    stranger = person_in(make_tenant(), last_name="Чужакова")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{t.slug}/council/{council.id}/members"
    for person_id, message in ((member.person_id, "Этот человек уже в составе."),
                               (stranger.id, "Такого человека нет среди педагогов района"),
                               ("", "Выберите человека.")):
        resp = b.post(url, {"person_id": person_id, "role": "member"}, htmx=True)
        assert resp.status_code == 422 and message in text(resp)
    assert db.session.scalar(db.select(db.func.count(BodyMember.id))) == 1
