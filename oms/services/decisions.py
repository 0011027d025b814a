"""Decisions become work: a decision of a council or an association becomes an item of this year's plan or
next year's draft in one step, linked both ways (Decision.plan_item_id); the decision's status then follows
the item — done when the item is done, withdrawn when it is cancelled, in work otherwise."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Decision, Plan, PlanItem, PlanItemResponsible
from ..models.plan import mask_of
from .plans import PlanError, find_plan, next_position


def to_plan_item(decision: Decision, body, start_year: int, direction_id: int, month: int) -> PlanItem:
    if decision.plan_item_id is not None:
        raise PlanError(_("Это решение уже стало пунктом плана."))
    plan = find_plan(start_year)
    if plan is None:
        plan = Plan(tenant_id=decision.tenant_id, start_year=start_year, status="draft")
        db.session.add(plan)
        db.session.flush()
    elif plan.is_approved:
        raise PlanError(_("План на %(year)s учебный год утверждён: новый пункт в него не добавить.", year=plan.label))
    item = PlanItem(tenant_id=decision.tenant_id, plan_id=plan.id, direction_id=direction_id,
                    position=next_position(plan, direction_id), title=decision.text.strip()[:1000],
                    months=mask_of([month]), body_id=body.id,
                    expected_result=_("Исполнение решения заседания № %(n)s от %(d)s", n=decision.meeting.number,
                                      d=decision.meeting.held_on.strftime("%d.%m.%Y"))[:1000])
    if decision.responsible_id:
        item.responsible_links = [PlanItemResponsible(tenant_id=decision.tenant_id, person_id=decision.responsible_id)]
    db.session.add(item)
    db.session.flush()
    decision.plan_item_id = item.id
    return item


def follow_items(item_ids) -> None:
    """The decisions that became these items take their status."""
    ids = [i for i in item_ids if i]
    if not ids:
        return
    statuses = dict(db.session.execute(select(PlanItem.id, PlanItem.status).where(PlanItem.id.in_(ids))).all())
    for decision in db.session.scalars(select(Decision).where(Decision.plan_item_id.in_(ids))):
        item_status = statuses.get(decision.plan_item_id)
        status = {"done": "done", "cancelled": "cancelled"}.get(item_status, "open")
        if decision.status != status:
            decision.status = status
            decision.status_note = {"done": _("Выполнено: пункт плана отмечен выполненным."),
                                    "cancelled": _("Снято: пункт плана отменён.")}.get(status, "")
