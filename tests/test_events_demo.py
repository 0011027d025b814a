"""The demo: in every district, events with registrations and attendance, a school-level council that meets,
and plan items whose «выполнено» comes from their evidence; the calendar shows them."""
from oms.demo import DEMO_SLUGS
from oms.extensions import db
from oms.models import Body, BodyKind, Event, EventRegistration, Meeting, Plan, PlanItem, Tenant


def test_demo_events_meetings_and_evidence_in_every_district(demo, make_browser):
    for slug in DEMO_SLUGS:
        tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
        events = db.session.scalar(db.select(db.func.count(Event.id)).where(Event.tenant_id == tenant.id))
        attended = db.session.scalar(db.select(db.func.count(EventRegistration.id)).where(
            EventRegistration.tenant_id == tenant.id, EventRegistration.attended.is_(True)))
        waiting = db.session.scalar(db.select(db.func.count(EventRegistration.id)).where(
            EventRegistration.tenant_id == tenant.id, EventRegistration.state == "waiting"))
        assert events >= 8 and attended >= 20 and waiting >= 1, slug
        school_meetings = db.session.scalar(
            db.select(db.func.count(Meeting.id)).join(Body, Body.id == Meeting.body_id)
            .join(BodyKind, BodyKind.id == Body.kind_id)
            .where(Meeting.tenant_id == tenant.id, BodyKind.level == "school", Meeting.is_held.is_(True)))
        assert school_meetings >= 1, slug
        from_evidence = db.session.scalar(
            db.select(db.func.count(PlanItem.id)).join(Plan, Plan.id == PlanItem.plan_id)
            .where(Plan.tenant_id == tenant.id, Plan.start_year == 2025, PlanItem.status == "done",
                   PlanItem.evidence_mode == "evidence", PlanItem.participants_count.is_not(None)))
        assert from_evidence >= 10, slug
        from oms.models import Decision
        next_year = db.session.scalar(
            db.select(Plan.start_year).join(PlanItem, PlanItem.plan_id == Plan.id)
            .join(Decision, Decision.plan_item_id == PlanItem.id).where(Plan.tenant_id == tenant.id))
        assert next_year == 2026, slug  # a council decision became an item of next year's draft
    assert db.session.scalar(db.select(Tenant.time_zone).where(Tenant.slug == "kalar")) == "Asia/Chita"
    b = make_browser()
    assert b.login("teacher@kalar.demo.oms", password="oms-demo").status_code == 302
    page = b.get("/kalar/calendar/?month=2025-11").get_data(as_text=True)
    assert "cal-entry--event" in page and "cal-entry--meeting" in page and ".ics" in page
