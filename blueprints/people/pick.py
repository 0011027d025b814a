"""The person picker's search: a few of the district's people matching what was typed (see oms/picker.py)."""
from flask import render_template, request
from sqlalchemy import case
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Person
from oms.models.base import search_filter
from oms.text import whole_number

from . import bp

LIMIT = 20


def _ids(text: str) -> set[int]:
    return {n for n in (whole_number(part.strip()) for part in (text or "").split(",")[:500]) if n is not None}


@bp.route("/pick")
def pick():
    """GET ?pick_q=…&school=<id listed first>&exclude=1,2&chosen=3: at most LIMIT options, one query."""
    query = (request.args.get("pick_q") or "").strip()[:200]
    people = []
    if query:
        skip = _ids(request.args.get("exclude", "")) | _ids(request.args.get("chosen", ""))
        stmt = Person.scoped().where(*search_filter(Person, query)).options(joinedload(Person.school))
        if skip:
            stmt = stmt.where(Person.id.not_in(skip))
        school = whole_number(request.args.get("school", ""))
        order = [case((Person.school_id == school, 0), else_=1)] if school is not None else []
        stmt = stmt.order_by(*order, Person.name_key, Person.id).limit(LIMIT + 1)
        people = db.session.scalars(stmt).unique().all()
    return render_template("people/_pick_options.html", people=people[:LIMIT], more=len(people) > LIMIT,
                           query=query)
