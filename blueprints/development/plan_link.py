"""Route steps that are items of the district's plan (a seminar, a master class…).

Kept apart so the rest of the route works the same whether or not the plan feature is installed.
"""
from datetime import date

from flask_babel import gettext as _

from oms.extensions import db
from oms.models import RouteStep

try:
    from oms.models.plan import ITEM_STATUS_LABELS, MONTH_LABELS, Plan, PlanItem, academic_start_year, months_of
except ImportError:  # the plan feature is not installed
    PlanItem = None

PLAN_ENABLED = PlanItem is not None and hasattr(RouteStep, "plan_item_id")


def plan_items_for_choice(today: date):
    """Items of the last, this and the next academic year's plans that are not cancelled, in plan order."""
    start = academic_start_year(today)
    return db.session.execute(
        PlanItem.scoped().join(Plan, Plan.id == PlanItem.plan_id)
        .where(Plan.start_year.in_((start - 1, start, start + 1)), PlanItem.status != "cancelled")
        .with_only_columns(PlanItem.id, PlanItem.title, PlanItem.months, PlanItem.date_from, Plan.start_year)
        .order_by(Plan.start_year, PlanItem.position, PlanItem.id)).all()


def item_label(title: str, months: int, date_from: date | None) -> str:
    if date_from:
        when = date_from.strftime("%d.%m.%Y")
    else:
        when = ", ".join(str(MONTH_LABELS[m]) for m in months_of(months or 0)) or _("сроки не указаны")
    short = title if len(title) <= 110 else title[:107] + "…"
    return f"{short} — {when}"


def fill_plan_item_choices(form, step=None) -> None:
    if not PLAN_ENABLED:
        form.plan_item_id.set_choices([])
        return
    from .common import today

    groups: dict[str, list] = {}
    for item_id, title, months, date_from, start_year in plan_items_for_choice(today()):
        groups.setdefault(_("План на %(years)s учебный год", years=f"{start_year}/{start_year + 1}"), []).append(
            (item_id, item_label(title, months, date_from)))
    current = step_plan_item_id(step)
    if current and all(current not in {value for value, _label in rows} for rows in groups.values()):
        item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == current))
        if item is not None:
            groups.setdefault(_("Текущее мероприятие"), []).append((item.id, item.title))
    form.plan_item_id.set_choices(groups)


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
