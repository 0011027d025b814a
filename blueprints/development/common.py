"""Helpers shared by the development screens."""
import functools
from datetime import date

from flask import abort, redirect, render_template, request
from flask_login import current_user
from sqlalchemy import bindparam, func
from sqlalchemy.orm import joinedload

from oms import clock
from blueprints.council.common import htmx_redirect
from oms.current import current_tenant_id
from oms.extensions import db
from oms.models import Body, BodyKind, Person, School
from oms.models.base import search_filter
from oms.models.structure import ASSOCIATION_CATEGORIES
from oms.views import is_htmx

PER_PAGE = 30


def today() -> date:
    return clock.today()


def one_or_404(model, object_id, *where, options=(), **execution_options):
    """The current district's `model` row with this id, loaded with `options` in one query; 404 when there is
    none, or when it fails `where` (a child under another parent's URL is answered as if it did not exist)."""
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        abort(404)
    stmt = model.scoped().where(model.id == object_id, *where).options(*options)
    obj = db.session.scalar(stmt.execution_options(**execution_options) if execution_options else stmt)
    if obj is None:
        abort(404)
    return obj


def person_or_404(person_id) -> Person:
    return one_or_404(Person, person_id, options=[joinedload(Person.school)])


@functools.cache
def _own_person_statement():
    return Person.scoped_by_param().where(Person.user_id == bindparam("user_id")).options(joinedload(Person.school))


def own_person() -> Person | None:
    """The person record of the logged-in user in this district, if it is linked (a select built once)."""
    return db.session.scalar(_own_person_statement(), {"tenant_id": current_tenant_id(), "user_id": current_user.id})


def all_schools() -> list[School]:
    return db.session.scalars(School.scoped().order_by(School.short_name, School.name)).all()


@functools.cache
def _school_rows_statement():
    label = func.coalesce(func.nullif(School.short_name, ""), School.name).label("label")
    return School.scoped_by_param().with_only_columns(School.id, label).order_by(School.short_name, School.name)


def school_rows() -> list:
    """The district's schools as rows with .id and .label, in the order of all_schools(): two columns, no objects
    (a select built once)."""
    return db.session.execute(_school_rows_statement(), {"tenant_id": current_tenant_id()}).all()


def school_choices() -> list[tuple[int, str]]:
    """The district's schools as (id, label) pairs for a list's choices."""
    return [tuple(row) for row in school_rows()]


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
    return max(1, request.args.get("page", 1, type=int) or 1)


# ---- the district lists' filters --------------------------------------------------------------

def list_filters(**more) -> dict:
    """The filters every district list has (the search text, the school) and the list's own."""
    return {"q": request.args.get("q", "").strip()[:100], "school": request.args.get("school", type=int), **more}


def choice_arg(name: str, allowed, default: str = "") -> str:
    """A query-string choice, kept only when it is one of `allowed`."""
    value = request.args.get(name, default)
    return value if value in allowed else default


def of_people(stmt, f):
    """Narrow a select of (or joined with) Person by the search text and the school of the list's filters."""
    if f["q"]:
        stmt = stmt.where(*search_filter(Person, f["q"]))
    if f["school"]:
        stmt = stmt.where(Person.school_id == f["school"])
    return stmt
