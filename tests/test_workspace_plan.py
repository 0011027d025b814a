"""The district plan on the leader's and the teacher's pages: an association's items, their execution, the
year report, and the items that concern a teacher."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from factories.core import person_in, school_in
from factories.plan import direction_in, item_in, plan_in
from factories.structure import association_in, kind_in, member_in
from oms.extensions import db
from oms.models import PlanItem
from oms.models.plan import ACADEMIC_MONTHS, academic_start_year
from support import TODAY

START = academic_start_year(TODAY)
YEAR = f"{START}-{START + 1}"
PAST_MONTH = ACADEMIC_MONTHS[max(ACADEMIC_MONTHS.index(TODAY.month) - 1, 0)]
FUTURE_MONTH = 8  # August closes the academic year


@pytest.fixture
def setup(district):
    tenant = district.tenant
    school = school_in(tenant, short_name="СШ № 1", name="МБОУ «Средняя школа № 1»")
    kind = kind_in(tenant, "association", name="Городская группа педагогов")
    leader_person = person_in(tenant, last_name="Лидерова", school_id=school.id, user_id=district.leader.id)
    teacher_person = person_in(tenant, last_name="Учителева", school_id=school.id, user_id=district.teacher.id,
                               subjects="Математика", position="учитель")
    own = association_in(tenant, kind=kind, name="Городская группа учителей истории")
    other = association_in(tenant, kind=kind, name="Творческая группа «Наставник»")
    member_in(tenant, body=own, person=leader_person, role="leader")
    member_in(tenant, body=own, person=teacher_person)
    member_in(tenant, body=other, role="leader")
    plan = plan_in(tenant, start_year=START)
    direction = direction_in(tenant, name="Организационно-методическое направление")
    db.session.commit()
    return type("Setup", (), {"tenant": tenant, "school": school, "own": own, "other": other, "plan": plan,
                              "direction": direction, "leader_person": leader_person,
                              "teacher_person": teacher_person, "kind": kind})


def _item(setup, title, **kw):
    return item_in(setup.tenant, setup.plan, setup.direction, title=title, **kw)


def test_the_leader_home_shows_this_years_items_and_their_execution(make_browser, district, setup):
    _item(setup, "Заседание группы № 1", body_id=setup.own.id, status="done", months=(PAST_MONTH,))
    _item(setup, "Открытые уроки группы", body_id=setup.own.id, months=(FUTURE_MONTH,))
    _item(setup, "Семинар чужой группы", body_id=setup.other.id)
    db.session.commit()
    page = make_browser(district.leader.email).get(f"/{district.slug}/my/").get_data(as_text=True)
    assert "Заседание группы № 1" in page and "Открытые уроки группы" in page
    assert "Семинар чужой группы" not in page
    assert "1 / 2" in page and "выполнение плана" in page and 'class="completion">50 %' in page
    assert f"Мероприятия плана на {START}/{START + 1}" in page


def test_the_leader_adds_and_executes_an_association_item_from_the_workspace(make_browser, district, setup):
    b = make_browser(district.leader.email)
    page = b.get(f"/{district.slug}/my/associations/{setup.own.id}/").get_data(as_text=True)
    add = f"/{district.slug}/plans/{YEAR}/items/new?body_id={setup.own.id}&amp;ctx=body"
    assert add in page
    form = b.get(add.replace("&amp;", "&"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Городская группа учителей истории" in form and "Творческая группа «Наставник»" not in form
    data = {"title": "Круглый стол «Уроки истории родного края»", "direction_id": setup.direction.id,
            "months": [PAST_MONTH], "audience": "учителя истории", "body_id": setup.own.id}
    resp = b.post(f"/{district.slug}/plans/{YEAR}/items?body_id={setup.own.id}&ctx=body", data, htmx=True)
    assert resp.status_code == 200 and "Круглый стол" in resp.get_data(as_text=True)
    item = db.session.scalar(db.select(PlanItem).where(PlanItem.title.startswith("Круглый стол")))
    assert item.body_id == setup.own.id and item.plan_id == setup.plan.id and item.status == "planned"
    # the same form with another association as organiser is refused, by its field or by the URL
    for query in (f"body_id={setup.own.id}&ctx=body", f"body_id={setup.other.id}&ctx=body"):
        forged = b.post(f"/{district.slug}/plans/{YEAR}/items?{query}", dict(data, body_id=setup.other.id,
                                                                               title="Подлог"), htmx=True)
        assert forged.status_code == 422, query
    assert db.session.scalar(db.select(PlanItem.id).where(PlanItem.title == "Подлог")) is None
    # executed from the same page
    done_on = min(TODAY, setup.plan.last_day)
    resp = b.post(f"/{district.slug}/plans/{YEAR}/items/{item.id}/execution",
                  {"status": "done", "actual_date": done_on.isoformat(), "participants_count": "14",
                   "result_note": "Материалы — в банке опыта", "version": item.version}, htmx=True)
    assert resp.status_code == 200
    assert db.session.get(PlanItem, item.id).status == "done"
    page = b.get(f"/{district.slug}/my/associations/{setup.own.id}/").get_data(as_text=True)
    assert "Материалы — в банке опыта" in page
    # another association's item cannot be marked by this leader
    theirs = _item(setup, "Чужое мероприятие", body_id=setup.other.id)
    db.session.commit()
    assert b.post(f"/{district.slug}/plans/{YEAR}/items/{theirs.id}/execution",
                  {"status": "cancelled", "cancel_reason": "x", "version": theirs.version}).status_code == 403
    assert db.session.get(PlanItem, theirs.id).status == "planned"


def test_the_year_report_lists_items_done_not_done_and_coming(make_browser, district, setup):
    _item(setup, "Выполненное мероприятие", body_id=setup.own.id, status="done", months=(PAST_MONTH,),
          actual_date=min(TODAY, setup.plan.last_day), participants_count=12, result_note="Итоги подведены")
    _item(setup, "Отменённое мероприятие", body_id=setup.own.id, status="cancelled", cancel_reason="Карантин")
    _item(setup, "Будущее мероприятие", body_id=setup.own.id, months=(FUTURE_MONTH,))
    _item(setup, "=1+1 мероприятие", body_id=setup.own.id, status="moved", moved_to_month=5)
    _item(setup, "Мероприятие другой группы", body_id=setup.other.id, status="done")
    db.session.commit()
    resp = make_browser(district.leader.email).get(f"/{district.slug}/my/associations/{setup.own.id}/report.xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    text = [str(c) for row in rows for c in row]
    titles = {row[0]: i for i, row in enumerate(rows) if row}
    done, not_done, coming = (titles["2. Мероприятия плана: выполнено"], titles["3. Мероприятия плана: не выполнено"],
                              titles["4. Мероприятия плана: срок не наступил"])
    where = {t: i for i, row in enumerate(rows) for t in row if isinstance(t, str)}
    assert done < where["Выполненное мероприятие"] < not_done
    assert not_done < where["Отменённое мероприятие"] < coming and "Карантин" in text
    assert not_done < where["'=1+1 мероприятие"] < coming and "перенесено на май" in text
    assert coming < where["Будущее мероприятие"] < titles["5. Состав"]
    assert "Мероприятие другой группы" not in text
    assert "4: выполнено 1, не выполнено 2, предстоит 1" in text
    assert "Итоги подведены" in text and 12 in [c for row in rows for c in row]


def test_without_a_plan_the_report_says_so(make_browser, district, setup):
    resp = make_browser(district.leader.email).get(
        f"/{district.slug}/my/associations/{setup.own.id}/report.xlsx?year={START - 1}")
    text = [str(c) for row in load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True)
            for c in row if c is not None]
    assert f"Плана работы на {START - 1}/{START} учебный год нет." in text


def test_the_teacher_sees_the_items_that_concern_them_and_why(make_browser, district, setup):
    _item(setup, "Мастер-класс Учителевой", people=[setup.teacher_person], months=(FUTURE_MONTH,))
    _item(setup, "Заседание группы историков", body_id=setup.own.id, audience="члены объединения")
    _item(setup, "Семинар для учителей математики", audience="учителя математики и физики")
    _item(setup, "Конкурс для педагогов района", audience="педагоги района")
    _item(setup, "Совещание заместителей директоров", audience="заместители директоров по ВР")
    _item(setup, "Заседание чужой группы", body_id=setup.other.id, audience="члены объединения")
    db.session.commit()
    page = make_browser(district.teacher.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    personal, general = page.split("Для всех педагогов района (")
    assert "Мастер-класс Учителевой" in personal and "вы ответственный" in personal
    assert "Заседание группы историков" in personal and "проводит ваше объединение" in personal
    assert "Семинар для учителей математики" in personal and "ваш предмет: математика" in personal
    assert "Конкурс для педагогов района" in general and general.startswith("1)")
    assert "Совещание заместителей директоров" not in page and "Заседание чужой группы" not in page


def test_the_months_events_come_from_this_years_plan(make_browser, district, setup):
    _item(setup, "Районный семинар этого месяца", months=(TODAY.month,))
    _item(setup, "Отменённое в этом месяце", months=(TODAY.month,), status="cancelled")
    _item(setup, "Уже прошедший день", months=(TODAY.month,), date_from=TODAY - timedelta(days=1)
          if TODAY.day > 1 else None)
    _item(setup, "Мероприятие на август", months=(FUTURE_MONTH,))
    db.session.commit()
    page = make_browser(district.teacher.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    month = page.split('id="month-h"')[1].split("</section>")[0]
    assert "Районный семинар этого месяца" in month
    assert "Отменённое в этом месяце" not in month and "Мероприятие на август" not in month
    if TODAY.day > 1:
        assert "Уже прошедший день" not in month


def test_the_own_pages_cost_the_same_queries_with_a_long_plan(make_browser, district, setup, count_queries):
    for i in range(3):
        _item(setup, f"Мероприятие группы {i}", body_id=setup.own.id, people=[setup.teacher_person])
    db.session.commit()
    leader, teacher = make_browser(district.leader.email), make_browser(district.teacher.email)
    urls = [(leader, f"/{district.slug}/my/"), (leader, f"/{district.slug}/my/associations/{setup.own.id}/"),
            (teacher, f"/{district.slug}/me/")]
    few = []
    for b, url in urls:
        b.get(url)
        with count_queries() as q:
            assert b.get(url).status_code == 200
        few.append(q.count)
    for i in range(40):
        people = [setup.teacher_person, person_in(setup.tenant)] if i % 2 else []
        _item(setup, f"Ещё мероприятие {i}", body_id=setup.own.id if i % 3 else None, people=people,
              audience="учителя математики", months=(TODAY.month,))
    db.session.commit()
    many = []
    for b, url in urls:
        with count_queries() as q:
            assert b.get(url).status_code == 200
        many.append(q.count)
    assert many == few
