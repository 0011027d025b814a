"""The demo districts have development data for every screen, and loading the demo twice adds nothing."""
from oms.extensions import db
from oms.models import Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship, Person, RouteStep
from oms.models import Tenant
from oms.demo_steps import DEMO_DAY
from oms.models.development import DEFAULT_AREAS, years_before
from oms.services.dashboard import district_dashboard

MODELS = (CompetenceArea, Course, Deficit, RouteStep, Mentorship, MentoringMeeting, Attestation)


def _counts():
    return {m.__name__: db.session.scalar(db.select(db.func.count(m.id))) for m in MODELS}


def test_demo_development_data_in_every_district(demo, app, make_browser):
    from oms.demo import load_demo

    before = _counts()
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    assert _counts() == before
    today = DEMO_DAY
    cutoff = years_before(today, 3)
    for tenant in db.session.scalars(db.select(Tenant)):
        def rows(model, *where):
            return db.session.scalars(db.select(model).where(model.tenant_id == tenant.id, *where)).all()

        assert len(rows(CompetenceArea)) == len(DEFAULT_AREAS)
        teachers = rows(Person, Person.school_id.is_not(None))
        courses = rows(Course)
        with_course = {c.person_id for c in courses}
        assert len(with_course) > 0.8 * len(teachers), tenant.slug
        assert any(c.date_to < cutoff for c in courses) and any(c.status == "proposed" for c in courses)
        deficits = rows(Deficit)
        assert {"open", "closed"} <= {d.status for d in deficits}
        steps = rows(RouteStep)
        assert {"planned", "done"} <= {s.status for s in steps}
        young = [p for p in teachers if p.is_young_specialist]
        mentored = {m.mentee_id for m in rows(Mentorship)}
        assert 0 < len([p for p in young if p.id not in mentored]) < len(young) / 2
        assert rows(MentoringMeeting)
        board = district_dashboard(tenant.id, today)
        assert board.attestation["upcoming"] >= 3 and board.coverage["overdue"] > 0 and board.areas
    teacher = make_browser()
    assert teacher.login("teacher@kalar.demo.oms", password="oms-demo").status_code == 302
    page = teacher.get("/kalar/development/me").get_data(as_text=True)
    assert "Ожидает подтверждения" in page and "Закрыт" in page and "Не закрыт" in page


def test_demo_dates_follow_the_demo_year_whatever_the_clock(app):
    """Loaded on any day, the demo's meetings, decisions, courses and routes fall in (or before) 2025/2026."""
    from datetime import date

    from oms import clock
    from oms.demo import load_demo
    from oms.models import Decision, Meeting

    with clock.pinned(app, date(2031, 1, 10)):
        load_demo(app.config["PASSWORD_HASH_METHOD"])
    year_end = date(2026, 8, 31)
    # (a route's planned steps may reach into the autumn; what was done, held or is due lies in the year)
    columns = (Decision.due_date, Meeting.held_on, Course.date_to, Deficit.found_on, RouteStep.done_on,
               Attestation.passed_on, MentoringMeeting.held_on)
    for column in columns:
        latest = db.session.scalar(db.select(db.func.max(column)))
        assert latest is not None and latest <= year_end, f"{column}: {latest}"
    earliest_due = db.session.scalar(db.select(db.func.min(Decision.due_date)))
    assert earliest_due >= date(2025, 9, 1)


def test_demo_people_are_plausible(demo):
    """A young specialist holds no category; the highest comes after five years at work; job titles are
    written alike («учитель», «методист»), council roles capitalised."""
    from oms.models import BodyMember

    teachers = db.session.scalars(db.select(Person).where(Person.school_id.is_not(None))).all()
    assert teachers
    for p in teachers:
        assert not (p.is_young_specialist and p.category), (p.full_name, p.experience_years, p.category)
        assert p.category != "highest" or p.experience_years >= 5, (p.full_name, p.experience_years)
        if p.category_date:
            assert p.category_date.year >= 2025 - p.experience_years + 2, (p.full_name, p.experience_years)
    positions = db.session.scalars(db.select(Person.position).distinct()).all()
    assert all(t[:1].islower() or t[1:2].isupper() for t in positions if t), positions
    titles = db.session.scalars(db.select(BodyMember.role_title).where(BodyMember.role_title != "")).all()
    assert titles and all(t[:1].isupper() for t in titles), titles
