"""The org chart: read by everyone, edited in place by the district admin."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind, School
from oms.models.structure import LEVEL_LABELS
from oms.permissions import can, require
from oms.references import references, refusal
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import is_htmx, render_page_or_partial

from . import bp
from blueprints.development.common import school_choices

from .chart import descendants, kinds, load_bodies, load_chart
from .forms import BodyEditForm, BodyForm
from .placement import placement_errors

def body_or_404(body_id) -> Body:
    body = Body.get_or_404(body_id)
    return body


def fill_body_choices(form, bodies, schools, exclude=()):
    municipal = [(b.id, b.name) for b in bodies if b.kind.level != "school" and b.id not in exclude]
    by_school: dict[str, list] = {}
    for b in bodies:
        if b.kind.level == "school" and b.id not in exclude:
            label = b.school.label if b.school else _("Организация не указана")
            by_school.setdefault(label, []).append((b.id, b.name))
    groups = {str(LEVEL_LABELS["municipal"]): municipal}
    groups.update(sorted(by_school.items()))
    form.parent_id.set_choices(groups)
    form.school_id.set_choices(schools)


def fill_kind_choices(form, all_kinds):
    groups = {}
    for kind in all_kinds:
        groups.setdefault(str(LEVEL_LABELS.get(kind.level, kind.level)), []).append((kind.id, kind.name))
    form.kind_id.set_choices(groups)


def _new_form(parent_id=None):
    form = BodyForm(formdata=None)
    form.parent_id.data = parent_id
    return form


def _chart_page(status=200, add_form=None, editing=None, errors=None, fresh=None):
    chart = load_chart()
    can_edit = can("structure.edit")
    if can_edit:
        add_form = add_form or _new_form()
        all_kinds = kinds()
        all_schools = school_choices()
        fill_kind_choices(add_form, all_kinds)
        fill_body_choices(add_form, chart.bodies, all_schools)
        if editing is not None:
            exclude = {editing["body"].id} | descendants(editing["body"].id, chart.bodies)
            fill_body_choices(editing["form"], chart.bodies, all_schools, exclude)
    html = render_page_or_partial(
        "structure/index.html", "structure/_chart.html", chart=chart, can_edit=can_edit, add_form=add_form,
        editing=editing, errors=errors or {}, fresh=fresh)
    return html, status


@bp.route("/")
def index():
    require("district.view")
    return _chart_page()


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("structure.edit")
    if request.method == "GET":
        form = _new_form(request.args.get("parent", type=int))
        bodies = load_bodies()
        fill_kind_choices(form, kinds())
        fill_body_choices(form, bodies, school_choices())
        return render_page_or_partial("structure/new.html", "structure/_add_form.html", add_form=form, open=True)
    form = BodyForm()
    bodies = load_bodies()
    fill_kind_choices(form, kinds())
    fill_body_choices(form, bodies, school_choices())
    if form.validate_on_submit():
        kind = BodyKind.get_or_404(form.kind_id.data)
        parent = Body.get_or_404(form.parent_id.data) if form.parent_id.data else None
        school = School.get_or_404(form.school_id.data) if form.school_id.data else None
        errors = placement_errors(kind, parent, school)
        if not _add_errors(form, errors):
            body = Body(tenant_id=current_tenant.id, kind_id=kind.id, parent_id=parent.id if parent else None,
                        school_id=school.id if school else None, name=clean(form.name.data),
                        subject=clean(form.subject.data),
                        position=max((b.position for b in bodies), default=0) + 1)
            db.session.add(body)
            db.session.commit()
            if not is_htmx():
                flash(_("Элемент «%(name)s» добавлен в структуру.", name=body.name), "success")
                return redirect(url_for("structure.index"))
            return _chart_page(fresh=body.id)
    return _chart_page(422, add_form=form)


def _add_errors(form, errors: dict) -> bool:
    for name, message in errors.items():
        getattr(form, name).errors = list(getattr(form, name).errors) + [message]
    return bool(errors)


@bp.route("/<int:body_id>/edit", methods=["GET", "POST"])
def edit(body_id: int):
    require("structure.edit")
    body = body_or_404(body_id)
    if request.method == "GET":
        form = BodyEditForm(obj=body)
        bodies = load_bodies()
        fill_body_choices(form, bodies, school_choices(), {body.id} | descendants(body.id, bodies))
        return render_page_or_partial("structure/edit.html", "structure/_body_edit.html", body=body, form=form,
                                      conflict=None)
    form = BodyEditForm()
    bodies = load_bodies()
    fill_body_choices(form, bodies, school_choices(), {body.id} | descendants(body.id, bodies))
    editing = {"body": body, "form": form, "conflict": None}
    if not form.validate_on_submit():
        return _edit_failed(editing, 422)
    editing["conflict"] = version_conflict(form, body)
    if editing["conflict"] is not None:
        return _edit_failed(editing, 409)
    parent = Body.get_or_404(form.parent_id.data) if form.parent_id.data else None
    school = School.get_or_404(form.school_id.data) if form.school_id.data else None
    errors = placement_errors(body.kind, parent, school, body=body, bodies=bodies)
    if _add_errors(form, errors):
        return _edit_failed(editing, 422)
    body.name = clean(form.name.data)
    body.subject = clean(form.subject.data)
    body.clause = clean(form.clause.data)
    body.parent_id = parent.id if parent else None
    body.school_id = school.id if school else None
    editing["conflict"] = commit_versioned(form, body)
    if editing["conflict"] is not None:
        return _edit_failed(editing, 409)
    if not is_htmx():
        flash(_("Элемент «%(name)s» сохранён.", name=body.name), "success")
        return redirect(url_for("structure.index"))
    return _chart_page(fresh=body.id)


def _edit_failed(editing, status):
    if is_htmx():
        return _chart_page(status, editing=editing)
    from flask import render_template

    return render_template("structure/edit.html", body=editing["body"], form=editing["form"],
                           conflict=editing["conflict"]), status


@bp.route("/<int:body_id>/delete", methods=["POST"])
def delete(body_id: int):
    require("structure.edit")
    body = db.session.scalar(Body.scoped().where(Body.id == body_id).options(selectinload(Body.members)))
    if body is None:
        body_or_404(body_id)
    refs = references(body)
    if refs:
        message = refusal(body.name, refs)
        if not is_htmx():
            flash(message, "error")
            return redirect(url_for("structure.index"))
        return _chart_page(422, errors={body.id: message})
    name = body.name
    db.session.delete(body)
    db.session.commit()
    if not is_htmx():
        flash(_("Элемент «%(name)s» удалён из структуры.", name=name), "success")
        return redirect(url_for("structure.index"))
    return _chart_page()
