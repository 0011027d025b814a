"""Contest and olympiad stages, consultations and practices as evidence of plan items: a stage whose results are
locked marks its item done with the participants; held consultations fill a «Консультации для …» item."""
from datetime import date, datetime

import pytest

from factories.contests import competition_in, result_in, stage_in
from factories.core import school_in
from factories.plan import item_in, plan_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Competition, PlanItem, Stage
from oms.models.evidence import PlanItemLink


@pytest.fixture
def plan(app, district):
    plan = plan_in(district.tenant)
    db.session.commit()
    with pinned(app, date(2025, 12, 10)):
        yield plan


def _item(item_id) -> PlanItem:
    db.session.expire_all()
    return db.session.get(PlanItem, item_id)


def test_a_locked_olympiad_stage_marks_its_item_done_with_the_participants(make_browser, district, plan):
    tenant = district.tenant
    item = item_in(tenant, plan=plan, title="Школьный этап ВсОШ", months=(10,))
    stage = stage_in(tenant, kind="school")
    stage.date_from, stage.date_to, stage.venue = date(2025, 10, 1), date(2025, 10, 25), "Школы района"
    db.session.commit()
    b = make_browser(district.methodist.email)
    # the item's side finds the stage by typing (the olympiads and contests of the item's year) and links it
    page = b.get(f"/{district.slug}/evidence/items/{item.id}/").get_data(as_text=True)
    assert f'hx-get="/{district.slug}/pick/contest_stage?years=2025"' in page
    found = b.get(f"/{district.slug}/pick/contest_stage", query_string={"pick_q": "олимпиада", "years": "2025"},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Школьный этап: олимпиада 2025/2026 — 01.10.2025" in found
    assert b.post(f"/{district.slug}/evidence/items/{item.id}/link",
                  {"kind": "contest_stage", "object_id": stage.id}).status_code == 303
    assert _item(item.id).status == "planned"  # no results yet

    school = school_in(tenant)
    db.session.commit()
    for name in ("Иванова Анна", "Петров Пётр", "Сидоров Иван"):
        resp = b.post(f"/{district.slug}/olympiads/stages/{stage.id}/results",
                      {"subject": "Математика", "pupil_name": name, "grade": "9", "school_id": school.id,
                       "score": "30"})
        assert resp.status_code == 302
    # the date passed and results are in: held, with the three participants
    item = _item(item.id)
    assert (item.status, item.actual_date, item.participants_count, item.evidence_mode) == (
        "done", date(2025, 10, 25), 3, "evidence")

    # a stage of the future is held only once its results are locked
    item2 = item_in(tenant, plan=plan, title="Муниципальный этап ВсОШ", months=(12,))
    stage2 = db.session.scalar(db.select(Stage).where(Stage.competition_id == stage.competition_id,
                                                      Stage.kind == "municipal"))
    stage2.date_from = date(2025, 12, 20)
    db.session.commit()
    # the stage's side links the item
    panel = b.get(f"/{district.slug}/evidence/contest_stage/{stage2.id}/").get_data(as_text=True)
    assert "Связать с пунктом плана" in panel and "Муниципальный этап ВсОШ" not in panel  # found by typing
    assert b.post(f"/{district.slug}/evidence/contest_stage/{stage2.id}/link",
                  {"item_id": item2.id}).status_code == 303
    result_in(tenant, stage=stage2, school=school)
    result_in(tenant, stage=stage2, school=school)
    db.session.commit()
    assert _item(item2.id).status == "planned"
    assert b.post(f"/{district.slug}/olympiads/stages/{stage2.id}/lock").status_code == 302
    item2 = _item(item2.id)
    assert (item2.status, item2.actual_date, item2.participants_count) == ("done", date(2025, 12, 20), 2)
    # the stage page shows the plan panel
    assert "plan-panel" in b.get(f"/{district.slug}/olympiads/stages/{stage2.id}").get_data(as_text=True)


def test_a_contest_follows_its_admitted_entries_and_its_deletion_unlinks(make_browser, district, plan):
    tenant = district.tenant
    comp = competition_in(tenant, title="Учитель года — 2026")
    stage = db.session.scalar(db.select(Stage).where(Stage.competition_id == comp.id))
    stage.date_from = date(2025, 11, 20)
    item = item_in(tenant, plan=plan, title="Конкурс «Учитель года»", months=(11,))
    db.session.commit()
    b = make_browser(district.methodist.email)
    assert b.post(f"/{district.slug}/evidence/items/{item.id}/link",
                  {"kind": "contest_stage", "object_id": stage.id}).status_code == 303
    assert _item(item.id).status == "planned"  # nobody admitted
    linked = b.get(f"/{district.slug}/evidence/items/{item.id}/").get_data(as_text=True)
    # the unnamed first stage is named by its kind and links to its own page, not to the contest's
    assert "Учитель года — 2026: Основной этап — 20.11.2025" in linked
    assert f"/{district.slug}/contests/stages/{stage.id}" in linked
    assert "plan-panel" in b.get(f"/{district.slug}/contests/{comp.id}").get_data(as_text=True)
    comp_id = comp.id
    b.post(f"/{district.slug}/contests/{comp_id}/delete")
    db.session.expire_all()
    assert db.session.get(Competition, comp_id) is None
    assert db.session.scalar(db.select(PlanItemLink.id).where(PlanItemLink.item_id == item.id)) is None


def _quick(b, slug, **over):
    data = {"held_at": "2025-11-18T10:30", "status": "held", "form": "individual", "asker_kind": "parent",
            "asker_name": "Петрова Ольга", "topic": "Как подготовиться к ОГЭ по математике", "channel": "phone",
            "consultant_id": "", "school_id": "", "category_id": ""}
    data.update(over)
    # the plan item is chosen on the full form (the journal's quick line has no such field)
    path = "new" if "plan_item_id" in over else "quick"
    return b.post(f"/{slug}/consultations/{path}", data=data, htmx=True)


def test_held_consultations_fill_their_consultations_item(make_browser, district, plan):
    from factories.consultations import consultation_in
    from oms.models import Consultation

    item = item_in(district.tenant, plan=plan, title="Консультации для молодых педагогов", months=(11,))
    db.session.commit()
    b = make_browser(district.methodist.email)
    # a scheduled consultation links the item but does not carry it out
    assert _quick(b, district.slug, status="scheduled", held_at="2025-12-15T10:00",
                  plan_item_id=item.id).status_code == 204
    link = db.session.scalar(db.select(PlanItemLink).where(PlanItemLink.item_id == item.id))
    assert (link.kind, link.object_id) == ("consultations", item.id)
    assert _item(item.id).status == "planned"
    # two held ones: done on the day of the last, participants = the held consultations
    _quick(b, district.slug, held_at="2025-11-18T10:30", plan_item_id=item.id)
    _quick(b, district.slug, held_at="2025-11-05T09:00", plan_item_id=item.id)
    item_ = _item(item.id)
    assert (item_.status, item_.actual_date, item_.participants_count, item_.evidence_mode) == (
        "done", date(2025, 11, 18), 2, "evidence")
    page = b.get(f"/{district.slug}/evidence/items/{item.id}/").get_data(as_text=True)
    assert "проведено 2 консультации" in page
    journal = b.get(f"/{district.slug}/consultations/?plan_item={item.id}").get_data(as_text=True)
    assert journal.count("Как подготовиться к ОГЭ") == 3
    # a third held one (written elsewhere) is counted once the item is re-read; deleting the held ones returns
    # the item to «planned», and an item left with no consultations loses the link
    consultation_in(district.tenant, plan_item_id=item.id, status="held", held_at=datetime(2025, 11, 19, 9))
    db.session.commit()
    held = db.session.scalars(db.select(Consultation.id).where(Consultation.plan_item_id == item.id,
                                                               Consultation.status == "held")).all()
    assert b.post(f"/{district.slug}/consultations/{held[0]}/delete").status_code == 302
    item_ = _item(item.id)
    assert (item_.status, item_.actual_date, item_.participants_count) == ("done", date(2025, 11, 19), 2)
    for c_id in held[1:]:
        assert b.post(f"/{district.slug}/consultations/{c_id}/delete").status_code == 302
    assert _item(item.id).status == "planned"
    scheduled = db.session.scalar(db.select(Consultation.id).where(Consultation.plan_item_id == item.id))
    assert b.post(f"/{district.slug}/consultations/{scheduled}/delete").status_code == 302
    assert db.session.scalar(db.select(PlanItemLink.id).where(PlanItemLink.item_id == item.id)) is None


def test_a_practice_the_item_spreads_is_shown_on_it_and_does_not_count(make_browser, district, plan):
    from factories.practices import practice_in, practice_link_in

    item = item_in(district.tenant, plan=plan, title="Мастер-класс «Смысловое чтение»", months=(11,))
    practice = practice_in(district.tenant, title="Смысловое чтение на уроках истории")
    practice_link_in(district.tenant, practice=practice, item=item)
    db.session.commit()
    page = make_browser(district.teacher.email).get(f"/{district.slug}/evidence/items/{item.id}/")
    text = page.get_data(as_text=True)
    assert "Распространение практики" in text and "Смысловое чтение на уроках истории" in text
    assert f"/{district.slug}/practices/{practice.id}" in text
    assert _item(item.id).status == "planned" and _item(item.id).evidence_mode == ""


def test_another_districts_stage_and_consultations_are_404_and_an_item_takes_only_its_own(
        make_browser, make_tenant, district, plan):
    other = make_tenant()
    foreign_stage = stage_in(other)
    foreign_item = item_in(other, plan=plan_in(other), title="Консультации для чужих")
    item = item_in(district.tenant, plan=plan, title="Консультации для молодых педагогов", months=(11,))
    meeting_item = item_in(district.tenant, plan=plan, title="Совещание заместителей", months=(11,))
    db.session.commit()
    b = make_browser(district.methodist.email)
    assert b.get(f"/{district.slug}/evidence/contest_stage/{foreign_stage.id}/").status_code == 404
    assert b.get(f"/{district.slug}/evidence/consultations/{foreign_item.id}/").status_code == 404
    refused = b.post(f"/{district.slug}/evidence/items/{item.id}/link",
                     {"kind": "contest_stage", "object_id": foreign_stage.id}, follow_redirects=True)
    assert "Такого этапа нет среди тех, что можно выбрать здесь" in refused.get_data(as_text=True)
    # an item carries its own consultations, never another item's
    assert b.post(f"/{district.slug}/evidence/items/{meeting_item.id}/link",
                  {"kind": "consultations", "object_id": item.id}).status_code == 404
    assert b.post(f"/{district.slug}/evidence/consultations/{item.id}/link",
                  {"item_id": meeting_item.id}).status_code == 404
    # offered only on an item about consultations
    assert "Консультации по пункту в журнале" in b.get(f"/{district.slug}/evidence/items/{item.id}/").get_data(
        as_text=True)
    assert "Консультации по пункту в журнале" not in b.get(
        f"/{district.slug}/evidence/items/{meeting_item.id}/").get_data(as_text=True)
    assert db.session.scalar(db.select(PlanItemLink.id)) is None
