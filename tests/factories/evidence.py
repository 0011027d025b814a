"""Factories for plan items' evidence links (and the kind/object of an activity in a URL)."""
from oms.extensions import db
from oms.models.evidence import PlanItemLink

from . import route_arg
from .plan import item_in
from .structure import meeting_in


@route_arg("kind")
def kind_code(tenant):
    return "meeting"


@route_arg("object_id")
def activity_in(tenant):
    return meeting_in(tenant)


@route_arg("link_id")
def link_in(tenant, item=None, meeting=None):
    row = PlanItemLink(tenant_id=tenant.id, item_id=(item or item_in(tenant)).id, kind="meeting",
                       object_id=(meeting or meeting_in(tenant)).id)
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("pick_kind")
def pick_kind(tenant):
    return "plan_item"  # a picker's kind (oms/picker.py) in /<slug>/pick/<pick_kind>
