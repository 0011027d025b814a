"""«Открытый доступ» means public: /public/<district>/documents/ lists the district's current public documents
to visitors without an account and serves their files; nothing else of the district is reachable there."""
import pytest

from factories.documents import document_file_in, document_in
from oms.extensions import db


@pytest.fixture
def d(district):
    district.public = document_in(district.tenant, title="Положение о конкурсе «Учитель года»", visibility="public")
    district.public_file = document_file_in(district.tenant, district.public, name="Положение о конкурсе.docx")
    district.inner = document_in(district.tenant, title="План работы для педагогов района", visibility="district")
    district.inner_file = document_file_in(district.tenant, district.inner, name="План.docx")
    district.service = document_in(district.tenant, title="Должностная инструкция методиста", visibility="service")
    district.service_file = document_file_in(district.tenant, district.service, name="Инструкция.docx")
    district.old = document_in(district.tenant, title="Положение о конкурсе 2024 года", visibility="public",
                               is_current=False)
    district.old_file = document_file_in(district.tenant, district.old, name="Старое положение.docx")
    db.session.commit()
    district.url = f"/public/{district.slug}/documents/"
    return district


def file_url(d, doc, file):
    return f"{d.url}{doc.id}/files/{file.id}"


def test_a_visitor_sees_the_public_documents_and_downloads_their_files(client, d):
    resp = client.get(d.url)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Положение о конкурсе «Учитель года»" in page and "Положение о конкурсе.docx" in page
    assert "План работы для педагогов района" not in page and "Должностная инструкция методиста" not in page
    assert "Положение о конкурсе 2024 года" not in page  # a replaced version is not shown
    got = client.get(file_url(d, d.public, d.public_file))
    assert got.status_code == 200 and got.data.startswith(b"PK")
    assert "attachment" in got.headers["Content-Disposition"]
    assert client.get(f"{d.url}?q=инструкция").get_data(as_text=True).count("Инструкция.docx") == 0


def test_other_documents_and_their_files_are_404_for_a_visitor(client, d):
    assert client.get(file_url(d, d.inner, d.inner_file)).status_code == 404
    assert client.get(file_url(d, d.service, d.service_file)).status_code == 404
    assert client.get(file_url(d, d.old, d.old_file)).status_code == 404
    # a file of another document, under the public document's id
    assert client.get(file_url(d, d.public, d.inner_file)).status_code == 404


def test_another_districts_public_document_is_404_under_this_district(client, d, make_tenant):
    other = make_tenant()
    theirs = document_in(other, title="Чужое открытое положение", visibility="public")
    their_file = document_file_in(other, theirs)
    db.session.commit()
    assert "Чужое открытое положение" not in client.get(d.url).get_data(as_text=True)
    assert client.get(file_url(d, theirs, their_file)).status_code == 404
    assert client.get(f"/public/{other.slug}/documents/{theirs.id}/files/{their_file.id}").status_code == 200


def test_a_suspended_or_unknown_district_is_404(client, d):
    assert client.get("/public/no-such-district/documents/").status_code == 404
    d.tenant.is_suspended = True
    db.session.commit()
    assert client.get(d.url).status_code == 404
    assert client.get(file_url(d, d.public, d.public_file)).status_code == 404


def test_public_is_no_district_name(app):
    """No district can be called «public»: /public/<slug>/ is never a district page."""
    adapter = app.url_map.bind("localhost")
    endpoint, _args = adapter.match("/public/district-1/documents/")
    assert endpoint == "public_documents.index"
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        adapter.match("/public/")


def test_the_documents_page_links_to_the_public_page(make_browser, d):
    page = make_browser(d.teacher.email).get(f"/{d.slug}/documents/").get_data(as_text=True)
    assert f'href="/public/{d.slug}/documents/"' in page


def test_the_public_page_runs_the_same_queries_for_more_documents(client, d, count_queries):
    client.get(d.url)
    with count_queries() as few:
        client.get(d.url)
    for n in range(5):
        document_file_in(d.tenant, document_in(d.tenant, title=f"Открытый документ {n}", visibility="public"))
    db.session.commit()
    with count_queries() as many:
        page = client.get(d.url).get_data(as_text=True)
    assert "Открытый документ 4" in page and many.count == few.count
