"""Directions and functions: what is shown follows the district's data; the admin configures them."""
import pytest

from factories.core import person_in
from factories.structure import assignee_in, direction_in, function_in, kind_in
from oms.extensions import db
from oms.models import Direction, Function, FunctionAssignee
from oms.services.districts import configure_from_preset
from oms.services.presets import load_preset
from support import picker_search


def _configure(tenant, code):
    configure_from_preset(tenant, load_preset(code))
    tenant.model_kind = load_preset(code)["model_kind"]
    db.session.commit()


def test_functions_by_direction_with_their_clauses(make_browser, district):
    _configure(district.tenant, "kurchaloy")
    page = make_browser(district.teacher.email).get(f"/{district.slug}/directions/").get_data(as_text=True)
    for name in ("Проектировочная", "Методическая", "Организационная", "Образовательная", "Информационная",
                 "Аналитическая", "Экспертная"):
        assert f"<h2>{name}" in page
    assert "3.2.4" in page and "Создает банк передового педагогического опыта" in page
    assert "Изменить" not in page  # teachers read


def test_the_matrix_appears_when_functions_belong_to_several_body_kinds(make_browser, district, make_tenant,
                                                                       make_user):
    _configure(district.tenant, "serdobsk")
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/directions/").get_data(as_text=True)
    assert "Матрица: вид элемента × направление" in page
    assert "Закрепление за специалистами" not in page
    matrix = b.get(f"/{district.slug}/directions/matrix").get_data(as_text=True)
    header = matrix.split("<thead>")[1].split("</thead>")[0]
    for name in ("Экспертно-аналитическая", "Информационно-консультационная", "Организационно-методическая"):
        assert name in header
    rows = matrix.split("<tbody>")[1]
    assert "Муниципальная методическая служба (ММС)" in rows and "Педагогический совет" in rows
    assert "Муниципальное методическое объединение педагогов (ММО)" in rows

    single = make_tenant()
    direction = direction_in(single, name="Единственное")
    kind = kind_in(single, "service")
    function_in(single, direction=direction, body_kind_id=kind.id)
    db.session.commit()
    # one body kind: no matrix in the district's menu (decided from the data)
    other = make_browser(make_user(single, role="admin").email)
    assert "Матрица: вид элемента" not in other.get(f"/{single.slug}/directions/").get_data(as_text=True)


def test_a_distributed_service_shows_who_performs_each_function(make_browser, district):
    _configure(district.tenant, "strezhevoy")
    functions = db.session.scalars(db.select(Function).where(Function.tenant_id == district.tenant.id)
                                   .order_by(Function.position)).all()
    specialist = person_in(district.tenant, last_name="Специалистова", school_id=None,
                           position="Специалист Управления образования")
    for f in functions[:-2]:
        db.session.add(FunctionAssignee(tenant_id=district.tenant.id, function_id=f.id, person_id=specialist.id))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/directions/assignments").get_data(as_text=True)
    assert "Никто не выполняет: 2</span> из 18 функций" in page
    assert page.count("никто не выполняет") == 2
    assert "Специалистова" in page
    assert "Закрепление за специалистами" in b.get(f"/{district.slug}/directions/").get_data(as_text=True)


def test_assignment_shows_up_anywhere_once_a_function_is_assigned(make_browser, district):
    _configure(district.tenant, "kalar")
    b = make_browser(district.admin.email)
    assert "Закрепление за специалистами" not in b.get(f"/{district.slug}/directions/").get_data(as_text=True)
    function = db.session.scalar(db.select(Function).where(Function.tenant_id == district.tenant.id))
    person = person_in(district.tenant, last_name="Методистова", school_id=None)
    db.session.commit()
    form = b.get(f"/{district.slug}/directions/functions/{function.id}/assignees", headers={"HX-Request": "true"})
    assert "Методистова" in picker_search(b, form, "person_id", "методист")
    resp = b.post(f"/{district.slug}/directions/functions/{function.id}/assignees", {"person_id": person.id},
                  htmx=True)
    assert resp.status_code == 200 and "Методистова" in resp.get_data(as_text=True)
    assert "Закрепление за специалистами" in b.get(f"/{district.slug}/directions/").get_data(as_text=True)
    row = db.session.scalar(db.select(FunctionAssignee).where(FunctionAssignee.function_id == function.id))
    resp = b.post(f"/{district.slug}/directions/functions/{function.id}/assignees/{row.id}/delete", htmx=True)
    assert resp.status_code == 200
    assert db.session.scalar(db.select(FunctionAssignee.id).where(FunctionAssignee.function_id == function.id)) is None


def test_admin_configures_directions_and_functions(make_browser, district):
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/directions"
    assert "Направления деятельности пока не заданы." in b.get(url + "/").get_data(as_text=True)
    for name in ("Аналитическое", "Информационное"):
        assert b.post(url + "/new", {"name": name, "clause": "4.1"}, htmx=True).status_code == 200
    resp = b.post(url + "/new", {"name": ""}, htmx=True)
    assert resp.status_code == 422 and "Заполните это поле." in resp.get_data(as_text=True)
    first, second = db.session.scalars(db.select(Direction).where(Direction.tenant_id == district.tenant.id)
                                       .order_by(Direction.position)).all()
    resp = b.post(url + f"/{second.id}/move", {"direction": "up"}, htmx=True)
    text = resp.get_data(as_text=True)
    assert text.index("Информационное") < text.index("Аналитическое")
    text = b.post(url + f"/{second.id}/move", {"direction": "up"}, htmx=True).get_data(as_text=True)
    assert text.index("Информационное") < text.index("Аналитическое")  # already first: stays first
    text = b.post(url + f"/{second.id}/move", {"direction": "down"}, htmx=True).get_data(as_text=True)
    assert text.index("Аналитическое") < text.index("Информационное")
    resp = b.post(url + "/functions/new", {"direction_id": first.id, "clause": "4.1.1",
                                           "text": "Мониторинг профессиональных потребностей"}, htmx=True)
    assert resp.status_code == 200 and "Мониторинг профессиональных потребностей" in resp.get_data(as_text=True)
    resp = b.post(url + "/functions/new", {"direction_id": first.id, "text": ""}, htmx=True)
    assert resp.status_code == 422 and "Опишите функцию." in resp.get_data(as_text=True)
    function = db.session.scalar(db.select(Function).where(Function.tenant_id == district.tenant.id))
    resp = b.post(url + f"/functions/{function.id}/edit", {"direction_id": second.id, "clause": "4.2.1",
                                                           "text": "Информирование педагогов"}, htmx=True)
    assert resp.status_code == 200
    db.session.expire_all()
    function = db.session.get(Function, function.id)
    assert (function.direction_id, function.clause) == (second.id, "4.2.1")
    resp = b.post(url + f"/{second.id}/delete", htmx=True)
    assert resp.status_code == 422 and "функции — 1" in resp.get_data(as_text=True)
    function_id = function.id
    assert b.post(url + f"/functions/{function_id}/delete", htmx=True).status_code == 200
    assert b.post(url + f"/{second.id}/delete", htmx=True).status_code == 200
    assert db.session.get(Function, function_id) is None


def test_foreign_direction_in_a_function_form_is_refused(make_browser, district, make_tenant):
    direction_in(district.tenant)
    foreign = direction_in(make_tenant())
    db.session.commit()
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/directions/functions/new", {"direction_id": foreign.id, "text": "x"}, htmx=True)
    assert resp.status_code == 422
    assert "Такого значения нет в списке" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Function.id))) == 0


DIRECTION_EDITS = [
    ("post", "/new"), ("get", "/{direction}/edit"), ("post", "/{direction}/edit"), ("post", "/{direction}/move"),
    ("post", "/{direction}/delete"), ("post", "/functions/new"), ("get", "/functions/{function}/edit"),
    ("post", "/functions/{function}/edit"), ("post", "/functions/{function}/move"),
    ("post", "/functions/{function}/delete"), ("get", "/functions/{function}/assignees"),
    ("post", "/functions/{function}/assignees"), ("post", "/functions/{function}/assignees/{assignee}/delete"),
]


@pytest.mark.parametrize("role", ["methodist", "leader", "teacher"])
def test_only_the_admin_configures_directions(make_browser, district, role):
    assignee = assignee_in(district.tenant)
    function = db.session.get(Function, assignee.function_id)
    db.session.commit()
    b = make_browser(getattr(district, role).email)
    for page in ("/", "/matrix", "/assignments"):
        assert b.get(f"/{district.slug}/directions{page}").status_code == 200
    for method, path in DIRECTION_EDITS:
        url = f"/{district.slug}/directions" + path.format(direction=function.direction_id, function=function.id,
                                                          assignee=assignee.id)
        resp = b.get(url) if method == "get" else b.post(url, {"name": "x", "text": "x"}, htmx=True)
        assert resp.status_code == 403, url
    assert db.session.get(FunctionAssignee, assignee.id) is not None


def test_deleting_a_function_without_a_clause_asks_a_whole_question(make_browser, district):
    function_in(district.tenant, clause="", text="Организует конкурсы")
    db.session.commit()
    page = make_browser(district.admin.email).get(f"/{district.slug}/directions/").get_data(as_text=True)
    assert 'hx-confirm="Удалить функцию?"' in page and "Удалить функцию ?" not in page
