"""The org chart and its configuration: presets, in-place editing, body kinds, terms, who may do what."""
import pytest

from factories.core import school_in
from factories.structure import association_in, kind_in, meeting_in, member_in
from oms.extensions import db
from oms.models import Body, BodyKind, Direction, Function, WorkForm
from oms.services.districts import configure_from_preset
from oms.services.presets import load_preset

PRESETS = ["kurchaloy", "serdobsk", "strezhevoy", "kalar"]


def _configure(tenant, code="kurchaloy"):
    preset = load_preset(code)
    configure_from_preset(tenant, preset)
    db.session.commit()
    return preset


def _body(tenant, name):
    return db.session.scalar(db.select(Body).where(Body.tenant_id == tenant.id, Body.name == name))


@pytest.mark.parametrize("code", PRESETS)
def test_configure_from_preset_creates_the_whole_configuration_once(app, make_tenant, code):
    tenant = make_tenant()
    preset = _configure(tenant, code)

    def count(model):
        return db.session.scalar(db.select(db.func.count(model.id)).where(model.tenant_id == tenant.id))

    assert count(BodyKind) == len(preset["body_kinds"])
    assert count(Body) == len(preset["bodies"])
    assert count(Direction) == len(preset["directions"])
    assert count(Function) == len(preset["functions"])
    assert count(WorkForm) == len({f["name"] for f in preset["forms"]})
    bodies = {b.name: b for b in db.session.scalars(db.select(Body).where(Body.tenant_id == tenant.id))}
    by_key = {row["key"]: bodies[row["name"]] for row in preset["bodies"]}
    for row in preset["bodies"]:
        body = by_key[row["key"]]
        assert body.kind.code == row["kind"]
        assert body.parent_id == (by_key[row["parent"]].id if row["parent"] else None)
    first = preset["functions"][0]
    function = db.session.scalar(db.select(Function).where(Function.tenant_id == tenant.id, Function.text == first["text"]))
    direction = db.session.get(Direction, function.direction_id)
    kind = db.session.get(BodyKind, function.body_kind_id)
    assert (direction.name, kind.code, function.clause) == (first["direction"], first["body_kind"], first["clause"])
    assert [r["name"] for r in tenant.catalogues["council_roles"]] == [r["name"] for r in preset["council_roles"]]
    assert len(tenant.catalogues["documents"]) == len(preset.get("documents", []))

    configure_from_preset(tenant, preset)  # a second call adds nothing
    db.session.commit()
    assert count(Body) == len(preset["bodies"]) and count(Function) == len(preset["functions"])


def test_blank_preset_gives_a_service_and_a_council(app, make_tenant):
    tenant = make_tenant()
    _configure(tenant, "blank")
    names = set(db.session.scalars(db.select(Body.name).where(Body.tenant_id == tenant.id)))
    assert names == {"Методическая служба", "Методический совет"}


def test_org_chart_shows_levels_nested_boxes_and_terms(make_browser, district):
    _configure(district.tenant, "kalar")
    school = school_in(district.tenant, short_name="МОУ Чарская СОШ")
    shms = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "shms"))
    shmo = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "shmo"))
    council = association_in(district.tenant, kind=shms, name="ШМС Чарской СОШ", school_id=school.id)
    association_in(district.tenant, kind=shmo, name="ШМО учителей математики", school_id=school.id,
                   parent_id=council.id)
    b = make_browser(district.teacher.email)
    html = b.get(f"/{district.slug}/structure/").get_data(as_text=True)
    assert "Структура: Методическая служба" in html
    municipal, school_level = html.split("Уровень образовательных организаций")
    assert "Муниципальный методический совет" in municipal and "Проблемная группа по профориентации" in municipal
    assert "ШМО учителей математики" not in municipal
    assert "МОУ Чарская СОШ" in school_level and "ШМС Чарской СОШ" in school_level
    # the ШМО sits inside its school council's box
    assert school_level.index("ШМС Чарской СОШ") < school_level.index("ШМО учителей математики")
    assert "Добавить элемент структуры" not in html  # a teacher reads only
    assert "Удалить" not in html


def test_admin_adds_renames_moves_and_removes_a_body_in_place(make_browser, district):
    _configure(district.tenant)
    service = _body(district.tenant, "Отдел методического сопровождения")
    rc = _body(district.tenant, "Ресурсный центр дистанционного образования")
    group_kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id,
                                                             BodyKind.code == "creative_group"))
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/structure"
    resp = b.post(f"{url}/new", {"kind_id": group_kind.id, "name": "Творческая группа «Наставник»",
                                 "parent_id": service.id, "subject": "Наставничество"}, htmx=True)
    assert resp.status_code == 200
    assert "Творческая группа «Наставник»" in resp.get_data(as_text=True)
    body = _body(district.tenant, "Творческая группа «Наставник»")
    assert body.parent_id == service.id and body.subject == "Наставничество"

    form = b.get(f"{url}/{body.id}/edit", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'name="version"' in form
    resp = b.post(f"{url}/{body.id}/edit", {"name": "Творческая группа «Молодой педагог»", "parent_id": rc.id,
                                            "subject": "", "clause": "4.7", "version": body.version}, htmx=True)
    assert resp.status_code == 200
    db.session.expire_all()
    body = db.session.get(Body, body.id)
    assert (body.name, body.parent_id, body.clause) == ("Творческая группа «Молодой педагог»", rc.id, "4.7")

    resp = b.post(f"{url}/{body.id}/delete", htmx=True)
    assert resp.status_code == 200
    assert _body(district.tenant, "Творческая группа «Молодой педагог»") is None


def test_a_body_in_use_is_not_removed_and_the_reason_is_shown(make_browser, district):
    _configure(district.tenant)
    service = _body(district.tenant, "Отдел методического сопровождения")
    council = _body(district.tenant, "Методический совет ОМС")
    member_in(district.tenant, body=council)
    meeting_in(district.tenant, body=council)
    db.session.commit()
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/structure/{service.id}/delete", htmx=True)
    assert resp.status_code == 422
    assert "Нельзя удалить «Отдел методического сопровождения»" in resp.get_data(as_text=True)
    assert "подчинённые элементы структуры" in resp.get_data(as_text=True)
    resp = b.post(f"/{district.slug}/structure/{council.id}/delete", htmx=True)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "участники (члены) — 1" in text and "заседания — 1" in text
    assert _body(district.tenant, "Методический совет ОМС") is not None
    # without JavaScript: back to the chart with the message
    resp = b.post(f"/{district.slug}/structure/{council.id}/delete", follow_redirects=True)
    assert "Нельзя удалить «Методический совет ОМС»" in resp.get_data(as_text=True)


def test_placement_rules_have_clear_messages(make_browser, district):
    _configure(district.tenant)
    service = _body(district.tenant, "Отдел методического сопровождения")
    council = _body(district.tenant, "Методический совет ОМС")
    shmo = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "shmo"))
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/structure"
    resp = b.post(f"{url}/new", {"kind_id": shmo.id, "name": "ШМО без школы"}, htmx=True)
    assert resp.status_code == 422
    assert "Для элемента уровня образовательной организации выберите организацию." in resp.get_data(as_text=True)
    resp = b.post(f"{url}/new", {"kind_id": "", "name": ""}, htmx=True)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Выберите вид элемента." in text and "Заполните это поле." in text
    # moving the service inside its own council would make a loop
    resp = b.post(f"{url}/{service.id}/edit", {"name": service.name, "parent_id": council.id,
                                               "version": service.version}, htmx=True)
    assert resp.status_code == 422
    assert "Такого значения нет в списке" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Body, service.id).parent_id is None


def test_a_stale_edit_answers_409_and_shows_both_versions(make_browser, district):
    _configure(district.tenant)
    rc = _body(district.tenant, "Ресурсный центр дистанционного образования")
    stale = rc.version
    rc.name = "Ресурсный центр (переименован коллегой)"
    db.session.commit()
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/structure/{rc.id}/edit", {"name": "Мой вариант названия", "version": stale},
                  htmx=True)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Ресурсный центр (переименован коллегой)" in text and "Мой вариант названия" in text
    db.session.expire_all()
    assert db.session.get(Body, rc.id).name == "Ресурсный центр (переименован коллегой)"


def test_forged_ids_from_another_district_are_refused(make_browser, district, make_tenant):
    _configure(district.tenant)
    other = make_tenant()
    foreign_kind = kind_in(other)
    foreign_body = association_in(other)
    db.session.commit()
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/structure/new", {"kind_id": foreign_kind.id, "name": "Чужой вид"}, htmx=True)
    assert resp.status_code == 422 and "Такого значения нет в списке" in resp.get_data(as_text=True)
    kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "umo"))
    resp = b.post(f"/{district.slug}/structure/new", {"kind_id": kind.id, "name": "УМО", "parent_id": foreign_body.id},
                  htmx=True)
    assert resp.status_code == 422
    assert _body(district.tenant, "УМО") is None


def test_deleting_a_kind_from_a_full_page_says_what_happened(make_browser, district):
    _configure(district.tenant)
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/structure"
    umo = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "umo"))
    resp = b.post(f"{url}/kinds/{umo.id}/delete")
    assert resp.status_code == 422 and f"Нельзя удалить «{umo.name}»" in resp.get_data(as_text=True)
    assert db.session.get(BodyKind, umo.id) is not None
    assert b.post(f"{url}/kinds/new", {"name": "Школа молодого педагога", "category": "group",
                                       "level": "municipal"}).status_code == 302
    spare_id = db.session.scalar(db.select(BodyKind.id).where(BodyKind.tenant_id == district.tenant.id,
                                                              BodyKind.name == "Школа молодого педагога"))
    resp = b.post(f"{url}/kinds/{spare_id}/delete", follow_redirects=True)
    assert resp.status_code == 200 and "Вид «Школа молодого педагога» удалён." in resp.get_data(as_text=True)
    assert db.session.get(BodyKind, spare_id) is None


def test_body_kinds_and_terms_are_the_districts_own(make_browser, district):
    _configure(district.tenant)
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/structure"
    resp = b.post(f"{url}/kinds/new", {"name": "Школа молодого педагога", "category": "group", "level": "municipal",
                                       "clause": "4.7"}, htmx=True)
    assert resp.status_code == 200 and "Школа молодого педагога" in resp.get_data(as_text=True)
    kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id,
                                                       BodyKind.name == "Школа молодого педагога"))
    assert kind.category == "group" and kind.code
    resp = b.post(f"{url}/kinds/new", {"name": "школа молодого педагога", "category": "group", "level": "municipal"},
                  htmx=True)
    assert resp.status_code == 422 and "Вид с таким названием уже есть." in resp.get_data(as_text=True)
    resp = b.post(f"{url}/kinds/new", {"name": "Странный", "category": "planet", "level": "municipal"}, htmx=True)
    assert resp.status_code == 422 and "Выберите значение из списка." in resp.get_data(as_text=True)
    resp = b.post(f"{url}/kinds/{kind.id}/edit", {"name": "Школа наставника", "category": "group",
                                                  "level": "municipal", "clause": ""}, htmx=True)
    assert resp.status_code == 200
    # a kind in use keeps its level and cannot be deleted
    umo = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "umo"))
    resp = b.post(f"{url}/kinds/{umo.id}/edit", {"name": umo.name, "category": "association", "level": "school"},
                  htmx=True)
    assert resp.status_code == 422 and "Уровень менять нельзя" in resp.get_data(as_text=True)
    # …and its role only among associations and groups: a council's or service's pages and rights differ
    resp = b.post(f"{url}/kinds/{umo.id}/edit", {"name": umo.name, "category": "service", "level": umo.level},
                  htmx=True)
    assert resp.status_code == 422 and "Роль в структуре можно менять только" in resp.get_data(as_text=True)
    assert db.session.get(BodyKind, umo.id).category == "association"
    resp = b.post(f"{url}/kinds/{umo.id}/edit", {"name": umo.name, "category": "group", "level": umo.level},
                  htmx=True)
    assert resp.status_code == 200 and db.session.get(BodyKind, umo.id).category == "group"
    resp = b.post(f"{url}/kinds/{umo.id}/delete", htmx=True)
    assert resp.status_code == 422 and "Нельзя удалить" in resp.get_data(as_text=True)
    kind_id = kind.id
    resp = b.post(f"{url}/kinds/{kind_id}/delete", htmx=True)
    assert resp.status_code == 200 and db.session.get(BodyKind, kind_id) is None

    resp = b.post(f"{url}/terms", {"service": "Центр «Методист»", "council": "Научно-методический совет",
                                   "council_short": "НМС", "association": "Профессиональное сообщество",
                                   "associations": "Профессиональные сообщества", "plan": "План работы Центра"},
                  htmx=True)
    assert resp.status_code == 200
    assert "Структура: Центр «Методист»" in b.get(f"{url}/").get_data(as_text=True)
    assert "<h1>Научно-методический совет</h1>" in b.get(f"/{district.slug}/council/").get_data(as_text=True)
    assert "Профессиональные сообщества" in b.get(f"/{district.slug}/associations/").get_data(as_text=True)
    resp = b.post(f"{url}/terms", {"service": "", "council": "x", "association": "x", "associations": "x",
                                   "plan": "x"}, htmx=True)
    assert resp.status_code == 422 and "Заполните это поле." in resp.get_data(as_text=True)


STRUCTURE_EDITS = [
    ("post", "/structure/new"),
    ("get", "/structure/{body}/edit"),
    ("post", "/structure/{body}/edit"),
    ("post", "/structure/{body}/delete"),
    ("get", "/structure/settings"),
    ("post", "/structure/kinds/new"),
    ("post", "/structure/kinds/{kind}/edit"),
    ("post", "/structure/kinds/{kind}/delete"),
    ("post", "/structure/terms"),
]


@pytest.mark.parametrize("role", ["methodist", "leader", "teacher"])
def test_only_the_admin_edits_the_structure(make_browser, district, role):
    kind = kind_in(district.tenant)
    body = association_in(district.tenant, kind=kind, name="Неприкосновенное")
    db.session.commit()
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/structure/").status_code == 200
    for method, path in STRUCTURE_EDITS:
        url = f"/{district.slug}" + path.format(body=body.id, kind=kind.id)
        resp = b.get(url) if method == "get" else b.post(url, {"name": "x"}, htmx=True)
        assert resp.status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Body, body.id).name == "Неприкосновенное"


def test_pages_without_javascript_fall_back_to_full_pages(make_browser, district):
    _configure(district.tenant)
    rc = _body(district.tenant, "Ресурсный центр дистанционного образования")
    b = make_browser(district.admin.email)
    page = b.get(f"/{district.slug}/structure/{rc.id}/edit").get_data(as_text=True)
    assert "<html" in page and "Изменить элемент структуры" in page
    resp = b.post(f"/{district.slug}/structure/{rc.id}/edit", {"name": "РЦДО", "version": rc.version})
    assert resp.status_code == 302
    assert "<html" in b.get(f"/{district.slug}/structure/new?parent={rc.id}").get_data(as_text=True)


def test_user_text_is_escaped_everywhere_it_is_shown(make_browser, district):
    _configure(district.tenant)
    service = _body(district.tenant, "Отдел методического сопровождения")
    kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == district.tenant.id, BodyKind.code == "umo"))
    b = make_browser(district.admin.email)
    name = 'УМО "<script>alert(1)</script>"'
    assert b.post(f"/{district.slug}/structure/new", {"kind_id": kind.id, "name": name, "parent_id": service.id},
                  htmx=True).status_code == 200
    for url in ("/structure/", "/associations/"):
        html = b.get(f"/{district.slug}{url}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
