"""«Мои объединения» and «Моё»: where leaders and teachers land, what they see, and what they may change."""
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from factories.core import person_in, school_in
from factories.structure import association_in, decision_in, kind_in, meeting_in, member_in
from oms.extensions import db
from oms.models import Attendance, AuditEvent, BodyMember, Person, Tenant, User
from support import PASSWORD, picker_search


@pytest.fixture
def setup(district):
    """The leader account's person leads «own»; «other» is led by somebody else; the teacher is a member of
    «own» and answers for a council decision."""
    tenant = district.tenant
    school = school_in(tenant, short_name="СШ № 1", name="МБОУ «Средняя школа № 1»")
    municipal = kind_in(tenant, "association", name="Городская группа педагогов")
    council_kind = kind_in(tenant, "council", name="Методический совет")
    leader_person = person_in(tenant, last_name="Лидерова", school_id=school.id, user_id=district.leader.id)
    teacher_person = person_in(tenant, last_name="Учителева", school_id=school.id, user_id=district.teacher.id,
                               subjects="Математика", phone="+7 900 000-00-00")
    own = association_in(tenant, kind=municipal, name="Городская группа учителей истории", subject="История")
    other = association_in(tenant, kind=municipal, name="Творческая группа «Наставник»")
    council = association_in(tenant, kind=council_kind, name="Муниципальный методический совет")
    member_in(tenant, body=own, person=leader_person, role="leader")
    member_in(tenant, body=own, person=teacher_person)
    member_in(tenant, body=other, role="leader")
    member_in(tenant, body=council, person=teacher_person)
    db.session.commit()
    return type("Setup", (), {"school": school, "own": own, "other": other, "council": council,
                              "leader_person": leader_person, "teacher_person": teacher_person,
                              "municipal": municipal})


def test_leaders_and_teachers_land_on_their_own_pages(make_browser, district):
    for role, target in (("leader", "/my/"), ("teacher", "/me/"), ("methodist", "/"), ("admin", "/")):
        resp = make_browser().login(getattr(district, role).email)
        assert resp.headers["Location"] == f"/{district.slug}{target}", role


def test_the_leader_home_shows_each_led_association(make_browser, district, setup):
    today = date.today()
    upcoming = meeting_in(district.tenant, body=setup.own, number="3", held_on=today + timedelta(days=10),
                          topic="Открытые уроки")
    held = meeting_in(district.tenant, body=setup.own, number="2", held_on=today - timedelta(days=5), is_held=True)
    decision_in(district.tenant, meeting=held, text="Подготовить открытый урок", status="open",
                due_date=today - timedelta(days=1), responsible_id=setup.teacher_person.id)
    decision_in(district.tenant, meeting=held, text="Исполненное решение", status="done")
    meeting_in(district.tenant, body=setup.other, number="7", topic="Чужое заседание",
               held_on=today + timedelta(days=3))
    db.session.commit()
    page = make_browser(district.leader.email).get(f"/{district.slug}/my/").get_data(as_text=True)
    assert "Городская группа учителей истории" in page
    assert "Творческая группа «Наставник»" not in page and "Чужое заседание" not in page
    assert f"/{district.slug}/my/associations/{setup.own.id}/" in page
    assert "Открытые уроки" in page and f"/meetings/{upcoming.id}/" in page
    assert "Подготовить открытый урок" in page and "просрочено" in page
    assert "Исполненное решение" not in page
    assert "Учителева" in page and "Лидерова" in page


def test_the_leader_home_counts_agree_with_their_nouns(make_browser, district, setup):
    today = date.today()
    held = meeting_in(district.tenant, body=setup.own, number="1", held_on=today - timedelta(days=5), is_held=True)
    decision_in(district.tenant, meeting=held, text="Первое решение", status="open")
    db.session.commit()

    def stats():
        html = make_browser(district.leader.email).get(f"/{district.slug}/my/").get_data(as_text=True)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    page = stats()
    assert "1 заседание проведено в" in page and "1 решение в работе" in page  # was «1 заседаний», «1 решений»
    meeting_in(district.tenant, body=setup.own, number="2", held_on=today - timedelta(days=2), is_held=True)
    for i in range(4):
        decision_in(district.tenant, meeting=held, text=f"Решение {i}", status="open")
    db.session.commit()
    page = stats()
    assert "2 заседания проведено в" in page and "5 решений в работе" in page


def test_a_leader_without_an_association_is_told_how_leadership_is_given(make_browser, district, setup):
    member = db.session.scalar(db.select(BodyMember).where(BodyMember.person_id == setup.leader_person.id))
    member.role = "member"
    db.session.commit()
    page = make_browser(district.leader.email).get(f"/{district.slug}/my/").get_data(as_text=True)
    assert "Сейчас вы не руководите ни одним объединением" in page


@pytest.mark.parametrize("role, status", [("leader", 200), ("teacher", 403), ("methodist", 403), ("admin", 403)])
def test_only_leaders_have_the_leader_home(make_browser, district, setup, role, status):
    assert make_browser(getattr(district, role).email).get(f"/{district.slug}/my/").status_code == status


def test_the_leader_home_costs_the_same_queries_for_one_or_many_associations(make_browser, district, setup,
                                                                             count_queries):
    b = make_browser(district.leader.email)
    url = f"/{district.slug}/my/"
    b.get(url)
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for i in range(8):
        body = association_in(district.tenant, kind=setup.municipal, name=f"Группа {i}")
        member_in(district.tenant, body=body, person=setup.leader_person, role="leader")
        for _ in range(3):
            member_in(district.tenant, body=body)
        meeting = meeting_in(district.tenant, body=body, held_on=date.today() + timedelta(days=i + 1))
        decision_in(district.tenant, meeting=meeting, status="open")
    db.session.commit()
    with count_queries() as many:
        page = b.get(url).get_data(as_text=True)
    assert "Группа 7" in page
    assert many.count == few.count


def test_the_association_workspace_gathers_the_association_screens(make_browser, district, setup):
    newcomer = person_in(district.tenant, last_name="Новикова")
    db.session.commit()
    b = make_browser(district.leader.email)
    url = f"/{district.slug}/my/associations/{setup.own.id}/"
    page = b.get(url).get_data(as_text=True)
    assert "Добавить в состав" in page and "Новое заседание" in page and "Скачать XLSX" in page
    # the form posts to the associations screens; the answer is the members partial swapped in place
    resp = b.post(f"/{district.slug}/associations/{setup.own.id}/members",
                  {"person_id": newcomer.id, "role": "member"}, htmx=True)
    assert resp.status_code == 200 and 'id="members"' in resp.get_data(as_text=True)
    assert "Новикова" in b.get(url).get_data(as_text=True)


@pytest.mark.parametrize("role, body, status", [
    ("leader", "own", 200), ("leader", "other", 403), ("teacher", "own", 403), ("teacher", "other", 403),
    ("methodist", "other", 200), ("admin", "own", 200),
])
def test_who_opens_an_association_workspace_and_its_report(make_browser, district, setup, role, body, status):
    b = make_browser(getattr(district, role).email)
    body = getattr(setup, body)
    assert b.get(f"/{district.slug}/my/associations/{body.id}/").status_code == status
    assert b.get(f"/{district.slug}/my/associations/{body.id}/report.xlsx").status_code == status


def test_a_council_is_not_an_association_workspace(make_browser, district, setup):
    b = make_browser(district.admin.email)
    assert b.get(f"/{district.slug}/my/associations/{setup.council.id}/").status_code == 404


def _rows(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).active
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def test_the_year_report_lists_meetings_and_members(make_browser, district, setup):
    tenant = district.tenant
    start = date.today().year if date.today().month >= 9 else date.today().year - 1
    held = meeting_in(tenant, body=setup.own, number="1", held_on=date(start, 10, 2), topic="План на год",
                      is_held=True)
    decision_in(tenant, meeting=held, text="Утвердить план", status="done")
    decision_in(tenant, meeting=held, text="Провести уроки", status="open")
    meeting_in(tenant, body=setup.own, number="0", held_on=date(start - 1, 10, 2), topic="Прошлый год")
    hostile = person_in(tenant, last_name="=HYPERLINK(\"http://evil\")", first_name="Ольга")
    member_in(tenant, body=setup.own, person=hostile)
    db.session.commit()
    b = make_browser(district.leader.email)
    resp = b.get(f"/{district.slug}/my/associations/{setup.own.id}/report.xlsx")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = _rows(resp.data)
    text = [str(c) for row in rows for c in row if c is not None]
    assert f"Отчёт о работе за {start}/{start + 1} учебный год" in text
    assert "План на год" in text and "Прошлый год" not in text
    assert "1 из 1 назначенных" in text and "2, исполнено 1" in text
    assert "Лидерова Анна Петровна" in text and "Учителева Анна Петровна" in text
    assert any(t.startswith("'=HYPERLINK") for t in text)  # a typed formula stays text
    earlier = _rows(b.get(f"/{district.slug}/my/associations/{setup.own.id}/report.xlsx?year={start - 1}").data)
    assert "Прошлый год" in [c for row in earlier for c in row]
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert audit.object_id == setup.own.id and audit.user_id == district.leader.id


def test_the_teacher_home_shows_my_associations_decisions_and_meetings(make_browser, district, setup):
    today = date.today()
    council_meeting = meeting_in(district.tenant, body=setup.council, number="4", held_on=today - timedelta(days=20),
                                 is_held=True)
    decision_in(district.tenant, meeting=council_meeting, text="Провести диагностику дефицитов",
                responsible_id=setup.teacher_person.id, due_date=today - timedelta(days=2), status="open")
    decision_in(district.tenant, meeting=council_meeting, text="Поручено другому", status="open")
    decision_in(district.tenant, meeting=council_meeting, text="Уже исполнено мной",
                responsible_id=setup.teacher_person.id, status="done")
    last_day = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    meeting_in(district.tenant, body=setup.own, number="5", held_on=last_day, topic="Итоги месяца")
    meeting_in(district.tenant, body=setup.other, number="6", held_on=last_day, topic="Не моё заседание")
    db.session.commit()
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/me/").get_data(as_text=True)
    assert "Учителева Анна Петровна" in page and "+7 900 000-00-00" in page
    assert "Провести диагностику дефицитов" in page and "просрочено" in page
    assert "Поручено другому" not in page
    assert "Исполненные и снятые (1)" in page and "Уже исполнено мной" in page
    assert "Городская группа учителей истории" in page and "Муниципальный методический совет" in page
    assert "Творческая группа «Наставник»" not in page
    assert "Итоги месяца" in page and "Не моё заседание" not in page


def test_the_teacher_home_without_a_person_record_says_what_to_do(make_browser, district):
    page = make_browser(district.teacher.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    assert "не связана с записью педагога" in page


def test_a_teacher_who_leads_on_paper_is_told_to_ask_for_the_leader_role(make_browser, district, setup):
    member = db.session.scalar(db.select(BodyMember).where(BodyMember.person_id == setup.teacher_person.id,
                                                           BodyMember.body_id == setup.own.id))
    member.role = "leader"
    db.session.commit()
    b = make_browser(district.teacher.email)
    assert "сменить вам роль на «Руководитель объединения»" in b.get(f"/{district.slug}/me/").get_data(as_text=True)
    # the role decides: a teacher account edits nothing, even of an association its person leads
    newcomer = person_in(district.tenant)
    db.session.commit()
    assert b.post(f"/{district.slug}/associations/{setup.own.id}/members",
                  {"person_id": newcomer.id, "role": "member"}, htmx=True).status_code == 403


def test_leader_rights_follow_the_leadership(make_browser, district, setup, make_user):
    """A leader account acts through its person's leadership: when the methodist makes someone else the leader,
    the rights move with it."""
    successor = person_in(district.tenant, last_name="Преемникова", email="preemnikova@school.example")
    member_in(district.tenant, body=setup.own, person=successor)
    db.session.commit()
    # the admin makes the successor's account from their person record
    admin = make_browser(district.admin.email)
    resp = admin.post(f"/{district.slug}/users/from-person/{successor.id}",
                      {"role": "leader", "email": "preemnikova@school.example"})
    assert resp.status_code == 200 and "/set-password/" in resp.get_data(as_text=True)
    successor_user = db.session.scalar(db.select(User).where(User.email == "preemnikova@school.example"))
    successor_user.set_password(PASSWORD)
    db.session.commit()
    old, new = make_browser(district.leader.email), make_browser(successor_user.email)
    add = f"/{district.slug}/associations/{setup.own.id}/meetings/new"
    assert old.get(add).status_code == 200 and new.get(add).status_code == 403
    # the methodist moves the leadership
    methodist = make_browser(district.methodist.email)
    members = {m.person_id: m for m in db.session.scalars(db.select(BodyMember).where(
        BodyMember.body_id == setup.own.id))}
    assert methodist.post(f"/{district.slug}/associations/{setup.own.id}/members/"
                          f"{members[setup.leader_person.id].id}/edit", {"role": "member"},
                          htmx=True).status_code == 200
    assert methodist.post(f"/{district.slug}/associations/{setup.own.id}/members/{members[successor.id].id}/edit",
                          {"role": "leader"}, htmx=True).status_code == 200
    assert old.get(add).status_code == 403 and new.get(add).status_code == 200
    assert old.get(f"/{district.slug}/my/associations/{setup.own.id}/").status_code == 403
    assert "Городская группа учителей истории" not in old.get(f"/{district.slug}/my/").get_data(as_text=True)
    assert "Городская группа учителей истории" in new.get(f"/{district.slug}/my/").get_data(as_text=True)
    assert db.session.get(Person, successor.id).user_id == successor_user.id


def test_forged_association_ids_in_forms_change_only_the_leaders_association(make_browser, district, setup):
    newcomer = person_in(district.tenant, last_name="Подставная")
    db.session.commit()
    b = make_browser(district.leader.email)
    forged = {"body_id": setup.other.id, "association_id": setup.other.id, "tenant_id": 999999,
              "person_id": newcomer.id, "role": "member"}
    assert b.post(f"/{district.slug}/associations/{setup.own.id}/members", forged, htmx=True).status_code == 200
    row = db.session.scalar(db.select(BodyMember).where(BodyMember.person_id == newcomer.id))
    assert row.body_id == setup.own.id and row.tenant_id == district.tenant.id
    # posting the same to the other association's URL is refused whatever the form says
    forged["association_id"] = forged["body_id"] = setup.own.id
    assert b.post(f"/{district.slug}/associations/{setup.other.id}/members", forged, htmx=True).status_code == 403
    assert db.session.scalar(db.select(db.func.count(BodyMember.id)).where(
        BodyMember.body_id == setup.other.id)) == 1
    # a person of another district is not offered and is refused with a message
    elsewhere = Tenant(slug="elsewhere", name="Другой район", region="Область", authority="Отдел",
                       service_name="Служба", service_abbr="ММС")
    db.session.add(elsewhere)
    db.session.flush()
    stranger = person_in(elsewhere, last_name="Чужакова")
    db.session.commit()
    resp = b.post(f"/{district.slug}/associations/{setup.own.id}/members",
                  {"person_id": stranger.id, "role": "member"}, htmx=True)
    assert resp.status_code == 422 and "Такого человека нет среди педагогов района" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(BodyMember.id).where(BodyMember.person_id == stranger.id)) is None


def test_a_teacher_changes_their_own_profile_and_nothing_else(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    own = f"/{district.slug}/people/{setup.teacher_person.id}/edit"
    assert own in b.get(f"/{district.slug}/me/").get_data(as_text=True)
    resp = b.post(own, {"phone": "+7 914 123-45-67", "email": "uchiteleva@school.example",
                        "education": "высшее педагогическое", "version": setup.teacher_person.version,
                        "last_name": "Подмена", "school_id": ""})
    assert resp.status_code == 302
    person = db.session.get(Person, setup.teacher_person.id)
    assert person.phone == "+7 914 123-45-67" and person.education == "высшее педагогическое"
    assert person.last_name == "Учителева" and person.school_id == setup.school.id  # only the profile fields
    resp = b.post(f"/{district.slug}/people/{setup.leader_person.id}/edit",
                  {"phone": "+7 000", "version": setup.leader_person.version})
    assert resp.status_code == 403
    assert db.session.get(Person, setup.leader_person.id).phone == ""


def test_the_demo_leader_and_teacher_find_their_work(demo, app, make_browser):
    from oms.demo import DEMO_SLUGS, load_demo
    from oms.models import Decision, Meeting

    counts = [db.session.scalar(db.select(db.func.count(m.id))) for m in (Meeting, Decision)]
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    assert [db.session.scalar(db.select(db.func.count(m.id))) for m in (Meeting, Decision)] == counts
    for slug in DEMO_SLUGS:
        leader = make_browser()
        assert leader.login(f"leader@{slug}.demo.oms", "oms-demo").headers["Location"] == f"/{slug}/my/"
        home = leader.get(f"/{slug}/my/").get_data(as_text=True)
        assert home.count('class="card ws-card"') == 1, slug  # leads exactly one association
        assert "Открытые уроки: итоги и задачи на следующую четверть" in home, slug
        teacher = make_browser()
        assert teacher.login(f"teacher@{slug}.demo.oms", "oms-demo").headers["Location"] == f"/{slug}/me/"
        mine = teacher.get(f"/{slug}/me/").get_data(as_text=True)
        assert "опыт работы по формированию функциональной грамотности" in mine, slug
        assert "сменить вам роль" not in mine, slug  # the demo teacher leads nothing


def test_a_leader_reads_the_rest_of_the_district_without_edit_controls(make_browser, district, setup):
    meeting = meeting_in(district.tenant, body=setup.other, number="8", topic="Чужая повестка", is_held=True)
    db.session.commit()
    b = make_browser(district.leader.email)
    other = f"/{district.slug}/associations/{setup.other.id}/"
    page = b.get(other).get_data(as_text=True)
    assert "Творческая группа «Наставник»" in page and "Добавить в состав" not in page
    meeting_page = b.get(f"{other}meetings/{meeting.id}/").get_data(as_text=True)
    assert "Чужая повестка" in meeting_page and "Добавить решение" not in meeting_page
    assert b.get(f"{other}meetings/{meeting.id}/minutes").status_code == 200
    for url in ("/council/", "/associations/", "/structure/", "/people/", "/schools/"):
        assert b.get(f"/{district.slug}{url}").status_code == 200, url


def test_the_menu_shows_each_role_its_own_pages(make_browser, district, setup):
    leader = make_browser(district.leader.email).get(f"/{district.slug}/my/").get_data(as_text=True)
    nav = leader.split('class="mainnav"')[1].split("</nav>")[0]
    assert "Мои объединения" in nav and "Моё" in nav
    assert nav.count('aria-current="page"') == 1
    teacher = make_browser(district.teacher.email).get(f"/{district.slug}/me/").get_data(as_text=True)
    nav = teacher.split('class="mainnav"')[1].split("</nav>")[0]
    assert "Мои объединения" not in nav and "Моё" in nav


def test_a_school_association_proposes_its_own_school_first_on_the_workspace(make_browser, district, setup):
    school_kind = kind_in(district.tenant, "association", level="school", name="ШМО")
    shmo = association_in(district.tenant, kind=school_kind, name="ШМО учителей математики",
                          school_id=setup.school.id)
    member_in(district.tenant, body=shmo, person=setup.leader_person, role="leader")
    person_in(district.tenant, last_name="Аардваркова")  # no school, alphabetically first
    person_in(district.tenant, last_name="Школьникова", school_id=setup.school.id)
    db.session.commit()
    b = make_browser(district.leader.email)
    found = picker_search(b, b.get(f"/{district.slug}/my/associations/{shmo.id}/"), "person_id", "анна")
    assert found.index("Школьникова") < found.index("Аардваркова")


def _my_development(page: str) -> str:
    return page.split('class="card my-development"')[1].split("</section>")[0]


def test_me_shows_the_teachers_own_development_with_links_they_may_open(make_browser, district, setup):
    from factories.development import (attestation_in, course_in, deficit_in, mentoring_meeting_in, mentorship_in,
                                       step_in)

    tenant, me = district.tenant, setup.teacher_person
    today = date.today()
    course_in(tenant, person=me, hours=36, date_from=today - timedelta(days=400), date_to=today - timedelta(days=390))
    course_in(tenant, person=me, hours=72, date_from=today - timedelta(days=40), date_to=today - timedelta(days=30))
    course_in(tenant, person=me, hours=500, date_from=date(2015, 1, 10), date_to=date(2015, 2, 10))
    course_in(tenant, person=me, hours=16, status="proposed")
    deficit = deficit_in(tenant, person=me)
    step_in(tenant, deficit=deficit, status="done", title="Изучить ФГОС")
    step_in(tenant, deficit=deficit, due_month=today.replace(day=1), title="Открытый урок")
    step_in(tenant, deficit=deficit, status="cancelled", title="Отменённый шаг")
    pair = mentorship_in(tenant, mentee=me, mentor=person_in(tenant, last_name="Наставникова", first_name="Ольга",
                                                             middle_name="Ивановна"))
    mentoring_meeting_in(tenant, pair=pair)
    attestation_in(tenant, person=me, passed_on=today - timedelta(days=5 * 365 - 30),
                   next_due=today + timedelta(days=30))
    db.session.commit()
    b = make_browser(district.teacher.email)
    summary = _my_development(b.get(f"/{district.slug}/me/").get_data(as_text=True))
    assert "Курсы за 3 года" in summary and "2 (108 ч.)" in summary
    assert "правило трёх лет выполнено" in summary and "на подтверждении: 1" in summary
    assert "не закрыто: 1" in summary and "выполнено шагов: 1 из 2" in summary and "Открытый урок" in summary
    assert "Наставникова О. И." in summary and "скоро" in summary
    links = re.findall(r'href="([^"]+)"', summary)
    own = f"/{district.slug}/development/me"
    assert {own + "#courses", own + "#route", own + "#mentoring", own + "#attestation",
            f"/{district.slug}/development/mentoring/{pair.id}/"} <= set(links)
    for link in links:  # every link leads to a page the teacher may open
        assert b.get(link.split("#")[0]).status_code == 200, link


def test_me_says_when_the_three_year_rule_is_not_met(make_browser, district, setup):
    from factories.development import course_in

    course_in(district.tenant, person=setup.teacher_person, date_from=date(2015, 1, 10), date_to=date(2015, 2, 10))
    db.session.commit()
    summary = _my_development(make_browser(district.teacher.email).get(f"/{district.slug}/me/")
                              .get_data(as_text=True))
    assert "Курсы за 3 года" in summary and "нет" in summary and "пора на курсы: прошло более 3 лет" in summary
    assert "правило трёх лет выполнено" not in summary


def test_me_costs_the_same_queries_however_long_the_development_history(make_browser, district, setup,
                                                                        count_queries):
    from factories.development import course_in, deficit_in, mentorship_in, step_in

    tenant, me = district.tenant, setup.teacher_person
    b = make_browser(district.teacher.email)
    url = f"/{district.slug}/me/"
    b.get(url)
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for i in range(12):
        course_in(tenant, person=me, status="proposed" if i % 3 == 0 else "confirmed")
        deficit = deficit_in(tenant, person=me)
        step_in(tenant, deficit=deficit, status="done" if i % 2 else "planned")
        mentorship_in(tenant, mentor=me) if i % 4 == 0 else mentorship_in(tenant, mentee=me)
    db.session.commit()
    with count_queries() as many:
        page = b.get(url).get_data(as_text=True)
    assert "выполнено шагов: 6 из 12" in _my_development(page)
    assert many.count == few.count


def test_me_in_english_names_the_month_and_the_development_summary_in_english(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    month = date.today().strftime("%B %Y")  # the C locale's English month name
    assert b.post("/lang", data={"lang": "en", "next": "/"}).status_code == 302
    page = b.get(f"/{district.slug}/me/").get_data(as_text=True)
    assert f"This month's events: {month}</h2>" in page
    summary = _my_development(page)
    assert "My development" in summary and "Courses in 3 years" in summary and "Курсы" not in summary


def test_the_year_report_counts_attendance_against_the_composition_of_the_meeting(make_browser, district, setup):
    tenant = district.tenant
    start = date.today().year if date.today().month >= 9 else date.today().year - 1
    held = meeting_in(tenant, body=setup.own, number="1", held_on=date(start, 10, 2), topic="Первое заседание",
                      is_held=True)
    members = db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == setup.own.id)).all()
    for m in members:
        db.session.add(Attendance(tenant_id=tenant.id, meeting_id=held.id, person_id=m.person_id, present=True))
    db.session.commit()
    b = make_browser(district.leader.email)
    leaving = next(m for m in members if m.role != "leader")
    assert b.post(f"/{district.slug}/associations/{setup.own.id}/members/{leaving.id}/delete",
                  htmx=True).status_code == 200  # a member leaves after the meeting
    remaining = db.session.scalar(db.select(db.func.count(BodyMember.id)).where(BodyMember.body_id == setup.own.id))
    assert remaining == len(members) - 1
    rows = _rows(b.get(f"/{district.slug}/my/associations/{setup.own.id}/report.xlsx").data)
    row = next(r for r in rows if "Первое заседание" in r)
    assert f"{len(members)} из {len(members)}" in row
