"""Pieces shared by the council's and the associations' screens."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Person
from oms.models.structure import MEMBER_ROLE_LABELS

ROLE_LABELS = MEMBER_ROLE_LABELS  # in the page's language
ROLE_ORDER = {"chair": 0, "leader": 0, "deputy": 1, "secretary": 2, "member": 3}


def people_choices(first_school_id=None, exclude=()) -> dict[str, list]:
    """The district's people as option groups: the given school first, then specialists, then other schools."""
    people = db.session.scalars(
        Person.scoped().options(joinedload(Person.school)).order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    groups: dict[str, list] = {}
    first, specialists = [], []
    for p in people:
        if p.id in exclude:
            continue
        label = p.full_name + (f" — {p.position}" if p.position else "")
        if first_school_id is not None and p.school_id == first_school_id:
            first.append((p.id, label))
        elif p.school_id is None:
            specialists.append((p.id, label))
        else:
            groups.setdefault(p.school.label, []).append((p.id, label))
    ordered = {}
    if first:
        school = next(p.school for p in people if p.school_id == first_school_id)
        ordered[_("%(school)s (своя организация)", school=school.label)] = first
    if specialists:
        ordered[_("Специалисты (без организации)")] = specialists
    for label in sorted(groups):
        ordered[label] = groups[label]
    return ordered


def htmx_redirect(target: str):
    """After an htmx request that ends on another page: the browser goes there (flash messages survive)."""
    response = current_app.response_class(status=204)
    response.headers["HX-Redirect"] = target
    return response
