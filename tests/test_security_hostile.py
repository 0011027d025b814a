"""Hostile cases (issue 8, "Done when") against what the app has today.

Cross-district ids and role escalation through form fields, missing and foreign CSRF
tokens, XSS wherever a user's text is shown, formula payloads in exports, oversize
input, replayed and expired sessions, bounded remember-me, HTTPS-only cookies, HSTS,
and a proxy that cannot be fooled by a forged X-Forwarded-For. Template rules that keep
XSS out of future pages are checked too.
"""
import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from support import PASSWORD, csrf_from
from oms.extensions import db
from oms.models import AuthSession, Tenant, User
from oms.models.base import utcnow

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "\"'><img src=x onerror=1>"
PAYLOADS = [SCRIPT, BREAKOUT]


def _form_token(html):
    return re.search(r'name="form_token"[^>]*value="([^"]+)"', html).group(1)


def _create_user(admin, slug, **fields):
    html = admin.get(f"/{slug}/users/new").get_data(as_text=True)
    data = {"form_token": _form_token(html), "full_name": "Новый Пользователь", "email": "new@example.org",
            "role": "teacher"}
    data.update(fields)
    return admin.post(f"/{slug}/users/new", data=data)


# ---- ids, roles and tenants from the client ------------------------------------------------

def test_new_user_ignores_tenant_and_other_fields_from_the_client(make_browser, district, make_tenant):
    other = make_tenant()
    admin = make_browser(district.admin.email)
    resp = _create_user(admin, district.slug, email="planted@example.org", tenant_id=other.id, id=999,
                        is_active_account="0", password_hash="x", version="77")
    assert resp.status_code == 200
    user = db.session.scalar(db.select(User).where(User.email == "planted@example.org"))
    assert user.tenant_id == district.tenant.id and user.id != 999
    assert user.is_active_account and user.password_hash == "" and user.version == 1


@pytest.mark.parametrize("role", ["operator", "superuser", ""])
def test_no_role_beyond_the_district_roles_can_be_given(make_browser, district, role):
    admin = make_browser(district.admin.email)
    resp = _create_user(admin, district.slug, email="climber@example.org", role=role)
    assert resp.status_code == 422
    assert db.session.scalar(db.select(User).where(User.email == "climber@example.org")) is None

    target = district.teacher
    resp = admin.post(f"/{district.slug}/users/{target.id}/role", data={"role": role, "version": target.version},
                      htmx=True)
    assert resp.status_code == 422 and "Выберите роль из списка" in resp.get_data(as_text=True)
    assert db.session.get(User, target.id).role == "teacher"


def test_role_form_cannot_move_a_user_to_another_district(make_browser, district, make_tenant):
    other = make_tenant()
    admin = make_browser(district.admin.email)
    target = district.teacher
    resp = admin.post(f"/{district.slug}/users/{target.id}/role",
                      data={"role": "methodist", "version": target.version, "tenant_id": other.id,
                            "is_active_account": "0"}, htmx=True)
    assert resp.status_code == 200
    user = db.session.get(User, target.id)
    assert user.role == "methodist" and user.tenant_id == district.tenant.id and user.is_active_account


def test_a_foreign_user_id_in_the_url_is_404_and_changes_nothing(make_browser, district, make_tenant, make_user):
    other = make_tenant()
    victim = make_user(other, role="teacher")
    admin = make_browser(district.admin.email)
    for action, data in (("role", {"role": "admin", "version": victim.version}), ("deactivate", {}),
                         ("reset", {}), ("activate", {})):
        assert admin.post(f"/{district.slug}/users/{victim.id}/{action}", data=data).status_code == 404
    victim = db.session.get(User, victim.id)
    assert victim.role == "teacher" and victim.is_active_account and victim.tenant_id == other.id


def test_a_teacher_cannot_promote_themselves(make_browser, district):
    teacher = make_browser(district.teacher.email)
    resp = teacher.post(f"/{district.slug}/users/{district.teacher.id}/role",
                        data={"role": "admin", "version": district.teacher.version})
    assert resp.status_code == 403
    assert db.session.get(User, district.teacher.id).role == "teacher"


def test_platform_forms_take_only_their_own_fields(make_browser, make_user, make_tenant):
    tenant = make_tenant(name="Район до")
    operator = make_browser(make_user(None, role="operator").email)
    url = f"/platform/districts/{tenant.id}/edit"
    html = operator.get(url).get_data(as_text=True)
    data = {"name": "Район после", "region": tenant.region, "authority": tenant.authority,
            "service_name": tenant.service_name, "model_kind": "department",
            "version": re.search(r'name="version"[^>]*value="(\d+)"', html).group(1),
            # not fields of this form:
            "slug": "hijacked", "is_suspended": "y", "id": "4242", "preset": "kalar", "terms": "{}"}
    assert operator.post(url, data=data).status_code == 302
    tenant = db.session.get(Tenant, tenant.id)
    assert tenant.name == "Район после" and tenant.slug != "hijacked" and not tenant.is_suspended
    assert tenant.id != 4242


def test_a_district_admin_cannot_use_the_operator_console(make_browser, district):
    admin = make_browser(district.admin.email)
    assert admin.get("/platform/").status_code == 403
    resp = admin.post(f"/platform/districts/{district.tenant.id}/suspend")
    assert resp.status_code == 403
    assert not db.session.get(Tenant, district.tenant.id).is_suspended


# ---- CSRF -----------------------------------------------------------------------------------

def test_missing_csrf_token_is_refused_and_changes_nothing(make_browser, district):
    admin = make_browser(district.admin.email)
    html = admin.get(f"/{district.slug}/users/new").get_data(as_text=True)
    resp = admin.client.post(f"/{district.slug}/users/new", data={
        "form_token": _form_token(html), "full_name": "Без токена", "email": "nocsrf@example.org",
        "role": "teacher"})
    assert resp.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == "nocsrf@example.org")) is None
    target = district.teacher
    resp = admin.client.post(f"/{district.slug}/users/{target.id}/deactivate")
    assert resp.status_code == 400 and db.session.get(User, target.id).is_active_account


def test_a_token_from_another_session_is_refused(make_browser, district, make_user):
    admin = make_browser(district.admin.email)
    attacker = make_browser(make_user(district.tenant, role="teacher").email)
    foreign = attacker.token
    assert foreign != admin.token
    target = district.methodist
    resp = admin.client.post(f"/{district.slug}/users/{target.id}/role",
                             data={"role": "teacher", "version": target.version, "csrf_token": foreign})
    assert resp.status_code == 400
    resp = admin.client.post(f"/{district.slug}/users/{target.id}/role",
                             data={"role": "teacher", "version": target.version},
                             headers={"X-CSRFToken": foreign, "HX-Request": "true"})
    assert resp.status_code == 400
    assert db.session.get(User, target.id).role == "methodist"


def test_an_expired_token_on_htmx_refreshes_the_page_with_a_message(make_browser, district):
    admin = make_browser(district.admin.email)
    target = district.teacher
    resp = admin.client.post(f"/{district.slug}/users/{target.id}/role", data={"role": "leader"},
                             headers={"X-CSRFToken": "expired-or-forged", "HX-Request": "true"})
    assert resp.status_code == 400 and resp.headers.get("HX-Refresh") == "true"
    page = admin.get(f"/{district.slug}/users/").get_data(as_text=True)
    assert "Страница устарела" in page


def test_logout_without_a_token_does_not_log_out(make_browser, district):
    admin = make_browser(district.admin.email)
    assert admin.client.post("/logout").status_code == 400
    assert admin.get(f"/{district.slug}/").status_code == 200


# ---- XSS ------------------------------------------------------------------------------------

def _assert_escaped(html, payload):
    assert payload not in html, "user text reached the page unescaped"
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_name_is_escaped_everywhere_it_appears(make_browser, district, make_user, payload):
    victim = make_user(district.tenant, role="teacher", full_name=payload, email="victim@example.org")
    admin = make_browser(district.admin.email)
    pages = {
        "users page": admin.get(f"/{district.slug}/users/").get_data(as_text=True),
        "users search partial": admin.get(f"/{district.slug}/users/?q=victim",
                                          headers={"HX-Request": "true"}).get_data(as_text=True),
        "row partial": admin.post(f"/{district.slug}/users/{victim.id}/role",
                                  data={"role": "methodist", "version": victim.version}, htmx=True).get_data(as_text=True),
        "password link partial": admin.post(f"/{district.slug}/users/{victim.id}/reset",
                                            htmx=True).get_data(as_text=True),
        "password link page": admin.post(f"/{district.slug}/users/{victim.id}/reset").get_data(as_text=True),
        "audit trail": admin.get(f"/{district.slug}/audit/").get_data(as_text=True),
    }
    created = _create_user(admin, district.slug, full_name=payload, email="second@example.org")
    pages["created page"] = created.get_data(as_text=True)
    pages["its own menu"] = make_browser("victim@example.org").get(f"/{district.slug}/").get_data(as_text=True)
    for where, html in pages.items():
        _assert_escaped(html, payload)
        assert "&lt;" in html or "&#34;" in html or "&#39;" in html, f"{where}: the name is not shown at all"
    # hx-confirm carries the name inside an attribute: escaped, it cannot close the attribute.
    confirm = re.search(r'hx-confirm="([^"]*)"', pages["users page"].split(f'id="user-{victim.id}"')[1]).group(1)
    assert "victim" not in confirm and ("&lt;" in confirm or "&#39;" in confirm or "&#34;" in confirm)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_district_name_is_escaped_in_flashes_and_the_console(make_browser, make_user, make_tenant, payload):
    tenant = make_tenant(name=payload)
    operator = make_browser(make_user(None, role="operator").email)
    resp = operator.post(f"/platform/districts/{tenant.id}/suspend", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "приостановлена" in html  # the flash with the name in it
    _assert_escaped(html, payload)
    _assert_escaped(operator.get(f"/platform/districts/{tenant.id}/edit").get_data(as_text=True), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_value_is_escaped_in_a_conflict(make_browser, make_user, make_tenant, payload):
    tenant = make_tenant()
    tenant.authority = payload
    db.session.commit()
    operator = make_browser(make_user(None, role="operator").email)
    resp = operator.post(f"/platform/districts/{tenant.id}/edit", data={
        "name": tenant.name, "region": tenant.region, "authority": payload + " 2", "service_name": "С",
        "model_kind": "department", "version": "0"})
    assert resp.status_code == 409
    _assert_escaped(resp.get_data(as_text=True), payload)


def _templates():
    return sorted((ROOT / "templates").rglob("*"))


def test_templates_are_all_autoescaped_html():
    odd = [str(p.relative_to(ROOT)) for p in _templates() if p.is_file() and p.suffix not in (".html", ".svg", ".xml")]
    assert not odd, f"templates outside autoescaped extensions: {odd}"


def test_no_template_marks_text_safe_or_breaks_the_csp():
    problems = []
    for path in _templates():
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        if re.search(r"\|\s*safe\b", text) or "autoescape false" in text:
            problems.append(f"{name}: |safe / autoescape off")
        if re.search(r"\sstyle\s*=", text):
            problems.append(f"{name}: inline style attribute")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            problems.append(f"{name}: inline event handler")
        for attr in re.findall(r"hx-(?:vals|headers)\s*=\s*(.)(.*?)\1", text, re.S):
            quote, value = attr
            if quote != "'" or ("{{" in value and "|tojson" not in value):
                problems.append(f"{name}: hx-vals/hx-headers must be single-quoted with |tojson values")
    assert not problems, "\n".join(problems)


# ---- exports ------------------------------------------------------------------------------

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "=HYPERLINK(\"http://x\",\"y\")"]


def test_formula_payloads_never_become_formulas_in_any_export(make_browser, district):
    from factories.core import person_in

    for i, payload in enumerate(FORMULAS):
        person_in(district.tenant, last_name=payload, first_name=payload, position=payload, phone=payload,
                  subjects=f"Предмет {i}", middle_name=f"Петровна{i}")  # "=1+2" and "\t=1+2": one name otherwise
    db.session.commit()
    admin = make_browser(district.admin.email)
    archive = zipfile.ZipFile(io.BytesIO(admin.get(f"/{district.slug}/export/archive.zip", buffered=True).get_data()))
    xlsx_names = [n for n in archive.namelist() if n.endswith(".xlsx")]
    assert xlsx_names
    for name in xlsx_names:
        book = load_workbook(io.BytesIO(archive.read(name)))
        for sheet in book.worksheets:
            cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
            assert not [c.coordinate for c in cells if c.data_type == "f"], f"{name}: formula cells"
            texts = [c.value for c in cells if isinstance(c.value, str)]
            assert not [t for t in texts if t[0] in "=+-@\t"], f"{name}: a formula start survived"


# ---- oversize input -------------------------------------------------------------------------

def test_an_oversize_field_gets_a_russian_message(make_browser, district):
    admin = make_browser(district.admin.email)
    resp = _create_user(admin, district.slug, full_name="Я" * 5000, email="long@example.org")
    assert resp.status_code == 422 and "Не длиннее 200 символов" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "long@example.org")) is None


def test_a_huge_form_field_is_413(make_browser, district):
    admin = make_browser(district.admin.email)
    resp = admin.post(f"/{district.slug}/users/new", data={"full_name": "я" * (5 * 1024 * 1024)})  # 30 MB url-encoded
    assert resp.status_code == 413


def test_a_body_over_max_content_length_is_413(app, make_browser, district):
    admin = make_browser(district.admin.email)
    limit = app.config["MAX_CONTENT_LENGTH"]
    resp = admin.client.post(f"/{district.slug}/users/new", data=b"x" * (limit + 1),
                             headers={"Content-Type": "application/octet-stream", "X-CSRFToken": admin.token})
    assert resp.status_code == 413
    assert "слишком большой" in resp.get_data(as_text=True).lower()


# ---- sessions -------------------------------------------------------------------------------

def _age_sessions(user, **delta):
    for auth in db.session.scalars(db.select(AuthSession).where(AuthSession.user_id == user.id)):
        if "idle" in delta:
            auth.last_seen_at = utcnow() - delta["idle"]
        if "age" in delta:
            auth.created_at = utcnow() - delta["age"]
            auth.last_seen_at = min(auth.last_seen_at, auth.created_at + timedelta(minutes=1))
    db.session.commit()


def test_an_idle_session_expires(app, make_browser, district):
    b = make_browser(district.methodist.email)
    home = f"/{district.slug}/"
    _age_sessions(district.methodist, idle=app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=2))
    assert b.get(home).status_code == 200  # still within the idle limit; this visit renews it
    _age_sessions(district.methodist, idle=app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1))
    resp = b.get(home)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_a_busy_session_still_ends_at_the_absolute_limit(app, make_browser, district):
    b = make_browser(district.methodist.email)
    _age_sessions(district.methodist, age=app.config["SESSION_ABSOLUTE_TIMEOUT"] + timedelta(minutes=1))
    for auth in db.session.scalars(db.select(AuthSession)):
        auth.last_seen_at = utcnow()  # active a moment ago
    db.session.commit()
    resp = b.get(f"/{district.slug}/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def _login_remembered(client, email):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "remember": "y"})
    assert resp.status_code == 302


def test_remember_me_is_bounded(app, district):
    client = app.test_client()
    _login_remembered(client, district.teacher.email)
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    lifetime = remember.expires - datetime.now(timezone.utc)
    assert timedelta(days=13) < lifetime <= app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1)
    # Idle time does not end a remembered session, but its absolute limit does.
    _age_sessions(district.teacher, idle=timedelta(days=3))
    assert client.get(f"/{district.slug}/").status_code == 200
    client.delete_cookie("oms_session")  # the browser was closed: only the remember cookie is left
    assert client.get(f"/{district.slug}/").status_code == 200
    _age_sessions(district.teacher, age=app.config["SESSION_REMEMBER_TIMEOUT"] + timedelta(hours=1))
    client.delete_cookie("oms_session")
    resp = client.get(f"/{district.slug}/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_a_copied_remember_cookie_dies_with_logout(app, district):
    client = app.test_client()
    _login_remembered(client, district.teacher.email)
    stolen = client.get_cookie("remember_token").value
    token = csrf_from(client.get(f"/{district.slug}/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen)
    resp = thief.get(f"/{district.slug}/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


@pytest.mark.parametrize("how", ["deactivated", "role changed", "password reset by link"])
def test_a_users_cookie_dies_when_the_admin_acts(make_browser, district, how):
    from oms.models import PasswordLink

    victim = make_browser(district.methodist.email)
    home = f"/{district.slug}/"
    assert victim.get(home).status_code == 200
    admin = make_browser(district.admin.email)
    target = district.methodist
    if how == "deactivated":
        admin.post(f"/{district.slug}/users/{target.id}/deactivate", htmx=True)
    elif how == "role changed":
        admin.post(f"/{district.slug}/users/{target.id}/role", data={"role": "teacher", "version": target.version},
                   htmx=True)
    else:
        token = PasswordLink.issue(db.session.get(User, target.id))
        db.session.commit()
        page = admin.client.application.test_client()
        form = page.get(f"/set-password/{token}").get_data(as_text=True)
        page.post(f"/set-password/{token}", data={"csrf_token": csrf_from(form), "password": "Novyi-parol-dlya-testa-9",
                                                 "confirm": "Novyi-parol-dlya-testa-9"})
    resp = victim.get(home)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


# ---- HTTPS, proxies -------------------------------------------------------------------------

def test_oms_https_turns_on_secure_cookies():
    code = ("from oms.config import Config as C; "
            "print(C.SESSION_COOKIE_SECURE, C.REMEMBER_COOKIE_SECURE, C.HTTPS)")
    env = dict(os.environ, OMS_HTTPS="1", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def _app_with(app, **overrides):
    from oms import create_app

    config = {k: v for k, v in app.config.items() if k.isupper()}
    config.update(overrides)
    return create_app(type("Cfg", (), config))


def test_over_https_cookies_are_secure_and_hsts_is_sent(app, district):
    secure = _app_with(app, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, HTTPS=True)
    client = secure.test_client()
    base = "https://oms.example.org"
    page = client.get("/login", base_url=base)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    token = csrf_from(page.get_data(as_text=True))
    resp = client.post("/login", base_url=base, headers={"Referer": f"{base}/login"}, data={"email": district.admin.email, "password": PASSWORD,
                                                      "csrf_token": token, "remember": "y"})
    assert resp.status_code == 302
    cookies = resp.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("oms_session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with secure.app_context():
        db.engine.dispose()


def test_without_https_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_behind_one_proxy_a_forged_forwarded_for_does_not_escape_the_limit(app, district):
    proxied = _app_with(app, PROXY_HOPS=1, LOGIN_FAILS_PER_ADDRESS="5 per minute")
    client = proxied.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    codes = []
    for i in range(8):
        # The attacker rotates the left part; our proxy appends the real address it saw.
        codes.append(client.post("/login", headers={"X-Forwarded-For": f"10.9.{i}.{i}, 198.51.100.7"},
                                 data={"email": f"nobody{i}@example.org", "password": "wrong",
                                       "csrf_token": token}).status_code)
    assert codes[:5] == [422] * 5 and codes[-1] == 429
    # Another client behind the same proxy is not affected.
    other = client.post("/login", headers={"X-Forwarded-For": "198.51.100.8"},
                        data={"email": district.admin.email, "password": PASSWORD, "csrf_token": token})
    assert other.status_code == 302
    with proxied.app_context():
        db.engine.dispose()


def test_the_language_switch_is_not_an_open_redirect(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for target in ("//evil.example", "/\\evil.example", "https:evil.example", "/\t/evil.example",
                   "javascript:alert(1)", " //evil.example"):
        resp = client.post("/lang", data={"lang": "en", "next": target, "csrf_token": token})
        assert resp.status_code == 302 and "evil" not in resp.headers["Location"]
        assert "javascript" not in resp.headers["Location"]
