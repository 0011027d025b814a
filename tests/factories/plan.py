"""Factories for the plan: directions, forms of work, bodies, plans and their items."""
import itertools

from oms.extensions import db
from oms.models import Body, BodyKind, BodyMember, Direction, Person, Plan, PlanItem, PlanItemResponsible, WorkForm
from oms.models.plan import mask_of

from . import route_arg
from .core import person_in

_n = itertools.count(1)


def direction_in(tenant, name=None, position=None):
    n = next(_n)
    direction = Direction(tenant_id=tenant.id, name=name or f"Направление {n}",
                          position=n if position is None else position)
    db.session.add(direction)
    db.session.flush()
    return direction


def form_in(tenant, name=None):
    n = next(_n)
    form = WorkForm(tenant_id=tenant.id, name=name or f"Семинар {n}", position=n)
    db.session.add(form)
    db.session.flush()
    return form


def body_kind_in(tenant, category="association"):
    kind = db.session.scalar(db.select(BodyKind).where(BodyKind.tenant_id == tenant.id,
                                                      BodyKind.code == f"test-{category}"))
    if kind is None:
        kind = BodyKind(tenant_id=tenant.id, code=f"test-{category}", category=category,
                        name={"association": "Методическое объединение", "council": "Методический совет"}
                        .get(category, category))
        db.session.add(kind)
        db.session.flush()
    return kind


@route_arg("body_id")
def body_in(tenant, name=None, category="association", leader=None):
    """A body (an association by default); `leader` = a User who leads it through a person record."""
    n = next(_n)
    body = Body(tenant_id=tenant.id, kind_id=body_kind_in(tenant, category).id,
                name=name or f"ММО учителей {n}", position=n)
    db.session.add(body)
    db.session.flush()
    if leader is not None:
        person = db.session.scalar(db.select(Person).where(Person.user_id == leader.id))
        if person is None:
            person = person_in(tenant, user_id=leader.id)
        db.session.add(BodyMember(tenant_id=tenant.id, body_id=body.id, person_id=person.id, role="leader"))
        db.session.flush()
    return body


def plan_in(tenant, start_year=2025, status="draft", **kw):
    plan = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == start_year))
    if plan is None:
        plan = Plan(tenant_id=tenant.id, start_year=start_year, status=status, **kw)
        db.session.add(plan)
        db.session.flush()
    return plan


@route_arg("plan_item_id")
def item_in(tenant, plan=None, direction=None, title=None, months=(10,), people=(), **kw):
    plan = plan or plan_in(tenant)
    direction = direction or direction_in(tenant)
    n = next(_n)
    item = PlanItem(tenant_id=tenant.id, plan_id=plan.id, direction_id=direction.id,
                    title=title or f"Семинар для заместителей директоров по УВР № {n}",
                    months=mask_of(months), position=kw.pop("position", n), **kw)
    item.responsible_links = [PlanItemResponsible(tenant_id=tenant.id, person_id=p.id, position=i)
                              for i, p in enumerate(people)]
    db.session.add(item)
    db.session.flush()
    return item


@route_arg("year")
def year_in(tenant):
    """The URL value of a plan year that exists in the district."""
    plan = plan_in(tenant)
    return f"{plan.start_year}-{plan.start_year + 1}"
