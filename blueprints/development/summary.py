"""A person's development in brief: what their own page and a personal home page show at a glance."""
from datetime import date

from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Course, Mentorship, Person, RouteStep
from oms.services.development import facts_for, is_course_overdue, upcoming_window

NEXT_STEPS = 3


def summary_for(person: Person, today: date) -> dict:
    facts = facts_for([person.id], today)[person.id]
    steps = db.session.scalars(
        RouteStep.scoped().where(RouteStep.person_id == person.id, RouteStep.status == "planned")
        .order_by(RouteStep.due_month, RouteStep.id).limit(NEXT_STEPS)).all()
    proposed = db.session.scalar(db.select(db.func.count(Course.id))
                                 .where(Course.person_id == person.id, Course.status == "proposed")) or 0
    mentees = db.session.scalars(
        Mentorship.scoped().where(Mentorship.mentor_id == person.id, Mentorship.date_from <= today,
                                  (Mentorship.date_to.is_(None)) | (Mentorship.date_to >= today))
        .options(joinedload(Mentorship.mentee))).all()
    due = facts["due"]
    return {
        "person": person,
        "last_course": facts["last_course"],
        "course_due": person.school_id is not None and is_course_overdue(facts["last_course"], today),
        "proposed": proposed,
        "open_deficits": facts["open_deficits"],
        "next_steps": steps,
        "mentors": facts["mentors"],
        "mentees": mentees,
        "due": due,
        "due_soon": due is not None and due < upcoming_window(today)[1],
        "today": today,
    }

