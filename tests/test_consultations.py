"""The consultation journal: roles, the quick add, validation, status moves, follow-up, slots, exports, speed."""
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from factories.consultations import consultation_in, consultation_slot_in
from factories.core import person_in, school_in
from factories.development import area_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Consultation, Deficit, PlanItem, RouteStep
from oms.services.consultations import count_for_plan_item
from support import page_and_queries

TODAY = date(2025, 11, 20)


@pytest.fixture
def day(app):
    with pinned(app, TODAY):
        yield TODAY


def _quick(b, slug, **over):
    data = {"held_at": "2025-11-18T10:30", "status": "held", "form": "individual", "asker_kind": "parent",
            "asker_name": "Петрова Ольга", "topic": "Как подготовиться к ОГЭ по математике", "channel": "phone",
            "consultant_id": "", "school_id": "", "category_id": ""}
    data.update(over)
    return b.post(f"/{slug}/consultations/quick", data=data, htmx=True)


@pytest.mark.parametrize("role, journal, edit", [("admin", True, True), ("methodist", True, True),
                                                  ("leader", True, False), ("teacher", False, False)])
def test_each_role(day, district, make_browser, role, journal, edit):
    consultation_in(district.tenant, topic="Аттестация на первую категорию")
    b = make_browser(getattr(district, role).email)
    page = b.get(f"/{district.slug}/consultations/")
    assert page.status_code == 200
    assert ("Аттестация на первую категорию" in page.get_data(as_text=True)) == journal
    assert (b.get(f"/{district.slug}/consultations/stats").status_code == 200) == journal
    assert (b.get(f"/{district.slug}/consultations/new").status_code == 200) == edit
    assert (_quick(b, district.slug).status_code in (200, 204, 302)) == edit


def test_quick_add_records_a_parent_by_category_and_name(day, district, make_browser):
    b = make_browser(district.methodist.email)
    resp = _quick(b, district.slug)
    assert resp.status_code in (200, 204) and resp.headers.get("HX-Redirect")
    c = db.session.scalar(db.select(Consultation))
    assert (c.asker_kind, c.asker_name, c.asker_person_id, c.channel, c.status) == \
        ("parent", "Петрова Ольга", None, "phone", "held")


def test_a_teacher_is_chosen_with_the_person_picker(day, district, make_browser, make_tenant):
    school = school_in(district.tenant)
    teacher = person_in(district.tenant, school_id=school.id, last_name="Сидорова", first_name="Мария",
                        middle_name="Ивановна")
    b = make_browser(district.methodist.email)
    assert _quick(b, district.slug, asker_kind="person", asker_person_id=teacher.id).status_code == 204
    c = db.session.scalar(db.select(Consultation))
    assert c.asker_person_id == teacher.id and c.school_id == school.id and c.asker_name == "Сидорова Мария Ивановна"
    resp = _quick(b, district.slug, asker_kind="person", asker_person_id="")
    assert resp.status_code == 422 and "Найдите педагога в реестре" in resp.get_data(as_text=True)
    other = person_in(make_tenant())
    resp = _quick(b, district.slug, asker_kind="person", asker_person_id=other.id)
    assert resp.status_code == 422 and "Такого человека нет среди педагогов района" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 1


def test_a_future_consultation_marked_held_is_refused(day, district, make_browser):
    b = make_browser(district.methodist.email)
    resp = _quick(b, district.slug, held_at="2025-12-01T10:00")
    assert resp.status_code == 422
    assert "Консультация ещё не наступила" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
    # a scheduled one in the future is fine, and cannot be marked held before its time
    assert _quick(b, district.slug, held_at="2025-12-01T10:00", status="scheduled").status_code == 204
    c = db.session.scalar(db.select(Consultation))
    resp = b.post(f"/{district.slug}/consultations/{c.id}/status", data={"to": "held"})
    assert resp.status_code == 422
    db.session.refresh(c)
    assert c.status == "scheduled"


def test_empty_topic_and_bad_date_are_refused(day, district, make_browser):
    b = make_browser(district.methodist.email)
    resp = _quick(b, district.slug, topic="  ", held_at="вчера")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Укажите тему консультации." in text and "дд.мм.гггг чч:мм" in text


def test_follow_up_creates_a_deficit_and_a_route_step(day, district, make_browser):
    c = consultation_in(district.tenant)
    area = area_in(district.tenant, name="Цифровые компетенции")
    b = make_browser(district.methodist.email)
    assert b.post(f"/{district.slug}/consultations/{c.id}/follow-up",
                  data={"kind": "deficit", "area_id": area.id}).status_code == 302
    deficit = db.session.scalar(db.select(Deficit))
    assert (deficit.person_id, deficit.area_id, deficit.source) == (c.asker_person_id, area.id, "consultation")
    assert b.post(f"/{district.slug}/consultations/{c.id}/follow-up",
                  data={"kind": "step", "title": "Изучить конструктор уроков"}).status_code == 302
    step = db.session.scalar(db.select(RouteStep))
    assert step.title == "Изучить конструктор уроков" and step.deficit_id == deficit.id


def test_teacher_books_a_slot_and_the_consultant_confirms(day, district, make_browser):
    teacher = person_in(district.tenant, user_id=district.teacher.id, school_id=school_in(district.tenant).id)
    slot = consultation_slot_in(district.tenant, starts_at=datetime(2025, 11, 25, 14, 0))
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/consultations/").get_data(as_text=True)
    assert f"slot-{slot.id}" in page
    assert b.post(f"/{district.slug}/consultations/slots/{slot.id}/book",
                  data={"topic": "Портфолио на аттестацию"}).status_code == 302
    c = db.session.scalar(db.select(Consultation))
    assert (c.status, c.asker_person_id, c.slot_id) == ("requested", teacher.id, slot.id)
    assert b.post(f"/{district.slug}/consultations/slots/{slot.id}/book",
                  data={"topic": "Ещё раз"}).status_code == 422  # taken
    assert "Портфолио на аттестацию" in b.get("/" + district.slug + "/me/").get_data(as_text=True)
    m = make_browser(district.methodist.email)
    assert m.post(f"/{district.slug}/consultations/{c.id}/status", data={"to": "scheduled"}).status_code == 302
    db.session.refresh(c)
    assert c.status == "scheduled"


def test_statistics_print_and_xlsx(day, district, make_browser):
    for n in range(3):
        consultation_in(district.tenant, topic=f"=HYPERLINK(\"x\") {n}")
    consultation_in(district.tenant, topic="Отменённая", status="cancelled")
    b = make_browser(district.methodist.email)
    stats = b.get(f"/{district.slug}/consultations/stats").get_data(as_text=True)
    assert 'id="stats-total">3<' in stats
    journal = b.get(f"/{district.slug}/consultations/journal").get_data(as_text=True)
    assert "Журнал учёта консультаций" in journal and "Отменённая" in journal
    resp = b.get(f"/{district.slug}/consultations/export.xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws["J1"].value == "Тема (вопрос)" and ws.max_row == 5
    assert ws["J2"].data_type == "s" and str(ws["J2"].value).startswith("'=")


def test_count_for_plan_item(day, district, app):
    from factories.plan import item_in

    item = item_in(district.tenant)
    consultation_in(district.tenant, plan_item_id=item.id, held_at=datetime(2025, 10, 1, 10))
    consultation_in(district.tenant, plan_item_id=item.id, held_at=datetime(2025, 11, 1, 10))
    consultation_in(district.tenant, plan_item_id=item.id, status="cancelled")
    db.session.commit()
    assert count_for_plan_item(item.id) == 2
    assert count_for_plan_item(item.id, date(2025, 10, 15), date(2025, 11, 30)) == 2 - 1
    assert isinstance(item, PlanItem)


def test_journal_queries_do_not_grow(day, district, make_browser, count_queries):
    b = make_browser(district.methodist.email)
    counts = []
    for extra in (2, 40):
        for _ in range(extra):
            consultation_in(district.tenant)
        db.session.commit()
        for url in ("/consultations/", "/consultations/stats"):
            b.get(f"/{district.slug}{url}")
        with count_queries() as q:
            b.get(f"/{district.slug}/consultations/")
            b.get(f"/{district.slug}/consultations/stats")
        counts.append(q.count)
    assert counts[0] == counts[1]


def test_the_specialist_assigned_to_consulting_comes_first(day, district, make_browser):
    """Strezhevoy: each function is assigned to a specialist; the consulting one is the default consultant."""
    from factories.structure import assignee_in, direction_in, function_in

    person_in(district.tenant, last_name="Аардваркова")  # the authority's staff, alphabetically first
    consulting = function_in(district.tenant, direction=direction_in(district.tenant, name="Консультационная"),
                             text="Консультирование педагогических работников по вопросам аттестации")
    specialist = person_in(district.tenant, last_name="Яковлева")
    assignee_in(district.tenant, function=consulting, person=specialist)
    teacher = person_in(district.tenant, school_id=school_in(district.tenant).id, last_name="Школьная")
    db.session.commit()
    from oms.services.consultations import consultants

    names = [p.last_name for p in consultants(district.tenant.id)]
    assert names[0] == "Яковлева" and "Аардваркова" in names and "Школьная" not in names
    assert teacher


def test_edit_keeps_the_record_and_adds_a_file(day, district, make_browser):
    c = consultation_in(district.tenant, topic="Старая тема")
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/consultations/{c.id}/edit")
    assert page.status_code == 200 and "Старая тема" in page.get_data(as_text=True)
    import re

    version = re.search(r'name="version"[^>]*value="(\d+)"', page.get_data(as_text=True)).group(1)
    resp = b.post(f"/{district.slug}/consultations/{c.id}/edit", content_type="multipart/form-data", data={
        "version": version, "held_at": "14.10.2025 15:00", "form": "individual", "channel": "online",
        "asker_kind": "other", "asker_name": "Гость семинара", "consultant_id": "", "topic": "Новая тема", "status": "held",
        "attachments": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "памятка.pdf")})
    assert resp.status_code == 302
    db.session.refresh(c)
    assert (c.topic, c.channel, c.asker_kind, c.asker_person_id) == ("Новая тема", "online", "other", None)
    card = b.get(f"/{district.slug}/consultations/{c.id}/").get_data(as_text=True)
    link = re.search(r'href="([^"]+/files/\d+)"', card).group(1)
    download = b.get(link)
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]


def test_follow_up_recommends_a_practice_and_a_document_the_asker_sees(day, district, make_browser, make_tenant):
    from factories.documents import document_in
    from factories.practices import practice_in

    teacher = person_in(district.tenant, user_id=district.teacher.id, school_id=school_in(district.tenant).id)
    c = consultation_in(district.tenant, asker=teacher)
    practice = practice_in(district.tenant, title="Кейс-метод на уроках истории")
    draft = practice_in(district.tenant, title="Черновик практики", status="draft")
    document = document_in(district.tenant, title="Положение о наставничестве")
    closed = document_in(district.tenant, title="Служебная записка", visibility="service")
    foreign = practice_in(make_tenant(), title="Чужая практика")
    db.session.commit()
    b = make_browser(district.methodist.email)
    card = b.get(f"/{district.slug}/consultations/{c.id}/").get_data(as_text=True)
    # chosen by typing: the card lists neither the bank nor the documents
    assert f"/{district.slug}/pick/practice" in card and f"/{district.slug}/pick/document" in card
    assert "Кейс-метод на уроках истории" not in card and "Положение о наставничестве" not in card
    found = b.get(f"/{district.slug}/pick/practice?pick_q=практик").get_data(as_text=True)
    assert "Кейс-метод" not in found and "Черновик практики" not in found and "Чужая практика" not in found
    found = b.get(f"/{district.slug}/pick/practice?pick_q=кейс").get_data(as_text=True)
    assert f'data-id="{practice.id}"' in found
    url = f"/{district.slug}/consultations/{c.id}/follow-up"
    for bad in ({"kind": "practice", "practice_id": foreign.id}, {"kind": "practice", "practice_id": draft.id},
                {"kind": "document", "document_id": closed.id}, {"kind": "practice"}):
        resp = b.post(url, data=bad)
        assert resp.status_code == 422, bad
    assert "Выберите практику из банка." in b.get(f"/{district.slug}/consultations/{c.id}/").get_data(as_text=True)
    db.session.refresh(c)
    assert c.practice_id is None and c.document_id is None
    assert b.post(url, data={"kind": "practice", "practice_id": practice.id}).status_code == 302
    assert b.post(url, data={"kind": "document", "document_id": document.id}).status_code == 302
    me = make_browser(district.teacher.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    assert "Рекомендации консультантов" in me
    assert f"/{district.slug}/practices/{practice.id}/" in me and "Кейс-метод на уроках истории" in me
    assert f"/{district.slug}/documents/{document.id}/" in me
    other = make_browser(district.leader.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    assert "Кейс-метод на уроках истории" not in other


def test_the_plan_item_is_found_with_the_picker_among_the_consultations_items(day, district, make_browser,
                                                                              make_tenant, count_queries):
    """The form lists no plan items (it showed the 100 newest «консультац…» ones): the picker finds any item
    about consultations; the chosen one is saved, one about something else or of another district is refused,
    and the form's size and queries do not grow with the plan."""
    from factories.plan import item_in, plan_in

    t = district.tenant
    old = item_in(t, plan=plan_in(t, 2023), title="Консультации для молодых педагогов (старый план)")
    seminar = item_in(t, plan=plan_in(t, 2025), title="Семинар для заместителей директоров")
    other = make_tenant()
    foreign = item_in(other, plan=plan_in(other, 2025), title="Консультации чужого района")
    db.session.commit()
    b = make_browser(district.methodist.email)

    def form_page():
        return page_and_queries(b, f"/{district.slug}/consultations/new", count_queries)

    body, queries = form_page()
    assert "старый план" not in body and f"/{district.slug}/pick/plan_item?about=" in body
    for n in range(40):
        item_in(t, plan=plan_in(t, 2025), title=f"Консультации для учителей № {n}")
    db.session.commit()
    more, more_queries = form_page()
    assert more_queries == queries and len(more) < len(body) + 200 and "учителей № 3" not in more
    found = b.get(f"/{district.slug}/pick/plan_item", query_string={"pick_q": "молодых", "about": "консультац"},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'data-id="{old.id}"' in found

    data = {"held_at": "2025-11-18T10:30", "status": "held", "form": "individual", "asker_kind": "parent",
            "asker_name": "Петрова Ольга", "topic": "Портфолио", "channel": "phone"}
    for wrong in (seminar.id, foreign.id):
        resp = b.post(f"/{district.slug}/consultations/new", data={**data, "plan_item_id": wrong}, htmx=True)
        assert resp.status_code == 422 and "найдите его заново" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
    assert b.post(f"/{district.slug}/consultations/new", data={**data, "plan_item_id": old.id},
                  htmx=True).status_code == 204
    assert db.session.scalar(db.select(Consultation.plan_item_id)) == old.id
