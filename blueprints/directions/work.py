"""A function's page: what was done under it in a year — its plan items with their execution and evidence
(meetings, events and what other sections link), and by whom (Strezhevoy 1.2)."""
from flask import abort, render_template, request
from sqlalchemy.orm import joinedload, selectinload

from oms.extensions import db
from oms.models import Function, FunctionAssignee, Plan, PlanItem, PlanItemResponsible
from oms.permissions import require
from oms.services import completion, evidence
from oms.services.plans import current_start_year, document_order, timing_label

from . import bp


@bp.route("/functions/<int:function_id>/")
def function_work(function_id: int):
    require("district.view")
    function = db.session.scalar(Function.scoped().where(Function.id == function_id)
                                 .options(joinedload(Function.direction)))
    if function is None:
        abort(404)
    start = request.args.get("year", type=int) or current_start_year()
    plan = db.session.scalar(Plan.scoped().where(Plan.start_year == start))
    items = []
    if plan is not None:
        from oms.models import Direction

        items = list(db.session.scalars(
            PlanItem.scoped().join(Direction, Direction.id == PlanItem.direction_id)
            .where(PlanItem.plan_id == plan.id, PlanItem.function_id == function.id)
            .options(selectinload(PlanItem.responsible_links).joinedload(PlanItemResponsible.person))
            .order_by(*document_order())))
    links = evidence.links_of_items(i.id for i in items)
    acts = evidence.activities(l for rows in links.values() for l in rows)
    found = {i.id: [acts[(l.kind, l.object_id)] for l in links[i.id] if (l.kind, l.object_id) in acts] for i in items}
    assignees = db.session.scalars(FunctionAssignee.scoped().where(FunctionAssignee.function_id == function.id)
                                   .options(joinedload(FunctionAssignee.person))).all()
    done, base, share = completion.of_statuses(i.status for i in items)
    return render_template("directions/function_work.html", function=function, plan=plan, start=start, items=items,
                           found=found, assignees=assignees, done=done, base=base, share=share,
                           timing=timing_label)
