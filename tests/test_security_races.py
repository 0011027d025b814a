"""Issue 19: safe under races and floods. Double submits, simultaneous deletes, unique races, login floods,
link hosts, caching, enumeration, control characters. The parallel tests send real requests from threads to a
live server; on PostgreSQL (TEST_DATABASE_URL) they really run at once."""
import re

import pytest

from support import PASSWORD, csrf_from, live
from test_security_concurrency import _post_in_parallel
from oms.extensions import db, limiter
from oms.models import (AgendaItem, AuditEvent, Body, BodyKind, BodyMember, Decision, Direction, Person, PlanItem,
                        User)

PERSON = {"last_name": "Ёлкина", "first_name": "Алёна", "middle_name": "", "school_id": "", "position": "учитель",
          "subjects": "", "category": "", "category_date": "", "experience_years": "", "young": "auto", "notes": ""}
FORM_RE = re.compile(r'<form\b[^>]*method="post"[^>]*>.*?</form>', re.S | re.I)


def _count(model, *where):
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(model.id)).where(*where))


def _cookie(browser):
    return browser.client.get_cookie("oms_session").value


def _deletes(object_type, object_id):
    return _count(AuditEvent, AuditEvent.action == "delete", AuditEvent.object_type == object_type,
                  AuditEvent.object_id == object_id)


# ---- 1, 2, 3: one double-submit guard for every form ---------------------------------------

def test_every_post_form_on_a_page_carries_a_one_time_token(client, make_browser, district):
    """Hand-written forms, the csrf() macro and form classes alike: the guard needs nothing from a template."""
    from factories.structure import agenda_item_in, council_in, meeting_in

    council = council_in(district.tenant)
    meeting = meeting_in(district.tenant, body=council)
    agenda_item_in(district.tenant, meeting=meeting)
    db.session.commit()
    b = make_browser(district.admin.email)
    pages = [f"/{district.slug}/council/{council.id}/meetings/{meeting.id}/", f"/{district.slug}/directions/",
             f"/{district.slug}/structure/settings", f"/{district.slug}/people/new", f"/{district.slug}/users/new"]
    for url in pages:
        html = b.get(url).get_data(as_text=True)
        forms = FORM_RE.findall(html)
        assert forms, url
        assert "&lt;input" not in html  # nothing of the page escaped on the way
        for form in forms:
            assert len(re.findall(r'<input[^>]*name="form_token"', form)) == 1, (url, form[:300])
            assert len(re.findall(r'<input[^>]*name="csrf_token"', form)) == 1, (url, form[:300])
    login = client.get("/login").get_data(as_text=True)  # a form class that is not an oms.forms.Form
    assert re.search(r'<input[^>]*name="csrf_token"[^>]*><input type="hidden" name="form_token"', login)


@pytest.mark.parametrize("case", ["agenda item", "decision", "plan item", "direction", "structure element",
                                  "body kind", "person"])
def test_a_resent_post_creates_one_record(make_browser, district, case):
    from factories.plan import direction_in as plan_direction, plan_in
    from factories.structure import council_in, meeting_in

    t, slug = district.tenant, district.slug
    council = council_in(t)
    meeting = meeting_in(t, body=council)
    plan_direction(t, "Аналитическая")
    plan_in(t, 2025)
    db.session.commit()
    direction_id = db.session.scalar(db.select(Direction.id))
    m = f"/{slug}/council/{council.id}/meetings/{meeting.id}"
    cases = {
        "agenda item": (f"{m}/agenda", {"title": "Вопрос один раз"}, AgendaItem, AgendaItem.title == "Вопрос один раз"),
        "decision": (f"{m}/decisions", {"text": "Решение один раз", "status": "open"}, Decision,
                     Decision.text == "Решение один раз"),
        "plan item": (f"/{slug}/plans/2025-2026/items", {"direction_id": direction_id, "title": "Семинар один раз",
                                                           "months": ["10"]}, PlanItem,
                      PlanItem.title == "Семинар один раз"),
        "direction": (f"/{slug}/directions/new", {"name": "Направление один раз"}, Direction,
                      Direction.name == "Направление один раз"),
        "structure element": (f"/{slug}/structure/new", None, Body, Body.name == "Элемент один раз"),
        "body kind": (f"/{slug}/structure/kinds/new", {"name": "Вид один раз", "category": "group",
                                                        "level": "municipal"}, BodyKind, BodyKind.name == "Вид один раз"),
        "person": (f"/{slug}/people/new", PERSON | {"last_name": "Однажды"}, Person, Person.last_name == "Однажды"),
    }
    url, data, model, where = cases[case]
    b = make_browser(district.admin.email)
    if data is None:  # the structure element form
        kind_id = db.session.scalar(db.select(BodyKind.id).where(BodyKind.tenant_id == t.id).limit(1))
        data = {"name": "Элемент один раз", "kind_id": kind_id}
    data = dict(data, form_token="resent-" + case.replace(" ", "-"))
    first = b.post(url, data, htmx=True)
    assert first.status_code in (200, 302), first.get_data(as_text=True)[:500]
    again = b.post(url, data, htmx=True)
    assert again.status_code == 204  # htmx: nothing to swap, the page keeps the first answer
    plain = b.post(url, data)
    assert plain.status_code in (303, 409)
    assert _count(model, where) == 1


def test_a_double_click_on_the_plan_import_confirm_imports_once(app, make_browser, district):
    from factories.plan import direction_in, item_in, plan_in
    from test_plan_xlsx import export, upload

    plan = plan_in(district.tenant, 2025)
    direction = direction_in(district.tenant, "Аналитическая")
    for n in range(5):
        item_in(district.tenant, plan, direction, title=f"Мероприятие {n}")
    db.session.commit()
    url = f"/{district.slug}/plans/2025-2026"
    admin = make_browser(district.admin.email)
    data = export(admin, url).data
    page = upload(admin, url, data).get_data(as_text=True)
    confirm = re.search(r'<form[^>]*import/confirm.*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', confirm))
    assert fields.get("form_token")
    with live(app) as base:
        results = _post_in_parallel(f"{base}{url}/import/confirm", _cookie(admin), fields, copies=4)
    statuses = sorted(r[0] for r in results)
    assert 500 not in statuses and statuses.count(302) == 1, statuses
    assert _count(PlanItem, PlanItem.plan_id == plan.id) == 10  # 5 + one import of 5
    assert _count(AuditEvent, AuditEvent.action == "import") == 1


def test_simultaneous_new_people_without_a_school_make_one(app, make_browser, district):
    admin = make_browser(district.admin.email)
    html = admin.get(f"/{district.slug}/people/new").get_data(as_text=True)
    form = FORM_RE.findall(html)[-1]
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', form).group(1)
    data = dict(PERSON, csrf_token=csrf_from(html), form_token=token, last_name="Параллельная")
    with live(app) as base:
        results = _post_in_parallel(f"{base}/{district.slug}/people/new", _cookie(admin), data, copies=8)
    assert 500 not in [r[0] for r in results], [r[0] for r in results]
    assert _count(Person, Person.last_name == "Параллельная") == 1


def test_two_admins_adding_the_same_specialist_without_a_school_make_one(make_browser, district):
    """Different forms (no common token): the database's own rule, a unique index that holds for no school."""
    data = dict(PERSON, last_name="Двойникова")
    assert make_browser(district.admin.email).post(f"/{district.slug}/people/new", data).status_code == 302
    second = make_browser(district.methodist.email).post(f"/{district.slug}/people/new", data)
    assert second.status_code == 422
    assert _count(Person, Person.last_name == "Двойникова") == 1
    from factories.core import person_in

    with pytest.raises(Exception):
        with db.session.begin_nested():
            person_in(district.tenant, last_name="Двойникова", first_name="Ольга", middle_name="Петровна")
            person_in(district.tenant, last_name="Двойникова", first_name="Ольга", middle_name="Петровна")
    db.session.rollback()


# ---- 4: a delete happens once ---------------------------------------------------------------

def _delete_cases():
    from factories import development as dev, plan as plan_factories, structure
    from factories.core import person_in

    def plan_item(t):
        item = plan_factories.item_in(t, plan_factories.plan_in(t, 2025), plan_factories.direction_in(t))
        return item, f"/plans/2025-2026/items/{item.id}/delete"

    def meeting(t):
        council = structure.council_in(t)
        row = structure.meeting_in(t, body=council)
        structure.agenda_item_in(t, meeting=row)
        return row, f"/council/{council.id}/meetings/{row.id}/delete"

    def agenda_item(t):
        council = structure.council_in(t)
        row = structure.agenda_item_in(t, meeting=structure.meeting_in(t, body=council))
        return row, f"/council/{council.id}/meetings/{row.meeting_id}/agenda/{row.id}/delete"

    def person(t):
        row = person_in(t)
        return row, f"/people/{row.id}/delete"

    def direction(t):
        row = structure.direction_in(t)
        return row, f"/directions/{row.id}/delete"

    def competence_area(t):
        row = dev.area_in(t)
        return row, f"/development/areas/{row.id}/delete"

    return {"plan item": plan_item, "meeting": meeting, "agenda item": agenda_item, "person": person,
            "direction": direction, "competence area": competence_area}


@pytest.mark.parametrize("case", list(_delete_cases()))
def test_simultaneous_deletes_delete_once_and_the_others_answer_404(app, make_browser, district, case):
    row, tail = _delete_cases()[case](district.tenant)
    db.session.commit()
    model, row_id = type(row), row.id
    admin = make_browser(district.admin.email)
    with live(app) as base:
        results = _post_in_parallel(f"{base}/{district.slug}{tail}", _cookie(admin), {"csrf_token": admin.token},
                                    copies=6)
    statuses = sorted(r[0] for r in results)
    assert statuses.count(404) == 5 and statuses[0] in (200, 302, 303), statuses
    assert db.session.get(model, row_id) is None
    assert _deletes(model.__name__, row_id) == 1
    # Later, once more: 404, and still one entry.
    assert admin.post(f"/{district.slug}{tail}").status_code == 404
    assert _deletes(model.__name__, row_id) == 1


def test_deleting_a_draft_plan_keeps_its_items_in_the_trail(make_browser, district):
    from factories.plan import direction_in, item_in, plan_in

    plan = plan_in(district.tenant, 2025)
    direction = direction_in(district.tenant)
    items = [item_in(district.tenant, plan, direction, title=f"Семинар {n}") for n in range(3)]
    db.session.commit()
    listed = [f"#{i.id} {i.title}" for i in items]
    admin = make_browser(district.admin.email)
    assert admin.post(f"/{district.slug}/plans/2025-2026/delete").status_code == 302
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "delete",
                                                          AuditEvent.object_type == "Plan"))
    assert entry.changes["items_count"] == 3
    assert entry.changes["items"] == listed


# ---- 5, 6: integrity races and bad input answer 409 / 422, never 500 ------------------------

def test_the_same_member_added_twice_at_once_is_one_member(app, make_browser, district):
    from factories.core import person_in
    from factories.structure import council_in

    council = council_in(district.tenant)
    person = person_in(district.tenant)
    db.session.commit()
    admin = make_browser(district.admin.email)
    data = {"csrf_token": admin.token, "person_id": person.id, "role": "member", "role_title": ""}
    with live(app) as base:
        results = _post_in_parallel(f"{base}/{district.slug}/council/{council.id}/members", _cookie(admin), data,
                                    copies=6)
    statuses = [r[0] for r in results]
    assert 500 not in statuses and statuses.count(302) >= 1, statuses
    assert set(statuses) <= {302, 409, 422}, statuses
    assert _count(BodyMember, BodyMember.person_id == person.id) == 1


def test_an_integrity_error_anywhere_answers_409_with_a_message(app, make_browser, district):
    """One handler for every view: a unique or foreign key the database refused is a 409, not a 500."""
    from factories.core import person_in
    from factories.structure import council_in

    council = council_in(district.tenant)
    person = person_in(district.tenant)
    db.session.commit()
    admin = make_browser(district.admin.email)

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    tenant_id, council_id, person_id = district.tenant.id, council.id, person.id

    done = []

    def sneak_in(session, flush_context, instances):  # another request's member lands between check and insert
        if not done and any(isinstance(o, BodyMember) for o in session.new):
            done.append(True)
            session.connection().execute(db.insert(BodyMember).values(
                tenant_id=tenant_id, body_id=council_id, person_id=person_id, role="member", role_title=""))

    event.listen(Session, "before_flush", sneak_in)
    try:
        resp = admin.post(f"/{district.slug}/council/{council.id}/members",
                          {"person_id": person.id, "role": "member"}, htmx=True)
    finally:
        event.remove(Session, "before_flush", sneak_in)
    assert done and resp.status_code == 409 and "Не сохранено" in resp.get_data(as_text=True)
    assert _count(BodyMember, BodyMember.person_id == person_id) == 0  # rolled back, the sneaked row with it


@pytest.mark.parametrize("section", ["council", "associations"])
def test_a_bad_member_without_javascript_gets_the_form_back_422(make_browser, district, section):
    from factories.structure import association_in, council_in

    body = council_in(district.tenant) if section == "council" else association_in(district.tenant)
    db.session.commit()
    admin = make_browser(district.admin.email)
    resp = admin.post(f"/{district.slug}/{section}/{body.id}/members", {"person_id": "999999", "role": "nonsense"})
    assert resp.status_code == 422
    assert "Выберите" in resp.get_data(as_text=True) or "Такого значения нет" in resp.get_data(as_text=True)


# ---- 14: a member's role is a versioned edit ------------------------------------------------

def test_a_stale_member_role_edit_answers_409_and_overwrites_nothing(make_browser, district):
    from factories.structure import council_in, member_in

    council = council_in(district.tenant)
    member = member_in(district.tenant, body=council)
    db.session.commit()
    url = f"/{district.slug}/council/{council.id}/members/{member.id}/edit"
    first, second = make_browser(district.admin.email), make_browser(district.methodist.email)
    opened = re.search(r'name="version"[^>]*value="(\d+)"', first.get(url).get_data(as_text=True)).group(1)
    assert second.post(url, {"role": "secretary", "role_title": "Их", "version": opened}, htmx=True).status_code == 200
    resp = first.post(url, {"role": "deputy", "role_title": "Мой", "version": opened}, htmx=True)
    assert resp.status_code == 409 and "Пока вы редактировали" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(BodyMember, member.id).role == "secretary"
    plain = first.post(url, {"role": "deputy", "role_title": "Мой", "version": opened})
    assert plain.status_code == 409


# ---- 15: control characters are no text ------------------------------------------------------

def test_a_title_of_control_characters_only_is_refused(make_browser, district):
    from factories.plan import direction_in, plan_in

    plan_in(district.tenant, 2025)
    direction = direction_in(district.tenant)
    db.session.commit()
    admin = make_browser(district.admin.email)
    url = f"/{district.slug}/plans/2025-2026/items"
    resp = admin.post(url, {"direction_id": direction.id, "title": "\x01\x02\u200b\x1f", "months": ["10"]}, htmx=True)
    assert resp.status_code == 422 and "Укажите название мероприятия" in resp.get_data(as_text=True)
    assert _count(PlanItem) == 0
    resp = admin.post(url, {"direction_id": direction.id, "title": "Семи\x07нар\u202e", "months": ["10"]}, htmx=True)
    assert resp.status_code == 200
    assert db.session.scalar(db.select(PlanItem.title)) == "Семинар"


def test_every_form_text_field_drops_control_characters(app):
    from wtforms import PasswordField, StringField, TextAreaField

    from oms.forms import Form

    class Probe(Form):
        line = StringField()
        text = TextAreaField()
        secret = PasswordField()

    with app.test_request_context(method="POST", data={"line": "a\x00b\tc\nd\x7f", "text": "a\x1b\nb\u2028",
                                                       "secret": "p\x01"}):
        form = Probe(meta={"csrf": False})
        assert (form.line.data, form.text.data, form.secret.data) == ("ab c d", "a\nb", "p\x01")


# ---- 7: passwords ----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["email", "email name", "full name", "full name reversed"])
def test_a_password_equal_to_the_own_e_mail_or_name_is_refused(client, district, make_user, which):
    from oms.models import PasswordLink

    user = make_user(district.tenant, role="teacher", email="Konstantin.Vasilevskiy@school-17.example.org",
                     full_name="Васильевский Константин Эдуардович")
    token = PasswordLink.issue(user)
    db.session.commit()
    password = {"email": user.email.upper(), "email name": "konstantin.vasilevskiy",
                "full name": "Васильевский Константин Эдуардович",
                "full name reversed": "эдуардович константин васильевский"}[which]
    page = client.get(f"/set-password/{token}")
    resp = client.post(f"/set-password/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                       "password": password, "confirm": password})
    assert resp.status_code == 422 and "не должен совпадать" in resp.get_data(as_text=True)


# ---- 8, 9, 10: login floods and timing -------------------------------------------------------

@pytest.fixture
def hashes(monkeypatch):
    """Counts the password hashes the app computes."""
    import oms.models.user as user_module

    calls = []
    real = user_module.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(user_module, "check_password_hash", counting)
    return calls


def _login(client, email, password="wrong-password-1"):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_a_flood_of_unknown_addresses_hashes_within_its_budget_and_answers_as_usual(app, client, district, hashes,
                                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_UNKNOWN_HASHES", "5 per minute")
    statuses = [_login(client, f"nobody{n}@example.org").status_code for n in range(30)]
    assert statuses == [422] * 30  # the usual answer: nothing tells the attempts apart
    assert len(hashes) == 5  # the rest only waited as long as a check takes
    # A real account's wrong password is still checked for real.
    before = len(hashes)
    assert _login(client, district.teacher.email).status_code == 422
    assert len(hashes) == before + 1
    assert _login(client, district.teacher.email, PASSWORD).status_code == 302


def test_a_school_behind_one_address_keeps_logging_in(app, district, make_user):
    """CONTRACT: at least 60 login attempts a minute from one address; successful ones are not counted."""
    client = app.test_client()
    users = [make_user(district.tenant, role="teacher") for _ in range(5)]
    db.session.commit()
    for n in range(60):
        assert _login(client, f"typo{n}@school.example.org").status_code == 422, n
    for user in users:  # a whole class of successful logins after that
        assert _login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_one_account_is_throttled_after_at_most_20_failures(app, client, district, hashes):
    statuses = [_login(client, district.methodist.email).status_code for _ in range(25)]
    assert 429 in statuses[:21]
    first_429 = statuses.index(429)
    checked = len(hashes)
    assert _login(client, district.methodist.email).status_code == 429
    assert len(hashes) == checked  # refused before hashing
    assert first_429 <= 20


def test_refused_logins_write_one_audit_entry_per_client_and_window(app, client, district, monkeypatch):
    import oms.security as security

    monkeypatch.setitem(app.config, "LOGIN_FAILS_PER_ADDRESS", "3 per minute")
    security._throttled.clear()
    statuses = [_login(client, f"flood{n}@example.org").status_code for n in range(40)]
    assert statuses.count(429) == 37
    assert _count(AuditEvent, AuditEvent.action == "throttled") == 1
    # The next window's entry carries how many were refused since.
    for window in security._throttled.values():
        window[0] -= security.THROTTLE_WINDOW_SECONDS
    assert _login(client, "flood-late@example.org").status_code == 429
    entries = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "throttled")
                                 .order_by(AuditEvent.id)).all()
    assert [e.changes["count"] for e in entries] == [1, 37]


def test_an_account_without_a_password_takes_a_check_like_the_others(client, district, make_user, hashes):
    user = make_user(district.tenant, role="teacher")
    user.password_hash = ""
    db.session.commit()
    assert _login(client, user.email).status_code == 422
    assert len(hashes) == 1  # a dummy hash, as for an account with a password


# ---- 11: one-time links ----------------------------------------------------------------------

def test_one_time_links_are_built_on_the_configured_base_url(app, make_browser, district, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://oms.example.org")
    admin = make_browser(district.admin.email)
    resp = admin.post(f"/{district.slug}/users/new", {"full_name": "Новая Учётная", "email": "new@example.org",
                                                      "role": "teacher"})
    assert "https://oms.example.org/set-password/" in resp.get_data(as_text=True)
    from oms.views import external_url

    with app.test_request_context("/", base_url="http://evil.example.net"):  # whatever Host a client sends
        assert external_url("auth.set_password", token="t") == "https://oms.example.org/set-password/t"


def test_an_unknown_host_is_refused_when_trusted_hosts_are_set(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["oms.example.org"])
    assert client.get("/login", headers={"Host": "evil.example.net"}).status_code == 400
    assert client.get("/login", headers={"Host": "oms.example.org"}).status_code == 200


# ---- 12: no copies of secrets in caches ------------------------------------------------------

def test_the_set_password_page_and_exports_are_not_stored_by_caches(client, make_browser, district, make_user):
    from oms.models import PasswordLink

    user = make_user(district.tenant, role="teacher")
    token = PasswordLink.issue(user)
    db.session.commit()
    assert client.get(f"/set-password/{token}").headers["Cache-Control"] == "no-store"
    assert client.get("/set-password/not-a-token").headers["Cache-Control"] == "no-store"
    admin = make_browser(district.admin.email)
    assert admin.get(f"/{district.slug}/people/export.xlsx").headers["Cache-Control"] == "no-store"


# ---- 13: accounts of other districts ---------------------------------------------------------

def test_an_admin_cannot_probe_many_addresses_for_accounts_elsewhere(make_browser, district, make_tenant,
                                                                    make_user):
    other = make_tenant()
    foreign = [make_user(other, role="teacher").email for _ in range(6)]
    db.session.commit()
    admin = make_browser(district.admin.email)
    url = f"/{district.slug}/users/new"
    answers = [admin.post(url, {"full_name": "Проба", "email": email, "role": "teacher"}).get_data(as_text=True)
               for email in foreign]
    assert all("уже есть" in a for a in answers[:5])
    assert "приостановлено" in answers[5]
    # Spent: even a free address is not checked now, so the answers tell nothing more.
    free = admin.post(url, {"full_name": "Проба", "email": "free@example.org", "role": "teacher"})
    assert free.status_code == 422 and "приостановлено" in free.get_data(as_text=True)
    assert _count(User, User.email == "free@example.org") == 0
    limiter.reset()


def test_waits_of_failed_logins_hold_at_most_a_few_threads(app):
    """A waiting login holds a server thread: past LOGIN_WAITING_THREADS at once, no more waiting."""
    import time

    import oms.security as security

    with app.app_context():
        security.tarpit(0.01)  # the slots exist
        held = [security._tarpit_slots.acquire(blocking=False) for _ in range(app.config["LOGIN_WAITING_THREADS"])]
        assert all(held)
        try:
            start = time.monotonic()
            security.tarpit(5)
            assert time.monotonic() - start < 1
        finally:
            for _ in held:
                security._tarpit_slots.release()
        start = time.monotonic()
        security.tarpit(0.3)  # a slot is free again: the wait is whole
        assert time.monotonic() - start >= 0.3
