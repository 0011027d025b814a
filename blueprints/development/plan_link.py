"""Route steps that are items of the district's plan (a seminar, a master class…).

Kept apart so the rest of the route works the same whether or not the plan feature is installed.
"""
from oms.extensions import db
from oms.models import RouteStep

try:
    from oms.models.plan import ITEM_STATUS_LABELS, PlanItem, academic_start_year
except ImportError:  # the plan feature is not installed
    PlanItem = None

PLAN_ENABLED = PlanItem is not None and hasattr(RouteStep, "plan_item_id")


def fill_plan_item_choices(form, step=None) -> None:
    """The picker finds the items of the last, this and the next academic year's plans that are not cancelled;
    the step's own item stays chosen (a chip) even when it has left that range since."""
    if not PLAN_ENABLED:
        return
    from .common import today

    start = academic_start_year(today())
    form.plan_item_id.params = {"years": f"{start - 1},{start},{start + 1}", "open": "1"}
    current = step_plan_item_id(step)
    form.plan_item_id.keep = {current} if current else set()


def step_plan_item_id(step) -> int | None:
    return getattr(step, "plan_item_id", None) if step is not None else None


def set_plan_item(step, item_id) -> None:
    if PLAN_ENABLED:
        step.plan_item_id = item_id


def plan_item_title(item_id) -> str:
    if not PLAN_ENABLED or not item_id:
        return ""
    return db.session.scalar(PlanItem.scoped().with_only_columns(PlanItem.title).where(PlanItem.id == item_id)) or ""


def plan_items_by_id(ids) -> dict:
    """{id: PlanItem} for the steps shown on a page (one query)."""
    ids = [i for i in ids if i]
    if not PLAN_ENABLED or not ids:
        return {}
    from sqlalchemy.orm import joinedload

    return {i.id: i for i in db.session.scalars(PlanItem.scoped().where(PlanItem.id.in_(ids))
                                                .options(joinedload(PlanItem.plan)))}


def item_url(item) -> str | None:
    """The item on its plan's page."""
    from flask import current_app, url_for

    if item is None or "plan.show" not in current_app.view_functions:
        return None
    return url_for("plan.show", year=item.plan.year_slug) + f"#item-{item.id}"


def item_status_label(item) -> str:
    return str(ITEM_STATUS_LABELS.get(item.status, item.status)) if PLAN_ENABLED and item is not None else ""
