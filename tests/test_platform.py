"""The operator console: districts are created, edited and suspended; nobody else gets in."""
import re

import pytest

from oms.extensions import db
from oms.models import Tenant, User


def _new_district_form(**overrides):
    data = {"slug": "novyi-raion", "preset": "blank", "name": "Новый район", "region": "Тестовая область",
            "authority": "Отдел образования администрации Нового района", "service_name": "Методическая служба",
            "model_kind": "department", "admin_email": "boss@novyi.example", "admin_name": "Петрова Анна Ивановна",
            "act_date": "", "partners": "ИРО\nЦентр оценки качества"}
    data.update(overrides)
    return data


@pytest.fixture
def operator(make_user, make_browser):
    user = make_user(None, role="operator", email="root@example.org")
    return make_browser(user.email)


def test_operator_creates_a_district_and_its_admin_sets_a_password(operator, app):
    resp = operator.post("/platform/districts/new", data=_new_district_form())
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', html).group(1)
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == "novyi-raion"))
    assert tenant.name == "Новый район" and tenant.partner_list == ["ИРО", "Центр оценки качества"]
    admin = db.session.scalar(db.select(User).where(User.email == "boss@novyi.example"))
    assert admin.role == "admin" and admin.tenant_id == tenant.id and not admin.password_hash

    newcomer = app.test_client()
    path = link.replace("http://localhost", "")
    page = newcomer.get(path).get_data(as_text=True)
    from support import csrf_from

    token = csrf_from(page)
    weak = newcomer.post(path, data={"password": "12345678", "confirm": "12345678", "csrf_token": token})
    assert weak.status_code == 422 and "слишком простой" in weak.get_data(as_text=True)
    good = "Tri-belyh-konya-zimoi"
    assert newcomer.post(path, data={"password": good, "confirm": good, "csrf_token": token}).status_code == 302
    assert newcomer.get(path).status_code == 404  # one-time
    login_page = csrf_from(newcomer.get("/login").get_data(as_text=True))
    resp = newcomer.post("/login", data={"email": "boss@novyi.example", "password": good, "csrf_token": login_page})
    assert resp.headers["Location"] == "/novyi-raion/"


@pytest.mark.parametrize("field, value, message", [
    ("slug", "Плохой адрес", "Латинские строчные буквы"),
    ("slug", "login", "зарезервирован"),
    ("name", "", "Заполните это поле."),
    ("name", "я" * 201, "Не длиннее 200 символов."),
    ("admin_email", "not-an-email", "Неверный адрес электронной почты."),
])
def test_bad_district_input_is_refused_with_a_message(operator, field, value, message):
    resp = operator.post("/platform/districts/new", data=_new_district_form(**{field: value}))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Tenant.id))) == 0


def test_duplicate_slug_and_email_are_refused(operator, district):
    resp = operator.post("/platform/districts/new",
                         data=_new_district_form(slug=district.slug, admin_email=district.admin.email.upper()))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Район с таким адресом уже есть." in html and "Пользователь с такой почтой уже есть." in html


def test_suspending_a_district_logs_its_users_out_and_keeps_data(operator, district, make_browser):
    member = make_browser(district.methodist.email)
    assert member.get(f"/{district.slug}/").status_code == 200
    assert operator.post(f"/platform/districts/{district.tenant.id}/suspend").status_code == 302
    assert member.get(f"/{district.slug}/").status_code == 302
    assert make_browser().login(district.admin.email).status_code == 422
    assert db.session.get(Tenant, district.tenant.id) is not None
    operator.post(f"/platform/districts/{district.tenant.id}/resume")
    assert make_browser().login(district.admin.email).status_code == 302


def test_operator_edits_a_profile(operator, district):
    data = _new_district_form(name="Переименованный район", act_number="15-од", act_date="2024-03-01")
    resp = operator.post(f"/platform/districts/{district.tenant.id}/edit", data=data)
    assert resp.status_code == 302
    tenant = db.session.get(Tenant, district.tenant.id)
    assert tenant.name == "Переименованный район" and tenant.act_number == "15-од"
    assert "01.03.2024" in operator.get("/platform/").get_data(as_text=True) or tenant.act_date.year == 2024


@pytest.mark.parametrize("role", ["admin", "methodist", "leader", "teacher"])
def test_district_users_cannot_open_the_console(make_browser, district, role):
    b = make_browser(getattr(district, role).email)
    assert b.get("/platform/").status_code == 403
    assert b.post("/platform/districts/new", data=_new_district_form()).status_code == 403


def test_unknown_district_id_is_404_for_the_operator(operator):
    assert operator.get("/platform/districts/999999/edit").status_code == 404


def test_a_new_district_uses_the_service_name_the_operator_typed(operator, make_browser):
    from oms.models import Body, BodyKind

    data = _new_district_form(service_name="Центр методического сопровождения",
                              service_name_genitive="Центра методического сопровождения", service_abbr="ЦМС")
    assert operator.post("/platform/districts/new", data=data).status_code == 200
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == "novyi-raion"))
    services = db.session.scalars(db.select(Body.name).join(BodyKind, BodyKind.id == Body.kind_id).where(
        Body.tenant_id == tenant.id, BodyKind.category == "service")).all()
    assert services == ["Центр методического сопровождения"]
    admin = db.session.scalar(db.select(User).where(User.email == "boss@novyi.example"))
    admin.set_password("Tri-belyh-konya-zimoi")
    db.session.commit()
    b = make_browser()
    b.login(admin.email, password="Tri-belyh-konya-zimoi")
    page = b.get("/novyi-raion/plans/2025-2026/").get_data(as_text=True)
    assert "План работы Центра методического сопровождения" in page
    structure = b.get("/novyi-raion/structure/").get_data(as_text=True)
    assert "Центр методического сопровождения" in structure
