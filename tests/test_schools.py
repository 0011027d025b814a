"""Schools: the full record, its checks, filters, the school page and deleting."""
import re

import pytest

from factories.core import person_in, school_in
from oms.extensions import db
from oms.models import Body, BodyKind, School


def _school_form(**over):
    data = {"name": "Муниципальное общеобразовательное учреждение Чарская средняя общеобразовательная школа",
            "short_name": "МОУ Чарская СОШ", "kind": "school", "address": "с. Чара, ул. Школьная, 1",
            "head": "Трифонова Галина Ивановна", "is_base_site": "y", "base_site_year": "2024",
            "base_site_topic": "Формирование функциональной грамотности", "internship_site_year": "",
            "internship_site_topic": "", "innovation_site_year": "", "innovation_site_topic": "",
            "low_results_year": ""}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _count():
    return db.session.scalar(db.select(db.func.count(School.id)))


def test_methodist_adds_a_school_with_its_site_status(make_browser, district):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/schools/new", _school_form())
    assert resp.status_code == 302
    school = db.session.scalar(db.select(School))
    assert school.is_base_site and school.base_site_year == 2024 and not school.is_innovation_site
    page = b.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Базовая площадка" in page and "Формирование функциональной грамотности" in page


@pytest.mark.parametrize("over, field, message", [
    ({"name": ""}, "name", "Заполните это поле."),
    ({"name": "Ш" * 401}, "name", "Не длиннее 400 символов."),
    ({"base_site_year": ""}, "base_site_year", "Укажите год."),
    ({"is_base_site": None}, "is_base_site", "Отметьте «Базовая площадка» или очистите год и тему."),
    ({"low_results_year": "2023"}, "low_results", "Отметьте «Низкие или необъективные результаты»"),
    ({"base_site_year": "1700"}, "base_site_year", "Год от 1990"),
    ({"head": "<b>Директор</b>"}, "head", "Уберите HTML-разметку"),
])
def test_bad_school_input_is_refused_next_to_the_field(make_browser, district, over, field, message):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/schools/new", _school_form(**over))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert re.search(rf'id="{field}-err">[^<]*{re.escape(message)}', html), html[html.find("field--error"):][:600]
    assert _count() == 0


def test_duplicate_names_are_refused_folded(make_browser, district):
    school_in(district.tenant, name="МОУ Чарская СОШ", short_name="Чарская школа")
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/schools/new", _school_form(name="моу чарская сош", short_name=""))
    assert resp.status_code == 422 and "Такое название уже есть" in resp.get_data(as_text=True)
    resp = b.post(f"/{district.slug}/schools/new", _school_form(name="Другая школа", short_name="ЧАРСКАЯ ШКОЛА"))
    assert resp.status_code == 422 and "Такое краткое название уже есть" in resp.get_data(as_text=True)
    assert _count() == 1


def test_filters_and_search(make_browser, district):
    school_in(district.tenant, name="Новочарская школа № 1", short_name="СОШ № 1", is_base_site=True,
              base_site_year=2024)
    school_in(district.tenant, name="Детский сад «Ёлочка»", short_name="ДС «Ёлочка»", kind="kindergarten")
    school_in(district.tenant, name="Куандинская школа", short_name="Куандинская СОШ", low_results=True,
              low_results_year=2024)
    db.session.commit()
    b = make_browser(district.teacher.email)

    def labels(**args):
        return re.findall(r'/schools/\d+">([^<]+)</a>', b.get(f"/{district.slug}/schools/",
                                                              query_string=args).get_data(as_text=True))

    assert labels(kind="kindergarten") == ["ДС «Ёлочка»"]
    assert labels(site="base") == ["СОШ № 1"]
    assert labels(low="1") == ["Куандинская СОШ"]
    assert labels(q="елочка") == ["ДС «Ёлочка»"]
    assert labels(q="КУАНДИНСКАЯ") == ["Куандинская СОШ"]


def test_school_page_lists_its_people_and_associations(make_browser, district):
    school = school_in(district.tenant, short_name="МОУ Чарская СОШ")
    person_in(district.tenant, last_name="Горохова", first_name="Ольга", school_id=school.id)
    person_in(district.tenant, last_name="Посторонний", first_name="Иван")
    kind = BodyKind(tenant_id=district.tenant.id, code="shmo", name="ШМО", category="association", level="school")
    db.session.add(kind)
    db.session.flush()
    db.session.add(Body(tenant_id=district.tenant.id, kind_id=kind.id, school_id=school.id,
                        name="ШМО учителей начальных классов"))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/schools/{school.id}").get_data(as_text=True)
    assert "Горохова Ольга" in page and "Посторонний" not in page
    assert "ШМО учителей начальных классов" in page


def test_delete_is_refused_while_people_or_bodies_refer_to_the_school(make_browser, district):
    busy = school_in(district.tenant)
    person = person_in(district.tenant, school_id=busy.id)
    free = school_in(district.tenant)
    db.session.commit()
    busy_id, free_id = busy.id, free.id
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/schools/{busy_id}/delete")
    assert resp.status_code == 422 and "работают педагоги из базы (1)" in resp.get_data(as_text=True)
    assert db.session.get(School, busy_id) is not None
    # Move the person away; an association of the school still holds it.
    person.school_id = None
    kind = BodyKind(tenant_id=district.tenant.id, code="shmo", name="ШМО", category="association", level="school")
    db.session.add(kind)
    db.session.flush()
    db.session.add(Body(tenant_id=district.tenant.id, kind_id=kind.id, school_id=busy_id, name="ШМО"))
    db.session.commit()
    resp = b.post(f"/{district.slug}/schools/{busy_id}/delete")
    assert resp.status_code == 422 and "объединения или советы (1)" in resp.get_data(as_text=True)
    assert "Удалить организацию" in b.get(f"/{district.slug}/schools/{free_id}/delete").get_data(as_text=True)
    assert b.post(f"/{district.slug}/schools/{free_id}/delete").status_code == 302
    assert db.session.get(School, free_id) is None


def test_stale_school_edit_gets_409(make_browser, district):
    school = school_in(district.tenant, name="Старое название", short_name="")
    db.session.commit()
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/schools/{school.id}/edit"
    version = str(school.version)
    assert b.post(url, _school_form(name="Название от коллеги", short_name="", version=version)).status_code == 302
    resp = b.post(url, _school_form(name="Моё название", short_name="", version=version))
    assert resp.status_code == 409 and "Название от коллеги" in resp.get_data(as_text=True)
    assert db.session.get(School, school.id).name == "Название от коллеги"


def test_school_page_lists_plan_items_held_there_when_the_plan_exists(make_browser, district):
    plan_models = pytest.importorskip("oms.models.plan")
    from oms.models import Direction

    school = school_in(district.tenant)
    direction = Direction(tenant_id=district.tenant.id, name="Организационно-методическое")
    plan = plan_models.Plan(tenant_id=district.tenant.id, start_year=2025)
    db.session.add_all([direction, plan])
    db.session.flush()
    db.session.add(plan_models.PlanItem(tenant_id=district.tenant.id, plan_id=plan.id, direction_id=direction.id,
                                        title="Семинар «Функциональная грамотность»", venue_school_id=school.id))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/schools/{school.id}").get_data(as_text=True)
    assert "Семинар «Функциональная грамотность»" in page and "2025/2026" in page
    resp = b.post(f"/{district.slug}/schools/{school.id}/delete")
    assert resp.status_code == 422 and "мероприятия плана (1)" in resp.get_data(as_text=True)
