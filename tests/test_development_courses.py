"""Courses (повышение квалификации): records with bad input, the district's list, the three-year rule, proposals."""
from datetime import date, timedelta

import pytest

from factories.core import person_in, school_in
from factories.development import course_in, teacher_in
from oms.extensions import db
from oms.models import Course
from oms.models.development import years_before
from oms import clock

GOOD = {"title": "Формирование функциональной грамотности", "provider": "ГАУ ДПО «Институт регионального развития»",
        "hours": "72", "date_from": "2025-03-03", "date_to": "2025-03-21", "form": "distance",
        "certificate": "582412345678"}


def _url(district, tail):
    return f"/{district.slug}/development{tail}"


def _courses(person):
    return db.session.scalars(db.select(Course).where(Course.person_id == person.id)).all()


def test_methodist_records_a_course_and_sees_it_in_the_history(make_browser, district):
    teacher = teacher_in(district.tenant, last_name="Курсова")
    db.session.commit()
    b = make_browser(district.methodist.email)
    form = b.get(_url(district, f"/people/{teacher.id}/courses/new")).get_data(as_text=True)
    assert "datalist" in form
    resp = b.post(_url(district, f"/people/{teacher.id}/courses/new"), GOOD)
    assert resp.status_code == 302
    (course,) = _courses(teacher)
    assert (course.status, course.hours, course.date_to, course.form) == ("confirmed", 72, date(2025, 3, 21), "distance")
    page = b.get(_url(district, f"/people/{teacher.id}/")).get_data(as_text=True)
    assert "Формирование функциональной грамотности" in page and "03.03.2025" in page and "582412345678" in page


@pytest.mark.parametrize("change, message", [
    ({"title": "  "}, "Введите название курса."),
    ({"provider": ""}, "Укажите организацию, проводившую обучение."),
    ({"hours": "8"}, "не менее 16 часов"),
    ({"hours": "много"}, "Введите целое число."),
    ({"hours": "   "}, "Укажите объём программы в часах."),
    ({"date_from": "31.02.2025"}, "Введите дату в формате дд.мм.гггг."),
    ({"date_to": "2025-02-01"}, "Окончание не может быть раньше начала обучения."),
    ({"date_to": ""}, "Укажите дату окончания обучения."),
    ({"form": "zaochno"}, "Выберите значение из списка."),
    ({"title": "К" * 501}, "Не длиннее 500 символов."),
])
def test_bad_course_input_is_refused_in_russian_and_nothing_saved(make_browser, district, change, message):
    teacher = teacher_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{teacher.id}/courses/new"), {**GOOD, **change})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _courses(teacher) == []


def test_a_date_typed_by_hand_is_accepted(make_browser, district):
    teacher = teacher_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(_url(district, f"/people/{teacher.id}/courses/new"),
                  {**GOOD, "date_from": "03.03.2025", "date_to": "21.03.2025"})
    assert resp.status_code == 302
    assert _courses(teacher)[0].date_from == date(2025, 3, 3)


def test_editing_a_course_changed_meanwhile_shows_both_versions(make_browser, district):
    course = course_in(district.tenant, title="Старое название")
    db.session.commit()
    b = make_browser(district.methodist.email)
    stale = course.version
    assert b.post(_url(district, f"/courses/{course.id}/edit"),
                  {**GOOD, "title": "Первое изменение", "version": stale}).status_code == 302
    resp = b.post(_url(district, f"/courses/{course.id}/edit"), {**GOOD, "title": "Моё изменение", "version": stale})
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "Первое изменение" in page and "Моё изменение" in page
    assert db.session.get(Course, course.id).title == "Первое изменение"


def test_deleting_a_course(make_browser, district):
    course = course_in(district.tenant)
    db.session.commit()
    course_id, person_id = course.id, course.person_id
    b = make_browser(district.methodist.email)
    page = b.get(_url(district, f"/people/{person_id}/")).get_data(as_text=True)
    assert "data-confirm=" in page
    assert b.post(_url(district, f"/courses/{course_id}/delete")).status_code == 302
    assert db.session.get(Course, course_id) is None


def test_district_list_filters_search_and_pagination(make_browser, district):
    tenant = district.tenant
    north, south = school_in(tenant, short_name="Северная СОШ"), school_in(tenant, short_name="Южная СОШ")
    orlova = teacher_in(tenant, school=north, last_name="Орлова")
    ershov = teacher_in(tenant, school=south, last_name="Ёршов", first_name="Иван")
    course_in(tenant, person=orlova, title="Цифровая школа", provider="ИРО", form="full_time",
              date_from=date(2024, 5, 1), date_to=date(2024, 5, 10))
    course_in(tenant, person=ershov, title="Инклюзия", provider="Академия Минпросвещения", form="distance",
              date_from=date(2025, 2, 1), date_to=date(2025, 2, 20), certificate="7700111")
    for i in range(35):
        course_in(tenant, person=orlova, title=f"Курс номер {i}", provider="ИРО", date_from=date(2023, 1, 1),
                  date_to=date(2023, 1, 10))
    db.session.commit()
    b = make_browser(district.methodist.email)

    def rows(query):
        return b.get(_url(district, f"/courses/?{query}")).get_data(as_text=True)

    assert "Инклюзия" in rows("school=%d" % south.id) and "Цифровая школа" not in rows("school=%d" % south.id)
    assert "Цифровая школа" in rows("year=2024") and "Инклюзия" not in rows("year=2024")
    assert "Инклюзия" in rows("provider=Академия Минпросвещения") and "Цифровая" not in rows("provider=Академия Минпросвещения")
    assert "Цифровая школа" in rows("form=full_time") and "Инклюзия" not in rows("form=full_time")
    # Cyrillic search is case-insensitive and Ё = Е, on names and on the course
    assert "Инклюзия" in rows("q=ершов") and "Цифровая" not in rows("q=ершов")
    assert "Инклюзия" in rows("q=ИНКЛЮЗ") and "Инклюзия" in rows("q=7700111")
    first = rows("")
    assert "стр. 1 из 2" in first and "всего 37" in first
    assert "Курс номер" in rows("page=2")
    assert "Ничего не нашли" in rows("q=несуществующий")
    partial = b.get(_url(district, "/courses/?q=ершов"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Инклюзия" in partial and "<html" not in partial


def test_the_three_year_rule(make_browser, district):
    tenant = district.tenant
    today = clock.today()
    cutoff = years_before(today, 3)
    recent = teacher_in(tenant, last_name="Недавняя")
    course_in(tenant, person=recent, date_from=cutoff - timedelta(days=10), date_to=cutoff)  # exactly 3 years: fine
    old = teacher_in(tenant, last_name="Давняя")
    course_in(tenant, person=old, date_from=cutoff - timedelta(days=20), date_to=cutoff - timedelta(days=1))
    teacher_in(tenant, last_name="Безкурсова")  # never on a course
    proposed = teacher_in(tenant, last_name="Предложившая")
    course_in(tenant, person=proposed, status="proposed", date_from=today - timedelta(days=30),
              date_to=today - timedelta(days=20))
    person_in(tenant, last_name="Специалистова", school_id=None)  # the authority's specialist: no rule
    db.session.commit()
    b = make_browser(district.methodist.email)
    flagged = b.get(_url(district, "/people/?flag=no_course")).get_data(as_text=True)
    for name in ("Давняя", "Безкурсова", "Предложившая"):
        assert name in flagged
    assert "Недавняя" not in flagged and "Специалистова" not in flagged
    assert "более 3 лет назад" in flagged and "нет курсов" in flagged
    home = b.get(f"/{district.slug}/").get_data(as_text=True)
    assert '<strong class="dash-overdue">3</strong>' in home
    card = b.get(_url(district, f"/people/{old.id}/")).get_data(as_text=True)
    assert "более трёх лет назад" in card


def test_a_teacher_proposes_and_a_methodist_confirms_or_rejects(make_browser, district):
    tenant = district.tenant
    me = teacher_in(tenant, last_name="Учителева", user_id=district.teacher.id)
    db.session.commit()
    t = make_browser(district.teacher.email)
    future = (clock.today() + timedelta(days=10)).isoformat()
    resp = t.post(_url(district, "/me/courses/new"), {**GOOD, "date_to": future})
    assert resp.status_code == 422 and "Предложить можно только пройденный курс" in resp.get_data(as_text=True)
    assert _courses(me) == []
    assert t.post(_url(district, "/me/courses/new"), GOOD).status_code == 302
    assert t.post(_url(district, "/me/courses/new"), {**GOOD, "title": "Второй курс"}).status_code == 302
    first, second = sorted(_courses(me), key=lambda c: c.id)
    assert (first.status, first.proposed_by_id) == ("proposed", district.teacher.id)
    assert "Ожидает подтверждения" in t.get(_url(district, "/me")).get_data(as_text=True)
    # a proposal does not count for the three-year rule until it is confirmed
    m = make_browser(district.methodist.email)
    assert "Учителева" in m.get(_url(district, "/people/?flag=no_course")).get_data(as_text=True)
    waiting = m.get(_url(district, "/courses/?status=proposed")).get_data(as_text=True)
    assert "Подтвердить" in waiting and "Второй курс" in waiting
    assert m.post(_url(district, f"/courses/{first.id}/confirm"), {"back": "proposed"}).status_code == 302
    assert db.session.get(Course, first.id).status == "confirmed"
    assert "Учителева" not in m.get(_url(district, "/people/?flag=no_course")).get_data(as_text=True)
    resp = m.post(_url(district, f"/courses/{second.id}/reject"), {"reason": " "})
    assert resp.status_code == 422 and "Напишите причину" in resp.get_data(as_text=True)
    assert db.session.get(Course, second.id).status == "proposed"
    assert m.post(_url(district, f"/courses/{second.id}/reject"),
                  {"reason": "Нет удостоверения в ФИС ФРДО"}).status_code == 302
    mine = t.get(_url(district, "/me")).get_data(as_text=True)
    assert "Отклонено" in mine and "Нет удостоверения в ФИС ФРДО" in mine


def test_a_teacher_withdraws_only_their_own_pending_proposal(make_browser, district):
    tenant = district.tenant
    me = teacher_in(tenant, user_id=district.teacher.id)
    mine = course_in(tenant, person=me, status="proposed")
    confirmed = course_in(tenant, person=me)
    other = course_in(tenant, status="proposed")
    db.session.commit()
    mine, confirmed, other = mine.id, confirmed.id, other.id
    t = make_browser(district.teacher.email)
    assert t.post(_url(district, f"/me/courses/{other}/withdraw")).status_code == 404
    t.post(_url(district, f"/me/courses/{confirmed}/withdraw"))
    assert db.session.get(Course, confirmed) is not None
    assert t.post(_url(district, f"/me/courses/{mine}/withdraw")).status_code == 302
    assert db.session.get(Course, mine) is None
    assert db.session.get(Course, other) is not None


def test_providers_are_suggested_from_the_district_partners(make_browser, district):
    district.tenant.partners = "Министерство образования области\nГАУ ДПО «Институт развития образования»"
    teacher = teacher_in(district.tenant)
    db.session.commit()
    page = make_browser(district.methodist.email).get(
        _url(district, f"/people/{teacher.id}/courses/new")).get_data(as_text=True)
    datalist = page.split('<datalist id="provider-list">')[1].split("</datalist>")[0]
    assert datalist.index("Институт развития образования") < datalist.index("Министерство образования")


def test_the_three_year_list_downloads_as_a_spreadsheet(make_browser, district):
    from io import BytesIO

    from openpyxl import load_workbook

    tenant = district.tenant
    teacher_in(tenant, last_name="=Безкурсова")  # a formula-looking name stays text
    course_in(tenant, person=teacher_in(tenant, last_name="Свежая"), date_from=clock.today() - timedelta(days=40),
              date_to=clock.today() - timedelta(days=30))
    db.session.commit()
    b = make_browser(district.methodist.email)
    assert "no_course" in b.get(_url(district, "/people/?flag=no_course")).get_data(as_text=True).split(
        "Скачать список")[0].rsplit("href=", 1)[1]
    resp = b.get(_url(district, "/people/export.xlsx?flag=no_course"))
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    rows = list(load_workbook(BytesIO(resp.data)).active.iter_rows(values_only=True))
    assert rows[0][1] == "ФИО" and len(rows) == 2
    assert "=Безкурсова" in rows[1][1] and not rows[1][1].startswith("=") and rows[1][5] == "да"
    assert make_browser(district.teacher.email).get(_url(district, "/people/export.xlsx")).status_code == 403


def test_a_double_click_records_one_course(make_browser, district):
    import re

    teacher = teacher_in(district.tenant)
    db.session.commit()
    b = make_browser(district.methodist.email)
    form = b.get(_url(district, f"/people/{teacher.id}/courses/new")).get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', form).group(1)
    first = b.post(_url(district, f"/people/{teacher.id}/courses/new"), {**GOOD, "form_token": token})
    second = b.post(_url(district, f"/people/{teacher.id}/courses/new"), {**GOOD, "form_token": token})
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(_courses(teacher)) == 1


def test_the_list_filters_keep_what_was_chosen_and_ignore_unknown_values(make_browser, district):
    school = school_in(district.tenant, short_name="СШ № 9")
    course_in(district.tenant, person=teacher_in(district.tenant, school=school), title="Дистанционный курс",
              form="distance")
    course_in(district.tenant, person=teacher_in(district.tenant), title="Очный курс", form="full_time")
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(_url(district, f"/courses/?form=distance&status=confirmed&school={school.id}")).get_data(as_text=True)
    assert "Дистанционный курс" in page and "Очный курс" not in page
    assert '<option value="distance" selected>' in page and '<option value="confirmed" selected>' in page
    assert f'<option value="{school.id}" selected>' in page
    page = b.get(_url(district, "/courses/?form=by-pigeon&status=lost")).get_data(as_text=True)
    assert "Дистанционный курс" in page and "Очный курс" in page and " selected>" not in page


def test_the_dashboard_counts_one_proposed_course_in_the_singular(make_browser, district):
    from factories.development import course_in

    course_in(district.tenant, status="proposed")
    db.session.commit()
    page = make_browser(district.methodist.email).get(f"/{district.slug}/development/").get_data(as_text=True)
    card = page.split('id="dash-proposed"')[1].split("</article>")[0]
    assert "1</p>" in card and "запись о курсах" in card and "записей" not in card
