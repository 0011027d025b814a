"""Factories for documents and their files."""
import itertools
from datetime import date

from oms.extensions import db
from oms.files import store
from oms.models import Document, DocumentFile
from oms.services.sample_files import sample_upload

from . import route_arg

_n = itertools.count(1)


@route_arg("document_id")
def document_in(tenant, **kw):
    n = next(_n)
    doc = Document(tenant_id=tenant.id, collection=kw.pop("collection", "service"), kind=kw.pop("kind", "regulation"),
                   title=kw.pop("title", f"Положение о методическом совете {n}"), number=kw.pop("number", f"{n}-од"),
                   issued_on=kw.pop("issued_on", date(2025, 8, 29)), visibility=kw.pop("visibility", "district"), **kw)
    db.session.add(doc)
    db.session.flush()
    return doc


@route_arg("document_file_id")
def document_file_in(tenant, document=None, name="Положение.docx"):
    doc = document or document_in(tenant)
    file = store(DocumentFile(tenant_id=tenant.id, document_id=doc.id), sample_upload(name, doc.title, ["Текст."]))
    db.session.add(file)
    db.session.flush()
    return file


@route_arg("notice_id")
def notice_in(tenant, **kw):
    from oms.models import Notice

    notice = Notice(tenant_id=tenant.id, title=kw.pop("title", f"Новинка {next(_n)}"),
                    published_on=kw.pop("published_on", date(2025, 10, 1)), positions=kw.pop("positions", []),
                    subjects=kw.pop("subjects", []), school_ids=kw.pop("school_ids", []), **kw)
    db.session.add(notice)
    db.session.flush()
    return notice
