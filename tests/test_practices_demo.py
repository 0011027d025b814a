"""The demo's practice bank: every district has practices across the statuses, published ones by the council's
decision, reviews with scores, real DOCX files, links to plan items and to deficits."""
from oms.extensions import db
from oms.files import read
from oms.models import (Decision, Practice, PracticeFile, PracticePlanItem, PracticeReview, ReviewScore, RouteStep,
                        Tenant)


def test_demo_practices_in_every_district(demo, make_browser):
    for tenant in db.session.scalars(db.select(Tenant).where(Tenant.slug.is_not(None))):
        rows = db.session.scalars(db.select(Practice).where(Practice.tenant_id == tenant.id)).all()
        assert len(rows) >= 8, tenant.slug
        statuses = [p.status for p in rows]
        assert len(set(statuses)) >= 6
        published = [p for p in rows if p.status == "published"]
        assert len(published) >= 3
        for p in published:
            decision = db.session.get(Decision, p.decision_id)
            assert decision is not None and "Одобрить практику" in decision.text
            assert 2025 <= p.published_at.year <= 2026
        under_review = [p for p in rows if p.status == "review"]
        assert len(under_review) >= 2
        scored = db.session.scalar(db.select(db.func.count(ReviewScore.id)).join(PracticeReview).where(
            PracticeReview.practice_id.in_([p.id for p in under_review])))
        assert scored > 0
        files = db.session.scalars(db.select(PracticeFile).where(PracticeFile.tenant_id == tenant.id)).all()
        assert len(files) == len(rows) and read(files[0]).startswith(b"PK")
        assert db.session.scalar(db.select(db.func.count(PracticePlanItem.id))
                                 .where(PracticePlanItem.tenant_id == tenant.id)) >= 1
        assert db.session.scalar(db.select(db.func.count(RouteStep.id)).where(
            RouteStep.tenant_id == tenant.id, RouteStep.title.contains("Изучить практику"))) >= 1
    b = make_browser()
    assert b.login("teacher@kurchaloy.demo.oms", password="oms-demo").status_code == 302
    page = b.get("/kurchaloy/practices/?q=елка").get_data(as_text=True)
    assert "Новогодняя ёлка" in page


def test_loading_the_demo_twice_adds_no_practices(demo):
    from oms.demo import load_demo

    before = db.session.scalar(db.select(db.func.count(Practice.id)))
    load_demo(demo.config["PASSWORD_HASH_METHOD"])
    assert db.session.scalar(db.select(db.func.count(Practice.id))) == before
