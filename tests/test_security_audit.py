"""The audit trail: what is recorded, what the district admin sees, and what nobody can do to it."""
import json
import re
from datetime import timedelta

import pytest

from support import PASSWORD
from oms.audit import AppendOnlyError, record
from oms.extensions import db
from oms.models import AuditEvent, User
from oms.models.base import utcnow

ROW = re.compile(r'<tr class="audit-row')


def _audit(browser, slug, table_only=False, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return browser.get(f"/{slug}/audit/?{query}", headers={"HX-Request": "true"} if table_only else {})


def _new_user(admin, slug, full_name, email, role="teacher"):
    html = admin.get(f"/{slug}/users/new").get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', html).group(1)
    resp = admin.post(f"/{slug}/users/new", data={"full_name": full_name, "email": email, "role": role,
                                                  "form_token": token})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return db.session.scalar(db.select(User).where(User.email == email))


def test_the_admin_reads_changes_in_russian(make_browser, district):
    admin = make_browser(district.admin.email)
    user = _new_user(admin, district.slug, "Кузнецова Анна", "anna@example.org")
    admin.post(f"/{district.slug}/users/{user.id}/role", data={"role": "methodist", "version": user.version},
               htmx=True)
    html = _audit(admin, district.slug).get_data(as_text=True)
    assert "Журнал действий" in html
    assert "Создание" in html and "Изменение" in html and "Вход" in html
    assert "Пользователь № " in html and "anna@example.org" in html
    # field: before → after, with the readable role names
    assert re.search(r'Роль:</span> <span class="audit__before">Педагог</span> → <span class="audit__after">Методист'
                     r'</span>', html)
    assert district.admin.email in html


def test_another_districts_entries_are_not_shown(make_browser, district, make_tenant, make_user):
    other = make_tenant()
    stranger = make_user(other, role="admin", email="stranger@other.example.org")
    make_browser(stranger.email)  # logs in: an entry of the other district
    record("export", other, summary="Чужая выгрузка", tenant_id=other.id)
    db.session.commit()
    html = _audit(make_browser(district.admin.email), district.slug).get_data(as_text=True)
    assert "stranger@other.example.org" not in html and "Чужая выгрузка" not in html


def test_filters_by_who_action_object_and_dates(make_browser, district):
    admin = make_browser(district.admin.email)
    _new_user(admin, district.slug, "Фильтрова Ирина", "irina@example.org")
    old = AuditEvent(tenant_id=district.tenant.id, user_id=district.methodist.id,
                     user_email=district.methodist.email, action="export", object_type="Tenant",
                     object_id=district.tenant.id, summary="Давняя выгрузка", at=utcnow() - timedelta(days=40))
    db.session.add(old)
    db.session.commit()

    by_action = _audit(admin, district.slug, True, action="export").get_data(as_text=True)
    assert "Давняя выгрузка" in by_action and "irina@example.org" not in by_action
    assert len(ROW.findall(by_action)) == 1

    by_who = _audit(admin, district.slug, True, who=district.methodist.id).get_data(as_text=True)
    assert "Давняя выгрузка" in by_who and len(ROW.findall(by_who)) == 1

    by_object = _audit(admin, district.slug, True, object="User", action="create").get_data(as_text=True)
    assert "irina@example.org" in by_object and "Давняя выгрузка" not in by_object

    today = utcnow().date().isoformat()
    recent = _audit(admin, district.slug, True, since=today).get_data(as_text=True)
    assert "irina@example.org" in recent and "Давняя выгрузка" not in recent
    month_ago = (utcnow() - timedelta(days=35)).date().isoformat()
    older = _audit(admin, district.slug, True, until=month_ago).get_data(as_text=True)
    assert "Давняя выгрузка" in older and "irina@example.org" not in older

    nothing = _audit(admin, district.slug, True, action="import").get_data(as_text=True)
    assert "записей нет" in nothing

    bad = _audit(admin, district.slug, since="31.02.2026")
    assert bad.status_code == 200 and "Дата в формате" in bad.get_data(as_text=True)


def test_htmx_filtering_returns_the_table_only(make_browser, district):
    admin = make_browser(district.admin.email)
    resp = admin.get(f"/{district.slug}/audit/?action=login", headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html and "audit-row" in html
    assert "HX-Request" in resp.headers.get("Vary", "")


def test_pages_of_fifty_with_constant_queries(make_browser, district, count_queries):
    admin = make_browser(district.admin.email)
    for i in range(10):
        record("export", district.tenant, summary=f"выгрузка {i}", tenant_id=district.tenant.id)
    db.session.commit()
    with count_queries() as few:
        admin.get(f"/{district.slug}/audit/")
    for i in range(70):
        record("export", district.tenant, summary=f"выгрузка ещё {i}", tenant_id=district.tenant.id)
    db.session.commit()
    with count_queries() as many:
        first = admin.get(f"/{district.slug}/audit/").get_data(as_text=True)
    assert many.count == few.count
    assert len(ROW.findall(first)) == 50 and "стр. 1 из 2" in first
    total = db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.tenant_id == district.tenant.id))
    assert 80 < total <= 100
    second = admin.get(f"/{district.slug}/audit/?page=2").get_data(as_text=True)
    assert len(ROW.findall(second)) == total - 50

@pytest.mark.parametrize("role", ["methodist", "leader", "teacher"])
def test_only_the_admin_may_read_the_trail(make_browser, district, role):
    user = getattr(district, role)
    resp = make_browser(user.email).get(f"/{district.slug}/audit/")
    assert resp.status_code == 403
    denial = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "denied",
                                                           AuditEvent.user_id == user.id))
    assert denial is not None and denial.summary == "audit.view" and denial.tenant_id == district.tenant.id
    page = _audit(make_browser(district.admin.email), district.slug, action="denied").get_data(as_text=True)
    assert "Отказ в доступе" in page and "просмотр журнала" in page and user.email in page


def test_logins_and_failed_logins_are_shown(browser, make_browser, district):
    browser.login(district.teacher.email, "wrong-password")
    html = _audit(make_browser(district.admin.email), district.slug, action="login_failed").get_data(as_text=True)
    assert "Неудачный вход" in html and district.teacher.email in html


def test_nothing_secret_is_recorded(app, make_browser, district):
    from oms.models import PasswordLink

    admin = make_browser(district.admin.email)
    new_password = "Zelenyi-dub-u-lukomorya-42"
    user = _new_user(admin, district.slug, "Секретова Вера", "vera@example.org")
    link = db.session.scalar(db.select(PasswordLink).where(PasswordLink.user_id == user.id))
    assert link is not None
    methodist = make_browser(district.methodist.email)
    methodist.post("/account/password", data={"current": PASSWORD, "password": new_password, "confirm": new_password})

    hashes = [u.password_hash for u in db.session.scalars(db.select(User)) if u.password_hash]
    dump = json.dumps([[e.summary, e.changes] for e in db.session.scalars(db.select(AuditEvent))],
                      ensure_ascii=False)
    assert hashes and not any(h in dump for h in hashes)
    assert "scrypt:" not in dump and new_password not in dump and PASSWORD not in dump
    assert link.token_digest not in dump
    assert not db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type.in_(
        ("AuthSession", "PasswordLink", "FormSubmission"))))
    page = _audit(admin, district.slug).get_data(as_text=True)
    assert "Смена пароля" in page and "scrypt" not in page


@pytest.mark.parametrize("name", [
    "Иванов\n01.01.2026 10:00 root@demo.oms Удаление Район",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=1>",
    "</td></tr><tr class=\"audit-row\"><td>подделка",
])
def test_user_text_cannot_forge_entries(make_browser, district, name):
    admin = make_browser(district.admin.email)
    _new_user(admin, district.slug, name, "forger@example.org")
    events = db.session.scalar(db.select(db.func.count(AuditEvent.id))
                               .where(AuditEvent.tenant_id == district.tenant.id))
    html = _audit(admin, district.slug).get_data(as_text=True)
    assert len(ROW.findall(html)) == events  # one row per entry, whatever the name contains
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert '<tr class="audit-row"><td>подделка' not in html
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.summary == "forger@example.org",
                                                          AuditEvent.action == "create"))
    # Stored as data, not as text to parse (a one-line field takes a line break as a space: oms.forms.clean_line).
    assert entry.changes["full_name"] == [None, name.replace("\n", " ")]


def test_the_trail_is_append_only_in_the_app(app, district):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)
    entry = record("export", district.tenant, summary="настоящая", tenant_id=district.tenant.id)
    db.session.commit()
    entry.summary = "подделанная"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, entry.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.update(AuditEvent).values(summary="x"))
    with pytest.raises(AppendOnlyError):
        db.session.execute(db.delete(AuditEvent))
    db.session.rollback()
    assert db.session.get(AuditEvent, entry.id).summary == "настоящая"


def test_every_recorded_kind_and_field_reads_as_words(app):
    """The admin never meets a code such as «Course» or «person_id» in the trail."""
    from blueprints.audit.labels import HIDDEN_FIELDS, field_label, object_label
    from oms.audit import NOISE_FIELDS, NOT_AUDITED

    unnamed = []
    with app.test_request_context():
        for mapper in db.Model.registry.mappers:
            name = mapper.class_.__name__
            if name == "ImportBatch":  # its columns are never recorded, its imports are
                unnamed += [name] if object_label(name) == name else []
            if name in NOT_AUDITED:
                continue
            if object_label(name) == name:
                unnamed.append(name)
            for column in mapper.columns:
                if column.key not in HIDDEN_FIELDS | NOISE_FIELDS | {"id"} and field_label(name, column.key) == column.key:
                    unnamed.append(f"{name}.{column.key}")
    assert unnamed == []


def test_links_codes_months_and_years_read_as_names(make_browser, district):
    from factories.plan import direction_in, item_in, plan_in
    from oms.models.plan import mask_of

    t = district.tenant
    old, new = direction_in(t, "Работа с молодыми педагогами"), direction_in(t, "Сопровождение ШНОР")
    plan = plan_in(t, start_year=2025)
    item = item_in(t, plan=plan, direction=old, months=(9, 10))
    db.session.commit()
    item.direction_id, item.status, item.months = new.id, "moved", mask_of((10, 11))
    item.moved_to_month = 12
    db.session.commit()
    gone = direction_in(t, "Упразднённое направление")
    gone_id = gone.id
    db.session.commit()
    item.direction_id = gone_id
    db.session.commit()
    db.session.delete(gone)  # a record deleted since is shown by its number
    item.direction_id = new.id
    db.session.commit()

    html = _audit(make_browser(district.admin.email), district.slug, True, object="PlanItem",
                  action="update").get_data(as_text=True)

    def line(label, before, after):
        return (f'{label}:</span> <span class="audit__before">{before}</span> → '
                f'<span class="audit__after">{after}</span>')

    assert line("Направление", "Работа с молодыми педагогами", "Сопровождение ШНОР") in html
    assert line("Состояние", "Запланировано", "Перенесено") in html
    assert line("Месяцы", "сентябрь, октябрь", "октябрь, ноябрь") in html
    assert line("Перенесено на месяц", "—", "декабрь") in html
    assert line("Направление", f"№ {gone_id} (удалён)", "Сопровождение ШНОР") in html
    created = _audit(make_browser(district.admin.email), district.slug, True, object="Plan").get_data(as_text=True)
    assert 'Учебный год:</span> <span class="audit__after">2025/2026</span>' in created
    assert "direction_id" not in html and "PlanItem" not in html.replace('value="PlanItem"', "")


def test_position_is_an_order_in_a_list_and_a_job_only_for_a_person(app):
    from blueprints.audit.labels import field_label

    with app.test_request_context():
        assert field_label("Direction", "position") == "Порядок в списке"  # was «Должность»
        assert field_label("AgendaItem", "position") == "Порядок в списке"
        assert field_label("Person", "position") == "Должность"


def test_names_of_linked_records_cost_one_query_per_kind(make_browser, district, count_queries):
    from factories.core import person_in
    from factories.structure import council_in, member_in

    admin = make_browser(district.admin.email)
    body = council_in(district.tenant)
    member_in(district.tenant, body=body, person=person_in(district.tenant))
    db.session.commit()
    with count_queries() as few:
        admin.get(f"/{district.slug}/audit/")
    people = [person_in(district.tenant, last_name=f"Членова{i}") for i in range(10)]
    for person in people:
        member_in(district.tenant, body=council_in(district.tenant), person=person)
    db.session.commit()
    with count_queries() as many:
        html = admin.get(f"/{district.slug}/audit/").get_data(as_text=True)
    assert many.count == few.count
    for person in people:  # each membership names its person and its council
        assert f'Педагог:</span> <span class="audit__after">{person.full_name}</span>' in html
    assert "(удалён)" not in html
