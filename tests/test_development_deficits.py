"""Deficits, the catalogue of competence areas and individual routes: a deficit closes with its route."""
from datetime import date

import pytest

from factories.development import area_in, course_in, deficit_in, mentorship_in, step_in, teacher_in
from oms.extensions import db
from oms.models import CompetenceArea, Deficit, RouteStep
from oms.models.development import DEFAULT_AREAS
from support import TODAY


def _url(district, tail):
    return f"/{district.slug}/development{tail}"


def _deficit(deficit_id):
    db.session.expire_all()
    return db.session.get(Deficit, deficit_id)


def _steps(person_id):
    return db.session.scalars(db.select(RouteStep).where(RouteStep.person_id == person_id)
                              .order_by(RouteStep.id)).all()


def test_methodist_records_a_deficit(make_browser, district):
    teacher = teacher_in(district.tenant, last_name="Дефицитова")
    area = area_in(district.tenant, name="Цифровые компетенции")
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{teacher.id}/deficits/new"),
                  {"area_id": area.id, "source": "observation", "found_on": "2025-10-01",
                   "note": "Не использует ЦОР на уроках"})
    assert resp.status_code == 302
    deficit = db.session.scalar(db.select(Deficit).where(Deficit.person_id == teacher.id))
    assert (deficit.area_id, deficit.source, deficit.status) == (area.id, "observation", "open")
    page = b.get(_url(district, f"/people/{teacher.id}/")).get_data(as_text=True)
    assert "Цифровые компетенции" in page and "Не использует ЦОР на уроках" in page


@pytest.mark.parametrize("change, message", [
    ({"area_id": ""}, "Выберите область компетенций."),
    ({"area_id": "999999"}, "Такого значения нет в списке"),
    ({"source": "rumours"}, "Выберите значение из списка."),
    ({"found_on": ""}, "Укажите, когда выявлен дефицит."),
    ({"found_on": "2999-01-01"}, "Дата выявления не может быть в будущем."),
    ({"note": "х" * 2001}, "Не длиннее 2000 символов."),
])
def test_bad_deficit_input_is_refused(make_browser, district, change, message):
    teacher = teacher_in(district.tenant)
    area = area_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    data = {"area_id": area.id, "source": "diagnostic", "found_on": "2025-10-01", **change}
    resp = b.post(_url(district, f"/people/{teacher.id}/deficits/new"), data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Deficit.id))) == 0


def test_an_area_of_another_district_cannot_be_chosen(make_browser, district, make_tenant):
    teacher = teacher_in(district.tenant)
    foreign = area_in(make_tenant())
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{teacher.id}/deficits/new"),
                  {"area_id": foreign.id, "source": "diagnostic", "found_on": "2025-10-01"})
    assert resp.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Deficit.id))) == 0


def test_a_deficit_closes_when_its_route_is_done_and_reopens(make_browser, district):
    tenant = district.tenant
    teacher = teacher_in(tenant)
    deficit = deficit_in(tenant, person=teacher)
    person_id, deficit_id = deficit.person_id, deficit.id
    course = course_in(tenant, person=teacher, title="Курс по ФГОС")
    db.session.commit()
    b = make_browser(district.methodist.email)
    new = _url(district, f"/people/{person_id}/steps/new")
    assert b.post(new, {"deficit_id": deficit_id, "kind": "course", "title": "Курсы по ФГОС",
                        "course_id": course.id, "due_month": "2025-11"}).status_code == 302
    assert b.post(new, {"deficit_id": deficit_id, "kind": "self_study", "title": "Открытый урок",
                        "due_month": "12.2025"}).status_code == 302
    first, second = _steps(person_id)
    assert (first.course_id, first.due_month, second.due_month) == (course.id, date(2025, 11, 1), date(2025, 12, 1))

    def status(step, value):
        return b.post(_url(district, f"/people/{person_id}/steps/{step}/status"), {"status": value},
                      follow_redirects=True)

    status(first.id, "done")
    assert _deficit(deficit_id).status == "open"
    resp = status(second.id, "done")
    assert "дефицит закрыт" in resp.get_data(as_text=True)
    closed = _deficit(deficit_id)
    assert closed.status == "closed" and closed.closed_on == TODAY
    resp = status(first.id, "planned")  # reopened step: the deficit is open again
    assert "Дефицит снова открыт" in resp.get_data(as_text=True)
    assert _deficit(deficit_id).status == "open" and _deficit(deficit_id).closed_on is None
    status(first.id, "cancelled")  # a cancelled step does not hold the deficit open
    assert _deficit(deficit_id).status == "closed"
    # a new planned step opens it again
    assert b.post(new, {"deficit_id": deficit_id, "kind": "self_study", "title": "Ещё один шаг",
                        "due_month": "2026-01"}).status_code == 302
    assert _deficit(deficit_id).status == "open"


def test_moving_a_step_to_another_deficit_re_evaluates_both(make_browser, district):
    tenant = district.tenant
    teacher = teacher_in(tenant)
    a = deficit_in(tenant, person=teacher)
    b_deficit = deficit_in(tenant, person=teacher)
    done = step_in(tenant, deficit=a, status="done", done_on=date(2025, 10, 1))
    planned = step_in(tenant, deficit=a)
    db.session.commit()
    ids = (a.id, b_deficit.id, planned.id, a.person_id)
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{ids[3]}/steps/{ids[2]}/edit"),
                  {"deficit_id": ids[1], "kind": "self_study", "title": "Перенесённый шаг", "due_month": "2025-12",
                   "version": 1})
    assert resp.status_code == 302
    assert _deficit(ids[0]).status == "closed" and _deficit(ids[1]).status == "open"
    assert done.id


@pytest.mark.parametrize("change, message", [
    ({"kind": "course", "title": ""}, "Опишите шаг"),
    ({"due_month": ""}, "Укажите месяц."),
    ({"due_month": "13.2025"}, "Укажите месяц в формате мм.гггг."),
    ({"due_month": "скоро"}, "Укажите месяц в формате мм.гггг."),
    ({"kind": "mentoring", "title": ""}, "Выберите наставническую пару или опишите шаг."),
    ({"deficit_id": "abc"}, "Такого значения нет в списке"),
])
def test_bad_step_input_is_refused(make_browser, district, change, message):
    deficit = deficit_in(district.tenant)
    db.session.commit()
    person_id = deficit.person_id
    b = make_browser(district.methodist.email)
    data = {"deficit_id": deficit.id, "kind": "self_study", "title": "Шаг", "due_month": "2025-11", **change}
    resp = b.post(_url(district, f"/people/{person_id}/steps/new"), data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _steps(person_id) == []


def test_a_deficit_of_another_person_cannot_be_the_target_of_a_step(make_browser, district):
    mine = deficit_in(district.tenant)
    others = deficit_in(district.tenant)
    db.session.commit()
    person_id = mine.person_id
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{person_id}/steps/new"),
                  {"deficit_id": others.id, "kind": "self_study", "title": "Шаг", "due_month": "2025-11"})
    assert resp.status_code == 422
    assert _steps(person_id) == []


def test_a_step_is_reached_only_through_its_person(make_browser, district):
    step = step_in(district.tenant)
    stranger = teacher_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = _url(district, f"/people/{stranger.id}/steps/{step.id}")
    assert b.get(f"{base}/edit").status_code == 404
    assert b.post(f"{base}/status", {"status": "done"}).status_code == 404
    assert b.post(f"{base}/delete").status_code == 404
    assert db.session.get(RouteStep, step.id).status == "planned"


def test_the_status_of_a_deficit_with_steps_follows_the_steps(make_browser, district):
    deficit = deficit_in(district.tenant)
    step_in(district.tenant, deficit=deficit)
    db.session.commit()
    deficit_id = deficit.id
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/deficits/{deficit_id}/edit"),
                  {"area_id": deficit.area_id, "source": "diagnostic", "found_on": "2025-09-15", "status": "closed",
                   "version": deficit.version})
    assert resp.status_code == 422 and "определяют шаги маршрута" in resp.get_data(as_text=True)
    assert _deficit(deficit_id).status == "open"


def test_a_deficit_without_steps_is_closed_by_hand_and_deleted_with_its_steps(make_browser, district):
    teacher = teacher_in(district.tenant)
    deficit = deficit_in(district.tenant, person=teacher)
    other = deficit_in(district.tenant, person=teacher)
    step_in(district.tenant, deficit=other)
    db.session.commit()
    ids = (deficit.id, other.id, deficit.area_id, deficit.person_id)
    b = make_browser(district.methodist.email)
    assert b.post(_url(district, f"/deficits/{ids[0]}/edit"),
                  {"area_id": ids[2], "source": "diagnostic", "found_on": "2025-09-15", "status": "closed",
                   "version": 1}).status_code == 302
    assert _deficit(ids[0]).status == "closed"
    assert b.post(_url(district, f"/deficits/{ids[1]}/delete")).status_code == 302
    assert _deficit(ids[1]) is None and _steps(ids[3]) == []


def test_deficits_grouped_by_area_for_planning(make_browser, district):
    tenant = district.tenant
    digital = area_in(tenant, name="Цифровые компетенции")
    inclusive = area_in(tenant, name="Работа с детьми с ОВЗ")
    for _ in range(3):
        deficit_in(tenant, area=digital)
    deficit_in(tenant, area=digital, status="closed")
    deficit_in(tenant, area=inclusive, person=teacher_in(tenant, last_name="Инклюзивова"))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(_url(district, "/deficits/")).get_data(as_text=True)
    summary = page.split('class="table area-summary"')[1].split("</table>")[0]
    assert summary.index("Цифровые компетенции") < summary.index("Работа с детьми с ОВЗ")
    digital_row = summary.split("Цифровые компетенции")[1].split("</tr>")[0]
    assert "<strong>3</strong>" in digital_row and ">1</a>" in digital_row
    only = b.get(_url(district, f"/deficits/?area={inclusive.id}")).get_data(as_text=True)
    assert "Инклюзивова" in only.split('id="deficits-list"')[1]
    home = b.get(f"/{district.slug}/").get_data(as_text=True)
    assert f'data-area="{digital.id}">3<' in home


def test_the_catalogue_of_areas(make_browser, district):
    b = make_browser(district.methodist.email)
    url = _url(district, "/areas/")
    assert "Перечень пока пуст" in b.get(url).get_data(as_text=True)
    b.post(_url(district, "/areas/defaults"))
    names = db.session.scalars(db.select(CompetenceArea.name).order_by(CompetenceArea.position)).all()
    assert names == list(DEFAULT_AREAS)
    b.post(_url(district, "/areas/defaults"))  # twice: nothing is duplicated
    assert db.session.scalar(db.select(db.func.count(CompetenceArea.id))) == len(DEFAULT_AREAS)
    resp = b.post(url, {"name": "ЦИФРОВЫЕ  компетенции"})
    assert resp.status_code == 422 and "Такая область уже есть в перечне." in resp.get_data(as_text=True)
    resp = b.post(url, {"name": ""})
    assert resp.status_code == 422 and "Введите название области." in resp.get_data(as_text=True)
    assert b.post(url, {"name": "Проектная деятельность"}).status_code == 302
    used = db.session.scalar(db.select(CompetenceArea).where(CompetenceArea.name == "Предметные компетенции"))
    deficit_in(district.tenant, area=used)
    db.session.commit()
    used_id = used.id
    resp = b.post(_url(district, f"/areas/{used_id}/delete"), follow_redirects=True)
    assert "Нельзя удалить «Предметные компетенции»" in resp.get_data(as_text=True)
    assert db.session.get(CompetenceArea, used_id) is not None
    new = db.session.scalar(db.select(CompetenceArea).where(CompetenceArea.name == "Проектная деятельность"))
    new_id = new.id
    assert b.post(_url(district, f"/areas/{new_id}/edit"), {"name": "Проектная и исследовательская деятельность",
                                                             "position": "3"}).status_code == 302
    assert db.session.get(CompetenceArea, new_id).name == "Проектная и исследовательская деятельность"
    assert b.post(_url(district, f"/areas/{new_id}/delete")).status_code == 302
    assert db.session.get(CompetenceArea, new_id) is None


def test_mentoring_step_links_the_pair(make_browser, district):
    mentee = teacher_in(district.tenant, is_young_specialist=True)
    pair = mentorship_in(district.tenant, mentee=mentee)
    deficit = deficit_in(district.tenant, person=mentee)
    db.session.commit()
    mentee_id, pair_id = pair.mentee_id, pair.id
    b = make_browser(district.methodist.email)
    assert b.post(_url(district, f"/people/{mentee_id}/steps/new"),
                  {"deficit_id": deficit.id, "kind": "mentoring", "mentorship_id": pair_id,
                   "due_month": "2025-12"}).status_code == 302
    (step,) = _steps(mentee_id)
    assert step.mentorship_id == pair_id and step.title == "Работа с наставником"
    page = b.get(_url(district, f"/people/{mentee_id}/")).get_data(as_text=True)
    assert f"/development/mentoring/{pair_id}/" in page


def test_a_plan_item_step_is_chosen_with_the_picker(make_browser, district, make_tenant, count_queries):
    """The form lists no plan items (the picker finds them: last, this and next year's open ones); the chosen
    one is saved, a missing one is asked for in Russian, another district's or an old plan's one is refused;
    the step's item stays chosen after it is cancelled."""
    from factories.plan import item_in, plan_in

    tenant = district.tenant
    teacher = teacher_in(tenant)
    seminar = item_in(tenant, plan=plan_in(tenant, 2025), title="Семинар «Функциональная грамотность»")
    old = item_in(tenant, plan=plan_in(tenant, 2022), title="Семинар старого плана")
    other = make_tenant()
    foreign = item_in(other, plan=plan_in(other, 2025), title="Семинар чужого района")
    db.session.commit()
    person_id, seminar_id = teacher.id, seminar.id
    b = make_browser(district.methodist.email)
    new = _url(district, f"/people/{person_id}/steps/new")

    def form_page():
        with count_queries() as q:
            body = b.get(new).get_data(as_text=True)
        return body, q.count

    body, queries = form_page()
    assert "Семинар «Функциональная грамотность»" not in body  # found by typing, never listed
    assert f"/{district.slug}/pick/plan_item?" in body and "years=2024,2025,2026" in body and "open=1" in body
    for n in range(30):
        item_in(tenant, plan=plan_in(tenant, 2025), title=f"Вебинар № {n}")
    db.session.commit()
    more_body, more_queries = form_page()
    assert more_queries == queries and len(more_body) < len(body) + 100

    data = {"kind": "plan_item", "title": "", "due_month": "2025-11"}
    resp = b.post(new, data)
    assert resp.status_code == 422 and "Выберите мероприятие плана." in resp.get_data(as_text=True)
    for refused in (foreign.id, old.id, 999999):
        resp = b.post(new, {**data, "plan_item_id": refused})
        assert resp.status_code == 422 and "найдите его заново" in resp.get_data(as_text=True)
    assert _steps(person_id) == []

    assert b.post(new, {**data, "plan_item_id": seminar_id}).status_code == 302
    (step,) = _steps(person_id)
    assert (step.plan_item_id, step.title) == (seminar_id, "Семинар «Функциональная грамотность»")

    db.session.get(type(seminar), seminar_id).status = "cancelled"  # out of the picker's range since
    db.session.commit()
    edit = _url(district, f"/people/{person_id}/steps/{step.id}/edit")
    body = b.get(edit).get_data(as_text=True)
    assert 'class="chip"><span>Семинар «Функциональная грамотность»</span>' in body
    assert b.post(edit, {**data, "plan_item_id": seminar_id, "version": step.version,
                         "title": "Семинар по грамотности"}).status_code == 302
    assert _steps(person_id)[0].plan_item_id == seminar_id
