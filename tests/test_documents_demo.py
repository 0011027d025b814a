"""The demo districts' documents: the required list mostly present, one missing, one superseded; the bank of
pedagogical information; Strezhevoy's agreement with ТОИПКРО."""
from datetime import date

from oms.clock import pinned
from oms.demo import DEMO_PASSWORD, DEMO_SLUGS
from oms.extensions import db
from oms.models import Document, DocumentFile, Tenant
from support import Browser


def test_demo_documents_in_every_district(demo, app):
    with pinned(app, date(2025, 12, 1)):
        for slug in DEMO_SLUGS:
            b = Browser(app.test_client())
            assert b.login(f"methodist@{slug}.demo.oms", DEMO_PASSWORD).status_code == 302
            listing = b.get(f"/{slug}/documents/")
            assert listing.status_code == 200
            page = b.get(f"/{slug}/documents/checklist").get_data(as_text=True)
            assert "2025/2026 учебный год" in page
            assert page.count("badge--err") == 1, slug  # one missing: the 2025/2026 plan, still a draft
            assert page.count("badge--ok") >= 1 and "badge--warn" not in page, slug
            tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
            docs = db.session.scalars(db.select(Document).where(Document.tenant_id == tenant.id)).all()
            assert any(not d.is_current for d in docs), slug
            bank = [d for d in docs if d.collection != "service"]
            assert len(bank) >= 10, slug
            teacher = Browser(app.test_client())
            assert teacher.login(f"teacher@{slug}.demo.oms", DEMO_PASSWORD).status_code == 302
            shelf = teacher.get(f"/{slug}/documents/?collection=methodical").get_data(as_text=True)
            assert "Методические рекомендации по формированию функциональной грамотности" in shelf, slug
            mine = teacher.get(f"/{slug}/me/").get_data(as_text=True)
            assert "Новые методические рекомендации по функциональной грамотности" in mine and "новое" in mine, slug
            council = b.get(f"/{slug}/council/").get_data(as_text=True)
            assert "Приказ о составе 2025.docx" in council and "Прежние составы" in council, slug
            files = db.session.scalar(db.select(db.func.count(DocumentFile.id))
                                      .where(DocumentFile.tenant_id == tenant.id))
            assert files == len(docs), slug
    strezhevoy = db.session.scalar(db.select(Tenant).where(Tenant.slug == "strezhevoy"))
    agreement = db.session.scalar(db.select(Document).where(Document.tenant_id == strezhevoy.id,
                                                            Document.kind == "agreement"))
    assert "ТОИПКРО" in agreement.partner and agreement.valid_to > agreement.valid_from
    before = db.session.scalar(db.select(db.func.count(Document.id)))
    from oms.demo import load_demo

    load_demo(app.config["PASSWORD_HASH_METHOD"])
    assert db.session.scalar(db.select(db.func.count(Document.id))) == before
