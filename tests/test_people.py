"""People: the record, its checks, search and filters, roles and export."""
import io
import re

import pytest
from openpyxl import load_workbook

from factories.core import person_in, school_in
from factories.development import (attestation_in, course_in, deficit_in, mentoring_meeting_in, mentorship_in,
                                   step_in, teacher_in)
from factories.registry import import_batch_in
from factories.structure import decision_in
from oms.extensions import db
from oms.models import (Attestation, AuditEvent, Body, BodyKind, BodyMember, Course, Decision, Deficit,
                        MentoringMeeting, Mentorship, Person, RouteStep, User)


def _person_form(**over):
    data = {"last_name": "Ёлкина", "first_name": "Алёна", "middle_name": "Петровна", "school_id": "",
            "position": "учитель", "subjects": "математика, Физика", "category": "first",
            "category_date": "2022-03-15", "experience_years": "2", "young": "auto",
            "education": "высшее педагогическое", "phone": "+7 914 000-00-00", "email": "elkina@example.ru",
            "notes": ""}
    data.update(over)
    return data


def _count(model=Person):
    return db.session.scalar(db.select(db.func.count(model.id)))


def _error_next_to(html: str, field: str) -> str:
    match = re.search(rf'<div class="error" id="{field}-err">([^<]+)</div>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def test_methodist_adds_a_person_and_sees_the_record(make_browser, district):
    school = school_in(district.tenant, name="МОУ Чарская СОШ", short_name="Чарская СОШ")
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/people/new", _person_form(school_id=str(school.id)))
    assert resp.status_code == 302
    person = db.session.scalar(db.select(Person))
    assert person.full_name == "Ёлкина Алёна Петровна" and person.school_id == school.id
    assert person.subjects == "Математика; Физика"
    assert person.is_young_specialist  # 2 years of experience: derived
    page = b.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Ёлкина Алёна Петровна" in page and "Чарская СОШ" in page and "15.03.2022" in page
    assert "молодой специалист" in page


@pytest.mark.parametrize("field, value, message", [
    ("last_name", "", "Заполните это поле."),
    ("first_name", "   ", "Заполните это поле."),
    ("last_name", "Я" * 101, "Не длиннее 100 символов."),
    ("last_name", "Иванова2", "Только буквы, пробел, дефис и апостроф."),
    ("email", "не почта", "Неверный адрес электронной почты."),
    ("phone", "звонить вечером", "Телефон: цифры, пробелы, скобки, «+» и «-», не меньше 5 цифр."),
    ("experience_years", "90", "От 0 до 70 лет."),
    ("category_date", "2999-01-01", "ещё не наступила"),
])
def test_bad_input_is_refused_with_a_message_next_to_the_field(make_browser, district, field, value, message):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/people/new", _person_form(**{field: value}))
    assert resp.status_code == 422
    assert message in _error_next_to(resp.get_data(as_text=True), field)
    assert _count() == 0


def test_same_name_in_the_same_school_is_a_duplicate_whatever_the_case_and_yo(make_browser, district):
    school = school_in(district.tenant)
    other = school_in(district.tenant)
    person_in(district.tenant, last_name="Ёлкина", first_name="Алёна", middle_name="Петровна", school_id=school.id)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/people/new",
                  _person_form(last_name="ЕЛКИНА", first_name="алена", school_id=str(school.id)))
    assert resp.status_code == 422
    assert "Педагог с таким ФИО уже есть в этой организации." in _error_next_to(resp.get_data(as_text=True),
                                                                               "last_name")
    assert _count() == 1
    # The namesake in another school is another person.
    assert b.post(f"/{district.slug}/people/new", _person_form(school_id=str(other.id))).status_code == 302
    assert _count() == 2


def test_a_school_of_another_district_cannot_be_chosen(make_browser, district, make_tenant):
    foreign = school_in(make_tenant())
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/people/new", _person_form(school_id=str(foreign.id)))
    assert resp.status_code == 422
    assert _error_next_to(resp.get_data(as_text=True), "school_id")
    assert _count() == 0


def test_young_specialist_follows_experience_unless_set(make_browser, district):
    b = make_browser(district.methodist.email)
    b.post(f"/{district.slug}/people/new", _person_form(experience_years="10", young="auto"))
    person = db.session.scalar(db.select(Person))
    assert not person.is_young_specialist
    url = f"/{district.slug}/people/{person.id}/edit"
    b.post(url, _person_form(experience_years="10", young="yes", version=str(person.version)))
    assert db.session.get(Person, person.id).is_young_specialist
    # The edit form says «yes» explicitly (it differs from what the experience implies).
    assert re.search(r'<option selected value="yes">', b.get(url).get_data(as_text=True))


def test_a_stale_edit_gets_409_with_both_versions_and_keeps_the_other_save(make_browser, district):
    person = person_in(district.tenant, last_name="Кудрин", first_name="Олег", middle_name="")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/people/{person.id}/edit"
    stale = str(person.version)
    b.post(url, _person_form(last_name="Кудрин", first_name="Олег", middle_name="", position="директор",
                             version=stale))
    resp = b.post(url, _person_form(last_name="Кудрин", first_name="Олег", middle_name="", position="учитель",
                                    version=stale))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Пока вы редактировали, запись изменил другой пользователь" in html
    assert re.search(r'conflict__yours">учитель<.*conflict__current">директор<', html, re.S)
    assert 'value="учитель"' in html  # the user's value stays in the form
    assert db.session.get(Person, person.id).position == "директор"
    # The form now carries the current version: saving again deliberately keeps the user's value.
    moved = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert moved != stale
    again = b.post(url, _person_form(last_name="Кудрин", first_name="Олег", middle_name="", position="учитель",
                                     version=moved))
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, person.id).position == "учитель"


def test_search_folds_cyrillic_case_and_yo(make_browser, district):
    person_in(district.tenant, last_name="Ёлкина", first_name="Алёна", middle_name="Петровна")
    person_in(district.tenant, last_name="Петров", first_name="Иван", middle_name="Сергеевич")
    db.session.commit()
    b = make_browser(district.teacher.email)

    def found(q):
        return b.get(f"/{district.slug}/people/", query_string={"q": q}).get_data(as_text=True)

    for q in ("елкина", "ЁЛКИНА", "алена ёлк", "ЕЛК петровна"):
        html = found(q)
        assert "Ёлкина Алёна Петровна" in html and "Петров Иван" not in html, q
    assert "Никого не нашли" in found("Сидоров")


def test_filters_and_sorting(make_browser, district):
    a, b_school = school_in(district.tenant, short_name="Школа А"), school_in(district.tenant, short_name="Школа Б")
    person_in(district.tenant, last_name="Абрамова", school_id=a.id, subjects="Физика", category="highest",
              experience_years=30, position="учитель")
    person_in(district.tenant, last_name="Борисова", school_id=b_school.id, subjects="Физическая культура",
              category="", experience_years=1, is_young_specialist=True, position="учитель")
    person_in(district.tenant, last_name="Васильева", school_id=None, subjects="", category="first",
              experience_years=None, position="методист")
    db.session.commit()
    b = make_browser(district.methodist.email)

    def names(**args):
        html = b.get(f"/{district.slug}/people/", query_string=args).get_data(as_text=True)
        return re.findall(r'/people/\d+">(\S+)', html)

    assert names(subject="Физика") == ["Абрамова"]  # a whole subject, not «Физическая культура»
    assert names(school=str(b_school.id)) == ["Борисова"]
    assert names(school="none") == ["Васильева"]
    assert names(category="none") == ["Борисова"]
    assert names(young="1") == ["Борисова"]
    assert names(position="методист") == ["Васильева"]
    assert names(sort="experience") == ["Абрамова", "Борисова", "Васильева"]
    assert names(sort="category") == ["Абрамова", "Васильева", "Борисова"]
    assert names(sort="school") == ["Абрамова", "Борисова", "Васильева"]
    # htmx live filtering answers with the table alone.
    partial = b.get(f"/{district.slug}/people/?q=абрамова", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Абрамова" in partial and "<html" not in partial
    # Going back in the browser restores the pushed URL: that needs the whole page.
    restored = b.get(f"/{district.slug}/people/?q=абрамова",
                     headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}).get_data(as_text=True)
    assert "<html" in restored and "Абрамова" in restored


def _fill(tenant, n):
    school = school_in(tenant)
    for i in range(n):
        db.session.add(Person(tenant_id=tenant.id, last_name=f"Учитель{chr(0x430 + i % 32)}", first_name="Анна",
                              middle_name=f"{i}", school_id=school.id if i % 2 else None, subjects="Физика"))
    db.session.commit()


def test_people_list_runs_the_same_number_of_queries_for_50_and_500_people(make_browser, make_tenant, make_user,
                                                                           count_queries):
    counts = []
    for n in (50, 500):
        tenant = make_tenant()
        user = make_user(tenant, role="methodist")
        _fill(tenant, n)
        b = make_browser(user.email)
        for url in (f"/{tenant.slug}/people/?sort=school", f"/{tenant.slug}/people/?page=2&subject=Физика"):
            b.get(url)  # warm up
            with count_queries() as q:
                assert b.get(url).status_code == 200
            counts.append(q.count)
    assert counts[:2] == counts[2:]


def test_person_page_lists_associations_and_delete_is_refused_while_a_member(make_browser, district):
    person = person_in(district.tenant, last_name="Трифонова", first_name="Галина")
    kind = BodyKind(tenant_id=district.tenant.id, code="mo", name="Муниципальное МО", category="association")
    db.session.add(kind)
    db.session.flush()
    body = Body(tenant_id=district.tenant.id, kind_id=kind.id, name="ММО учителей русского языка")
    db.session.add(body)
    db.session.flush()
    db.session.add(BodyMember(tenant_id=district.tenant.id, body_id=body.id, person_id=person.id, role="leader"))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/people/{person.id}").get_data(as_text=True)
    assert "ММО учителей русского языка" in page and "Руководитель" in page
    assert "состоит в объединениях" in b.get(f"/{district.slug}/people/{person.id}/delete").get_data(as_text=True)
    resp = b.post(f"/{district.slug}/people/{person.id}/delete")
    assert resp.status_code == 422 and "Удалить нельзя" in resp.get_data(as_text=True)
    assert db.session.get(Person, person.id) is not None


def test_delete_after_confirmation(make_browser, district):
    person = person_in(district.tenant, last_name="Мальцев", first_name="Денис")
    db.session.commit()
    pid = person.id
    b = make_browser(district.methodist.email)
    confirm = b.get(f"/{district.slug}/people/{pid}/delete").get_data(as_text=True)
    assert "Удалить запись «Мальцев Денис Петровна»?" in confirm
    assert b.post(f"/{district.slug}/people/{pid}/delete").status_code == 302
    assert db.session.get(Person, pid) is None


def _confirmation(b, district, person_id) -> str:
    html = b.get(f"/{district.slug}/people/{person_id}/delete").get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_delete_confirmation_tells_what_goes_with_the_person_and_it_goes(make_browser, district):
    t = district.tenant
    person = teacher_in(t, last_name="Мальцева", first_name="Ирина", user_id=district.teacher.id)
    for _ in range(3):
        course_in(t, person=person)
    deficit = deficit_in(t, person=person)
    step_in(t, deficit=deficit)
    step_in(t, deficit=deficit)
    pair = mentorship_in(t, mentor=person)
    for _ in range(5):
        mentoring_meeting_in(t, pair=pair)
    attestation_in(t, person=person)
    decision = decision_in(t, responsible_id=person.id)
    db.session.commit()
    pid, mentee_id, decision_id, user_id = person.id, pair.mentee_id, decision.id, district.teacher.id
    b = make_browser(district.methodist.email)

    text = _confirmation(b, district, pid)
    assert ("Будут удалены также: 3 курса повышения квалификации 1 профессиональный дефицит "
            "2 шага индивидуального маршрута 1 наставническая пара 5 записей журнала встреч 1 аттестация") in text
    assert "1 решение заседания останется без ответственного." in text
    assert f"связана с учётной записью {district.teacher.email}: учётная запись останется" in text

    assert b.post(f"/{district.slug}/people/{pid}/delete").status_code == 302
    assert db.session.get(Person, pid) is None
    for model in (Course, Deficit, RouteStep, Mentorship, MentoringMeeting, Attestation):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)
                                 .where(model.tenant_id == t.id)) == 0, model.__name__
    assert db.session.get(Person, mentee_id) is not None  # the other side of the pair stays
    assert db.session.get(Decision, decision_id).responsible_id is None
    assert db.session.get(User, user_id) is not None
    # The trail tells what went with the record: the cascade leaves no entries of its own.
    trail = make_browser(district.admin.email).get(f"/{district.slug}/audit/?object=Person&action=delete")
    html = trail.get_data(as_text=True)
    assert ("Удалено вместе с записью:</span> <span class=\"audit__after\">3 курса повышения квалификации, "
            "1 профессиональный дефицит, 2 шага индивидуального маршрута, 1 наставническая пара, "
            "5 записей журнала встреч, 1 аттестация</span>") in html
    assert "Ссылки на запись сняты:</span> <span class=\"audit__after\">1 решение заседания останется без " in html


def test_delete_confirmation_of_a_person_without_records_or_account(make_browser, district):
    person = person_in(district.tenant, last_name="Ведерникова", first_name="Ольга")
    db.session.commit()
    text = _confirmation(make_browser(district.methodist.email), district, person.id)
    assert "Запись будет удалена без возможности восстановления." in text
    assert "Будут удалены также" not in text and "без ответственного" not in text
    assert "С учётной записью пользователя запись не связана." in text


@pytest.mark.parametrize("n, expected", [(1, "1 курс"), (2, "2 курса"), (4, "4 курса"), (5, "5 курсов"),
                                         (11, "11 курсов"), (12, "12 курсов"), (21, "21 курс"), (22, "22 курса"),
                                         (25, "25 курсов"), (111, "111 курсов")])
def test_counts_agree_with_their_noun_in_russian(app, n, expected):
    from oms.formatting import count_text

    with app.test_request_context():
        assert count_text(n, "%(num)s курс", "%(num)s курса", "%(num)s курсов") == expected


# ---- roles -----------------------------------------------------------------------------------------

def _linked(district, role):
    user = getattr(district, role)
    person = person_in(district.tenant, last_name="Свой", first_name="Профиль", user_id=user.id, phone="111-11-11")
    other = person_in(district.tenant, last_name="Чужой", first_name="Профиль", phone="222-22-22")
    db.session.commit()
    return person, other


@pytest.mark.parametrize("role", ["teacher", "leader"])
def test_a_teacher_edits_only_contacts_and_education_of_their_own_profile(make_browser, district, role):
    own, other = _linked(district, role)
    b = make_browser(getattr(district, role).email)
    form = b.get(f"/{district.slug}/people/{own.id}/edit").get_data(as_text=True)
    assert 'name="phone"' in form and 'name="last_name"' not in form
    resp = b.post(f"/{district.slug}/people/{own.id}/edit",
                  {"phone": "8 914 123-45-67", "education": "высшее", "email": "", "last_name": "Взломщик",
                   "school_id": "", "version": str(own.version)})
    assert resp.status_code == 302
    own = db.session.get(Person, own.id)
    assert own.phone == "8 914 123-45-67" and own.last_name == "Свой"
    assert b.get(f"/{district.slug}/people/{other.id}/edit").status_code == 403
    assert b.post(f"/{district.slug}/people/{other.id}/edit", {"phone": "1"}).status_code == 403
    assert db.session.get(Person, other.id).phone == "222-22-22"
    assert b.get(f"/{district.slug}/people/me").headers["Location"].endswith(f"/people/{own.id}")


def test_a_methodist_links_a_teacher_account_to_the_profile(make_browser, district, make_tenant, make_user):
    person = person_in(district.tenant, last_name="Горохова", first_name="Ольга")
    foreign = make_user(make_tenant(), role="teacher")
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/people/{person.id}/edit"
    form = _person_form(last_name="Горохова", first_name="Ольга", version=str(person.version))
    refused = b.post(url, {**form, "user_id": str(foreign.id)})
    assert refused.status_code == 422 and _error_next_to(refused.get_data(as_text=True), "user_id")
    assert b.post(url, {**form, "user_id": str(district.teacher.id)}).status_code == 302
    assert db.session.get(Person, person.id).user_id == district.teacher.id
    # The account is taken: another profile cannot have it.
    other = person_in(district.tenant, last_name="Другая", first_name="Анна")
    db.session.commit()
    assert f'value="{district.teacher.id}"' not in b.get(f"/{district.slug}/people/{other.id}/edit").get_data(as_text=True)
    teacher = make_browser(district.teacher.email)
    assert teacher.get(f"/{district.slug}/people/me").headers["Location"].endswith(f"/people/{person.id}")
    assert teacher.get(url).status_code == 200


@pytest.mark.parametrize("role, status", [("admin", 200), ("methodist", 200), ("leader", 403), ("teacher", 403)])
def test_only_methodists_and_admins_change_the_registry(make_browser, district, role, status):
    person = person_in(district.tenant)
    school = school_in(district.tenant)
    batch = import_batch_in(district.tenant, user=getattr(district, role))  # their own upload
    db.session.commit()
    b = make_browser(getattr(district, role).email)
    s = district.slug
    for url in (f"/{s}/people/new", f"/{s}/people/{person.id}/edit", f"/{s}/people/{person.id}/delete",
                f"/{s}/people/import/", f"/{s}/people/import/template.xlsx", f"/{s}/schools/new",
                f"/{s}/schools/{school.id}/edit", f"/{s}/schools/{school.id}/delete",
                f"/{s}/people/import/{batch.id}/mapping", f"/{s}/people/import/{batch.id}"):
        assert b.get(url).status_code == status, url
    if status == 403:
        for action in ("confirm", "cancel"):
            assert b.post(f"/{s}/people/import/{batch.id}/{action}").status_code == 403
        assert b.post(f"/{s}/schools/{school.id}/edit", {"name": "Захват"}).status_code == 403
    for url in (f"/{s}/people/", f"/{s}/people/{person.id}", f"/{s}/schools/", f"/{s}/schools/{school.id}"):
        assert b.get(url).status_code == 200, url
    denied = b.post(f"/{s}/people/{person.id}/delete")
    assert (denied.status_code == 403) == (status == 403)
    if status == 403:
        assert db.session.get(Person, person.id) is not None
        assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "denied")) is not None


@pytest.mark.parametrize("role, status", [("admin", 200), ("methodist", 200), ("leader", 200), ("teacher", 403)])
def test_export_is_for_staff_and_leaders(make_browser, district, role, status):
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/people/export.xlsx").status_code == status
    assert b.get(f"/{district.slug}/schools/export.xlsx").status_code == status


def test_teachers_do_not_see_colleagues_contacts(make_browser, district):
    own, other = _linked(district, "teacher")
    b = make_browser(district.teacher.email)
    assert "222-22-22" not in b.get(f"/{district.slug}/people/{other.id}").get_data(as_text=True)
    assert "111-11-11" in b.get(f"/{district.slug}/people/{own.id}").get_data(as_text=True)
    leader = make_browser(district.leader.email)
    assert "222-22-22" in leader.get(f"/{district.slug}/people/{other.id}").get_data(as_text=True)


# ---- export ------------------------------------------------------------------------------------------

def test_export_of_the_filtered_list_has_no_formulas(make_browser, district):
    school = school_in(district.tenant, name="=HYPERLINK(\"http://evil\")")
    person_in(district.tenant, last_name="Ёлкина", position="=1+1", education="@SUM(A1)", school_id=school.id)
    person_in(district.tenant, last_name="Петров", position="учитель")
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.get(f"/{district.slug}/people/export.xlsx?q=елкина")
    assert resp.status_code == 200
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "Фамилия", "Имя") and len(rows) == 2  # the filter holds: one person
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'=1+1" in rows[1] and "'@SUM(A1)" in rows[1]
    schools = load_workbook(io.BytesIO(b.get(f"/{district.slug}/schools/export.xlsx").data)).active
    assert not [c.coordinate for row in schools.iter_rows() for c in row if c.data_type == "f"]
    assert schools["B2"].value.startswith("'=HYPERLINK")
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "export")) == 2


# ---- English UI ------------------------------------------------------------------------------------

def test_the_registry_pages_speak_english_after_the_language_switch(make_browser, district):
    """Labels, choices, checks and messages written in Python follow /lang like the templates do."""
    s = district.slug
    school = school_in(district.tenant, name="МОУ Чарская СОШ", short_name="Чарская СОШ")
    db.session.commit()
    b = make_browser(district.methodist.email)
    assert b.post("/lang", data={"lang": "en", "next": f"/{s}/people/"}).status_code == 302

    form = b.get(f"/{s}/people/new").get_data(as_text=True)
    assert '<label for="last_name">Last name</label>' in form and "Фамилия" not in form
    assert "— no organization (education authority specialist)" in form
    assert "Derive from experience (under 3 years: yes)" in form
    bad = b.post(f"/{s}/people/new", _person_form(email="не почта", experience_years="90"))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert _error_next_to(html, "email") == "Invalid email address."
    assert _error_next_to(html, "experience_years") == "From 0 to 70 years."

    saved = b.post(f"/{s}/people/new", _person_form(school_id=str(school.id)), follow_redirects=True)
    assert "Record “Ёлкина Алёна Петровна” added." in saved.get_data(as_text=True)
    assert "Sort by experience" in b.get(f"/{s}/people/").get_data(as_text=True)

    person = db.session.scalar(db.select(Person))
    course_in(district.tenant, person=person)
    course_in(district.tenant, person=person)
    db.session.commit()
    text = _confirmation(b, district, person.id)
    assert "Also deleted with it: 2 professional development courses" in text
    assert "The record is not linked to a user account." in text

    new_school = b.post(f"/{s}/schools/new", {"name": "МОУ Озёрная СОШ", "short_name": "", "kind": "school",
                                              "address": "", "head": ""}, follow_redirects=True)
    assert "Organization “МОУ Озёрная СОШ” added." in new_school.get_data(as_text=True)


def test_a_control_character_in_a_teachers_own_record_does_not_break_the_staff_export(make_browser, district):
    own = person_in(district.tenant, last_name="Свой", first_name="Анна", middle_name="", user_id=district.teacher.id)
    db.session.commit()
    teacher = make_browser(district.teacher.email)
    saved = teacher.post(f"/{district.slug}/people/{own.id}/edit",
                         {"phone": "", "education": "высшее\x01=1+1", "email": "", "version": str(own.version)})
    assert saved.status_code == 302
    resp = make_browser(district.methodist.email).get(f"/{district.slug}/people/export.xlsx")
    assert resp.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True) for c in row]
    assert "высшее=1+1" in cells


@pytest.mark.parametrize("years, card, development", [
    (1, "1 полный год", "стаж 1 год"), (3, "3 полных года", "стаж 3 года"), (5, "5 полных лет", "стаж 5 лет"),
    (21, "21 полный год", "стаж 21 год"), (12, "12 полных лет", "стаж 12 лет"),
])
def test_experience_reads_in_correct_russian(make_browser, district, years, card, development):
    person = person_in(district.tenant, school_id=school_in(district.tenant).id, experience_years=years)
    db.session.commit()
    b = make_browser(district.methodist.email)
    assert card in b.get(f"/{district.slug}/people/{person.id}").get_data(as_text=True)
    assert development in b.get(f"/{district.slug}/development/people/{person.id}/").get_data(as_text=True)
