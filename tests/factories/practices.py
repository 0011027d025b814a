"""Factories for the practice bank: practices, their files, reviews, rubric criteria, plan links."""
import itertools

from oms.extensions import db
from oms.models import (Practice, PracticeAuthor, PracticeFile, PracticePlanItem, PracticeReview,
                        RubricCriterion)
from oms.services.sample_files import sample_upload
from oms.files import store

from . import route_arg
from .core import person_in, school_in
from .plan import item_in as plan_item_in

_n = itertools.count(1)


@route_arg("practice_id")
def practice_in(tenant, authors=None, status="published", **kw):
    n = next(_n)
    authors = authors if authors is not None else [person_in(tenant, school_id=school_in(tenant).id)]
    practice = Practice(tenant_id=tenant.id, title=kw.pop("title", f"Практика {n}"), status=status,
                        start_year=kw.pop("start_year", 2025), consent=kw.pop("consent", True),
                        school_id=kw.pop("school_id", authors[0].school_id if authors else None), **kw)
    db.session.add(practice)
    db.session.flush()
    for i, person in enumerate(authors):
        db.session.add(PracticeAuthor(tenant_id=tenant.id, practice_id=practice.id, person_id=person.id, position=i))
    db.session.flush()
    return practice


@route_arg("practice_file_id")
def practice_file_in(tenant, practice=None):
    row = PracticeFile(tenant_id=tenant.id, practice_id=(practice or practice_in(tenant)).id)
    store(row, sample_upload("материалы.docx", "Материалы", ["Текст"]))
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("practice_review_id")
def practice_review_in(tenant, practice=None, expert=None, **kw):
    practice = practice or practice_in(tenant, status="review", review_round=1)
    review = PracticeReview(tenant_id=tenant.id, practice_id=practice.id, expert_id=(expert or person_in(tenant)).id,
                            round=kw.pop("round", practice.review_round or 1), **kw)
    db.session.add(review)
    db.session.flush()
    return review


@route_arg("rubric_criterion_id")
def criterion_in(tenant, **kw):
    row = RubricCriterion(tenant_id=tenant.id, name=kw.pop("name", f"Критерий {next(_n)}"),
                          max_points=kw.pop("max_points", 5), position=kw.pop("position", 1))
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("practice_link_id")
def practice_link_in(tenant, practice=None, item=None):
    link = PracticePlanItem(tenant_id=tenant.id, practice_id=(practice or practice_in(tenant)).id,
                            plan_item_id=(item or plan_item_in(tenant)).id)
    db.session.add(link)
    db.session.flush()
    return link


@route_arg("practice_action")
def practice_action(tenant):
    return "archive"
