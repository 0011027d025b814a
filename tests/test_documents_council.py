"""The council's composition by order: each change of composition is recorded with a new order (a composition
document with its file); earlier compositions stay readable with their orders."""
import io
from datetime import date

import pytest

from factories.core import person_in
from factories.structure import council_in, member_in
from oms.extensions import db
from oms.models import Body, Document, DocumentFile
from oms.services.sample_files import docx_bytes


@pytest.fixture
def council(district):
    body = council_in(district.tenant, name="Методический совет района")
    member_in(district.tenant, body, person_in(district.tenant, last_name="Абрамова"), role="chair")
    member_in(district.tenant, body, person_in(district.tenant, last_name="Борисова"), role="secretary")
    db.session.commit()
    return body


def order(number, day, name="Приказ.docx"):
    return {"order_number": number, "order_date": day,
            "attachments": (io.BytesIO(docx_bytes("Приказ", ["Утвердить состав."])), name)}


def test_a_change_of_composition_is_recorded_with_a_new_order(make_browser, district, council):
    url = f"/{district.slug}/council/{council.id}"
    b = make_browser(district.methodist.email)
    resp = b.post(f"{url}/composition", order("201", "2024-09-02", "Приказ 201.docx"),
                  content_type="multipart/form-data")
    assert resp.status_code == 302
    first = db.session.scalar(db.select(Document).where(Document.kind == "composition"))
    assert [m["name"].split()[0] for m in first.composition] == ["Абрамова", "Борисова"]
    page = b.get(f"{url}/").get_data(as_text=True)
    assert "№ 201 от 02.09.2024" in page and "Приказ 201.docx" in page

    member_in(district.tenant, council, person_in(district.tenant, last_name="Власова"), role="member")
    db.session.commit()
    resp = b.post(f"{url}/composition", order("214-од", "2025-09-01", "Приказ 214.docx"),
                  content_type="multipart/form-data")
    assert resp.status_code == 302
    body = db.session.get(Body, council.id)
    assert body.order_number == "214-од" and body.order_date == date(2025, 9, 1)
    docs = db.session.scalars(db.select(Document).where(Document.kind == "composition").order_by(Document.id)).all()
    assert [d.is_current for d in docs] == [False, True] and docs[1].lineage_id == docs[0].id
    assert len(docs[1].composition) == 3 and len(docs[0].composition) == 2

    teacher = make_browser(district.teacher.email)
    page = teacher.get(f"{url}/").get_data(as_text=True)
    assert "Состав утверждён приказом № 214-од от 01.09.2025" in page and "Приказ 214.docx" in page
    earlier = page.split('id="earlier-compositions"')[1].split("</ul>")[0]
    assert "№ 201 от 02.09.2024" in earlier and "Приказ 201.docx" in earlier and "Власова" not in earlier
    old_file = db.session.scalar(db.select(DocumentFile).where(DocumentFile.document_id == docs[0].id))
    assert teacher.get(f"/{district.slug}/documents/{docs[0].id}/files/{old_file.id}").status_code == 200
    assert "Записать изменение состава" not in page  # a teacher only reads
    listed = teacher.get(f"/{district.slug}/documents/{docs[0].id}/").get_data(as_text=True)
    assert "Абрамова" in listed.split('id="composition"')[1] and "Власова" not in listed


def test_an_order_without_number_or_date_is_refused(make_browser, district, council):
    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/council/{council.id}/composition", order("", ""),
                  content_type="multipart/form-data")
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "Заполните это поле." in text and "Укажите дату." in text
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


@pytest.mark.parametrize("role", ["leader", "teacher"])
def test_only_the_service_records_orders(make_browser, district, council, role):
    b = make_browser(getattr(district, role).email)
    resp = b.post(f"/{district.slug}/council/{council.id}/composition", order("1", "2025-09-01"),
                  content_type="multipart/form-data")
    assert resp.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_correcting_the_requisites_corrects_the_current_order_document(make_browser, district, council):
    url = f"/{district.slug}/council/{council.id}"
    b = make_browser(district.methodist.email)
    b.post(f"{url}/composition", order("21", "2025-09-01"), content_type="multipart/form-data")
    version = db.session.get(Body, council.id).version
    resp = b.post(f"{url}/order", {"order_number": "21-од", "order_date": "2025-09-02", "version": version})
    assert resp.status_code == 302
    doc = db.session.scalar(db.select(Document).where(Document.kind == "composition"))
    assert doc.number == "21-од" and doc.issued_on == date(2025, 9, 2)
