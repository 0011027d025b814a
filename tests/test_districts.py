"""Each district shows its own organisation; a fifth district is set up entirely in the UI."""

from oms import clock
from oms.demo import DEMO_PASSWORD, load_demo
from oms.extensions import db
from oms.models import (Body, BodyKind, BodyMember, Decision, Direction, Function, FunctionAssignee, Meeting, Person,
                        Tenant, User)
from support import PASSWORD

OWN = {
    "kurchaloy": {
        "structure": ["Структура: ОМС", "Отдел методического сопровождения", "Ресурсный центр дистанционного образования",
                      "Учебно-методическое объединение", "Экспертная группа"],
        "council": ["<h1>Методический совет</h1>", "Методический совет ОМС"],
        "associations": ["<h1>Учебно-методические объединения и группы</h1>", "УМО учителей английского языка"],
        "directions": ["Проектировочная", "3.2.10"],
    },
    "serdobsk": {
        "structure": ["Структура: ММС", "Центр обслуживания образовательных организаций Сердобского района",
                      "Муниципальное методическое объединение педагогов (ММО)", "Педагогический совет"],
        "council": ["<h1>Методический совет</h1>", "Методический совет ММС"],
        "associations": ["<h1>Методические объединения педагогов</h1>", "ММО молодых педагогов"],
        "directions": ["Экспертно-аналитическая", "Матрица: вид элемента × направление"],
    },
    "strezhevoy": {
        "structure": ["Структура: ММС", "Муниципальная методическая служба Управления образования",
                      "Городская группа педагогов", "Методический совет ОУ"],
        "council": ["<h1>Методический совет Управления образования</h1>", "Заседания: Методсовет"],
        "associations": ["<h1>Городские группы педагогов</h1>", "Городская группа педагогов-психологов"],
        "directions": ["Консультационная деятельность", "Закрепление за специалистами"],
    },
    "kalar": {
        "structure": ["Структура: Методическая служба", "Школьный методический совет (ШМС)",
                      "Школьное методическое объединение (ШМО)", "Творческая (проблемная, рабочая) группа"],
        "council": ["<h1>Муниципальный методический совет</h1>"],
        "associations": ["<h1>ШМО и творческие группы</h1>", "Творческая группа учителей родного (эвенкийского) языка"],
        "directions": ["Организационно-методическое", "Консультационное"],
    },
}
# What only one district has: it must never appear on another district's pages.
MARKERS = {
    "kurchaloy": ["Курчало", "Отдел методического сопровождения", "УМО учителей"],
    "serdobsk": ["Сердоб", "Центр обслуживания", "ММО учителей"],
    "strezhevoy": ["Стрежев", "Городская группа", "Методический совет ОУ"],
    "kalar": ["Калар", "(ШМС)", "эвенкийского"],
}
PAGES = {"structure": "/structure/", "council": "/council/", "associations": "/associations/",
         "directions": "/directions/"}


def _demo_browser(make_browser, email):
    b = make_browser()
    assert b.login(email, DEMO_PASSWORD).status_code == 302
    return b


def test_each_district_shows_its_own_structure_and_terms_and_no_other(demo, make_browser):
    for slug, expected in OWN.items():
        b = _demo_browser(make_browser, f"teacher@{slug}.demo.oms")
        for page, path in PAGES.items():
            html = b.get(f"/{slug}{path}").get_data(as_text=True)
            for text in expected[page]:
                assert text in html, f"{slug}{path}: {text}"
            for other, markers in MARKERS.items():
                if other != slug:
                    for marker in markers:
                        assert marker not in html, f"{slug}{path} shows {other}'s «{marker}»"


def _tenant(slug):
    return db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))


def _count(stmt):
    return db.session.scalar(stmt)


def test_demo_councils_associations_and_leaders(demo):
    for slug in OWN:
        tenant = _tenant(slug)
        council = db.session.scalar(db.select(Body).join(BodyKind).where(
            Body.tenant_id == tenant.id, BodyKind.category == "council"))
        members = db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == council.id)).all()
        chair = next(m for m in members if m.role == "chair")
        head = db.session.get(Person, chair.person_id)
        assert head.school_id is None and head.position.casefold() == tenant.head_title.casefold()
        assert any(m.role == "secretary" for m in members)
        assert len(members) >= 10 and all(m.role_title for m in members)
        assert council.order_number and council.order_date
        meetings = db.session.scalars(db.select(Meeting).where(Meeting.body_id == council.id)).all()
        assert len(meetings) == 2
        decisions = db.session.scalars(db.select(Decision).join(Meeting).where(Meeting.body_id == council.id)).all()
        assert sum(d.status == "done" for d in decisions) >= 3
        assert sum(d.is_overdue(clock.today()) for d in decisions) == 1

        leader_user = db.session.scalar(db.select(User).where(User.email == f"leader@{slug}.demo.oms"))
        led = db.session.scalars(db.select(BodyMember).join(Person).where(
            Person.user_id == leader_user.id, BodyMember.role.in_(("leader", "chair")))).all()
        assert len(led) == 1, slug

        associations = db.session.scalars(db.select(Body).join(BodyKind).where(
            Body.tenant_id == tenant.id, BodyKind.category.in_(("association", "group")))).all()
        assert len(associations) >= 3
        for body in associations:
            rows = db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == body.id)).all()
            assert sum(r.role == "leader" for r in rows) == 1 and len(rows) >= 6, body.name
            if body.school_id is not None:
                people = db.session.scalars(db.select(Person).where(Person.id.in_([r.person_id for r in rows])))
                assert {p.school_id for p in people} == {body.school_id}, body.name


def test_the_distributed_service_leaves_two_functions_unassigned_and_reloading_adds_nothing(demo):
    tenant = _tenant("strezhevoy")
    functions = _count(db.select(db.func.count(Function.id)).where(Function.tenant_id == tenant.id))
    assigned = _count(db.select(db.func.count(db.distinct(FunctionAssignee.function_id)))
                      .where(FunctionAssignee.tenant_id == tenant.id))
    assert functions - assigned == 2
    assert _count(db.select(db.func.count(FunctionAssignee.id)).where(
        FunctionAssignee.tenant_id == _tenant("kalar").id)) == 0

    def totals():
        return [_count(db.select(db.func.count(m.id))) for m in (Body, BodyMember, Meeting, Decision, Person,
                                                                 FunctionAssignee)]

    before = totals()
    load_demo(demo.config["PASSWORD_HASH_METHOD"])
    assert totals() == before


def test_an_operator_creates_a_fifth_district_and_its_admin_reshapes_it(make_browser, make_user):
    operator = make_user(None, role="operator")
    op = make_browser(operator.email)
    form = op.get("/platform/districts/new").get_data(as_text=True)
    assert "kalar" in form and "blank" in form  # the presets are offered
    resp = op.post("/platform/districts/new", {
        "slug": "taiga", "preset": "kalar", "name": "Таёжный округ", "region": "Республика Тыва",
        "authority": "Управление образования Таёжного округа", "service_name": "Методический центр",
        "service_abbr": "МЦ", "model_kind": "department_service", "admin_email": "head@taiga.example.org",
        "admin_name": "Кара-оол Айдаш Маадырович"})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
    tenant = _tenant("taiga")
    assert _count(db.select(db.func.count(Function.id)).where(Function.tenant_id == tenant.id)) == 31
    admin = db.session.scalar(db.select(User).where(User.email == "head@taiga.example.org"))
    admin.set_password(PASSWORD)
    teacher = Person(tenant_id=tenant.id, last_name="Монгуш", first_name="Чодураа", middle_name="Сергеевна",
                     position="заместитель директора по УВР")
    db.session.add(teacher)
    db.session.commit()

    b = make_browser(admin.email)
    base = "/taiga"
    assert "Школьный методический совет (ШМС)" in b.get(base + "/structure/").get_data(as_text=True)
    # a new kind of body and a body of that kind
    resp = b.post(base + "/structure/kinds/new", {"name": "Сетевое сообщество педагогов", "category": "group",
                                                  "level": "municipal", "clause": ""}, htmx=True)
    assert resp.status_code == 200
    kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == tenant.id,
                                                       BodyKind.name == "Сетевое сообщество педагогов"))
    service = db.session.scalar(db.select(Body).join(BodyKind).where(Body.tenant_id == tenant.id,
                                                                    BodyKind.category == "service"))
    resp = b.post(base + "/structure/new", {"kind_id": kind.id, "name": "Сетевое сообщество учителей тувинского языка",
                                            "parent_id": service.id}, htmx=True)
    assert resp.status_code == 200
    # a direction and a function in it
    assert b.post(base + "/directions/new", {"name": "Этнокультурное", "clause": "4.5"}, htmx=True).status_code == 200
    direction = db.session.scalar(db.select(Direction).where(Direction.tenant_id == tenant.id,
                                                             Direction.name == "Этнокультурное"))
    resp = b.post(base + "/directions/functions/new", {"direction_id": direction.id, "body_kind_id": kind.id,
                                                       "clause": "4.5.1",
                                                       "text": "Сопровождение преподавания родных языков"}, htmx=True)
    assert resp.status_code == 200
    # a council member
    council = db.session.scalar(db.select(Body).join(BodyKind).where(Body.tenant_id == tenant.id,
                                                                    BodyKind.category == "council"))
    resp = b.post(f"{base}/council/{council.id}/members", {"person_id": teacher.id, "role": "member",
                                                          "role_title": "Заместитель директора по УВР"}, htmx=True)
    assert resp.status_code == 200

    assert "Сетевое сообщество учителей тувинского языка" in b.get(base + "/structure/").get_data(as_text=True)
    directions = b.get(base + "/directions/").get_data(as_text=True)
    assert "Этнокультурное" in directions and "Сопровождение преподавания родных языков" in directions
    assert "Матрица: вид элемента × направление" in directions  # functions now belong to two kinds
    assert "Монгуш Чодураа Сергеевна" in b.get(base + "/council/").get_data(as_text=True)
    assert "Сетевое сообщество учителей тувинского языка" in b.get(base + "/associations/").get_data(as_text=True)
