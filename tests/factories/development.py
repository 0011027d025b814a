"""Factories for teachers' development: courses, competence areas, deficits, route steps, mentoring,
attestations."""
import itertools
from datetime import date

from oms.extensions import db
from oms.models import Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship, RouteStep

from . import route_arg
from .core import person_in, school_in

_n = itertools.count(1)


def teacher_in(tenant, **kw):
    """A person working in a school (the rules of development apply to them)."""
    school = kw.pop("school", None) or school_in(tenant)
    return person_in(tenant, school_id=school.id, **kw)


@route_arg("course_id")
def course_in(tenant, person=None, **kw):
    n = next(_n)
    course = Course(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                    title=kw.pop("title", f"Функциональная грамотность: практика формирования {n}"),
                    provider=kw.pop("provider", "Институт развития образования"), hours=kw.pop("hours", 36),
                    date_from=kw.pop("date_from", date(2024, 3, 1)), date_to=kw.pop("date_to", date(2024, 3, 20)),
                    form=kw.pop("form", "distance"), status=kw.pop("status", "confirmed"), **kw)
    db.session.add(course)
    db.session.flush()
    return course


@route_arg("area_id")
def area_in(tenant, name=None, **kw):
    n = next(_n)
    area = CompetenceArea(tenant_id=tenant.id, position=kw.pop("position", n))
    area.set_name(name or f"Область компетенций {n}")
    db.session.add(area)
    db.session.flush()
    return area


@route_arg("deficit_id")
def deficit_in(tenant, person=None, area=None, **kw):
    deficit = Deficit(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                      area_id=(area or area_in(tenant)).id, source=kw.pop("source", "diagnostic"),
                      found_on=kw.pop("found_on", date(2025, 9, 15)), status=kw.pop("status", "open"), **kw)
    db.session.add(deficit)
    db.session.flush()
    return deficit


@route_arg("step_id")
def step_in(tenant, person=None, deficit=None, **kw):
    if deficit is None and person is None:
        deficit = deficit_in(tenant)
    person_id = person.id if person is not None else deficit.person_id
    step = RouteStep(tenant_id=tenant.id, person_id=person_id, deficit_id=deficit.id if deficit else None,
                     kind=kw.pop("kind", "self_study"), title=kw.pop("title", "Изучить методические рекомендации"),
                     due_month=kw.pop("due_month", date(2025, 11, 1)), status=kw.pop("status", "planned"), **kw)
    db.session.add(step)
    db.session.flush()
    return step


@route_arg("mentorship_id")
def mentorship_in(tenant, mentor=None, mentee=None, **kw):
    pair = Mentorship(tenant_id=tenant.id, mentor_id=(mentor or teacher_in(tenant)).id,
                      mentee_id=(mentee or teacher_in(tenant, is_young_specialist=True)).id,
                      date_from=kw.pop("date_from", date(2025, 9, 1)), **kw)
    db.session.add(pair)
    db.session.flush()
    return pair


@route_arg("mentoring_meeting_id")
def mentoring_meeting_in(tenant, pair=None, **kw):
    meeting = MentoringMeeting(tenant_id=tenant.id, mentorship_id=(pair or mentorship_in(tenant)).id,
                               held_on=kw.pop("held_on", date(2025, 10, 1)),
                               topic=kw.pop("topic", "Анализ посещённого урока"), **kw)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@route_arg("attestation_id")
def attestation_in(tenant, person=None, **kw):
    record = Attestation(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                         category=kw.pop("category", "first"), passed_on=kw.pop("passed_on", date(2021, 12, 20)),
                         next_due=kw.pop("next_due", date(2026, 12, 20)), **kw)
    db.session.add(record)
    db.session.flush()
    return record
