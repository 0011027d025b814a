"""A person's development in brief: what their own page and a personal home page show at a glance."""
from datetime import date

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Course, Mentorship, Person, RouteStep
from oms.services.development import facts_for, is_course_overdue, renewal_cutoff, upcoming_window

NEXT_STEPS = 3


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def summary_for(person: Person, today: date) -> dict:
    """Seven queries, whatever the person's history."""
    facts = facts_for([person.id], today)[person.id]
    cutoff = renewal_cutoff(today)
    recent, hours, proposed = db.session.execute(
        db.select(_count((Course.status == "confirmed") & (Course.date_to >= cutoff)),
                  func.coalesce(func.sum(case(((Course.status == "confirmed") & (Course.date_to >= cutoff),
                                               Course.hours), else_=0)), 0),
                  _count(Course.status == "proposed"))
        .where(Course.person_id == person.id)).one()
    done, live = db.session.execute(
        db.select(_count(RouteStep.status == "done"), func.count(RouteStep.id))
        .where(RouteStep.person_id == person.id, RouteStep.status != "cancelled")).one()
    steps = db.session.scalars(
        RouteStep.scoped().where(RouteStep.person_id == person.id, RouteStep.status == "planned")
        .order_by(RouteStep.due_month, RouteStep.id).limit(NEXT_STEPS)).all()
    mentees = db.session.scalars(
        Mentorship.scoped().where(Mentorship.mentor_id == person.id, Mentorship.date_from <= today,
                                  (Mentorship.date_to.is_(None)) | (Mentorship.date_to >= today))
        .options(joinedload(Mentorship.mentee))).all()
    due = facts["due"]
    return {
        "person": person,
        "last_course": facts["last_course"],
        "recent_courses": int(recent),
        "recent_hours": int(hours),
        "cutoff": cutoff,
        # the three-year rule is for those who work in a school
        "rule_applies": person.school_id is not None,
        "course_due": person.school_id is not None and is_course_overdue(facts["last_course"], today),
        "proposed": int(proposed),
        "open_deficits": facts["open_deficits"],
        "steps_done": int(done),
        "steps_live": live,
        "next_steps": steps,
        "mentors": facts["mentors"],
        "mentees": mentees,
        "due": due,
        "due_soon": due is not None and due < upcoming_window(today)[1],
        "today": today,
    }
