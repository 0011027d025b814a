"""The district admin downloads all of the district's data as one archive."""
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from factories.core import person_in, school_in
from oms.extensions import db
from oms.models import AuditEvent


@pytest.fixture
def two_districts(district, make_tenant, make_user):
    school = school_in(district.tenant, name="МБОУ «Школа № 5»")
    person_in(district.tenant, last_name="=HYPERLINK(\"http://evil\")", first_name="Анна", school_id=school.id)
    person_in(district.tenant, last_name="Смирнова", first_name="+79001234567")
    other = make_tenant()
    person_in(other, last_name="Чужеземцева")
    make_user(other, role="teacher", email="foreign@other.example.org")
    db.session.commit()
    return district


def _download(browser, slug):
    # buffered: the test client reads the stream inside the request's own context
    resp = browser.get(f"/{slug}/export/archive.zip", buffered=True)
    assert resp.status_code == 200
    return resp, zipfile.ZipFile(io.BytesIO(resp.get_data()))


def test_the_admin_gets_everything_of_the_district_and_nothing_else(make_browser, two_districts):
    d = two_districts
    admin = make_browser(d.admin.email)
    resp, archive = _download(admin, d.slug)
    assert "Content-Length" not in resp.headers  # sent while it is written, not built in memory first
    assert resp.mimetype == "application/zip"
    assert f"oms-{d.slug}-" in resp.headers["Content-Disposition"]
    names = set(archive.namelist())
    assert {"README.txt", "manifest.json", "district.json", "people.xlsx", "tables/person.json", "tables/school.json",
            "tables/user.json", "tables/audit_event.json"} <= names
    assert archive.testzip() is None

    manifest = json.loads(archive.read("manifest.json"))
    people = json.loads(archive.read("tables/person.json"))
    assert manifest["district"] == d.slug and manifest["rows"]["person"] == len(people) == 2
    assert {p["tenant_id"] for p in people} == {d.tenant.id}
    users = json.loads(archive.read("tables/user.json"))
    assert {u["email"] for u in users} == {d.admin.email, d.methodist.email, d.leader.email, d.teacher.email}
    assert all("password_hash" not in u for u in users)
    assert json.loads(archive.read("district.json"))["slug"] == d.slug

    everything = b"".join(archive.read(n) for n in names if n.endswith(".json") or n.endswith(".txt"))
    assert "Чужеземцева".encode() not in everything and b"foreign@other.example.org" not in everything
    assert b"scrypt:" not in everything


def test_people_xlsx_keeps_text_as_text(make_browser, two_districts):
    d = two_districts
    _resp, archive = _download(make_browser(d.admin.email), d.slug)
    sheet = load_workbook(io.BytesIO(archive.read("people.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Фамилия" and len(rows) == 3
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://evil\")" in values and "'+79001234567" in values
    assert "МБОУ «Школа № 5»" in values


def test_the_export_is_in_the_audit_trail(make_browser, two_districts):
    d = two_districts
    admin = make_browser(d.admin.email)
    _download(admin, d.slug)
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert entry.user_id == d.admin.id and entry.tenant_id == d.tenant.id and entry.object_type == "Tenant"
    page = admin.get(f"/{d.slug}/audit/?action=export", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Выгрузка" in page and "Архив всех данных района" in page


def test_the_page_shows_what_the_archive_holds(make_browser, two_districts):
    d = two_districts
    html = make_browser(d.admin.email).get(f"/{d.slug}/export/").get_data(as_text=True)
    assert "Скачать архив" in html and "Педагог" in html and "Журнал действий" in html
    assert f'href="/{d.slug}/export/archive.zip"' in html


@pytest.mark.parametrize("role", ["methodist", "leader", "teacher"])
def test_only_the_admin_may_export(make_browser, district, role):
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/export/").status_code == 403
    assert b.get(f"/{district.slug}/export/archive.zip").status_code == 403
    assert not db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))


def test_an_export_that_fails_midway_keeps_the_audit_of_the_attempt(make_browser, two_districts, monkeypatch):
    """The audit entry is committed in a transaction of its own before the archive is streamed."""
    from blueprints.dataexport import archive

    def broken(tenant_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive, "_people_xlsx", broken)
    with pytest.raises(RuntimeError):
        make_browser(two_districts.admin.email).get(f"/{two_districts.slug}/export/archive.zip", buffered=True)
    db.session.rollback()
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert entry is not None and entry.user_id == two_districts.admin.id


def test_an_export_whose_audit_cannot_be_written_sends_no_file(make_browser, two_districts):
    from sqlalchemy import event

    def refuse(mapper, connection, target):
        if target.action == "export":
            raise RuntimeError("audit table unavailable")

    event.listen(AuditEvent, "before_insert", refuse)
    try:
        resp = make_browser(two_districts.admin.email).get(f"/{two_districts.slug}/export/archive.zip",
                                                            buffered=True)
    finally:
        event.remove(AuditEvent, "before_insert", refuse)
    assert resp.status_code == 500 and resp.mimetype == "text/html"
    assert "Content-Disposition" not in resp.headers and not resp.get_data().startswith(b"PK")
    assert not db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
