"""The district admin manages the district's users with htmx."""
import re

import pytest

from oms.extensions import db
from oms.models import AuthSession, User


@pytest.fixture
def admin(district, make_browser):
    return make_browser(district.admin.email)


def test_admin_creates_a_user_and_gets_a_one_time_link(admin, district):
    resp = admin.post(f"/{district.slug}/users/new",
                      data={"full_name": "Сидорова Ольга Петровна", "email": "Sidorova@School.example", "role": "teacher"})
    assert resp.status_code == 200
    assert re.search(r"/set-password/[\w-]+", resp.get_data(as_text=True))
    user = db.session.scalar(db.select(User).where(User.email == "sidorova@school.example"))
    assert user.tenant_id == district.tenant.id and user.role == "teacher"


@pytest.mark.parametrize("data, message", [
    ({"full_name": "", "email": "a@b.example", "role": "teacher"}, "Заполните это поле."),
    ({"full_name": "Имя", "email": "плохой", "role": "teacher"}, "Неверный адрес электронной почты."),
    ({"full_name": "Имя", "email": "a@b.example", "role": "operator"}, "Неверный вариант."),
    ({"full_name": "Я" * 201, "email": "a@b.example", "role": "teacher"}, "Не длиннее 200 символов."),
])
def test_bad_user_input_saves_nothing(admin, district, data, message):
    before = db.session.scalar(db.select(db.func.count(User.id)))
    resp = admin.post(f"/{district.slug}/users/new", data=data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == before


def test_duplicate_email_is_refused_whatever_the_case(admin, district):
    resp = admin.post(f"/{district.slug}/users/new",
                      data={"full_name": "Двойник", "email": district.teacher.email.upper(), "role": "teacher"})
    assert resp.status_code == 422 and "Пользователь с такой почтой уже есть." in resp.get_data(as_text=True)


def test_role_change_in_place_and_no_escalation(admin, district):
    resp = admin.post(f"/{district.slug}/users/{district.teacher.id}/role", data={"role": "methodist"}, htmx=True)
    assert resp.status_code == 200 and f'id="user-{district.teacher.id}"' in resp.get_data(as_text=True)
    assert db.session.get(User, district.teacher.id).role == "methodist"
    resp = admin.post(f"/{district.slug}/users/{district.teacher.id}/role", data={"role": "operator"}, htmx=True)
    assert resp.status_code == 422
    assert db.session.get(User, district.teacher.id).role == "methodist"


def test_admin_cannot_demote_or_deactivate_self(admin, district):
    resp = admin.post(f"/{district.slug}/users/{district.admin.id}/role", data={"role": "teacher"}, htmx=True)
    assert resp.status_code == 422 and "Нельзя снять роль администратора" in resp.get_data(as_text=True)
    resp = admin.post(f"/{district.slug}/users/{district.admin.id}/deactivate", htmx=True)
    assert resp.status_code == 422
    assert db.session.get(User, district.admin.id).is_active_account


def test_deactivation_ends_the_users_sessions(admin, district, make_browser):
    teacher = make_browser(district.teacher.email)
    assert teacher.get(f"/{district.slug}/").status_code == 200
    resp = admin.post(f"/{district.slug}/users/{district.teacher.id}/deactivate", htmx=True)
    assert resp.status_code == 200 and "отключён" in resp.get_data(as_text=True)
    assert teacher.get(f"/{district.slug}/").status_code == 302
    assert make_browser().login(district.teacher.email).status_code == 422
    assert db.session.scalar(db.select(db.func.count(AuthSession.id)).where(
        AuthSession.user_id == district.teacher.id, AuthSession.revoked_at.is_(None))) == 0


def test_reset_link_replaces_the_old_one(admin, district, app):
    first = admin.post(f"/{district.slug}/users/{district.teacher.id}/reset", htmx=True).get_data(as_text=True)
    second = admin.post(f"/{district.slug}/users/{district.teacher.id}/reset", htmx=True).get_data(as_text=True)
    old = re.search(r"/set-password/[\w-]+", first).group(0)
    new = re.search(r"/set-password/[\w-]+", second).group(0)
    client = app.test_client()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_search_finds_cyrillic_names_whatever_the_case_and_yo(admin, district, make_user):
    make_user(district.tenant, role="teacher", full_name="Алёшина Светлана Юрьевна")
    make_user(district.tenant, role="teacher", full_name="Борисова Нина Павловна")
    html = admin.get(f"/{district.slug}/users/?q=алешина", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Алёшина" in html and "Борисова" not in html
    html = admin.get(f"/{district.slug}/users/?q=БОРИСОВА").get_data(as_text=True)
    assert "Борисова" in html and "Алёшина" not in html


def test_users_of_another_district_are_not_listed(admin, district, make_tenant, make_user):
    other = make_tenant()
    make_user(other, role="teacher", full_name="Чужой Пользователь")
    assert "Чужой Пользователь" not in admin.get(f"/{district.slug}/users/").get_data(as_text=True)


def test_user_list_escapes_names(admin, district, make_user):
    make_user(district.tenant, role="teacher", full_name='<script>alert(1)</script>"><img src=x>')
    html = admin.get(f"/{district.slug}/users/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
