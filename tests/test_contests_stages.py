"""A contest in several stages: stages with their own criteria, entries admitted to the next stage, per-stage
protocol, lock and results; teams with members; editing an entry after submission; the jury assigned in bulk and
spread automatically with recusal."""
import io
import json
import zipfile

import pytest

from factories.contests import competition_in, contest_stage_in, entry_in, juror_in
from factories.core import person_in, school_in
from oms.extensions import db
from oms.models import Assignment, AuditEvent, ContestCoordinator, Criterion, Entry, Stage, TeamMember
from oms.services import contests as svc


def _link(user, school=None):
    person = person_in(user.tenant, school_id=school.id if school else None)
    person.user_id = user.id
    db.session.commit()
    return person


def _criteria(stage):
    return db.session.scalars(db.select(Criterion).where(Criterion.stage_id == stage.id)
                              .order_by(Criterion.position)).all()


def test_stages_are_added_edited_listed_in_order_and_the_first_stays(district, make_browser):
    comp = competition_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/contests/{comp.id}/stages/new", data={
        "name": "Финал", "date_from": "2026-02-20", "venue": "Дом культуры", "jurors_per_entry": "3",
        "criteria": "Урок; 2; 20\nМастер-класс; 1; 10"})
    assert resp.status_code == 302
    first, final = svc.stages_of(comp)
    assert final.name == "Финал" and final.position == 2 and final.jurors_per_entry == 3
    assert [(c.name, c.weight, c.max_points) for c in _criteria(final)] == [("Урок", 2, 20), ("Мастер-класс", 1, 10)]
    assert [c.name for c in _criteria(first)] == ["Содержание"]  # each stage its own criteria
    bad = b.post(f"/{district.slug}/contests/{comp.id}/stages/new", data={
        "name": "", "date_from": "2026-03-02", "date_to": "2026-03-01", "jurors_per_entry": "0"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Дата окончания раньше даты начала." in text and "От 1 до 20." in text
    edit = b.post(f"/{district.slug}/contests/stages/{final.id}/edit", data={
        "name": "Суперфинал", "date_from": "2026-02-21", "jurors_per_entry": "2", "criteria": "Урок; 1; 15"})
    assert edit.status_code == 302
    assert [(c.name, c.weight, c.max_points) for c in _criteria(final)] == [("Урок", 1, 15)]
    page = b.get(f"/{district.slug}/contests/{comp.id}").get_data(as_text=True)
    assert page.index("Основной этап") < page.index("Суперфинал") and "21.02.2026" in page
    refused = b.post(f"/{district.slug}/contests/stages/{first.id}/delete")
    assert refused.status_code == 422 and db.session.get(Stage, first.id) is not None
    assert b.post(f"/{district.slug}/contests/stages/{final.id}/delete").status_code == 302
    assert svc.stages_of(comp) == [first]
    teacher = make_browser(district.teacher.email)
    assert teacher.get(f"/{district.slug}/contests/{comp.id}/stages/new").status_code == 403
    assert teacher.post(f"/{district.slug}/contests/stages/{first.id}/edit", data={"name": "x"}).status_code == 403
    assert teacher.post(f"/{district.slug}/contests/stages/{first.id}/delete").status_code == 403


def test_entries_pass_to_the_next_stage_with_their_own_scores_lock_and_results(app, district, make_browser):
    from datetime import date

    from oms.clock import pinned

    tenant = district.tenant
    comp = competition_in(tenant)
    first = svc.first_stage(comp)
    final = contest_stage_in(tenant, comp)
    juror = juror_in(tenant, comp, person=_link(district.leader, school_in(tenant)), is_chair=True)
    names = ("Абрамов А А", "Борисов Б Б", "Васильев В В", "Гришин Г Г")
    entries = [entry_in(tenant, comp, pupil_name=n) for n in names]
    crit = _criteria(first)[0]
    for entry, points in zip(entries, (9, 7, 7, 3)):
        svc.assign(juror, entry)
        db.session.flush()
        assert svc.score_entry(juror, entry, first, {crit.id: points}) == []
    db.session.commit()
    b = make_browser(district.methodist.email)
    top = b.post(f"/{district.slug}/contests/stages/{first.id}/advance", data={"top": "2"})
    assert top.status_code == 302
    passed = db.session.scalars(db.select(Entry).where(Entry.stage_id == final.id).order_by(Entry.pupil_name)).all()
    assert [e.pupil_name for e in passed] == ["Абрамов А А", "Борисов Б Б", "Васильев В В"]  # a tie at 2nd
    assert all(e.origin_id in {x.id for x in entries} and e.status == "admitted" for e in passed)
    again = b.post(f"/{district.slug}/contests/stages/{first.id}/advance", data={"entry": [str(entries[0].id),
                                                                                           str(entries[3].id)]})
    assert again.status_code == 302  # the one already there stays once
    assert db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.stage_id == final.id)) == 4
    nothing = b.post(f"/{district.slug}/contests/stages/{final.id}/advance", data={"entry": str(passed[0].id)})
    assert nothing.status_code == 422
    assert "нет следующего этапа" in b.get(f"/{district.slug}/contests/stages/{final.id}").get_data(as_text=True)
    # the final has its own criterion and scores: the first stage's points do not count there
    final_crit = _criteria(final)[0]
    gr = db.session.scalar(db.select(Entry).where(Entry.stage_id == final.id, Entry.pupil_name == "Гришин Г Г"))
    gr_id = gr.id
    svc.assign(juror, gr)
    db.session.flush()
    assert svc.score_entry(juror, gr, final, {final_crit.id: 10}) == []
    with pytest.raises(svc.Refused):
        svc.score_entry(juror, gr, final, {crit.id: 5})  # not a criterion of this stage
    db.session.commit()
    chair = make_browser(district.leader.email)
    assert chair.post(f"/{district.slug}/contests/stages/{first.id}/lock").status_code == 302
    assert chair.post(f"/{district.slug}/contests/stages/{final.id}/lock").status_code == 302
    db.session.expire_all()
    assert {e.result for e in entries} == {"participant"}  # not the last stage: no winners proposed there
    assert db.session.get(Entry, gr.id).result == "winner"
    protocol = b.get(f"/{district.slug}/contests/stages/{final.id}/protocol").get_data(as_text=True)
    assert "Финал" in protocol and "Гришин Г Г" in protocol
    rating = b.get(f"/{district.slug}/contests/{comp.id}/rating").get_data(as_text=True)  # the current stage
    assert "финал" in rating
    stage_page = b.get(f"/{district.slug}/contests/stages/{first.id}").get_data(as_text=True)
    assert "допущен(а) на этап «Финал»" in stage_page
    with pinned(app, date(2026, 1, 1)):
        held = svc.stages_held([first, final])
    assert held[first.id]["participants"] == 4 and held[final.id]["participants"] == 4
    assert held[final.id]["done"] is True
    teacher = make_browser(district.teacher.email)
    assert teacher.post(f"/{district.slug}/contests/stages/{first.id}/advance", data={"top": "1"}).status_code == 403
    # deleting the first stage's entry takes its copy in the final
    assert b.post(f"/{district.slug}/contests/entries/{entries[3].id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Entry.id).where(Entry.id == gr_id)) is None


def _deleted_entries() -> set[int]:
    return set(db.session.scalars(db.select(AuditEvent.object_id).where(AuditEvent.object_type == "Entry",
                                                                        AuditEvent.action == "delete")))


def test_entries_deleted_with_their_first_stage_entry_stage_or_contest_are_each_in_the_audit_trail(
        district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    final = contest_stage_in(tenant, comp)
    school = school_in(tenant)
    entries = [entry_in(tenant, comp, school=school) for _ in range(3)]
    db.session.commit()
    ids, comp_id = [e.id for e in entries], comp.id
    b = make_browser(district.methodist.email)
    first = svc.first_stage(comp)
    first_id, final_id = first.id, final.id
    page = b.get(f"/{district.slug}/contests/entries/{ids[0]}").get_data(as_text=True)
    assert "участием в следующих этапах" in page  # the confirmation says what goes with it
    assert b.post(f"/{district.slug}/contests/stages/{first_id}/advance",
                  data={"entry": [str(i) for i in ids]}).status_code == 302
    copy_of = {e.origin_id: e.id for e in db.session.scalars(db.select(Entry).where(Entry.stage_id == final_id))}
    assert len(copy_of) == 3
    # an entry of the first stage: it and its copy in the final, one audit entry each
    assert b.post(f"/{district.slug}/contests/entries/{ids[0]}/delete").status_code == 302
    assert _deleted_entries() == {ids[0], copy_of[ids[0]]}
    # a stage: each of its entries
    assert b.post(f"/{district.slug}/contests/stages/{final_id}/delete").status_code == 302
    assert _deleted_entries() == {ids[0]} | set(copy_of.values())
    # the contest: each entry left
    assert b.post(f"/{district.slug}/contests/entries/{ids[1]}/delete").status_code == 302
    assert b.post(f"/{district.slug}/contests/stages/{first_id}/advance",
                  data={"entry": str(ids[2])}).status_code == 422  # no next stage any more
    second = contest_stage_in(tenant, db.session.get(type(comp), comp_id), name="Суперфинал")
    db.session.commit()
    second_id = second.id
    assert b.post(f"/{district.slug}/contests/stages/{first_id}/advance",
                  data={"entry": str(ids[2])}).status_code == 302
    late_copy = db.session.scalar(db.select(Entry.id).where(Entry.stage_id == second_id))
    assert make_browser(district.admin.email).post(f"/{district.slug}/contests/{comp_id}/delete").status_code == 302
    assert {ids[2], late_copy} <= _deleted_entries()
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 0


def _team_form(school, **kw):
    return {"entrant": "team", "pupil_name": "Команда «Эврика»", "school_id": str(school.id)} | kw


def test_a_team_has_members_checked_shown_and_deleted_with_it(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    school = school_in(tenant, name="МБОУ «Лицей № 2»", short_name="Лицей № 2")
    other = school_in(tenant, name="МБОУ «Гимназия № 5»", short_name="Гимназия № 5")
    teacher = person_in(tenant, school_id=school.id, last_name="Наставникова", first_name="Ольга")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/contests/{comp.id}/entries/new"
    one = b.post(url, data=_team_form(school, members="Иванов Пётр; 8"))
    assert one.status_code == 422 and "не меньше двух участников" in one.get_data(as_text=True)
    twice = b.post(url, data=_team_form(school, members="Иванов Пётр; 8\nиванов пётр; 8"))
    assert twice.status_code == 422 and "указан(а) в команде дважды" in twice.get_data(as_text=True)
    bad = b.post(url, data=_team_form(school, members="Иванов Пётр; восьмой\nОрлова Вера; 8; Школа № 99"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Строка 1: класс — число от 1 до 11." in text
    assert "Строка 2: нет такой образовательной организации" in text
    ok = b.post(url, data=_team_form(school, members="Иванов Пётр; 8\nОрлова Вера; 9; Гимназия № 5",
                                     member_people=str(teacher.id)))
    assert ok.status_code == 302
    entry = db.session.scalar(db.select(Entry).where(Entry.entrant == "team"))
    members = db.session.scalars(db.select(TeamMember).where(TeamMember.entry_id == entry.id)
                                 .order_by(TeamMember.position)).all()
    assert [(m.full_name, m.grade, m.school_id) for m in members] == [
        ("Иванов Пётр", 8, school.id), ("Орлова Вера", 9, other.id), (teacher.full_name, None, school.id)]
    page = b.get(f"/{district.slug}/contests/entries/{entry.id}").get_data(as_text=True)
    assert "Состав команды" in page and "Орлова Вера, 9 кл., Гимназия № 5" in page
    first = svc.first_stage(comp)
    entry.status = "admitted"
    db.session.commit()
    protocol = b.get(f"/{district.slug}/contests/stages/{first.id}/protocol").get_data(as_text=True)
    assert "Иванов Пётр" in protocol
    assert b.post(f"/{district.slug}/contests/stages/{first.id}/lock").status_code == 302
    assert b.post(f"/{district.slug}/contests/entries/{entry.id}/result", data={"result": "prize"}).status_code == 302
    diplomas = b.get(f"/{district.slug}/contests/stages/{first.id}/diplomas").get_data(as_text=True)
    for name in ("Иванов Пётр", "Орлова Вера", teacher.full_name):  # each member gets their own
        assert f"<h2>{name}</h2>" in diplomas
    assert diplomas.count("участник команды «Команда «Эврика»»") == 3
    archive = make_browser(district.admin.email).get(f"/{district.slug}/export/archive.zip", buffered=True)
    members_json = json.loads(zipfile.ZipFile(io.BytesIO(archive.get_data())).read("tables/team_member.json"))
    assert {m["full_name"] for m in members_json} == {"Иванов Пётр", "Орлова Вера", teacher.full_name}
    assert b.post(f"/{district.slug}/contests/entries/{entry.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(TeamMember.id))) == 0


def test_the_submitter_edits_while_submitted_the_organiser_until_the_lock(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    school = school_in(tenant)
    person = _link(district.teacher, school)
    db.session.add(ContestCoordinator(tenant_id=tenant.id, person_id=person.id))
    db.session.commit()
    coordinator = make_browser(district.teacher.email)
    pupil = {"entrant": "pupil", "pupil_name": "Смирнова Алиса", "grade": "7", "school_id": str(school.id)}
    assert coordinator.post(f"/{district.slug}/contests/{comp.id}/entries/new", data=pupil).status_code == 302
    entry = db.session.scalar(db.select(Entry))
    url = f"/{district.slug}/contests/entries/{entry.id}/edit"
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url, data=pupil | {"grade": "8", "topic": "Родник"}).status_code == 302
    db.session.refresh(entry)
    assert (entry.grade, entry.topic) == (8, "Родник")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "Entry",
                                                          AuditEvent.action == "update"))
    assert event.changes["grade"] == [7, 8]
    assert coordinator.post(url, data=pupil | {"grade": ""}).status_code == 422
    methodist = make_browser(district.methodist.email)
    assert methodist.post(f"/{district.slug}/contests/entries/{entry.id}/decision",
                          data={"status": "admitted"}).status_code == 302
    late = coordinator.post(url, data=pupil | {"grade": "9"})
    assert late.status_code == 403
    assert "Заявка уже рассмотрена: изменить её может только методист." in late.get_data(as_text=True)
    assert coordinator.get(url).status_code == 302  # sent back to the entry with the message
    assert methodist.post(url, data=pupil | {"grade": "9"}).status_code == 302
    db.session.refresh(entry)
    assert entry.grade == 9
    outsider = make_browser(district.leader.email)
    assert outsider.post(url, data=pupil).status_code == 403
    assert methodist.post(f"/{district.slug}/contests/{comp.id}/lock").status_code == 302
    locked = methodist.post(url, data=pupil | {"grade": "10"})
    assert locked.status_code == 403 and "Результаты этапа утверждены" in locked.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.grade == 9


def _version(page: str) -> str:
    import re

    found = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    return found.group(1) or found.group(2)


def test_two_people_editing_one_entry_the_later_save_is_refused_with_both_variants(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    school = school_in(tenant)
    teacher = person_in(tenant, last_name="Кузнецова", first_name="Мария", school_id=school.id)
    person = _link(district.teacher, school)
    db.session.add(ContestCoordinator(tenant_id=tenant.id, person_id=person.id))
    entry = entry_in(tenant, comp, school=school, pupil_name="Смирнова Алиса", grade=7, status="submitted",
                     topic="Родник")
    db.session.commit()
    url = f"/{district.slug}/contests/entries/{entry.id}/edit"
    coordinator, methodist = make_browser(district.teacher.email), make_browser(district.methodist.email)
    pupil = {"entrant": "pupil", "pupil_name": "Смирнова Алиса", "grade": "7", "school_id": str(school.id)}
    opened = _version(coordinator.get(url).get_data(as_text=True))
    assert _version(methodist.get(url).get_data(as_text=True)) == opened
    assert methodist.post(url, data=pupil | {"version": opened, "topic": "Озеро"}).status_code == 302
    stale = coordinator.post(url, data=pupil | {"version": opened, "topic": "Ручей", "grade": "8",
                                                "teacher_id": str(teacher.id)})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Пока вы редактировали, запись изменил другой пользователь" in page
    assert "ваши значения остались в форме" in page
    assert 'value="Ручей"' in page and "Озеро" in page  # the user's input kept, the saved one shown beside it
    assert "Кузнецова Мария" in page  # a picked teacher reads as a name in the comparison, not as an id
    db.session.refresh(entry)
    assert (entry.topic, entry.grade) == ("Озеро", 7)  # nothing of the stale save was written
    again = _version(page)
    assert again != opened
    assert coordinator.post(url, data=pupil | {"version": again, "topic": "Ручей"}).status_code == 302
    db.session.refresh(entry)
    assert entry.topic == "Ручей"  # saving again deliberately keeps the user's variant


def test_jurors_are_assigned_in_bulk_and_spread_evenly_never_to_their_own_school(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    stage = svc.first_stage(comp)
    a, b_, c = school_in(tenant), school_in(tenant), school_in(tenant)
    jurors = [juror_in(tenant, comp, person=person_in(tenant, school_id=s.id)) for s in (a, b_, c)]
    entries = [entry_in(tenant, comp, school=s) for s in (a, a, b_, b_, c, c)]
    entry_in(tenant, comp, school=a, status="submitted")  # not admitted: not distributed
    db.session.commit()
    m = make_browser(district.methodist.email)
    base = f"/{district.slug}/contests/stages/{stage.id}"
    bulk = m.post(f"{base}/assign", data={"entry": [str(entries[0].id), str(entries[2].id)],
                                         "juror": [str(jurors[0].id), str(jurors[2].id)]})
    assert bulk.status_code == 302
    pairs = set(db.session.execute(db.select(Assignment.juror_id, Assignment.entry_id)).all())
    assert pairs == {(jurors[2].id, entries[0].id), (jurors[0].id, entries[2].id), (jurors[2].id, entries[2].id)}
    page = m.get(base).get_data(as_text=True)
    assert "Не назначено из-за самоотвода" in page
    assert m.post(f"{base}/assign", data={"juror": [str(jurors[0].id)]}).status_code == 422
    spread = m.post(f"{base}/distribute", data={"per_entry": "2"})
    assert spread.status_code == 302
    rows = db.session.execute(db.select(Assignment.juror_id, Assignment.entry_id)).all()
    by_entry, load = {}, {}
    for juror_id, entry_id in rows:
        by_entry.setdefault(entry_id, set()).add(juror_id)
        load[juror_id] = load.get(juror_id, 0) + 1
    assert set(by_entry) == {e.id for e in entries}
    assert all(len(v) == 2 for v in by_entry.values())
    school_of = {j.id: j.school_id for j in jurors}
    assert all(school_of[j] != e.school_id for e in entries for j in by_entry[e.id])  # recusal kept
    assert sorted(load.values()) == [4, 4, 4]  # 12 assignments evenly
    impossible = m.post(f"{base}/distribute", data={"per_entry": "3"})
    assert impossible.status_code == 422
    assert "Не хватает членов жюри не из школы участника" in m.get(base).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 12  # nothing half-done
    teacher = make_browser(district.teacher.email)
    assert teacher.post(f"{base}/distribute", data={"per_entry": "1"}).status_code == 403
    assert teacher.post(f"{base}/assign", data={"entry": [str(entries[0].id)],
                                               "juror": [str(jurors[1].id)]}).status_code == 403
    m.post(f"/{district.slug}/contests/{comp.id}/lock")
    assert m.post(f"{base}/distribute", data={"per_entry": "1"}).status_code == 422


def test_the_stage_page_runs_a_constant_number_of_queries(district, make_browser, count_queries):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    stage = svc.first_stage(comp)
    juror = juror_in(tenant, comp)
    for _ in range(2):
        svc.assign(juror, entry_in(tenant, comp, entrant="team", school=school_in(tenant)))
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/contests/stages/{stage.id}"
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for _ in range(15):
        entry = entry_in(tenant, comp, entrant="team", school=school_in(tenant))
        svc.set_members(entry, [svc.Member("Иванов И", 5, entry.school_id), svc.Member("Петров П", 5, None)])
        svc.assign(juror, entry)
        juror_in(tenant, comp)
    db.session.commit()
    with count_queries() as many:
        assert b.get(url).status_code == 200
    assert many.count == few.count


def test_each_stage_marks_its_own_plan_item_when_held(app, district, make_browser):
    from datetime import date

    from factories.plan import item_in, plan_in
    from oms.clock import pinned
    from oms.models import PlanItem

    tenant = district.tenant
    plan = plan_in(tenant)
    comp = competition_in(tenant)
    first = svc.first_stage(comp)
    final = contest_stage_in(tenant, comp)
    final.date_from = date(2026, 3, 5)
    entry = entry_in(tenant, comp)
    first_item = item_in(tenant, plan=plan, title="Заочный тур конкурса", months=(2,))
    final_item = item_in(tenant, plan=plan, title="Финал конкурса", months=(3,))
    db.session.commit()
    b = make_browser(district.methodist.email)
    with pinned(app, date(2026, 2, 20)):
        for stage, item in ((first, first_item), (final, final_item)):
            assert b.post(f"/{district.slug}/evidence/contest_stage/{stage.id}/link",
                          {"item_id": item.id}).status_code == 303
        assert "Финал конкурса" in b.get(f"/{district.slug}/evidence/contest_stage/{final.id}/").get_data(as_text=True)
        assert b.post(f"/{district.slug}/contests/stages/{first.id}/lock").status_code == 302
        db.session.expire_all()
        assert db.session.get(PlanItem, first_item.id).status == "done"
        assert db.session.get(PlanItem, final_item.id).status == "planned"  # nobody has passed yet
        assert b.post(f"/{district.slug}/contests/stages/{first.id}/advance",
                      data={"entry": str(entry.id)}).status_code == 302
        assert b.post(f"/{district.slug}/contests/stages/{final.id}/lock").status_code == 302
        db.session.expire_all()
        done = db.session.get(PlanItem, final_item.id)
        assert (done.status, done.participants_count) == ("done", 1)


def test_a_juror_is_recused_from_a_team_with_a_member_of_their_school(district):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    home, other = school_in(tenant), school_in(tenant)
    team = entry_in(tenant, comp, school=home, entrant="team", pupil_name="Эврика", grade=None)
    for i, (name, school) in enumerate((("Иванов Пётр", home), ("Орлова Вера", other)), start=1):
        db.session.add(TeamMember(tenant_id=tenant.id, entry_id=team.id, full_name=name, school_id=school.id,
                                  position=i))
    juror = juror_in(tenant, comp, person=person_in(tenant, school_id=other.id))
    db.session.flush()
    assert svc.recused(juror, team)
    with pytest.raises(svc.Refused):
        svc.distribute(svc.first_stage(comp), [juror], [team], 1)
    assert svc.assign_many([juror], [team]) == (0, [(juror, team)])
    with pytest.raises(svc.Refused):
        svc.assign(juror, team)


def test_a_locked_stage_keeps_its_team_when_a_later_stage_entry_is_edited(district, make_browser):
    from datetime import datetime

    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    first = svc.first_stage(comp)
    contest_stage_in(tenant, comp)
    school = school_in(tenant, name="МБОУ «Лицей № 2»", short_name="Лицей № 2")
    entry = entry_in(tenant, comp, school=school, entrant="team", pupil_name="Эврика", grade=None)
    for i, (name, grade) in enumerate((("Иванов Пётр", 8), ("Орлова Вера", 9)), 1):
        db.session.add(TeamMember(tenant_id=tenant.id, entry_id=entry.id, full_name=name, grade=grade,
                                  school_id=school.id, position=i))
    db.session.flush()
    svc.advance(first, [entry], district.methodist)
    first.locked_at = datetime(2026, 3, 1)
    db.session.commit()
    copy = db.session.scalar(db.select(Entry).where(Entry.origin_id == entry.id))
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/contests/entries/{copy.id}/edit"
    form = {"entrant": "team", "pupil_name": "Эврика", "school_id": str(school.id)}

    resp = b.post(url, data={**form, "members": "Сидоров Олег; 8\nКозлова Анна; 9"})
    assert resp.status_code == 422
    assert "больше не меняются" in resp.get_data(as_text=True)
    names = set(db.session.scalars(db.select(TeamMember.full_name).where(TeamMember.entry_id == entry.id)))
    assert names == {"Иванов Пётр", "Орлова Вера"}  # the locked stage's protocol still shows its team

    # the same team (in another order) with a new topic is an edit of the final's entry only
    resp = b.post(url, data={**form, "members": "Орлова Вера; 9\nИванов Пётр; 8", "topic": "Вода родников"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Entry, copy.id).topic == "Вода родников"
