"""Helpers shared by the development screens."""
from datetime import date

from flask import abort, redirect, render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from blueprints.council.common import htmx_redirect
from oms.extensions import db
from oms.models import Body, BodyKind, Person, School
from oms.models.structure import ASSOCIATION_CATEGORIES
from oms.views import is_htmx

PER_PAGE = 30


def today() -> date:
    return date.today()


def person_or_404(person_id) -> Person:
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        abort(404)
    person = db.session.scalar(Person.scoped().where(Person.id == person_id).options(joinedload(Person.school)))
    if person is None:
        abort(404)
    return person


def own_person() -> Person | None:
    """The person record of the logged-in user in this district, if it is linked."""
    return db.session.scalar(Person.scoped().where(Person.user_id == current_user.id)
                             .options(joinedload(Person.school)))


def all_schools() -> list[School]:
    return db.session.scalars(School.scoped().order_by(School.short_name, School.name)).all()


def associations() -> list[Body]:
    return db.session.scalars(
        Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id)
        .where(BodyKind.category.in_(ASSOCIATION_CATEGORIES)).order_by(Body.name)).all()


def go(target: str):
    """Leave a form for another page, for plain and htmx requests alike."""
    return htmx_redirect(target) if is_htmx() else redirect(target)


def form_page(page: str, partial: str, status: int, **context):
    """A form: the partial for htmx (swapped in place), the full page otherwise."""
    return render_template(partial if is_htmx() else page, **context), status


def page_number() -> int:
    from flask import request

    return max(1, request.args.get("page", 1, type=int) or 1)
