"""Both sides of a link: an item's page lists its activities; an activity's panel lists its plan items."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Plan, PlanItem
from oms.models.evidence import PlanItemLink
from oms.permissions import can, require
from oms.services import evidence
from oms.views import is_htmx

from . import bp
from .forms import activity_link_form, item_link_form


@bp.before_request
def readers_only():
    require("district.view")


def _item_or_404(plan_item_id) -> PlanItem:
    item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == plan_item_id)
                             .options(joinedload(PlanItem.plan)))
    if item is None:
        abort(404)
    return item


def _kind_or_404(code: str) -> evidence.Kind:
    kind = evidence.kind_or_none(code)
    if kind is None:
        abort(404)
    return kind


def _activity_or_404(kind: evidence.Kind, object_id: int) -> evidence.Activity:
    found = kind.load([object_id]).get(object_id)
    if found is None:
        abort(404)
    return found


def _checked():
    if not FlaskForm().validate_on_submit():
        abort(400)


def _item_url(item) -> str:
    return url_for("evidence.item", plan_item_id=item.id)


# ---- the item's side ----------------------------------------------------------------------

@bp.route("/items/<int:plan_item_id>/")
def item(plan_item_id: int):
    item = _item_or_404(plan_item_id)
    can_edit = can("plan.item.edit", item)
    found = evidence.evidence_of(item)
    linked = {(link.kind, link.object_id) for link, _a in found.rows}
    kinds = []
    for kind in evidence.KINDS.values():
        form = choices = None
        if can_edit and kind.pick:  # found by typing: the page never lists them
            form = activity_link_form(kind, item, {i for code, i in linked if code == kind.code}, formdata=None)
        elif can_edit and kind.candidates:
            choices = [(i, label) for i, label in kind.candidates(item) if (kind.code, i) not in linked]
        kinds.append({"kind": kind, "choices": choices, "form": form,
                      "new_url": kind.new_url(item) if kind.new_url and can_edit else None})
    return render_template("evidence/item.html", item=item, plan=item.plan, found=found, kinds=kinds,
                           can_edit=can_edit, related=evidence.related_of(item))


@bp.route("/items/<int:plan_item_id>/link", methods=["POST"])
def link_from_item(plan_item_id: int):
    item = _item_or_404(plan_item_id)
    require("plan.item.edit", item)
    _checked()
    kind = _kind_or_404(request.form.get("kind", ""))
    if kind.pick:
        linked = db.session.scalars(PlanItemLink.scoped().with_only_columns(PlanItemLink.object_id).where(
            PlanItemLink.item_id == item.id, PlanItemLink.kind == kind.code))
        form = activity_link_form(kind, item, linked, formdata=request.form)
        if not form.validate():  # nothing chosen, another district's, out of the item's year: nothing is linked
            for error in form.object_id.errors:
                flash(error, "error")
            return redirect(_item_url(item) + "#links"), 303
        object_id = form.object_id.data
    else:
        try:
            object_id = int(request.form.get("object_id", ""))
        except ValueError:
            flash(_("Выберите, что связать с пунктом плана."), "error")
            return redirect(_item_url(item)), 303
    _activity_or_404(kind, object_id)
    if kind.may_link and not kind.may_link(item, object_id):
        abort(404)
    if evidence.link(item, kind.code, object_id):
        flash(_("Связано. Отметка о выполнении теперь следует за фактом."), "success")
    else:
        flash(_("Это уже связано с пунктом плана."), "info")
    db.session.commit()
    return redirect(_item_url(item)), 303


@bp.route("/items/<int:plan_item_id>/follow", methods=["POST"])
def follow(plan_item_id: int):
    """Move or cancel the item after its activity (the offer shown on both sides)."""
    item = _item_or_404(plan_item_id)
    require("plan.item.edit", item)
    _checked()
    month = request.form.get("month", type=int)
    if evidence.apply_offer(item, request.form.get("action", ""), month):
        db.session.commit()
        flash(_("Пункт плана изменён вслед за мероприятием."), "success")
    else:
        flash(_("Пункт плана уже не запланирован: менять нечего."), "info")
    return redirect(request.form.get("back") if request.form.get("back", "").startswith("/") and
                    not request.form.get("back", "").startswith("//") else _item_url(item)), 303


@bp.route("/items/<int:plan_item_id>/restore", methods=["POST"])
def restore(plan_item_id: int):
    """Drop a hand-typed override: the mark comes from the evidence again."""
    item = _item_or_404(plan_item_id)
    require("plan.item.edit", item)
    _checked()
    evidence.back_to_evidence(item)
    db.session.commit()
    flash(_("Отметка снова заполняется по факту."), "success")
    return redirect(_item_url(item)), 303


@bp.route("/links/<int:link_id>/delete", methods=["POST"])
def unlink(link_id: int):
    row = PlanItemLink.get_or_404(link_id)
    item = _item_or_404(row.item_id)
    require("plan.item.edit", item)
    _checked()
    evidence.unlink(row)
    db.session.commit()
    flash(_("Связь снята."), "success")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else _item_url(item)), 303


# ---- the activity's side ------------------------------------------------------------------

@bp.route("/<kind>/<int:object_id>/")
def activity(kind: str, object_id: int):
    """The plan items an activity carries out (a panel on the activity's page)."""
    kind_ = _kind_or_404(kind)
    found = _activity_or_404(kind_, object_id)
    items = evidence.items_of_activity(kind_.code, object_id)
    links = {l.item_id: l for l in db.session.scalars(PlanItemLink.scoped().where(
        PlanItemLink.kind == kind_.code, PlanItemLink.object_id == object_id))}
    plans = {p.id: p for p in db.session.scalars(Plan.scoped().where(Plan.id.in_({i.plan_id for i in items})))}
    offers = {i.id: evidence.follow_offers(i, [found]) for i in items}
    can_link = can("plan.edit") and kind_.may_link is None
    form = item_link_form(links) if can_link else None
    context = dict(kind=kind_, activity=found, items=items, links=links, plans=plans, offers=offers,
                   form=form, can_link=can_link, back=request.args.get("back") or found.url or "")
    if is_htmx():
        return render_template("evidence/_activity.html", **context)
    return render_template("evidence/activity.html", **context)


@bp.route("/<kind>/<int:object_id>/link", methods=["POST"])
def link_from_activity(kind: str, object_id: int):
    kind_ = _kind_or_404(kind)
    found = _activity_or_404(kind_, object_id)
    _checked()
    form = item_link_form(db.session.scalars(PlanItemLink.scoped().with_only_columns(PlanItemLink.item_id).where(
        PlanItemLink.kind == kind_.code, PlanItemLink.object_id == object_id)))
    if not form.validate():  # nothing chosen, or not an item of this or next year's plan: nothing is linked
        for error in form.item_id.errors:
            flash(error, "error")
        return redirect(found.url or url_for("evidence.activity", kind=kind_.code, object_id=object_id)), 303
    item = _item_or_404(form.item_id.data)
    require("plan.item.edit", item)
    if kind_.may_link and not kind_.may_link(item, object_id):
        abort(404)
    evidence.link(item, kind_.code, object_id)
    db.session.commit()
    flash(_("Связано с пунктом плана «%(title)s».", title=item.title[:100]), "success")
    return redirect(found.url or _item_url(item)), 303
