"""Loading a plan and its items through the current district, and what the current user may do."""
import functools
from dataclasses import dataclass

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload

from oms.current import current_tenant_id
from oms.extensions import db
from oms.models import Body, BodyMember, Person, Plan, PlanItem, PlanItemResponsible
from oms.permissions import can
from oms.services.plans import find_plan, parse_year_slug


def start_year_or_404(year: str) -> int:
    start = parse_year_slug(year)
    if start is None:
        abort(404)
    return start


def plan_or_404(year: str) -> Plan:
    plan = find_plan(start_year_or_404(year))
    if plan is None:
        abort(404)
    return plan


def item_options():
    """What an item row shows, loaded with the item."""
    return (joinedload(PlanItem.form), joinedload(PlanItem.body), joinedload(PlanItem.venue_school),
            joinedload(PlanItem.function), joinedload(PlanItem.direction),
            selectinload(PlanItem.responsible_links).joinedload(PlanItemResponsible.person))


def item_or_404(plan: Plan, item_id) -> PlanItem:
    """An item of this plan in the current district (loaded through its plan)."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        abort(404)
    item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == item_id, PlanItem.plan_id == plan.id)
                             .options(*item_options()))
    if item is None:
        abort(404)
    return item


@functools.cache
def _my_person_statement():
    """The id of a user's own person record, a select built once (its parameters: tenant_id, user_id)."""
    return Person.scoped_by_param().with_only_columns(Person.id).where(Person.user_id == bindparam("user_id"))


def my_person_id() -> int | None:
    """The id of the current user's person record in the district, or None (once a request)."""
    if "my_person_id" not in g:
        g.my_person_id = db.session.scalar(_my_person_statement(), {"tenant_id": current_tenant_id(),
                                                                    "user_id": current_user.id})
    return g.my_person_id


def led_body_ids() -> set[int]:
    """Bodies the current user leads (as leader or chair through their person record)."""
    if "led_body_ids" not in g:
        person_id = my_person_id()
        ids = set()
        if person_id is not None:
            ids = set(db.session.scalars(
                db.select(BodyMember.body_id).where(BodyMember.person_id == person_id,
                                                    BodyMember.role.in_(("leader", "chair")))))
        g.led_body_ids = ids
    return g.led_body_ids


def led_bodies() -> list[Body]:
    ids = led_body_ids()
    if not ids:
        return []
    return list(db.session.scalars(Body.scoped().where(Body.id.in_(ids)).order_by(Body.position, Body.name)))


@dataclass
class Rights:
    """What the current user may do on a plan page (the same rules as oms.permissions, computed once)."""

    plan: Plan
    edit_plan: bool
    approve: bool
    export: bool
    import_: bool
    bodies: set

    @classmethod
    def of(cls, plan: Plan) -> "Rights":
        edit = can("plan.edit")
        bodies = set() if edit or current_user.role != "leader" else led_body_ids()
        return cls(plan=plan, edit_plan=edit, approve=can("plan.approve"), export=can("plan.export"),
                   import_=can("plan.import"), bodies=bodies)

    def item(self, item: PlanItem) -> bool:
        """May edit this item at all (content on a draft, execution always)."""
        return self.edit_plan or (item.body_id is not None and item.body_id in self.bodies)

    def content(self, item: PlanItem) -> bool:
        return not self.plan.is_approved and self.item(item)

    @property
    def add(self) -> bool:
        return not self.plan.is_approved and (self.edit_plan or bool(self.bodies))
