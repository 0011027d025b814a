"""Surveys: the builder and its templates, answering from «Моё» and by a one-time link, refusals, anonymity,
results, diagnostics turned into deficits, speed."""
import io
import json
import re
import secrets
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect, text

from factories.core import person_in, school_in
from factories.development import _insert, area_in
from factories.surveys import survey_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import (AuditEvent, Deficit, FormSubmission, Survey, SurveyLink, SurveyQuestion, SurveyRespondent,
                        SurveyResponse)
from oms.models.surveys import ProposedDeficit
from support import page_and_queries

TODAY = date(2025, 11, 20)


@pytest.fixture
def day(app):
    with pinned(app, TODAY):
        yield TODAY


def _teacher(district, **kw):
    school = kw.pop("school", None) or school_in(district.tenant)
    return person_in(district.tenant, user_id=district.teacher.id, school_id=school.id, **kw)


@pytest.mark.parametrize("role, manage", [("admin", True), ("methodist", True), ("leader", False),
                                          ("teacher", False)])
def test_each_role(day, district, make_browser, role, manage):
    survey = survey_in(district.tenant, title="Анкета для проверки ролей")
    b = make_browser(getattr(district, role).email)
    page = b.get(f"/{district.slug}/surveys/")
    assert page.status_code == 200
    assert ("Анкета для проверки ролей" in page.get_data(as_text=True)) == manage
    for url in ("new", f"{survey.id}/", f"{survey.id}/results", f"{survey.id}/export.xlsx", f"{survey.id}/links"):
        assert b.get(f"/{district.slug}/surveys/{url}").status_code == (200 if manage else 403), url


def test_a_survey_from_a_template_for_young_specialists(day, district, make_browser):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/surveys/new", data={"template": "needs", "title": "", "purpose": "needs",
                                                         "opens_on": "2025-11-01", "closes_on": "2025-11-30",
                                                         "young": "y"})
    assert resp.status_code == 302
    survey = db.session.scalar(db.select(Survey))
    questions = db.session.scalars(db.select(SurveyQuestion).order_by(SurveyQuestion.position)).all()
    assert survey.title == "Мониторинг профессиональных и информационных потребностей" and survey.is_anonymous
    assert survey.audience["young"] is True
    assert [q.kind for q in questions] == ["multiple", "multiple", "matrix", "single", "text"]
    assert "Цифровые компетенции" in questions[0].options  # from the district's catalogue of areas


def test_a_question_without_options_is_refused(day, district, make_browser):
    survey = survey_in(district.tenant, questions=[])
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/surveys/{survey.id}/questions",
                  data={"kind": "single", "text": "Ваш выбор?", "source": "", "options": "Только один"})
    assert resp.status_code == 422 and "хотя бы два варианта" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SurveyQuestion.id))) == 0
    assert b.post(f"/{district.slug}/surveys/{survey.id}/questions",
                  data={"kind": "single", "text": "Ваш выбор?", "source": "", "options": "Да\nНет"}).status_code == 302


def test_teacher_answers_a_named_survey_once(day, district, make_browser):
    teacher = _teacher(district)
    survey = survey_in(district.tenant, title="Запрос на курсы")
    q = db.session.scalar(db.select(SurveyQuestion))
    b = make_browser(district.teacher.email)
    me = b.get(f"/{district.slug}/me/").get_data(as_text=True)
    assert "Запрос на курсы" in me
    assert b.post(f"/{district.slug}/surveys/{survey.id}/answer", data={}).status_code == 422  # required
    assert b.post(f"/{district.slug}/surveys/{survey.id}/answer", data={f"q{q.id}": "Да"}).status_code == 302
    response = db.session.scalar(db.select(SurveyResponse))
    assert (response.person_id, response.answers) == (teacher.id, {str(q.id): "Да"})
    again = b.post(f"/{district.slug}/surveys/{survey.id}/answer", data={f"q{q.id}": "Нет"})
    assert again.status_code == 422 and "повторный ответ не принимается" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1


def test_an_answer_after_the_close_date_is_refused(day, district, make_browser):
    _teacher(district)
    survey = survey_in(district.tenant, closes_on=date(2025, 11, 19))
    q = db.session.scalar(db.select(SurveyQuestion))
    b = make_browser(district.teacher.email)
    resp = b.post(f"/{district.slug}/surveys/{survey.id}/answer", data={f"q{q.id}": "Да"})
    assert resp.status_code == 422 and "Анкета закрыта 19.11.2025" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


def test_nothing_in_the_database_ties_an_anonymous_answer_to_its_author(day, district, make_browser):
    teacher = _teacher(district)
    others = [person_in(district.tenant, school_id=teacher.school_id) for _ in range(3)]
    survey = survey_in(district.tenant, is_anonymous=True, questions=[
        {"kind": "text", "text": "Что мешает работать?"}])
    q = db.session.scalar(db.select(SurveyQuestion))
    b = make_browser(district.teacher.email)
    audit_before = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    assert b.post(f"/{district.slug}/surveys/{survey.id}/answer",
                  data={f"q{q.id}": "Секретный ответ автора"}).status_code == 302
    # the response row: answers only — no person, school, user, time; its key is random, not a sequence
    row = db.session.execute(text("SELECT * FROM survey_response")).mappings().one()
    assert set(row.keys()) == {"id", "survey_id", "answers", "person_id", "school_id", "submitted_on", "tenant_id"}
    assert row["person_id"] is None and row["school_id"] is None and row["submitted_on"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", row["id"])
    # the respondent row: who, with no time and no reference to the response
    who = db.session.execute(text("SELECT * FROM survey_respondent")).mappings().one()
    assert who["person_id"] == teacher.id
    assert not any(v == row["id"] for v in who.values())
    assert not any("_at" in c.name or "_on" in c.name for c in inspect(SurveyRespondent).columns)
    # neither the audit trail nor the double-submit store kept the submission
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == audit_before
    assert db.session.scalar(db.select(db.func.count(FormSubmission.token))) == 0
    dump = " ".join(str(v) for e in db.session.scalars(db.select(AuditEvent)) for v in (e.changes, e.summary))
    assert "Секретный ответ" not in dump
    # and the results still count it, without a name
    page = make_browser(district.methodist.email).get(f"/{district.slug}/surveys/{survey.id}/results")
    html = page.get_data(as_text=True)
    assert "Секретный ответ автора" in html and teacher.full_name not in html
    assert others


def test_a_one_time_link_answers_once(day, district, make_browser, client, make_tenant):
    person = person_in(district.tenant, school_id=school_in(district.tenant).id, last_name="Безучётная")
    survey = survey_in(district.tenant)
    q = db.session.scalar(db.select(SurveyQuestion))
    m = make_browser(district.methodist.email)
    page = m.post(f"/{district.slug}/surveys/{survey.id}/links", data={"extra": "0"}).get_data(as_text=True)
    url = re.search(r"http://localhost(/s/[^<]+)</code>", page).group(1)
    link = db.session.scalar(db.select(SurveyLink))
    assert link.person_id == person.id and link.token_digest not in page
    form = client.get(url)
    assert form.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.get_data(as_text=True)).group(1)
    assert client.post(url, data={"csrf_token": token, f"q{q.id}": "Нет"}).status_code == 200
    who = db.session.scalar(db.select(SurveyRespondent))
    assert who.person_id == person.id
    again = client.post(url, data={"csrf_token": token, f"q{q.id}": "Да"})
    assert again.status_code == 422 and "ссылка одноразовая" in again.get_data(as_text=True)
    assert client.get(url.rsplit("/", 1)[0] + "/не-тот-токен").status_code == 404
    other = make_tenant()
    assert client.get(url.replace(f"/s/{district.slug}/", f"/s/{other.slug}/")).status_code == 404
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1


def test_results_rate_and_xlsx(day, district, make_browser):
    school = school_in(district.tenant, short_name="СОШ № 7")
    people = [person_in(district.tenant, school_id=school.id) for _ in range(4)]
    survey = survey_in(district.tenant, questions=[
        {"kind": "scale", "text": "Польза", "scale_min": 1, "scale_max": 5},
        {"kind": "text", "text": "=1+1 предложения", "required": False}])
    qs = db.session.scalars(db.select(SurveyQuestion).order_by(SurveyQuestion.position)).all()
    for p, score in zip(people[:2], (4, 5)):
        db.session.add(SurveyRespondent(tenant_id=district.tenant.id, survey_id=survey.id, person_id=p.id,
                                        school_id=school.id))
        db.session.add(SurveyResponse(id=secrets.token_hex(16), tenant_id=district.tenant.id, survey_id=survey.id,
                                      person_id=p.id, school_id=school.id,
                                      answers={str(qs[0].id): score, str(qs[1].id): "=HYPERLINK(1)"}))
    b = make_browser(district.methodist.email)
    html = b.get(f"/{district.slug}/surveys/{survey.id}/results").get_data(as_text=True)
    assert 'id="total">2<' in html and "средняя оценка 4.5" in html
    assert re.search(r"СОШ № 7</td><td>2</td><td>4</td>", html)
    ws = load_workbook(io.BytesIO(b.get(f"/{district.slug}/surveys/{survey.id}/export.xlsx").data)).active
    assert ws.max_row == 3 and ws["B1"].value == "ФИО" and str(ws["F2"].value).startswith("'=")


def test_self_analysis_proposes_deficits_the_methodist_reviews(day, district, make_browser):
    teacher = _teacher(district)
    area = area_in(district.tenant, name="Оценочные компетенции")
    survey = survey_in(district.tenant, purpose="self_analysis", threshold=2, questions=[
        {"kind": "scale", "text": "Оценочные компетенции", "area_id": area.id}])
    q = db.session.scalar(db.select(SurveyQuestion))
    assert make_browser(district.teacher.email).post(f"/{district.slug}/surveys/{survey.id}/answer",
                                                     data={f"q{q.id}": "1"}).status_code == 302
    m = make_browser(district.methodist.email)
    assert m.post(f"/{district.slug}/surveys/{survey.id}/proposals").status_code == 302
    proposal = db.session.scalar(db.select(ProposedDeficit))
    assert (proposal.person_id, proposal.area_id, proposal.score) == (teacher.id, area.id, 1)
    assert db.session.scalar(db.select(db.func.count(Deficit.id))) == 0  # nothing before the review
    assert m.post(f"/{district.slug}/surveys/{survey.id}/proposals/{proposal.id}",
                  data={"decision": "accept"}).status_code == 302
    deficit = db.session.scalar(db.select(Deficit))
    assert (deficit.person_id, deficit.area_id, deficit.source) == (teacher.id, area.id, "self_assessment")


def test_results_page_runs_a_constant_number_of_queries(day, district, make_browser, count_queries):
    school = school_in(district.tenant)
    survey = survey_in(district.tenant, questions=[
        {"kind": "single", "text": "Выбор", "options": ["А", "Б"]},
        {"kind": "matrix", "text": "Матрица", "options": ["нет", "да"], "rows": ["x", "y"]}])
    qs = db.session.scalars(db.select(SurveyQuestion).order_by(SurveyQuestion.position)).all()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/surveys/{survey.id}/results"
    counts = []
    for n in (5, 5000):
        _insert(SurveyResponse, [{"id": secrets.token_hex(16), "tenant_id": district.tenant.id,
                                  "survey_id": survey.id, "school_id": school.id,
                                  "answers": json.dumps({str(qs[0].id): "А", str(qs[1].id): {"x": "да"}})}
                                 for _ in range(n)])
        db.session.commit()
        b.get(url)
        with count_queries() as q:
            assert b.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1] and counts[1] < 25


def test_settings_keep_only_the_districts_schools_in_the_audience(day, district, make_browser, make_tenant):
    mine, foreign = school_in(district.tenant), school_in(make_tenant())
    survey = survey_in(district.tenant)
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/surveys/{survey.id}/").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    resp = b.post(f"/{district.slug}/surveys/{survey.id}/", data={
        "version": version, "template": "", "title": "Анкета", "purpose": "needs", "opens_on": "2025-11-01",
        "closes_on": "2025-11-30", "schools": [str(mine.id), str(foreign.id), "x"], "positions": "учитель, педагог-психолог"})
    assert resp.status_code == 302
    db.session.refresh(survey)
    assert survey.audience["schools"] == [mine.id]
    assert survey.audience["positions"] == ["учитель", "педагог-психолог"]
    bad = b.post(f"/{district.slug}/surveys/{survey.id}/", data={
        "version": str(survey.version), "template": "", "title": "Анкета", "purpose": "needs",
        "opens_on": "2025-11-30", "closes_on": "2025-11-01"})
    assert bad.status_code == 422 and "Дата закрытия раньше даты открытия." in bad.get_data(as_text=True)


def test_a_survey_for_young_specialists_is_not_offered_to_others(day, district, make_browser):
    _teacher(district, is_young_specialist=False, position="учитель математики")
    survey = survey_in(district.tenant, title="Анкета молодого специалиста", audience={"young": True})
    q = db.session.scalar(db.select(SurveyQuestion))
    b = make_browser(district.teacher.email)
    assert "Анкета молодого специалиста" not in b.get(f"/{district.slug}/me/").get_data(as_text=True)
    resp = b.post(f"/{district.slug}/surveys/{survey.id}/answer", data={f"q{q.id}": "Да"})
    assert resp.status_code == 422 and "адресована другим педагогам" in resp.get_data(as_text=True)
    survey.audience = {"positions": ["учитель"], "subjects": []}
    db.session.commit()
    assert "Анкета молодого специалиста" in b.get(f"/{district.slug}/me/").get_data(as_text=True)


def test_feedback_results_name_their_plan_item(day, district, make_browser):
    from factories.plan import item_in

    item = item_in(district.tenant, title="Семинар «Функциональная грамотность на уроках физики»")
    survey = survey_in(district.tenant, purpose="feedback", is_anonymous=True, plan_item_id=item.id)
    page = make_browser(district.methodist.email).get(f"/{district.slug}/surveys/{survey.id}/results")
    assert "Семинар «Функциональная грамотность на уроках физики»" in page.get_data(as_text=True)


def test_a_survey_aimed_at_an_event_reaches_its_attendees_only(day, district, make_browser, make_tenant):
    from factories.events import event_in, registration_in

    teacher = _teacher(district)
    event = event_in(district.tenant, title="Семинар «Смысловое чтение»")  # 12.11.2025: already held
    foreign = event_in(make_tenant(), title="Чужой семинар")
    absent = registration_in(district.tenant, event=event, attended=False)
    came = registration_in(district.tenant, event=event, attended=True)
    db.session.commit()
    b = make_browser(district.methodist.email)
    form = b.get(f"/{district.slug}/surveys/new?template=feedback").get_data(as_text=True)
    # the events are found with the picker (the survey's school year), never listed: a year's can be hundreds
    assert "Семинар «Смысловое чтение»" not in form and f'/{district.slug}/pick/event?years=2025"' in form
    found = b.get(f"/{district.slug}/pick/event", query_string={"pick_q": "смысловое", "years": "2025"},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'data-id="{event.id}"' in found
    data = {"template": "feedback", "title": "", "purpose": "feedback", "opens_on": "2025-11-13",
            "closes_on": "2025-11-30"}
    refused = b.post(f"/{district.slug}/surveys/new", data={**data, "event_id": str(foreign.id)})
    assert refused.status_code == 422 and "Такого мероприятия нет" in refused.get_data(as_text=True)
    assert b.post(f"/{district.slug}/surveys/new", data={**data, "event_id": str(event.id)}).status_code == 302
    survey = db.session.scalar(db.select(Survey))
    assert survey.audience["event"] == event.id
    from oms.models import Person
    from oms.services import surveys as svc
    assert svc.addresses(survey, db.session.get(Person, came.person_id))
    assert not svc.addresses(survey, db.session.get(Person, absent.person_id))
    me = make_browser(district.teacher.email)
    assert "Обратная связь по мероприятию" not in me.get(f"/{district.slug}/me/").get_data(as_text=True)
    registration_in(district.tenant, event=event, person=teacher, attended=True)
    db.session.commit()
    assert "Обратная связь по мероприятию" in me.get(f"/{district.slug}/me/").get_data(as_text=True)
    assert b.get(f"/{district.slug}/surveys/{survey.id}/results").status_code == 200


def test_a_survey_is_linked_to_a_plan_item_in_its_form(day, district, make_browser, make_tenant):
    from factories.plan import item_in

    item = item_in(district.tenant, title="Семинар «Наставничество в школе»")
    foreign = item_in(make_tenant(), title="Чужой семинар плана")
    survey = survey_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/surveys/{survey.id}/").get_data(as_text=True)
    # found by typing (the year of the survey's plan), not listed on the page
    assert "Семинар «Наставничество в школе»" not in page and f"/{district.slug}/pick/plan_item?years=2025" in page
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    data = {"version": version, "template": "", "title": "Анкета", "purpose": "feedback", "opens_on": "2025-11-01",
            "closes_on": "2025-11-30"}
    assert b.post(f"/{district.slug}/surveys/{survey.id}/", data={**data, "plan_item_id": foreign.id}).status_code == 422
    assert b.post(f"/{district.slug}/surveys/{survey.id}/", data={**data, "plan_item_id": item.id}).status_code == 302
    db.session.refresh(survey)
    assert survey.plan_item_id == item.id
    page = b.get(f"/{district.slug}/surveys/{survey.id}/").get_data(as_text=True)
    assert f'value="{item.id}"' in page and "Семинар «Наставничество в школе»" in page  # the chosen one, a chip
    results = b.get(f"/{district.slug}/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Семинар «Наставничество в школе»" in results


def test_survey_conflict_names_plan_items_not_people(day, district, make_browser):
    """A stale save's conflict table names the plan items (the picker holds ids), not people of those ids."""
    from factories.plan import item_in

    first = item_in(district.tenant, title="Семинар «Первый пункт»")
    second = item_in(district.tenant, title="Семинар «Второй пункт»")
    survey = survey_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/surveys/{survey.id}/").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    data = {"template": "", "title": "Анкета", "purpose": "feedback", "opens_on": "2025-11-01",
            "closes_on": "2025-11-30"}
    assert b.post(f"/{district.slug}/surveys/{survey.id}/",
                  data={**data, "version": version, "plan_item_id": first.id}).status_code == 302
    stale = b.post(f"/{district.slug}/surveys/{survey.id}/",
                   data={**data, "version": version, "plan_item_id": second.id})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    row = text[text.index("Мероприятие плана"):]
    row = row[:row.index("</tr>")]
    assert "Первый пункт" in row and "Второй пункт" in row


def test_the_event_aimed_at_before_stays_chosen_and_the_form_does_not_grow(day, district, make_browser,
                                                                           count_queries):
    from datetime import datetime

    from factories.events import event_in

    old = event_in(district.tenant, title="Форум прошлого года", starts_at=datetime(2024, 11, 5, 10, 0),
                   ends_at=datetime(2024, 11, 5, 12, 0))
    survey = survey_in(district.tenant, audience={"event": old.id})
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/surveys/{survey.id}/"

    def settings():
        return page_and_queries(b, url, count_queries)

    body, queries = settings()
    assert 'class="chip"><span>Семинар: Форум прошлого года — 05.11.2024</span>' in body  # out of this year, kept
    for n in range(40):
        event_in(district.tenant, title=f"Вебинар № {n}")
    db.session.commit()
    more, more_queries = settings()
    assert more_queries == queries and len(more) < len(body) + 200 and "Вебинар № 3" not in more
    version = re.search(r'name="version"[^>]*value="(\d+)"', body).group(1)
    data = {"version": version, "template": "", "title": "Анкета", "purpose": "feedback", "opens_on": "2025-11-01",
            "closes_on": "2025-11-30", "event_id": old.id}
    assert b.post(url, data=data).status_code == 302
    db.session.refresh(survey)
    assert survey.audience["event"] == old.id
