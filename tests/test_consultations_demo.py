"""Demo data of consultations, surveys and PD requests in every district; loading twice adds nothing."""
from datetime import date

from oms.demo import DEMO_SLUGS, load_demo
from oms.demo_steps import DEMO_DAY
from oms.extensions import db
from oms.models import Consultation, PDRequest, Survey, SurveyResponse, Tenant
from oms.services.pd_requests import summary_rows


def _count(model, *where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where)
                             .execution_options(all_districts=True))


def test_demo_consultations_surveys_and_requests(demo, app, make_browser):
    for slug in DEMO_SLUGS:
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        t = Consultation.tenant_id == tenant.id
        assert _count(Consultation, t) >= 30
        assert _count(Consultation, t, Consultation.asker_kind == "parent") >= 3
        held = db.session.scalars(db.select(Consultation.held_at).where(t, Consultation.status == "held")).all()
        assert min(held).date() >= date(2025, 9, 1) and max(held).date() < DEMO_DAY  # held ones lie in the past
        assert not any(date(2026, 1, 1) <= h.date() <= date(2026, 1, 8) or h.weekday() >= 5 for h in held)
        booked = db.session.scalars(db.select(Consultation.held_at).where(t, Consultation.status == "scheduled")).all()
        assert booked and min(booked).date() >= DEMO_DAY
        surveys = {s.purpose: s for s in db.session.scalars(db.select(Survey).where(Survey.tenant_id == tenant.id))}
        assert set(surveys) >= {"needs", "self_analysis", "feedback", "pd"}
        assert _count(SurveyResponse, SurveyResponse.survey_id == surveys["needs"].id) >= 40
        assert surveys["feedback"].plan_item_id is not None
        assert len(summary_rows(tenant.id, 2025)) >= 15
    before = [_count(m) for m in (Consultation, Survey, SurveyResponse, PDRequest)]
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    assert [_count(m) for m in (Consultation, Survey, SurveyResponse, PDRequest)] == before
    for who in ("methodist", "teacher"):
        b = make_browser()
        b.login(f"{who}@kalar.demo.oms", password="oms-demo")
        for url in ("/kalar/consultations/", "/kalar/surveys/", "/kalar/pd-requests/"):
            assert b.get(url).status_code == 200, (who, url)
    m = make_browser()
    m.login("methodist@kalar.demo.oms", password="oms-demo")
    needs = db.session.scalar(db.select(Survey).join(Tenant).where(Tenant.slug == "kalar", Survey.purpose == "needs"))
    page = m.get(f"/kalar/surveys/{needs.id}/results").get_data(as_text=True)
    assert 'id="total">45<' in page
