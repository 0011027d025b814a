"""Concurrent work: stale saves answer 409 with both versions; a double-clicked save creates one record."""
import importlib.metadata
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from support import PASSWORD, csrf_from, live
from oms.extensions import db
from oms.models import AuditEvent, Direction, FormSubmission, Tenant, User

TOKEN_RE = re.compile(r'name="form_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_token"')


def form_token_from(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "no form_token on the page"
    return match.group(1) or match.group(2)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_in_parallel(url, cookie, data, copies):
    """`copies` identical POSTs released at the same instant; returns (status, location, body) each."""
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode(data).encode()
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock meanwhile
    gate = threading.Barrier(copies)
    results = [None] * copies

    def send(i):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Cookie": f"oms_session={cookie}", "Content-Type": "application/x-www-form-urlencoded",
            # The session is bound to the browser that logged in (the test client).
            "User-Agent": f"Werkzeug/{importlib.metadata.version('werkzeug')}"})
        gate.wait()
        try:
            with opener.open(request, timeout=60) as resp:
                results[i] = (resp.status, resp.headers.get("Location"), resp.read().decode())
        except urllib.error.HTTPError as err:
            results[i] = (err.code, err.headers.get("Location"), err.read().decode())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    return results


# ---- stale versions ------------------------------------------------------------------------

def test_a_stale_role_change_answers_409_with_both_versions(make_browser, district, make_user):
    target = make_user(district.tenant, role="teacher", full_name="Сидорова Ольга")
    first = make_browser(district.admin.email)
    page = first.get(f"/{district.slug}/users/").get_data(as_text=True)
    seen_version = re.search(rf'id="user-{target.id}".*?name="version" value="(\d+)"', page, re.S).group(1)

    # Meanwhile another admin makes her a methodist.
    second_admin = make_user(district.tenant, role="admin")
    second = make_browser(second_admin.email)
    assert second.post(f"/{district.slug}/users/{target.id}/role",
                       data={"role": "methodist", "version": seen_version}, htmx=True).status_code == 200

    resp = first.post(f"/{district.slug}/users/{target.id}/role",
                      data={"role": "leader", "version": seen_version}, htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "сейчас «Методист»" in html and "вы выбрали «Руководитель объединения»" in html
    assert second_admin.email in html  # who changed it
    assert db.session.get(User, target.id).role == "methodist"  # nothing overwritten

    # The row came back with the current version: choosing again saves deliberately.
    current = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert current != seen_version
    again = first.post(f"/{district.slug}/users/{target.id}/role", data={"role": "leader", "version": current},
                       htmx=True)
    assert again.status_code == 200
    assert db.session.get(User, target.id).role == "leader"


def test_a_stale_role_change_without_javascript_shows_the_conflict(make_browser, district, make_user):
    target = make_user(district.tenant, role="teacher")
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/users/{target.id}/role", data={"role": "methodist", "version": "0"})
    assert resp.status_code == 409
    assert "сейчас «Педагог»" in resp.get_data(as_text=True)
    assert db.session.get(User, target.id).role == "teacher"


def _profile_data(tenant, **changes):
    data = {"name": tenant.name, "region": tenant.region, "full_name": tenant.full_name, "authority": tenant.authority,
            "service_name": tenant.service_name, "service_abbr": tenant.service_abbr, "head_title": "",
            "model_kind": tenant.model_kind, "service_name_genitive": "", "act_kind": "", "act_issuer": "",
            "act_title": "", "act_number": "", "act_date": "", "partners": "", "version": str(tenant.version)}
    data.update(changes)
    return data


def test_a_stale_district_profile_answers_409_and_keeps_both(make_browser, make_user, make_tenant):
    tenant = make_tenant(name="Старое имя")
    operator = make_user(None, role="operator")
    alice, bob = make_browser(operator.email), make_browser(operator.email)
    url = f"/platform/districts/{tenant.id}/edit"
    alice.get(url)
    stale = _profile_data(tenant)
    assert bob.post(url, data=_profile_data(tenant, authority="Управление образования Боба")).status_code == 302

    resp = alice.post(url, data=dict(stale, authority="Комитет по образованию Алисы"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Пока вы редактировали, запись изменил другой пользователь" in html
    # Both versions: Alice's value is in the form and in the comparison, Bob's is shown as saved.
    assert html.count("Комитет по образованию Алисы") >= 2 and "Управление образования Боба" in html
    assert db.session.get(Tenant, tenant.id).authority == "Управление образования Боба"
    new_version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    assert int(new_version) == db.session.get(Tenant, tenant.id).version

    again = alice.post(url, data=dict(stale, authority="Комитет по образованию Алисы", version=new_version))
    assert again.status_code == 302
    assert db.session.get(Tenant, tenant.id).authority == "Комитет по образованию Алисы"


def test_a_save_racing_another_commit_is_caught_by_the_version_column(app, district, make_user):
    """Between reading the row and writing it, another transaction commits: StaleDataError becomes a conflict."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writing transactions (BEGIN IMMEDIATE): this race cannot happen there")
    from sqlalchemy import update

    from blueprints.users.forms import RoleForm
    from oms.concurrency import save_versioned

    target = make_user(district.tenant, role="teacher")
    seen = target.version
    with app.test_request_context(method="POST", data={"role": "leader", "version": str(seen)}):
        user = db.session.get(User, target.id)
        assert user.version == seen
        with db.engine.begin() as other:
            other.execute(update(User).where(User.id == target.id).values(role="methodist", version=User.version + 1))
        form = RoleForm(meta={"csrf": False})
        conflict = save_versioned(form, user, lambda: setattr(user, "role", "leader"))
        assert conflict is not None
        assert [(r.yours, r.current) for r in conflict.differing] == [("Руководитель объединения", "Методист")]
        assert form.version.data == seen + 1
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "methodist"


@contextmanager
def another_save_first(model, row_id):
    """Another save gets in between our check and our write: our UPDATE ... WHERE version = ? finds no row.

    Simulated inside the request's own transaction (SQLite would not let a second connection write),
    so the other save is rolled back with ours: the row stays as it was.
    """
    from sqlalchemy import event, update
    from sqlalchemy.orm import Session

    done = []

    def bump(session, flush_context, instances):
        if not done and any(isinstance(o, model) and o.id == row_id for o in (*session.dirty, *session.deleted)):
            done.append(True)
            session.connection().execute(
                update(model).where(model.id == row_id).values(version=model.version + 1))

    event.listen(Session, "before_flush", bump)
    try:
        yield done
    finally:
        event.remove(Session, "before_flush", bump)


def _raced_edits():
    """The edit forms of versioned rows (accounts and districts: above), by name:
    build(tenant) -> (row, url tail, posted values, the user's text)."""
    from factories import development as dev, plan, structure
    from factories.core import person_in

    def plan_item(t, execution=False):
        person = person_in(t, last_name="Петрова")
        item = plan.item_in(t, plan.plan_in(t, 2025), plan.direction_in(t), title="Семинар", people=(person,))
        url = f"/plans/2025-2026/items/{item.id}"
        if execution:
            return item, url + "/execution", {"status": "cancelled", "cancel_reason": "Моя причина"}, "Моя причина"
        return item, url + "/edit", {"direction_id": item.direction_id, "title": "Мой семинар", "months": ["10"],
                                     "responsible": [person.id]}, "Мой семинар"

    def step(t):
        row = dev.step_in(t)
        return row, f"/development/people/{row.person_id}/steps/{row.id}/edit", {
            "kind": "self_study", "title": "Мой шаг", "due_month": "2025-12"}, "Мой шаг"

    def pair(t):
        row = dev.mentorship_in(t)
        return row, f"/development/mentoring/{row.id}/edit", {
            "mentee_id": row.mentee_id, "mentor_id": row.mentor_id, "date_from": "2025-09-01",
            "goals": "Мои цели"}, "Мои цели"

    def meeting(t):
        council = structure.council_in(t)
        row = structure.meeting_in(t, body=council)
        return row, f"/council/{council.id}/meetings/{row.id}/edit", {
            "number": "7", "held_on": "2025-10-01", "topic": "Моя тема"}, "Моя тема"

    def decision(t):
        council = structure.council_in(t)
        row = structure.decision_in(t, meeting=structure.meeting_in(t, body=council))
        return row, f"/council/{council.id}/meetings/{row.meeting_id}/decisions/{row.id}/edit", {
            "text": "Моё решение", "status": "open"}, "Моё решение"

    def council_order(t):
        row = structure.council_in(t)
        return row, f"/council/{row.id}/order", {"order_number": "Мой-7", "order_date": ""}, "Мой-7"

    def course(t):
        row = dev.course_in(t)
        return row, f"/development/courses/{row.id}/edit", {
            "title": "Мой курс", "provider": "ИРО", "hours": "72", "date_from": "2025-03-03",
            "date_to": "2025-03-21", "form": "distance"}, "Мой курс"

    def deficit(t):
        row = dev.deficit_in(t)
        return row, f"/development/deficits/{row.id}/edit", {
            "area_id": row.area_id, "source": "diagnostic", "found_on": "2025-09-15", "note": "Моё описание",
            "status": "open"}, "Моё описание"

    def attestation(t):
        row = dev.attestation_in(t)
        return row, f"/development/attestations/{row.id}/edit", {
            "category": "first", "passed_on": "2021-12-20", "note": "Моё примечание"}, "Моё примечание"

    def association(t):
        row = structure.association_in(t)
        return row, f"/associations/{row.id}/edit", {"name": "Моё объединение"}, "Моё объединение"

    def org_chart(t):
        row = structure.association_in(t)
        return row, f"/structure/{row.id}/edit", {"name": "Мой элемент"}, "Мой элемент"

    def direction(t):
        row = structure.direction_in(t)
        return row, f"/directions/{row.id}/edit", {"name": "Моё направление", "clause": "4.1"}, "Моё направление"

    def function(t):
        row = structure.function_in(t)
        return row, f"/directions/functions/{row.id}/edit", {
            "direction_id": row.direction_id, "clause": "4.1.1", "text": "Моя функция"}, "Моя функция"

    def body_kind(t):
        row = structure.kind_in(t, "group")
        return row, f"/structure/kinds/{row.id}/edit", {
            "name": "Мой вид", "category": "group", "level": "municipal", "clause": ""}, "Мой вид"

    return {"plan item": plan_item, "execution mark": lambda t: plan_item(t, execution=True), "route step": step,
            "mentoring": pair, "meeting": meeting, "decision": decision, "council order": council_order,
            "course": course, "deficit": deficit, "attestation": attestation, "association": association,
            "org chart": org_chart, "direction": direction, "function": function, "body kind": body_kind}


@pytest.mark.parametrize("case", list(_raced_edits()))
def test_a_save_that_races_past_the_check_answers_409_and_writes_nothing(make_browser, district, case):
    row, tail, data, yours = _raced_edits()[case](district.tenant)
    db.session.commit()
    model, row_id, version = type(row), row.id, row.version
    before = {c.key: getattr(row, c.key) for c in model.__table__.columns}
    b = make_browser(district.admin.email)
    with another_save_first(model, row_id) as raced:
        resp = b.post(f"/{district.slug}{tail}", dict(data, version=version), htmx=True)
    html = resp.get_data(as_text=True)
    assert raced and resp.status_code == 409, html[:500]
    assert "Пока вы редактировали, запись изменил другой пользователь" in html and yours in html
    assert re.search(r'name="version"[^>]*value="%d"' % version, html)  # the row's version now
    db.session.expire_all()
    row = db.session.get(model, row_id)
    assert {c.key: getattr(row, c.key) for c in model.__table__.columns} == before


@pytest.mark.parametrize("case", ["direction", "function", "body kind"])
def test_a_stale_setting_answers_409_with_both_versions_and_a_second_save_keeps_yours(make_browser, district, case):
    """Directions, functions and body kinds: two admins at once; the later save used to win silently."""
    row, tail, data, yours = _raced_edits()[case](district.tenant)
    db.session.commit()
    model, row_id, opened = type(row), row.id, row.version
    first, second = make_browser(district.admin.email), make_browser(district.admin.email)
    theirs = {k: (v.replace("Мо", "Их", 1) if isinstance(v, str) and v.startswith("Мо") else v)
              for k, v in data.items()}
    assert first.post(f"/{district.slug}{tail}", dict(theirs, version=opened), htmx=True).status_code == 200
    resp = second.post(f"/{district.slug}{tail}", dict(data, version=opened), htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Пока вы редактировали" in html
    assert yours in html and yours.replace("Мо", "Их", 1) in html  # both variants, side by side
    db.session.expire_all()
    assert yours not in str([getattr(db.session.get(model, row_id), c.key) for c in model.__table__.columns])
    now = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    assert second.post(f"/{district.slug}{tail}", dict(data, version=now), htmx=True).status_code == 200
    db.session.expire_all()
    assert yours in str([getattr(db.session.get(model, row_id), c.key) for c in model.__table__.columns])


@pytest.mark.parametrize("case", ["direction", "function", "body kind"])
def test_a_delete_racing_an_edit_answers_409_and_deletes_nothing(make_browser, district, case):
    """On PostgreSQL an edit can commit between our reading the row and our DELETE … WHERE version = ?."""
    row, tail, _data, _yours = _raced_edits()[case](district.tenant)
    db.session.commit()
    model, row_id = type(row), row.id
    with another_save_first(model, row_id) as raced:
        resp = make_browser(district.admin.email).post(f"/{district.slug}{tail.replace('/edit', '/delete')}",
                                                       htmx=True)
    assert raced and resp.status_code == 409
    assert "Пока вы удаляли, запись изменил другой пользователь" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(model, row_id) is not None


def test_moving_rows_does_not_make_an_open_edit_stale(make_browser, district):
    """The order is not the row's content: after another admin moves the direction, saving its open edit form
    is no conflict, and the trail still records the move."""
    from factories.structure import direction_in

    first, second = direction_in(district.tenant, name="Первое"), direction_in(district.tenant, name="Второе")
    db.session.commit()
    opened, second_id, places = second.version, second.id, (first.position, second.position)
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/directions"
    assert b.post(f"{url}/{second_id}/move", {"direction": "up"}, htmx=True).status_code == 200
    resp = b.post(f"{url}/{second_id}/edit", {"name": "Второе, исправленное", "version": opened}, htmx=True)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    db.session.expire_all()
    moved = db.session.get(Direction, second_id)
    assert (moved.name, moved.position) == ("Второе, исправленное", 1)
    trail = db.session.scalars(db.select(AuditEvent.changes).where(AuditEvent.object_type == "Direction",
                                                                   AuditEvent.action == "update")).all()
    assert {"position": [places[1], 1]} in trail and {"position": [places[0], 2]} in trail


# ---- one record per submitted form ---------------------------------------------------------

def _new_user_form(browser, slug):
    html = browser.get(f"/{slug}/users/new").get_data(as_text=True)
    return {"csrf_token": csrf_from(html), "form_token": form_token_from(html)}


def test_a_double_click_on_new_user_creates_one_user(app, make_browser, district):
    admin = make_browser(district.admin.email)
    tokens = _new_user_form(admin, district.slug)
    cookie = admin.client.get_cookie("oms_session").value
    data = dict(tokens, full_name="Двойной Щелчок", email="double@example.org", role="teacher")
    with live(app) as base:
        results = _post_in_parallel(f"{base}/{district.slug}/users/new", cookie, data, copies=6)
    statuses = sorted(r[0] for r in results)
    assert statuses.count(200) == 1, statuses  # the one-time link page, once
    assert all(status == 303 for status in statuses if status != 200), statuses
    assert all(r[1].endswith(f"/{district.slug}/users/") for r in results if r[0] == 303)
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == "double@example.org")) == 1
    created = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "create",
                                                             AuditEvent.summary == "double@example.org")).all()
    assert len(created) == 1


def test_a_repeated_post_is_sent_to_the_result_with_a_message(make_browser, district):
    admin = make_browser(district.admin.email)
    data = dict(_new_user_form(admin, district.slug), full_name="Повтор", email="again@example.org", role="teacher")
    assert admin.post(f"/{district.slug}/users/new", data=data).status_code == 200
    repeat = admin.post(f"/{district.slug}/users/new", data=data)
    assert repeat.status_code == 303 and repeat.headers["Location"].endswith(f"/{district.slug}/users/")
    listing = admin.get(repeat.headers["Location"]).get_data(as_text=True)
    assert "Эта форма уже отправлена" in listing
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == "again@example.org")) == 1


def test_a_form_with_errors_can_be_sent_again(make_browser, district):
    admin = make_browser(district.admin.email)
    tokens = _new_user_form(admin, district.slug)
    bad = admin.post(f"/{district.slug}/users/new", data=dict(tokens, full_name="", email="x@example.org",
                                                              role="teacher"))
    assert bad.status_code == 422
    assert db.session.scalar(db.select(db.func.count(FormSubmission.id))) == 0  # the claim was rolled back
    fixed = dict(tokens, form_token=form_token_from(bad.get_data(as_text=True)), full_name="Исправленный",
                 email="x@example.org", role="teacher")
    assert admin.post(f"/{district.slug}/users/new", data=fixed).status_code == 200
    # Even the token of the failed attempt still works once.
    other = dict(tokens, full_name="Второй", email="y@example.org", role="teacher")
    assert admin.post(f"/{district.slug}/users/new", data=other).status_code == 200


def test_a_post_without_the_token_or_version_is_handled_as_a_single_save(make_browser, district):
    """Scripts and pages from before these fields: no repeat detection, no stale check, but no error."""
    admin = make_browser(district.admin.email)
    resp = admin.post(f"/{district.slug}/users/new",
                      data={"full_name": "Без токена", "email": "nt@example.org", "role": "teacher"})
    assert resp.status_code == 200
    assert db.session.scalar(db.select(FormSubmission.id)) is None
    user = db.session.scalar(db.select(User).where(User.email == "nt@example.org"))
    resp = admin.post(f"/{district.slug}/users/{user.id}/role", data={"role": "methodist"}, htmx=True)
    assert resp.status_code == 200 and db.session.get(User, user.id).role == "methodist"
    # A forged, oversized token is refused with a message.
    resp = admin.post(f"/{district.slug}/users/new", data={"full_name": "Длинный", "email": "long-token@example.org",
                                                           "role": "teacher", "form_token": "x" * 65})
    assert resp.status_code == 422 and "Форма устарела" in resp.get_data(as_text=True)


def test_a_double_click_on_a_new_district_creates_one(app, make_browser, make_user):
    from oms.models import Tenant

    operator = make_user(None, role="operator")
    b = make_browser(operator.email)
    html = b.get("/platform/districts/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "form_token": form_token_from(html), "slug": "dvoinoi", "preset": "blank",
            "name": "Двойной район", "region": "Область", "authority": "Отдел", "service_name": "Служба",
            "model_kind": "department", "admin_email": "adm@dvoinoi.example.org", "admin_name": "Админ"}
    cookie = b.client.get_cookie("oms_session").value
    with live(app) as base:
        results = _post_in_parallel(f"{base}/platform/districts/new", cookie, data, copies=4)
    assert sorted(r[0] for r in results) == [200, 303, 303, 303]
    assert db.session.scalar(db.select(db.func.count(Tenant.id)).where(Tenant.slug == "dvoinoi")) == 1


def test_the_mechanism_makes_one_record_where_nothing_else_is_unique(app, district, make_browser):
    """A record with no natural key (a person): only the token stops the copies."""
    from flask import Blueprint, redirect, url_for
    from flask_wtf import FlaskForm

    from oms import create_app
    from oms.concurrency import FormTokenField, remember_result, submit_once
    from oms.forms import text_field
    from oms.models import Person

    class PersonForm(FlaskForm):
        form_token = FormTokenField()
        last_name = text_field("Фамилия", 100, True)

    probe = Blueprint("probe", __name__)

    @probe.route("/probe/<int:tenant_id>/person", methods=["POST"])
    def create_person(tenant_id):
        form = PersonForm()
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if not form.validate_on_submit():
            return "invalid", 422
        person = Person(tenant_id=tenant_id, last_name=form.last_name.data, first_name="Тест")
        db.session.add(person)
        db.session.flush()
        remember_result(url_for("auth.root"))
        db.session.commit()
        return redirect(url_for("auth.root"))

    other_app = create_app(type("Cfg", (), {k: v for k, v in app.config.items() if k.isupper()}))
    other_app.register_blueprint(probe)
    admin = make_browser(district.admin.email)
    cookie = admin.client.get_cookie("oms_session").value
    data = {"csrf_token": admin.token, "form_token": "probe-token-1", "last_name": "Однажды"}
    with live(other_app) as base:
        results = _post_in_parallel(f"{base}/probe/{district.tenant.id}/person", cookie, data, copies=8)
    assert sorted(r[0] for r in results) == [302] + [303] * 7, results
    assert db.session.scalar(db.select(db.func.count(Person.id)).where(Person.last_name == "Однажды")) == 1
    with other_app.app_context():
        db.engine.dispose()


# ---- parallel work that must not collide ---------------------------------------------------

def test_one_account_logging_in_from_several_devices_at_once(app, district):
    """Logins do not bump the account's version: parallel logins of one account all succeed."""
    from oms.extensions import limiter

    login_page = app.test_client().get("/login")
    cookie = login_page.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    token = csrf_from(login_page.get_data(as_text=True))
    version = district.methodist.version
    with live(app) as base:
        results = _post_in_parallel(f"{base}/login", cookie,
                                    {"email": district.methodist.email, "password": PASSWORD, "csrf_token": token},
                                    copies=4)
    limiter.reset()
    assert [r[0] for r in results] == [302] * 4, [r[:2] for r in results]
    db.session.expire_all()
    user = db.session.get(User, district.methodist.id)
    assert user.version == version and user.last_login_at is not None


def test_a_write_after_a_quiet_minute_does_not_lock_the_database(make_browser, district):
    """The session's last-seen stamp is refreshed inside the request's own write transaction."""
    from datetime import timedelta

    from oms.models import AuthSession
    from oms.models.base import utcnow

    admin = make_browser(district.admin.email)
    quiet_since = utcnow() - timedelta(minutes=5)
    db.session.execute(db.update(AuthSession).values(last_seen_at=quiet_since))
    db.session.commit()
    target = district.teacher
    resp = admin.post(f"/{district.slug}/users/{target.id}/role", data={"role": "methodist", "version": target.version},
                      htmx=True)
    assert resp.status_code == 200
    seen = db.session.scalar(db.select(AuthSession.last_seen_at).where(AuthSession.user_id == district.admin.id))
    assert seen > quiet_since + timedelta(minutes=4)
