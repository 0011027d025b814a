"""Spreading a practice: the plan items that disseminate it (one link table, practice ↔ plan item) and
«изучить практику» as a step of a teacher's individual route on an open deficit of the same competence area."""
from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from blueprints.development.common import go
from oms import clock
from oms.extensions import db
from oms.models import Deficit, RouteStep
from oms.models.development import add_months
from oms.models.practices import Practice, PracticeArea, PracticePlanItem
from oms.permissions import require
from oms.services import evidence
from oms.services import workspace as ws
from oms.tenancy import current_tenant

from . import bp
from .common import practice_or_404
from .forms import PlanLinkForm

PRACTICES_PER_DEFICIT = 3


@bp.app_template_global("practice_plan_link_form")
def plan_link_form(practice: Practice) -> PlanLinkForm:
    """The item of the working plan (the current academic year's) to link, found with the picker; the items
    linked already are left out."""
    form = PlanLinkForm()
    plan = ws.working_plan(clock.today())
    form.plan_item_id.params = {"years": str(plan.start_year) if plan else "0"}
    form.plan_item_id.exclude = set(db.session.scalars(select(PracticePlanItem.plan_item_id).where(
        PracticePlanItem.practice_id == practice.id, PracticePlanItem.tenant_id == current_tenant.id)))
    return form


@bp.route("/<int:practice_id>/plan-items", methods=["POST"])
def link_plan_item(practice_id: int):
    practice = practice_or_404(practice_id)
    require("practices.manage")
    form = plan_link_form(practice)
    if not form.validate_on_submit():
        flash(" ".join(form.plan_item_id.errors) or _("Форма устарела: обновите страницу."), "error")
        return go(url_for("practices.show", practice_id=practice.id))
    exists = db.session.scalar(select(PracticePlanItem.id).where(
        PracticePlanItem.practice_id == practice.id, PracticePlanItem.plan_item_id == form.plan_item_id.data))
    if exists:
        flash(_("Это мероприятие уже связано с практикой."), "warning")
    else:
        db.session.add(PracticePlanItem(tenant_id=current_tenant.id, practice_id=practice.id,
                                        plan_item_id=form.plan_item_id.data))
        db.session.commit()
        flash(_("Мероприятие плана связано с практикой."), "success")
    return go(url_for("practices.show", practice_id=practice.id))


@bp.route("/<int:practice_id>/plan-items/<int:practice_link_id>/delete", methods=["POST"])
def unlink_plan_item(practice_id: int, practice_link_id: int):
    practice = practice_or_404(practice_id)
    require("practices.manage")
    link = db.session.scalar(PracticePlanItem.scoped().where(PracticePlanItem.id == practice_link_id,
                                                             PracticePlanItem.practice_id == practice.id))
    if link is None:
        abort(404)
    db.session.delete(link)
    db.session.commit()
    flash(_("Связь с мероприятием плана снята."), "success")
    return go(url_for("practices.show", practice_id=practice.id))


def study_title(practice: Practice) -> str:
    return f"Изучить практику «{practice.title}» (муниципальный банк педагогического опыта)"[:500]


@bp.route("/<int:practice_id>/study/<int:deficit_id>", methods=["POST"])
def study(practice_id: int, deficit_id: int):
    """«Изучить практику»: a step of the deficit's route, in one click (the methodist)."""
    practice = practice_or_404(practice_id)
    deficit = Deficit.get_or_404(deficit_id)
    require("development.edit")
    back = url_for("development.person", person_id=deficit.person_id, _anchor=f"deficit-{deficit.id}")
    if practice.status != "published":
        flash(_("Изучать можно только опубликованную практику."), "error")
        return go(back)
    title = study_title(practice)
    if db.session.scalar(select(RouteStep.id).where(RouteStep.deficit_id == deficit.id, RouteStep.title == title,
                                                    RouteStep.tenant_id == current_tenant.id)):
        flash(_("Этот шаг уже есть в маршруте."), "warning")
        return go(back)
    db.session.add(RouteStep(tenant_id=current_tenant.id, person_id=deficit.person_id, deficit_id=deficit.id,
                             kind="self_study", title=title, due_month=add_months(clock.today(), 1),
                             status="planned", note=url_for("practices.show", practice_id=practice.id)))
    if deficit.status == "closed":
        deficit.status, deficit.closed_on = "open", None
    db.session.commit()
    flash(_("В маршрут добавлен шаг «изучить практику»."), "success")
    return go(back)


@bp.app_template_global("practices_for_deficits")
def practices_for_deficits(deficits) -> dict:
    """Published practices of each open deficit's competence area: {area_id: [practice, …]} (one query)."""
    area_ids = {d.area_id for d in deficits if d.status == "open"}
    if not area_ids or current_tenant is None:
        return {}
    rows = db.session.execute(
        select(PracticeArea.area_id, Practice).join(Practice, Practice.id == PracticeArea.practice_id)
        .where(PracticeArea.area_id.in_(area_ids), Practice.status == "published",
               Practice.tenant_id == current_tenant.id)
        .order_by(Practice.published_at.desc(), Practice.id.desc())).all()
    found: dict[int, list] = {}
    for area_id, practice in rows:
        bucket = found.setdefault(area_id, [])
        if len(bucket) < PRACTICES_PER_DEFICIT:
            bucket.append(practice)
    return found


@bp.app_template_global("practices_of_plan_item")
def practices_of_plan_item(plan_item_id: int) -> list:
    return db.session.scalars(
        select(Practice).join(PracticePlanItem, PracticePlanItem.practice_id == Practice.id)
        .where(PracticePlanItem.plan_item_id == plan_item_id, Practice.tenant_id == current_tenant.id)
        .order_by(Practice.title)).all()


def _spread_by_items(item_ids) -> dict[int, list[tuple[str, str | None]]]:
    """The practices plan items spread, for the item's page (oms.services.evidence, a related kind): one query."""
    found: dict[int, list[tuple[str, str | None]]] = {}
    rows = db.session.execute(
        select(PracticePlanItem.plan_item_id, Practice.id, Practice.title)
        .join(Practice, Practice.id == PracticePlanItem.practice_id)
        .where(PracticePlanItem.plan_item_id.in_(list(item_ids)), PracticePlanItem.tenant_id == current_tenant.id,
               Practice.tenant_id == current_tenant.id)
        .order_by(Practice.title, Practice.id)).all()
    for item_id, practice_id, title in rows:
        found.setdefault(item_id, []).append((title, url_for("practices.show", practice_id=practice_id)))
    return found


evidence.register_related(evidence.Related(code="practice", label=_l("Распространение практики"),
                                           load=_spread_by_items))
