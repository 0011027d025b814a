"""Contests: who submits (coordinators), the jury (assignment, recusal, maximum points), totals with ties, the lock,
the protocol XLSX, the published rating with a parent's consent, the teacher's views."""
import io

import pytest
from openpyxl import load_workbook

from factories.contests import competition_in, entry_in, juror_in
from factories.core import person_in, school_in
from oms.extensions import db
from oms.models import Assignment, Competition, ContestCoordinator, Criterion, Entry, Score, Stage
from oms.services import contests as svc


def _link(user, school=None, **kw):
    """A registry person for a user (their school, if given)."""
    person = person_in(user.tenant, school_id=school.id if school else None, **kw)
    person.user_id = user.id
    db.session.commit()
    return person


def _criteria(comp):
    stage = db.session.scalar(db.select(Stage).where(Stage.competition_id == comp.id))
    return stage, db.session.scalars(db.select(Criterion).where(Criterion.stage_id == stage.id)
                                     .order_by(Criterion.position)).all()


def test_methodist_creates_a_contest_with_criteria(district, make_browser):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/contests/new", data={
        "title": "Учитель года — 2026", "kind": "teachers", "level": "municipal", "is_own": "y", "start_year": "2025",
        "nominations": "Учитель года\nПедагогический дебют; до 3 лет стажа",
        "criteria": "Методическая грамотность; 2; 10\nКоммуникативная культура; 1; 5", "venue": "СОШ № 1"})
    assert resp.status_code == 302
    comp = db.session.scalar(db.select(Competition).where(Competition.title == "Учитель года — 2026"))
    _stage, crits = _criteria(comp)
    assert [(c.name, c.weight, c.max_points) for c in crits] == [("Методическая грамотность", 2, 10),
                                                                 ("Коммуникативная культура", 1, 5)]
    bad = b.post(f"/{district.slug}/contests/new", data={"title": "", "kind": "teachers", "level": "municipal",
                                                         "start_year": "2025", "criteria": "Качество; два; 10"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Заполните это поле." in page and "вес и максимум — числа" in page
    form = b.get(f"/{district.slug}/contests/new").get_data(as_text=True)  # today 18.03.2026: 2025/2026 chosen
    assert '<option selected value="2025">2025/2026</option>' in form and ">2026/2027<" in form and ">2024/2025<" in form
    far = b.post(f"/{district.slug}/contests/new", data={"title": "Учитель года — 1999", "kind": "teachers",
                                                         "level": "municipal", "start_year": "1999"})
    assert far.status_code == 422 and "Выберите учебный год из списка." in far.get_data(as_text=True)
    assert b.get(f"/{district.slug}/contests/").status_code == 200
    teacher = make_browser(district.teacher.email)
    assert teacher.get(f"/{district.slug}/contests/new").status_code == 403


def test_the_contest_form_edits_the_contest_and_each_stage_form_its_own_dates_and_criteria(district, make_browser):
    from datetime import date

    comp = competition_in(district.tenant, title="Педагогический дебют")
    stage, _crits = _criteria(comp)
    stage.venue = "СОШ № 1"
    db.session.commit()
    b = make_browser(district.methodist.email)
    created = b.get(f"/{district.slug}/contests/new").get_data(as_text=True)
    assert "Первый этап" in created and 'name="criteria"' in created  # asked once, for the stage made with it
    url = f"/{district.slug}/contests/{comp.id}/edit"
    page = b.get(url).get_data(as_text=True)
    for name in ("date_from", "date_to", "venue", "criteria"):
        assert f'name="{name}"' not in page  # not a second place to edit the stage's data
    assert f"/contests/stages/{stage.id}/edit" in page and "меняются на странице этапа" in page
    assert b.post(url, data={"title": "Педагогический дебют — 2026", "kind": "teachers", "level": "municipal",
                             "start_year": "2025", "venue": "Другое место", "criteria": "Другое; 1; 5",
                             "version": str(comp.version)}).status_code == 302
    db.session.expire_all()
    stage, crits = _criteria(comp)
    assert db.session.get(Competition, comp.id).title == "Педагогический дебют — 2026"
    assert (stage.date_from, stage.venue) == (date(2026, 2, 10), "СОШ № 1")  # the stage's data untouched
    assert [c.name for c in crits] == ["Содержание"]


def test_a_coordinator_submits_only_for_their_school(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    mine, other = school_in(tenant), school_in(tenant)
    person = _link(district.teacher, mine)
    db.session.commit()
    b = make_browser(district.teacher.email)
    url = f"/{district.slug}/contests/{comp.id}/entries/new"
    assert b.get(url).status_code == 403  # not a coordinator yet
    db.session.add(ContestCoordinator(tenant_id=tenant.id, person_id=person.id))
    db.session.commit()
    assert b.get(url).status_code == 200
    pupil = {"entrant": "pupil", "pupil_name": "Смирнова Алиса Игоревна", "grade": "7", "school_id": str(mine.id)}
    assert b.post(url, data=pupil).status_code == 302
    assert b.post(url, data=pupil | {"school_id": str(other.id)}).status_code == 422  # not offered to them
    no_grade = b.post(url, data=pupil | {"grade": ""})
    assert no_grade.status_code == 422 and "Укажите класс обучающегося." in no_grade.get_data(as_text=True)
    no_date = b.post(url, data=pupil | {"consent": "y"})
    assert no_date.status_code == 422 and "Укажите дату согласия." in no_date.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 1
    assert "Смирнова Алиса Игоревна" in b.get(f"/{district.slug}/contests/mine").get_data(as_text=True)


def test_recusal_assignment_and_maximum(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, criteria=(("Содержание", 2, 10), ("Оформление", 1, 5)))
    school, other = school_in(tenant), school_in(tenant)
    juror = juror_in(tenant, comp, person=_link(district.teacher, school))
    own_entry = entry_in(tenant, comp, school=school)
    entry = entry_in(tenant, comp, school=other)
    with pytest.raises(svc.Refused):
        svc.assign(juror, own_entry)
    b = make_browser(district.teacher.email)
    assert b.get(f"/{district.slug}/contests/entries/{entry.id}/score").status_code == 403  # not assigned
    admin = make_browser(district.admin.email)
    refused = admin.post(f"/{district.slug}/contests/entries/{own_entry.id}/assign", data={"juror_id": juror.id})
    assert refused.status_code == 422
    assert admin.post(f"/{district.slug}/contests/entries/{entry.id}/assign",
                      data={"juror_id": juror.id}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 1
    _stage, (content, form) = _criteria(comp)
    too_much = b.post(f"/{district.slug}/contests/entries/{entry.id}/score",
                      data={f"c{content.id}": "11", f"c{form.id}": "3"})
    assert too_much.status_code == 422
    assert "не больше 10 баллов" in too_much.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert b.post(f"/{district.slug}/contests/entries/{entry.id}/score",
                  data={f"c{content.id}": "8,5", f"c{form.id}": "4"}).status_code == 302
    own = b.post(f"/{district.slug}/contests/entries/{own_entry.id}/score", data={f"c{content.id}": "5"})
    assert own.status_code == 422 and "своей образовательной организации" in own.get_data(as_text=True)
    assert sorted(db.session.scalars(db.select(Score.points))) == [4, 8.5]


def test_weighted_totals_ties_lock_and_results(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, criteria=(("Содержание", 2, 10), ("Оформление", 1, 5)))
    stage, (content, form) = _criteria(comp)
    chair = juror_in(tenant, comp, person=_link(district.leader, school_in(tenant)), is_chair=True)
    second = juror_in(tenant, comp)
    a, b_, c = (entry_in(tenant, comp, pupil_name=n) for n in ("Абрамов А А", "Борисов Б Б", "Васильев В В"))
    entry_in(tenant, comp, status="rejected", reason="Нет согласия")
    points = {a: ((8, 4), (10, 4)), b_: ((9, 5), (9, 3)), c: ((5, 5), (5, 5))}
    for entry, ((x1, y1), (x2, y2)) in points.items():
        for juror, (x, y) in ((chair, (x1, y1)), (second, (x2, y2))):
            svc.assign(juror, entry)
            db.session.flush()
            assert svc.score_entry(juror, entry, stage, {content.id: x, form.id: y}) == []
    db.session.commit()
    _crits, rows = svc.stage_table(comp, stage)
    table = [(r.entry.pupil_name, r.total, r.place) for r in rows]
    assert table == [("Абрамов А А", 22, 1), ("Борисов Б Б", 22, 1), ("Васильев В В", 15, 3)]  # tie shares 1st
    other = make_browser(district.methodist.email)
    assert other.get(f"/{district.slug}/contests/{comp.id}/protocol").status_code == 200
    chair_b = make_browser(district.leader.email)
    teacher = make_browser(district.teacher.email)
    assert teacher.post(f"/{district.slug}/contests/{comp.id}/lock").status_code == 403
    assert chair_b.post(f"/{district.slug}/contests/{comp.id}/lock").status_code == 302
    db.session.refresh(stage)
    assert stage.locked_at is not None
    with pytest.raises(svc.Refused):
        svc.score_entry(chair, a, stage, {content.id: 1})
    locked = chair_b.post(f"/{district.slug}/contests/entries/{a.id}/score", data={f"c{content.id}": "1"})
    assert locked.status_code == 422 and "баллы больше не меняются" in locked.get_data(as_text=True)
    assert [e.result for e in (a, b_, c)] == ["winner", "winner", "prize"]
    diplomas = other.get(f"/{district.slug}/contests/{comp.id}/diplomas").get_data(as_text=True)
    assert "Абрамов А А" in diplomas and "Диплом" in diplomas


def test_protocol_xlsx_keeps_typed_text_as_text(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, title="=HYPERLINK(\"x\")")
    entry_in(tenant, comp, pupil_name="=1+2 Иванов")
    b = make_browser(district.methodist.email)
    resp = b.get(f"/{district.slug}/contests/{comp.id}/protocol.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).endswith("=1+2 Иванов") for c in cells)
    teacher = make_browser(district.teacher.email)
    assert teacher.get(f"/{district.slug}/contests/{comp.id}/protocol.xlsx").status_code == 403


def test_rating_shows_initials_without_consent(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    entry_in(tenant, comp, pupil_name="Кузнецов Пётр Сергеевич")
    entry_in(tenant, comp, pupil_name="Орлова Вера Андреевна", consent=True)
    db.session.commit()
    page = make_browser(district.teacher.email).get(f"/{district.slug}/contests/{comp.id}/rating").get_data(as_text=True)
    assert "Кузнецов" not in page and "К. П. С." in page
    assert "Орлова Вера Андреевна" in page


def test_the_rating_lists_team_members_with_initials_of_pupils_without_consent(district, make_browser):
    from oms.models import TeamMember

    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    school = school_in(tenant)
    coach = person_in(tenant, last_name="Кузнецова", first_name="Мария", school_id=school.id)
    teams = {}
    for title, consent, pupils in (("Искра", False, ("Орлов Пётр Сергеевич", "Белова Анна Игоревна")),
                                   ("Пламя", True, ("Соколов Илья Андреевич", "Зайцева Ольга Петровна"))):
        team = entry_in(tenant, comp, school=school, entrant="team", pupil_name=title, grade=None, consent=consent,
                        result="winner")
        for i, name in enumerate(pupils, start=1):
            db.session.add(TeamMember(tenant_id=tenant.id, entry_id=team.id, full_name=name, grade=7,
                                      school_id=school.id, position=i))
        db.session.add(TeamMember(tenant_id=tenant.id, entry_id=team.id, person_id=coach.id,
                                  full_name=coach.full_name, position=3))
        teams[title] = team
    db.session.commit()
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/contests/{comp.id}/rating").get_data(as_text=True)
    assert "Искра" in page and "О. П. С." in page and "Б. А. И." in page  # no consent: pupils by initials
    assert "Орлов" not in page and "Белова" not in page
    assert "Соколов Илья Андреевич" in page and "Зайцева Ольга Петровна" in page  # consent given on the entry
    assert "Кузнецова Мария" in page  # a teacher in the team is named
    ws = load_workbook(io.BytesIO(b.get(f"/{district.slug}/contests/{comp.id}/rating.xlsx").data)).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Состав команды" in values and any("О. П. С." in v and "Кузнецова Мария" in v for v in values)
    assert not any("Орлов" in v or "Белова" in v for v in values)


def test_a_teachers_win_shows_on_their_person_card(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, title="Учитель года Кировского района")
    teacher = person_in(tenant, school_id=school_in(tenant).id)
    entry_in(tenant, comp, entrant="teacher", person_id=teacher.id, result="winner")
    db.session.commit()
    page = make_browser(district.methodist.email).get(f"/{district.slug}/people/{teacher.id}").get_data(as_text=True)
    assert "Победы в конкурсах" in page and "Учитель года Кировского района" in page


def test_a_teachers_win_is_proposed_to_the_practice_bank_from_a_filled_form(district, make_browser, make_tenant):
    from oms.models import Practice, PracticeAuthor

    tenant = district.tenant
    school = school_in(tenant, short_name="СОШ № 5")
    comp = competition_in(tenant, title="Педагогический дебют")
    teacher = _link(district.teacher, school, last_name="Ковалёва")
    win = entry_in(tenant, comp, school=school, entrant="teacher", person_id=teacher.id, result="winner",
                   topic="Проектная задача «Город будущего»")
    lost = entry_in(tenant, comp, school=school, entrant="teacher", person_id=teacher.id, result="participant")
    db.session.commit()
    new = f"/{district.slug}/practices/new?entry={win.id}"
    card = make_browser(district.methodist.email).get(f"/{district.slug}/people/{teacher.id}").get_data(as_text=True)
    assert "Предложить в банк практик" in card and f"practices/new?entry={win.id}" in card
    me = make_browser(district.teacher.email)
    mine = me.get(f"/{district.slug}/contests/mine").get_data(as_text=True)
    assert f"practices/new?entry={win.id}" in mine and f"practices/new?entry={lost.id}" not in mine
    page = me.get(new)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Проектная задача «Город будущего»" in html.replace("&#34;", "\"") \
        .replace("&laquo;", "«")
    assert '<option selected value="contest">' in html and "Ковалёва" in html
    assert f'<option selected value="{school.id}">' in html
    assert db.session.scalar(db.select(db.func.count(Practice.id))) == 0  # nothing saved until the form is sent
    assert make_browser(district.leader.email).get(new).status_code == 403  # neither the teacher nor a methodist
    assert me.get(f"/{district.slug}/practices/new?entry={lost.id}").status_code == 404  # not a win
    other = make_tenant()
    theirs = entry_in(other, competition_in(other), entrant="teacher", person_id=person_in(other).id, result="winner")
    db.session.commit()
    assert make_browser(district.methodist.email).get(
        f"/{district.slug}/practices/new?entry={theirs.id}").status_code == 404  # another district's win
    sent = me.post(new, data={"title": "Проектная задача «Город будущего»", "author_ids": [str(teacher.id)],
                              "school_id": str(school.id), "level": "basic", "kind": "development",
                              "source": "contest", "consent": "y"})
    assert sent.status_code == 302
    practice = db.session.scalar(db.select(Practice))
    assert practice.source == "contest" and practice.school_id == school.id
    assert db.session.scalars(db.select(PracticeAuthor.person_id)).all() == [teacher.id]


def test_stage_held_reports_for_the_plan(app, district):
    from datetime import date

    from oms.clock import pinned

    tenant = district.tenant
    comp = competition_in(tenant)
    stage, _crits = _criteria(comp)
    entry_in(tenant, comp)
    assert svc.stage_held(stage)["participants"] == 1
    with pinned(app, date(2026, 1, 15)):  # before its date, results open
        assert svc.stage_held(stage)["done"] is False
        svc.lock(stage, district.admin)
        assert svc.stage_held(stage)["done"] is True
    stage.locked_at = None
    with pinned(app, date(2026, 3, 1)):  # its date has passed with participants
        assert svc.stage_held(stage) == {"done": True, "date": date(2026, 2, 10), "participants": 1}


def test_deleting_a_contest_takes_its_entries_and_a_coordinator_withdraws_only_unreviewed(district, make_browser):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    school = school_in(tenant)
    person = _link(district.teacher, school)
    db.session.add(ContestCoordinator(tenant_id=tenant.id, person_id=person.id))
    fresh = entry_in(tenant, comp, school=school, status="submitted")
    reviewed = entry_in(tenant, comp, school=school, status="admitted")
    other = entry_in(tenant, comp)
    db.session.commit()
    coordinator = make_browser(district.teacher.email)
    assert coordinator.post(f"/{district.slug}/contests/entries/{reviewed.id}/delete").status_code == 403
    assert coordinator.post(f"/{district.slug}/contests/entries/{other.id}/delete").status_code == 403
    assert coordinator.post(f"/{district.slug}/contests/entries/{fresh.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 2
    assert coordinator.post(f"/{district.slug}/contests/{comp.id}/delete").status_code == 403
    admin = make_browser(district.admin.email)
    assert admin.post(f"/{district.slug}/contests/{comp.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 0


def test_a_stale_edit_answers_409_and_a_double_click_creates_one_contest(district, make_browser):
    comp = competition_in(district.tenant, title="Педагогический дебют")
    db.session.commit()
    b = make_browser(district.methodist.email)
    form = {"title": "Педагогический дебют — 2026", "kind": "teachers", "level": "municipal", "start_year": "2025",
            "version": str(comp.version)}
    assert b.post(f"/{district.slug}/contests/{comp.id}/edit", data=form).status_code == 302
    stale = b.post(f"/{district.slug}/contests/{comp.id}/edit", data=form | {"title": "Другое"})
    assert stale.status_code == 409
    db.session.refresh(comp)
    assert comp.title == "Педагогический дебют — 2026"
    new = {"title": "Сердце отдаю детям", "kind": "teachers", "level": "municipal", "start_year": "2025",
           "form_token": "a1b2c3d4e5f6"}
    first, second = (b.post(f"/{district.slug}/contests/new", data=new) for _ in range(2))
    assert first.status_code == 302 and second.status_code in (302, 303)
    assert db.session.scalar(db.select(db.func.count(Competition.id)).where(
        Competition.title == "Сердце отдаю детям")) == 1


def test_admission_decision_needs_a_reason_and_stops_at_the_lock(district, make_browser):
    comp = competition_in(district.tenant, kind="pupils")
    entry = entry_in(district.tenant, comp, status="submitted")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/contests/entries/{entry.id}/decision"
    empty = b.post(url, data={"status": "rejected", "reason": ""})
    assert empty.status_code == 422 and "Укажите причину." in empty.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.status == "submitted"
    assert b.post(url, data={"status": "rejected", "reason": "Нет согласия родителя"}).status_code == 302
    db.session.refresh(entry)
    assert (entry.status, entry.reason) == ("rejected", "Нет согласия родителя")
    assert make_browser(district.teacher.email).post(url, data={"status": "admitted"}).status_code == 403
    stage, _c = _criteria(comp)
    svc.lock(stage, district.admin)
    db.session.commit()
    assert b.post(url, data={"status": "admitted"}).status_code == 422


def test_people_are_chosen_with_the_person_picker(district, make_browser, make_tenant):
    tenant = district.tenant
    comp = competition_in(tenant)
    school = school_in(tenant)
    teacher = person_in(tenant, school_id=school.id, last_name="Гаврилова")
    stranger = person_in(make_tenant(), last_name="Чужая")
    db.session.commit()
    b = make_browser(district.methodist.email)
    jury = f"/{district.slug}/contests/{comp.id}/jury"
    assert "data-picker" in b.get(jury).get_data(as_text=True)
    assert b.post(jury, data={"person_id": stranger.id}).status_code == 422  # another district's person
    assert b.post(jury, data={"person_id": teacher.id, "is_chair": "y"}).status_code == 302
    again = b.post(jury, data={"person_id": teacher.id})
    assert again.status_code == 422 and "уже в жюри" in again.get_data(as_text=True)
    neither = b.post(jury, data={})
    assert neither.status_code == 422 and "приглашённого эксперта" in neither.get_data(as_text=True)
    juror = db.session.scalar(db.select(svc.Juror))
    assert (juror.person_id, juror.school_id, juror.is_chair) == (teacher.id, school.id, True)
    entry = b.post(f"/{district.slug}/contests/{comp.id}/entries/new",
                   data={"entrant": "teacher", "person_id": teacher.id, "topic": "Урок-исследование"})
    assert entry.status_code == 302
    assert db.session.scalar(db.select(Entry.school_id).where(Entry.person_id == teacher.id)) == school.id
    coord = f"/{district.slug}/contests/coordinators"
    assert b.post(coord, data={"person_id": teacher.id}).status_code == 302
    assert b.post(coord, data={"person_id": teacher.id}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(ContestCoordinator.id))) == 1


def test_rating_xlsx_and_constant_queries(district, make_browser, count_queries):
    tenant = district.tenant
    comp = competition_in(tenant, kind="pupils")
    entry_in(tenant, comp, pupil_name="=cmd Кузнецов", consent=True)
    entry_in(tenant, comp, pupil_name="Орлов Пётр Сергеевич")
    db.session.commit()
    b = make_browser(district.teacher.email)
    resp = b.get(f"/{district.slug}/contests/{comp.id}/rating.xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=cmd Кузнецов" in values and "О. П. С." in values  # text stays text; initials without consent
    assert not any("Орлов" in str(v) for v in values)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    url = f"/{district.slug}/contests/{comp.id}/rating"
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for i in range(20):
        entry_in(tenant, comp, school=school_in(tenant))
    db.session.commit()
    with count_queries() as many:
        assert b.get(url).status_code == 200
    assert many.count == few.count


def test_the_regulation_is_stored_and_its_bytes_stay_out_of_the_audit_trail(district, make_browser):
    from oms.models import AuditEvent, ContestFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/contests/new", data={
        "title": "Педагог-наставник", "kind": "teachers", "level": "municipal", "start_year": "2025",
        "regulation": (io.BytesIO(pdf), "Положение.pdf")}, content_type="multipart/form-data")
    assert resp.status_code == 302
    doc = db.session.scalar(db.select(ContestFile))
    download = b.get(f"/{district.slug}/contests/{doc.competition_id}/files/{doc.id}")
    assert download.data == pdf and "attachment" in download.headers["Content-Disposition"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "ContestFile"))
    assert "content" not in event.changes and event.changes["size"][1] == len(pdf)


def test_the_list_offers_the_years_that_have_contests_as_school_years(district, make_browser):
    competition_in(district.tenant, title="Учитель года — 2025", start_year=2024)
    competition_in(district.tenant, title="Учитель года — 2026", start_year=2025)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/contests/").get_data(as_text=True)
    assert '<option value="2025" selected>2025/2026</option>' in page
    assert '<option value="2024">2024/2025</option>' in page
    assert "Учитель года — 2026" in page and "Учитель года — 2025" not in page
    page = b.get(f"/{district.slug}/contests/?year=2024").get_data(as_text=True)
    assert "Учитель года — 2025" in page and "Учитель года — 2026" not in page
    assert "Конкурсы 2024/2025" in page
