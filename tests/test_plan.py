"""The annual plan: items in place, approval and its lock, execution, copying, analysis, roles."""
import re
from datetime import date

import pytest

from factories.core import person_in, school_in
from factories.plan import body_in, direction_in, form_in, item_in, plan_in
from oms.extensions import db
from oms.models import AuditEvent, Plan, PlanItem, PlanItemResponsible, PlanStatusChange
from oms.models.plan import mask_of, months_of

YEAR = "2025-2026"


@pytest.fixture
def setup(district):
    """A district with two directions, a form, a person and a draft 2025/2026 plan."""
    t = district.tenant
    d = type("Setup", (), {})()
    d.district, d.tenant, d.slug = district, t, t.slug
    d.analytic = direction_in(t, "Аналитическая", position=1)
    d.info = direction_in(t, "Информационная", position=2)
    d.seminar = form_in(t, "Семинар")
    d.person = person_in(t, last_name="Петрова", first_name="Мария", middle_name="Ивановна")
    d.plan = plan_in(t, 2025)
    db.session.commit()
    d.url = f"/{t.slug}/plans/{YEAR}"
    return d


def item_data(s, **kw):
    data = {"direction_id": s.analytic.id, "form_id": s.seminar.id, "title": "Семинар для заместителей директоров по УВР",
            "months": ["10", "11"], "audience": "заместители директоров по УВР", "responsible": [s.person.id],
            "expected_result": "Методические рекомендации"}
    data.update(kw)
    return data


def items_count(plan_id=None):
    stmt = db.select(db.func.count(PlanItem.id))
    if plan_id:
        stmt = stmt.where(PlanItem.plan_id == plan_id)
    return db.session.scalar(stmt)


def text(resp):
    return resp.get_data(as_text=True)


# ---- adding and editing items -------------------------------------------------------------

def test_methodist_adds_an_item_in_place(make_browser, setup):
    b = make_browser(setup.district.methodist.email)
    form = b.get(f"{setup.url}/items/new?direction_id={setup.analytic.id}&ctx=section", headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<form" in text(form) and "Новое мероприятие" in text(form)
    resp = b.post(f"{setup.url}/items?direction_id={setup.analytic.id}&ctx=section",
                  item_data(setup, date_from="2025-10-16"), htmx=True)
    assert resp.status_code == 200
    body = text(resp)
    assert "Семинар для заместителей директоров по УВР" in body and 'id="add-d' in body  # the row and the add button
    item = db.session.scalars(db.select(PlanItem)).one()
    assert item.date_from == date(2025, 10, 16)
    assert months_of(item.months) == [10, 11]
    assert db.session.scalars(db.select(PlanItemResponsible.person_id)).all() == [setup.person.id]
    assert "16.10.2025, ноябрь" in body  # the timing as the document states it
    assert ">1.1<" in body


@pytest.mark.parametrize("change, field, message", [
    ({"title": "  "}, "title", "Укажите название мероприятия."),
    ({"months": [], "date_from": ""}, "months", "Отметьте месяц (месяцы) или укажите даты проведения."),
    ({"date_from": "2024-10-01"}, "date_from", "в пределах 2025/2026 учебного года"),
    ({"date_from": "2025-10-10", "date_to": "2025-10-01"}, "date_to", "Дата окончания раньше даты начала."),
    ({"date_from": "2025-10-01", "date_to": "2026-09-30"}, "date_to", "в пределах 2025/2026 учебного года"),
    ({"date_from": "31.02.2026"}, "date_from", "Неверное значение даты."),
    ({"direction_id": ""}, "direction_id", "Выберите направление деятельности."),
    ({"direction_id": "999999"}, "direction_id", "Выберите значение из списка."),
    ({"months": ["13"]}, "months", "Отметьте месяцы из списка."),
    ({"title": "Т" * 1001}, "title", "Не длиннее 1000 символов."),
])
def test_bad_item_input_is_refused_in_russian_and_nothing_is_saved(make_browser, setup, change, field, message):
    b = make_browser(setup.district.methodist.email)
    resp = b.post(f"{setup.url}/items", item_data(setup, **change), htmx=True)
    assert resp.status_code == 422
    body = text(resp)
    assert message in body
    assert f'-{field}-err' in body  # next to its field
    assert items_count() == 0


def test_another_districts_person_or_form_cannot_be_attached(make_browser, setup, make_tenant):
    other = make_tenant()
    stranger, foreign_form = person_in(other), form_in(other, "Чужая форма")
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    resp = b.post(f"{setup.url}/items", item_data(setup, responsible=[stranger.id]), htmx=True)
    assert resp.status_code == 422 and "Такого человека нет среди педагогов района" in text(resp)
    resp = b.post(f"{setup.url}/items", item_data(setup, form_id=foreign_form.id), htmx=True)
    assert resp.status_code == 422 and "Выберите значение из списка." in text(resp)
    assert items_count() == 0


def test_editing_an_item_and_a_stale_version_shows_both(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic, title="Старое название")
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    form = b.get(f"{setup.url}/items/{item.id}/edit", headers={"HX-Request": "true"})
    assert "Старое название" in text(form)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', text(form)).group(1)
    resp = b.post(f"{setup.url}/items/{item.id}/edit", item_data(setup, title="Новое название", version=version),
                  htmx=True)
    assert resp.status_code == 200 and "Новое название" in text(resp)
    # A second editor still holds the old version: refused with both versions shown.
    resp = b.post(f"{setup.url}/items/{item.id}/edit", item_data(setup, title="Третье название", version=version),
                  htmx=True)
    assert resp.status_code == 409
    body = text(resp)
    assert "изменил другой пользователь" in body and "Новое название" in body and "Третье название" in body
    assert db.session.get(PlanItem, item.id).title == "Новое название"


def test_delete_item_asks_and_removes(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    page = text(b.get(f"{setup.url}/"))
    assert 'hx-confirm="Удалить мероприятие' in page
    resp = b.post(f"{setup.url}/items/{item.id}/delete", htmx=True)
    assert resp.status_code == 200 and resp.headers.get("HX-Trigger") == "plan-changed"
    assert items_count() == 0


def test_delete_without_csrf_changes_nothing(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    resp = b.client.post(f"{setup.url}/items/{item.id}/delete")
    assert resp.status_code == 400
    assert items_count() == 1


# ---- approval, lock, reopening ------------------------------------------------------------

def test_approve_locks_content_keeps_execution_and_reopen_is_recorded(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic, months=(10,))
    db.session.commit()
    admin = make_browser(setup.district.admin.email)
    bad = admin.post(f"{setup.url}/approve", {"act_number": "", "act_date": "", "version": setup.plan.version})
    assert bad.status_code == 422 and "Заполните это поле." in text(bad) and "Укажите дату приказа." in text(bad)
    future = admin.post(f"{setup.url}/approve", {"act_number": "12", "act_date": "2099-01-01",
                                                 "version": setup.plan.version})
    assert future.status_code == 422 and "не может быть в будущем" in text(future)
    resp = admin.post(f"{setup.url}/approve", {"act_number": "112-од", "act_date": "29.08.2025",
                                               "version": setup.plan.version})
    assert resp.status_code == 302
    plan = db.session.get(Plan, setup.plan.id)
    assert plan.status == "approved" and plan.act_number == "112-од" and plan.act_date == date(2025, 8, 29)
    assert plan.approved_by_id == setup.district.admin.id

    methodist = make_browser(setup.district.methodist.email)
    page = text(methodist.get(f"{setup.url}/"))
    assert "Утверждён" in page and "112-од" in page and "Изменить</a>" not in page
    # Content is locked for everyone…
    resp = methodist.post(f"{setup.url}/items/{item.id}/edit", item_data(setup, title="Другое", version=1), htmx=True)
    assert resp.status_code == 409 and "План утверждён" in text(resp)
    assert methodist.post(f"{setup.url}/items", item_data(setup), htmx=True).status_code == 409
    assert methodist.post(f"{setup.url}/items/{item.id}/delete", htmx=True).status_code == 409
    assert items_count() == 1 and db.session.get(PlanItem, item.id).title != "Другое"
    # …while the execution is marked as before.
    resp = methodist.post(f"{setup.url}/items/{item.id}/execution",
                          {"status": "done", "actual_date": "2025-10-20", "participants_count": "34",
                           "result_note": "Рекомендации направлены в школы", "version": item.version}, htmx=True)
    assert resp.status_code == 200 and "выполнено" in text(resp)
    done = db.session.get(PlanItem, item.id)
    assert (done.status, done.actual_date, done.participants_count) == ("done", date(2025, 10, 20), 34)

    # Reopening needs a reason; it is recorded with who and when.
    assert admin.post(f"{setup.url}/reopen", {"reason": "", "version": plan.version}).status_code == 422
    resp = admin.post(f"{setup.url}/reopen", {"reason": "Добавить мероприятия по наставничеству",
                                              "version": db.session.get(Plan, plan.id).version})
    assert resp.status_code == 302
    assert db.session.get(Plan, plan.id).status == "draft"
    changes = db.session.scalars(db.select(PlanStatusChange).order_by(PlanStatusChange.id)).all()
    assert [(c.action, c.user_id) for c in changes] == [("approve", setup.district.admin.id),
                                                         ("reopen", setup.district.admin.id)]
    assert changes[1].reason == "Добавить мероприятия по наставничеству"
    history = text(admin.get(f"{setup.url}/"))
    assert "Возвращён на доработку" in history and "Добавить мероприятия по наставничеству" in history


def test_an_empty_plan_cannot_be_approved(make_browser, setup):
    admin = make_browser(setup.district.admin.email)
    resp = admin.post(f"{setup.url}/approve", {"act_number": "1", "act_date": "2025-08-29",
                                               "version": setup.plan.version})
    assert resp.status_code == 409 and "нет мероприятий" in text(resp)
    assert db.session.get(Plan, setup.plan.id).status == "draft"


@pytest.mark.parametrize("data, message", [
    ({"status": "done", "actual_date": ""}, "Укажите дату, когда мероприятие прошло."),
    ({"status": "done", "actual_date": "2024-05-01"}, "в пределах 2025/2026 учебного года"),
    ({"status": "done", "actual_date": "2025-10-01", "participants_count": "-3"}, "от 0 до 100 000"),
    ({"status": "moved", "moved_to_month": ""}, "Выберите месяц, на который перенесено мероприятие."),
    ({"status": "cancelled", "cancel_reason": " "}, "Укажите причину отмены."),
    ({"status": "lost"}, "Неверный вариант."),
])
def test_bad_execution_marks_are_refused(make_browser, setup, data, message):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    resp = b.post(f"{setup.url}/items/{item.id}/execution", dict(data, version=item.version), htmx=True)
    assert resp.status_code == 422 and message in text(resp)
    assert db.session.get(PlanItem, item.id).status == "planned"


@pytest.mark.parametrize("count", ["abc", "1e5", "12,5"])
def test_a_participant_count_that_is_not_a_whole_number_gets_one_message(make_browser, setup, count):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    resp = b.post(f"{setup.url}/items/{item.id}/execution", {"status": "done", "actual_date": "2025-10-01",
                                                             "participants_count": count, "version": item.version},
                  htmx=True)
    assert resp.status_code == 422 and "Введите целое число." in text(resp)
    assert "от 0 до 100 000" not in text(resp) and "Неверное целое" not in text(resp)  # was both messages
    assert db.session.get(PlanItem, item.id).status == "planned"


def test_moved_and_cancelled_marks_keep_only_their_own_fields(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    b.post(f"{setup.url}/items/{item.id}/execution", {"status": "done", "actual_date": "2025-10-02",
                                                      "participants_count": "5", "version": 1}, htmx=True)
    resp = b.post(f"{setup.url}/items/{item.id}/execution",
                  {"status": "moved", "moved_to_month": "3", "actual_date": "2025-10-02", "version": 2}, htmx=True)
    assert resp.status_code == 200 and "перенесено" in text(resp) and "март" in text(resp)
    moved = db.session.get(PlanItem, item.id)
    assert (moved.status, moved.moved_to_month, moved.actual_date, moved.participants_count) == ("moved", 3, None, None)


# ---- copying ------------------------------------------------------------------------------

def test_copy_previous_years_plan_into_a_new_draft(make_browser, setup):
    previous = plan_in(setup.tenant, 2024, status="approved", act_number="98-од", act_date=date(2024, 8, 30))
    item_in(setup.tenant, previous, setup.analytic, title="Олимпиада", months=(11, 12), people=[setup.person],
            date_from=date(2024, 11, 14), date_to=date(2024, 11, 16), status="done", actual_date=date(2024, 11, 14),
            participants_count=80, result_note="Итоги подведены")
    item_in(setup.tenant, previous, setup.info, title="Педсовет", months=(2,), date_from=date(2024, 2, 29),
            status="cancelled", cancel_reason="карантин")
    db.session.delete(setup.plan)  # no 2025 plan yet
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    page = text(b.get(f"{setup.url}/"))
    assert "ещё не создан" in page and "Скопировать план 2024/2025" in page
    resp = b.post(f"{setup.url}/copy")
    assert resp.status_code == 302
    new = db.session.scalar(db.select(Plan).where(Plan.start_year == 2025))
    assert new.status == "draft" and not new.act_number
    items = {i.title: i for i in db.session.scalars(db.select(PlanItem).where(PlanItem.plan_id == new.id))}
    olympiad = items["Олимпиада"]
    assert months_of(olympiad.months) == [11, 12]
    assert (olympiad.date_from, olympiad.date_to) == (date(2025, 11, 14), date(2025, 11, 16))
    assert (olympiad.status, olympiad.actual_date, olympiad.participants_count, olympiad.result_note) == \
        ("planned", None, None, "")
    assert db.session.scalars(db.select(PlanItemResponsible.person_id)
                              .where(PlanItemResponsible.item_id == olympiad.id)).all() == [setup.person.id]
    assert items["Педсовет"].date_from == date(2025, 2, 28) and items["Педсовет"].cancel_reason == ""
    assert items_count(previous.id) == 2  # the source is untouched
    # Copying again would duplicate: refused.
    again = b.post(f"{setup.url}/copy", follow_redirects=True)
    assert "уже есть мероприятия" in text(again)
    assert items_count(new.id) == 2


# ---- the list: filters, search, month view, «мои мероприятия» -----------------------------

def test_filters_search_month_view_and_my_items(make_browser, setup):
    me = person_in(setup.tenant, user_id=setup.district.methodist.id, last_name="Ахмадова")
    association = body_in(setup.tenant, "ММО учителей математики")
    item_in(setup.tenant, setup.plan, setup.analytic, title="Олимпиада по МАТЕМАТИКЕ", months=(11,), people=[me],
            body_id=association.id)
    item_in(setup.tenant, setup.plan, setup.info, title="Вебинар о ЦОС", months=(1,), status="done",
            actual_date=date(2026, 1, 20))
    item_in(setup.tenant, setup.plan, setup.info, title="Ёлочный конкурс", months=(12,))
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    hx = {"HX-Request": "true", "HX-Target": "plan-list"}

    def titles(query):
        resp = b.get(f"{setup.url}/?{query}", headers=hx)
        assert resp.status_code == 200 and "<html" not in text(resp)  # only the list, no reload
        return set(re.findall(r'<td class="plan-title">\s*<div>([^<]+)</div>', text(resp)))

    assert titles("q=математике") == {"Олимпиада по МАТЕМАТИКЕ"}  # Cyrillic, any case
    assert titles("q=елочный") == {"Ёлочный конкурс"}  # Ё = Е
    assert titles("month=1") == {"Вебинар о ЦОС"}
    assert titles(f"direction={setup.info.id}") == {"Вебинар о ЦОС", "Ёлочный конкурс"}
    assert titles("status=done") == {"Вебинар о ЦОС"}
    assert titles(f"body={association.id}") == {"Олимпиада по МАТЕМАТИКЕ"}
    assert titles(f"person={me.id}") == {"Олимпиада по МАТЕМАТИКЕ"}
    assert titles("person_q=ахмадова") == {"Олимпиада по МАТЕМАТИКЕ"}  # the picker's text, sent without script
    assert titles("person_q=никтоневедет") == set()
    assert titles("mine=1") == {"Олимпиада по МАТЕМАТИКЕ"}
    assert titles("view=month&month=12") == {"Ёлочный конкурс"}
    month_view = text(b.get(f"{setup.url}/?view=month&month=12"))
    assert "Декабрь 2025" in month_view and 'class="month-tab__count">1<' in month_view
    # The «responsible» filter is the person picker: the chosen one a chip, nobody else listed on the page.
    other = person_in(setup.tenant, last_name="Борщёва")
    item_in(setup.tenant, setup.plan, setup.info, title="Педсовет в октябре", months=(10,), people=[other])
    db.session.commit()
    page = text(b.get(f"{setup.url}/?person={me.id}"))
    chip = re.search(r'<ul class="picker__chips"[^>]*>(.*?)</ul>', page, re.S).group(1)
    assert "Ахмадова" in chip and f'name="person" value="{me.id}"' in chip
    assert "Борщёва" not in page and "Педсовет в октябре" not in page
    assert 'name="person_q"' in page  # without script the search box is sent as text
    # Numbers stay those of the document when filtering.
    filtered = text(b.get(f"{setup.url}/?direction={setup.info.id}", headers=hx))
    assert ">2.1<" in filtered and ">2.2<" in filtered


def test_the_page_runs_the_same_queries_for_30_and_300_items(make_browser, setup, count_queries):
    b = make_browser(setup.district.methodist.email)
    people = [person_in(setup.tenant) for _ in range(3)]
    body = body_in(setup.tenant)

    def add(n):
        for i in range(n):
            item_in(setup.tenant, setup.plan, (setup.analytic, setup.info)[i % 2], months=(9 + i % 4,),
                    people=people[: 1 + i % 3], body_id=body.id if i % 3 == 0 else None,
                    form_id=setup.seminar.id)
        db.session.commit()

    def queries(url):
        b.get(url)  # warm
        with count_queries() as q:
            assert b.get(url).status_code == 200
        return q.count

    add(30)
    small = [queries(f"{setup.url}/{suffix}") for suffix in ("", "?view=month&month=10", "analysis")]
    add(270)
    large = [queries(f"{setup.url}/{suffix}") for suffix in ("", "?view=month&month=10", "analysis")]
    assert small == large


# ---- analysis -----------------------------------------------------------------------------

def test_analysis_counts_per_direction_and_month(make_browser, setup):
    t, p = setup.tenant, setup.plan
    item_in(t, p, setup.analytic, months=(9,), status="done", actual_date=date(2025, 9, 10))
    item_in(t, p, setup.analytic, months=(9, 10), status="moved", moved_to_month=11)
    item_in(t, p, setup.analytic, months=(10,), status="cancelled", cancel_reason="Карантин по гриппу")
    item_in(t, p, setup.info, months=(10,), status="done", actual_date=date(2025, 10, 3))
    item_in(t, p, setup.info, months=(2,))  # its time has passed with no mark (the suite's today: 18.03.2026)
    db.session.commit()
    b = make_browser(setup.district.teacher.email)
    resp = b.get(f"{setup.url}/analysis")
    assert resp.status_code == 200
    page = text(resp)

    def row(table_id, label):
        table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
        cells = re.search(rf"<tr><td>[^<]*{label}</td>(.*?)</tr>", table, re.S).group(1)
        return [c.strip() for c in re.findall(r"<td>(.*?)</td>", cells)][:8]

    # planned done  % (done of the not cancelled: oms.services.completion)  moved  %  cancelled %  open
    assert row("by-direction", "Аналитическая") == ["3", "1", "50", "1", "33", "1", "33", "0"]
    assert row("by-direction", "Информационная") == ["2", "1", "50", "0", "0", "0", "0", "1"]
    assert row("by-month", "Сентябрь") == ["2", "1", "50", "1", "50", "0", "0", "0"]
    assert row("by-month", "Октябрь") == ["3", "1", "50", "1", "33", "1", "33", "0"]
    assert 'id="stat-done">2<' in page and 'id="stat-planned">5<' in page
    assert 'id="stat-planned">5</span><span class="stat__label">мероприятий в плане' in page
    not_done = page.split('id="not-done"')[1]
    assert "Карантин по гриппу" in not_done and "на ноябрь" in not_done and "срок прошёл" in not_done
    assert "<svg" in page and "bar--done" in page  # the chart, drawn on the server


@pytest.mark.parametrize("count, label", [(1, "мероприятие в плане"), (3, "мероприятия в плане"),
                                          (21, "мероприятие в плане")])
def test_the_analysis_total_agrees_with_its_noun(make_browser, setup, count, label):
    for _ in range(count):
        item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    page = text(make_browser(setup.district.methodist.email).get(f"{setup.url}/analysis"))
    assert f'id="stat-planned">{count}</span><span class="stat__label">{label}<' in page


def test_body_items_partial_lists_only_that_association(make_browser, setup):
    ours, other = body_in(setup.tenant, "ММО учителей истории"), body_in(setup.tenant, "ММО учителей химии")
    item_in(setup.tenant, setup.plan, setup.analytic, title="Заседание ММО историков", body_id=ours.id)
    item_in(setup.tenant, setup.plan, setup.analytic, title="Заседание ММО химиков", body_id=other.id)
    db.session.commit()
    b = make_browser(setup.district.teacher.email)
    resp = b.get(f"{setup.url}/bodies/{ours.id}/items", headers={"HX-Request": "true"})
    assert resp.status_code == 200 and "<html" not in text(resp)
    assert "Заседание ММО историков" in text(resp) and "химиков" not in text(resp)
    assert "Добавить мероприятие" not in text(resp)  # a teacher only reads
    full = b.get(f"{setup.url}/bodies/{ours.id}/items")
    assert full.status_code == 200 and "ММО учителей истории" in text(full)


# ---- roles --------------------------------------------------------------------------------

def test_teacher_reads_and_exports_but_cannot_change(make_browser, setup):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    b = make_browser(setup.district.teacher.email)
    page = b.get(f"{setup.url}/")
    assert page.status_code == 200 and "Добавить мероприятие" not in text(page) and "Изменить</a>" not in text(page)
    assert b.get(f"{setup.url}/export.xlsx").status_code == 200
    assert b.get(f"{setup.url}/analysis").status_code == 200
    for method, url, data in [
        ("get", f"{setup.url}/items/new", None), ("post", f"{setup.url}/items", item_data(setup)),
        ("get", f"{setup.url}/items/{item.id}/edit", None),
        ("post", f"{setup.url}/items/{item.id}/edit", item_data(setup, version=1)),
        ("post", f"{setup.url}/items/{item.id}/execution", {"status": "done", "actual_date": "2025-10-01"}),
        ("post", f"{setup.url}/items/{item.id}/delete", {}), ("get", f"{setup.url}/approve", None),
        ("post", f"{setup.url}/approve", {"act_number": "1", "act_date": "2025-08-29"}),
        ("get", f"{setup.url}/import", None), ("post", f"{setup.url}/copy", {}),
        ("post", f"{setup.url}/create", {}), ("post", f"{setup.url}/delete", {}),
    ]:
        resp = b.post(url, data) if method == "post" else b.get(url)
        assert resp.status_code == 403, (method, url, resp.status_code)
    assert items_count() == 1 and db.session.get(PlanItem, item.id).status == "planned"


def test_methodist_cannot_approve_or_reopen(make_browser, setup):
    b = make_browser(setup.district.methodist.email)
    assert b.get(f"{setup.url}/approve").status_code == 403
    assert b.post(f"{setup.url}/reopen", {"reason": "причина"}).status_code == 403


def test_leader_edits_only_their_associations_items(make_browser, setup):
    leader = setup.district.leader
    mine = body_in(setup.tenant, "ШМО учителей начальных классов", leader=leader)
    theirs = body_in(setup.tenant, "ШМО учителей физики")
    own_item = item_in(setup.tenant, setup.plan, setup.analytic, title="Наше заседание", body_id=mine.id)
    other_item = item_in(setup.tenant, setup.plan, setup.analytic, title="Чужое заседание", body_id=theirs.id)
    district_item = item_in(setup.tenant, setup.plan, setup.analytic, title="Районный семинар")
    db.session.commit()
    b = make_browser(leader.email)
    # Adding: only with their own association as organiser.
    form = text(b.get(f"{setup.url}/items/new", headers={"HX-Request": "true"}))
    assert "ШМО учителей начальных классов" in form and "ШМО учителей физики" not in form
    forged = b.post(f"{setup.url}/items", item_data(setup, title="Подлог", body_id=theirs.id), htmx=True)
    assert forged.status_code == 422 and "Выберите значение из списка." in text(forged)
    missing = b.post(f"{setup.url}/items", item_data(setup, title="Без объединения"), htmx=True)
    assert missing.status_code == 422 and "Выберите объединение, которым вы руководите." in text(missing)
    added = b.post(f"{setup.url}/items", item_data(setup, title="Открытые уроки ШМО", body_id=mine.id), htmx=True)
    assert added.status_code == 200
    assert db.session.scalar(db.select(PlanItem).where(PlanItem.title == "Открытые уроки ШМО")).body_id == mine.id
    assert db.session.scalar(db.select(PlanItem.id).where(PlanItem.title == "Подлог")) is None
    # Editing: their own items only; handing an item over to another association is refused.
    assert b.get(f"{setup.url}/items/{own_item.id}/edit", headers={"HX-Request": "true"}).status_code == 200
    ok = b.post(f"{setup.url}/items/{own_item.id}/edit",
                item_data(setup, title="Наше заседание № 2", body_id=mine.id, version=own_item.version), htmx=True)
    assert ok.status_code == 200
    moved = b.post(f"{setup.url}/items/{own_item.id}/edit",
                   item_data(setup, title="Наше", body_id=theirs.id, version=own_item.version), htmx=True)
    assert moved.status_code == 422
    for item in (other_item, district_item):
        assert b.get(f"{setup.url}/items/{item.id}/edit").status_code == 403
        assert b.post(f"{setup.url}/items/{item.id}/edit", item_data(setup, body_id=mine.id, version=1)).status_code == 403
        assert b.post(f"{setup.url}/items/{item.id}/execution", {"status": "cancelled", "cancel_reason": "x"}).status_code == 403
        assert b.post(f"{setup.url}/items/{item.id}/delete", {}).status_code == 403
    mark = b.post(f"{setup.url}/items/{own_item.id}/execution",
                  {"status": "done", "actual_date": "2025-10-10", "version": own_item.version}, htmx=True)
    assert mark.status_code == 200
    assert db.session.get(PlanItem, own_item.id).status == "done"
    assert db.session.get(PlanItem, other_item.id).title == "Чужое заседание"
    # The page offers edit links on their own items only.
    page = text(b.get(f"{setup.url}/"))
    assert f"/items/{own_item.id}/execution" in page and f"/items/{other_item.id}/execution" not in page


def test_a_teacher_chairing_a_body_in_their_record_still_cannot_add(make_browser, setup):
    body = body_in(setup.tenant, leader=setup.district.teacher)  # «руководитель» in the teacher's person record
    db.session.commit()
    assert body.is_led_by(setup.district.teacher)
    b = make_browser(setup.district.teacher.email)
    assert b.get(f"{setup.url}/items/new").status_code == 403  # was the form, refused only on saving
    assert b.post(f"{setup.url}/items", item_data(setup)).status_code == 403
    assert items_count() == 0


def test_leader_without_an_association_cannot_add(make_browser, setup):
    b = make_browser(setup.district.leader.email)
    assert b.get(f"{setup.url}/items/new").status_code == 403
    assert b.post(f"{setup.url}/items", item_data(setup)).status_code == 403


# ---- district boundaries ------------------------------------------------------------------

def test_plan_urls_of_another_district_are_404(make_browser, setup, make_tenant, make_user):
    item = item_in(setup.tenant, setup.plan, setup.analytic)
    body = body_in(setup.tenant)
    db.session.commit()
    other = make_tenant()
    plan_in(other, 2025)
    outsider = make_user(other, role="admin")
    db.session.commit()
    b = make_browser(outsider.email)
    own = f"/{other.slug}/plans/{YEAR}"
    for url in [f"{setup.url}/", f"{setup.url}/analysis", f"{setup.url}/export.xlsx", f"{setup.url}/import",
                f"{own}/items/{item.id}", f"{own}/items/{item.id}/edit", f"{own}/items/{item.id}/execution",
                f"{own}/bodies/{body.id}/items"]:
        assert b.get(url, headers={"HX-Request": "true"}).status_code == 404, url
    for url in [f"{own}/items/{item.id}/edit", f"{own}/items/{item.id}/execution", f"{own}/items/{item.id}/delete",
                f"{setup.url}/approve", f"{setup.url}/copy"]:
        assert b.post(url, {"title": "x", "status": "done", "version": 1}).status_code == 404, url
    assert db.session.get(PlanItem, item.id).status == "planned"


@pytest.mark.parametrize("year", ["2025-2027", "2025", "abcd-efgh", "1999-2000", "2025-2025"])
def test_malformed_years_are_404(make_browser, setup, year):
    b = make_browser(setup.district.methodist.email)
    assert b.get(f"/{setup.slug}/plans/{year}/").status_code == 404


BIG = "99999999999999999999"  # more than a database integer holds


@pytest.mark.parametrize("path", [f"items/{BIG}", f"items/{BIG}/edit", f"items/{BIG}/execution",
                                  f"bodies/{BIG}/items"])
def test_an_id_too_big_for_the_database_is_404_not_a_server_error(make_browser, setup, path):
    b = make_browser(setup.district.methodist.email)
    assert b.get(f"{setup.url}/{path}", headers={"HX-Request": "true"}).status_code == 404


@pytest.mark.parametrize("query", [f"page={BIG}", "page=9223372036854775807", f"direction={BIG}", f"person={BIG}",
                                   f"body=-{BIG}", "q=%00", "q=a%00b"])
def test_odd_filter_values_are_ignored_not_a_server_error(make_browser, setup, query):
    item_in(setup.tenant, setup.plan, setup.analytic, title="Семинар")
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    assert b.get(f"{setup.url}/?{query}").status_code == 200
    assert b.get(f"{setup.url}/?{query}", headers={"HX-Request": "true", "HX-Target": "plan-list"}).status_code == 200


def test_index_opens_the_current_or_latest_plan(make_browser, setup):
    b = make_browser(setup.district.teacher.email)
    resp = b.get(f"/{setup.slug}/plans/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/plans/{YEAR}/")
    empty = b.get(f"/{setup.slug}/plans/2031-2032/")
    assert empty.status_code == 200 and "ещё не создан" in text(empty) and "Создать пустой план" not in text(empty)


def test_create_empty_plan_and_delete_a_draft(make_browser, setup):
    admin = make_browser(setup.district.admin.email)
    assert admin.post(f"/{setup.slug}/plans/2026-2027/create").status_code == 302
    assert db.session.scalar(db.select(Plan.id).where(Plan.start_year == 2026)) is not None
    item_in(setup.tenant, setup.plan, setup.analytic)
    db.session.commit()
    page = text(admin.get(f"/{setup.slug}/plans/2026-2027/"))
    assert "Удалить проект" in page
    plan_id = setup.plan.id
    assert admin.post(f"{setup.url}/delete").status_code == 302
    assert db.session.scalar(db.select(Plan.id).where(Plan.id == plan_id)) is None and items_count() == 0


def test_a_plan_with_dated_items_shows_dates_and_months(setup):
    from oms.services.plans import timing_text

    item = item_in(setup.tenant, setup.plan, setup.analytic, months=(9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8))
    assert timing_text(item) == "в течение года"
    item.months = mask_of([9, 10, 11, 3])
    assert timing_text(item) == "сентябрь – ноябрь, март"
    item.date_from, item.date_to, item.months = date(2025, 10, 15), date(2025, 10, 17), mask_of([10, 12])
    assert timing_text(item) == "15.10.2025 – 17.10.2025, декабрь"


def test_audit_records_item_changes(make_browser, setup):
    b = make_browser(setup.district.methodist.email)
    b.post(f"{setup.url}/items", item_data(setup), htmx=True)
    assert db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.action == "create",
                                                            AuditEvent.object_type == "PlanItem")) is not None


def test_venue_school_must_be_of_the_district(make_browser, setup, make_tenant):
    ours, theirs = school_in(setup.tenant, short_name="СОШ № 1"), school_in(make_tenant())
    db.session.commit()
    b = make_browser(setup.district.methodist.email)
    assert b.post(f"{setup.url}/items", item_data(setup, venue_school_id=theirs.id), htmx=True).status_code == 422
    ok = b.post(f"{setup.url}/items", item_data(setup, venue_school_id=ours.id), htmx=True)
    assert ok.status_code == 200 and "СОШ № 1" in text(ok)


def test_adding_editing_and_marking_work_without_javascript(make_browser, setup):
    b = make_browser(setup.district.methodist.email)
    page = b.get(f"{setup.url}/items/new?direction_id={setup.analytic.id}&ctx=section")
    assert page.status_code == 200 and "<html" in text(page) and "hx-post" not in text(page)
    bad = b.post(f"{setup.url}/items?direction_id={setup.analytic.id}&ctx=section", item_data(setup, title=""))
    assert bad.status_code == 422 and "<html" in text(bad) and "Укажите название мероприятия." in text(bad)
    resp = b.post(f"{setup.url}/items?direction_id={setup.analytic.id}&ctx=section", item_data(setup))
    assert resp.status_code == 302
    item = db.session.scalars(db.select(PlanItem)).one()
    assert resp.headers["Location"].endswith(f"#item-{item.id}")
    assert b.get(f"{setup.url}/items/{item.id}/edit").status_code == 200
    assert b.post(f"{setup.url}/items/{item.id}/edit", item_data(setup, title="Иначе", version=1)).status_code == 302
    assert b.get(f"{setup.url}/items/{item.id}/execution").status_code == 200
    assert b.post(f"{setup.url}/items/{item.id}/execution",
                  {"status": "cancelled", "cancel_reason": "Нет помещения", "version": 2}).status_code == 302
    item = db.session.get(PlanItem, item.id)
    assert (item.title, item.status, item.cancel_reason) == ("Иначе", "cancelled", "Нет помещения")
    assert b.get(f"{setup.url}/items/{item.id}").status_code == 302  # a row alone is for htmx only



def test_an_item_with_a_date_and_later_months_is_not_overdue_while_its_months_remain(app, setup):
    """«15.10.2025, март»: the October date has passed, March has not — the analysis listed the item as
    «не выполнено: срок прошёл» in November, and the export's mark said «не выполнено»."""
    from flask import g

    from oms.services import plans as svc

    item_in(setup.tenant, setup.plan, setup.analytic, title="Конкурс в два этапа", months=(10, 3),
            date_from=date(2025, 10, 15))
    db.session.commit()
    with app.test_request_context(f"/{setup.slug}/plans/"):
        g.tenant_id = setup.tenant.id
        assert svc.analyse(setup.plan, today=date(2025, 11, 20)).not_done == []
        assert [kind for _item, kind in svc.analyse(setup.plan, today=date(2026, 4, 2)).not_done] == ["overdue"]
