"""Directions and functions: read by everyone, configured by the district admin.

What is shown follows the data, never the district: the matrix appears when
functions belong to more than one body kind; the assignment of specialists
appears for a distributed service or as soon as any function is assigned.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from oms.concurrency import save_versioned
from oms.extensions import db
from oms.models import BodyKind, Direction, Function, FunctionAssignee, Person
from oms.ordering import move
from oms.permissions import can, require
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import delete_unless_referenced, is_htmx

from . import bp
from .forms import AssigneeForm, DirectionForm, FunctionForm


def load_directions():
    directions = db.session.scalars(Direction.scoped().order_by(Direction.position, Direction.id)).all()
    functions = db.session.scalars(
        Function.scoped().options(selectinload(Function.body_kind)).order_by(Function.position, Function.id)
    ).all()
    by_direction: dict[int, list[Function]] = {d.id: [] for d in directions}
    for f in functions:
        by_direction.setdefault(f.direction_id, []).append(f)
    return directions, functions, by_direction


def load_assignees() -> dict[int, list[tuple[FunctionAssignee, Person]]]:
    out: dict[int, list] = {}
    for row, person in db.session.execute(
        select(FunctionAssignee, Person).join(Person, Person.id == FunctionAssignee.person_id)
        .where(FunctionAssignee.tenant_id == current_tenant.id).order_by(Person.last_name, Person.first_name)
    ):
        out.setdefault(row.function_id, []).append((row, person))
    return out


def views_shown(functions, assignees=None) -> dict[str, bool]:
    kinds = {f.body_kind_id for f in functions if f.body_kind_id is not None}
    if assignees is None:
        assigned = db.session.scalar(
            select(func.count(FunctionAssignee.id)).where(FunctionAssignee.tenant_id == current_tenant.id))
    else:
        assigned = len(assignees)
    return {"matrix": len(kinds) > 1,
            "assignment": current_tenant.model_kind == "distributed" or bool(assigned)}


def _list_context(**state):
    directions, functions, by_direction = load_directions()
    shown = views_shown(functions)
    context = dict(directions=directions, functions=functions, by_direction=by_direction, shown=shown,
                   assignees=load_assignees() if shown["assignment"] else {}, editing_direction=None, editing_function=None,
                   direction_form=None, new_function_forms={}, open_function_form=None, error=None, fresh=None,
                   can_edit=False)
    context["can_edit"] = can("directions.edit")
    if context["can_edit"]:
        kinds = db.session.scalars(BodyKind.scoped().order_by(BodyKind.level, BodyKind.position)).all()
        context["kinds"] = kinds
        context["direction_form"] = DirectionForm(formdata=None)
        context["new_function_forms"] = {d.id: _function_form(directions, kinds, direction_id=d.id)
                                         for d in directions}
    context.update({k: v for k, v in state.items() if v is not None})
    return context


def _function_form(directions, kinds, formdata=None, obj=None, direction_id=None):
    form = FunctionForm(formdata=formdata) if formdata is not None else FunctionForm(formdata=None, obj=obj)
    form.direction_id.set_choices([(d.id, d.name) for d in directions])
    form.body_kind_id.set_choices([(k.id, k.name) for k in kinds])
    if direction_id is not None and formdata is None:
        form.direction_id.data = direction_id
    return form


def _list_response(status=200, **state):
    if is_htmx():
        return render_template("directions/_list.html", **_list_context(**state)), status
    if status < 400:
        return redirect(url_for("directions.index"))
    return render_template("directions/index.html", **_list_context(**state)), status


@bp.route("/")
def index():
    require("district.view")
    return render_template("directions/index.html", **_list_context())


@bp.route("/matrix")
def matrix():
    require("district.view")
    directions, functions, _by_direction = load_directions()
    kinds = db.session.scalars(BodyKind.scoped().order_by(BodyKind.level, BodyKind.position, BodyKind.id)).all()
    cells: dict[tuple, list[Function]] = {}
    for f in functions:
        cells.setdefault((f.body_kind_id, f.direction_id), []).append(f)
    rows = [k for k in kinds if any((k.id, d.id) in cells for d in directions)]
    unassigned_kind = any(f.body_kind_id is None for f in functions)
    return render_template("directions/matrix.html", directions=directions, rows=rows, cells=cells,
                           unassigned_kind=unassigned_kind, shown=views_shown(functions), functions=functions)


@bp.route("/assignments")
def assignments():
    require("district.view")
    directions, functions, by_direction = load_directions()
    assignees = load_assignees()
    return render_template("directions/assignments.html", directions=directions, by_direction=by_direction,
                           functions=functions, assignees=assignees, shown=views_shown(functions, assignees),
                           free=[f for f in functions if f.id not in assignees], can_edit=can("directions.edit"),
                           fresh=None, form=None)


# ---- directions ------------------------------------------------------------------------------

@bp.route("/new", methods=["POST"])
def create_direction():
    require("directions.edit")
    form = DirectionForm()
    if not form.validate_on_submit():
        return _list_response(422, direction_form=form)
    top = db.session.scalar(select(func.max(Direction.position)).where(Direction.tenant_id == current_tenant.id))
    direction = Direction(tenant_id=current_tenant.id, name=clean(form.name.data), clause=clean(form.clause.data),
                          position=(top or 0) + 1)
    db.session.add(direction)
    db.session.commit()
    if not is_htmx():
        flash(_("Направление «%(name)s» добавлено.", name=direction.name), "success")
    return _list_response(fresh=f"d{direction.id}")


@bp.route("/<int:direction_id>/edit", methods=["GET", "POST"])
def edit_direction(direction_id: int):
    require("directions.edit")
    direction = Direction.get_or_404(direction_id)
    if request.method == "GET":
        form = DirectionForm(obj=direction)
        template = "directions/_direction_form.html" if is_htmx() else "directions/direction_edit.html"
        return render_template(template, direction=direction, form=form)
    form = DirectionForm()

    def apply():
        direction.name = clean(form.name.data)
        direction.clause = clean(form.clause.data)

    return _save_edit("direction", direction, form, apply, fresh=f"d{direction.id}")


def _save_edit(name: str, row, form, apply, fresh: str):
    """Save an edit of a direction or a function: the list with the row marked fresh, or the form again with
    its errors (422) or next to the other save that got in first (409)."""
    conflict = None
    if form.validate_on_submit():
        conflict = save_versioned(form, row, apply)
        if conflict is None:
            return _list_response(fresh=fresh)
    status = 409 if conflict else 422
    if not is_htmx():
        return render_template(f"directions/{name}_edit.html", **{name: row}, form=form, conflict=conflict), status
    return _list_response(status, **{f"editing_{name}": {name: row, "form": form, "conflict": conflict}})


@bp.route("/<int:direction_id>/move", methods=["POST"])
def move_direction(direction_id: int):
    require("directions.edit")
    direction = Direction.get_or_404(direction_id)
    move(direction, Direction.scoped(), request.form.get("direction"))
    return _list_response(fresh=f"d{direction.id}")


@bp.route("/<int:direction_id>/delete", methods=["POST"])
def delete_direction(direction_id: int):
    require("directions.edit")
    direction = Direction.get_or_404(direction_id)
    return delete_unless_referenced(direction, direction.name,
                                    _("Направление «%(name)s» удалено.", name=direction.name), _list_response)


# ---- functions -------------------------------------------------------------------------------

def _choices():
    directions = db.session.scalars(Direction.scoped().order_by(Direction.position, Direction.id)).all()
    kinds = db.session.scalars(BodyKind.scoped().order_by(BodyKind.level, BodyKind.position)).all()
    return directions, kinds


@bp.route("/functions/new", methods=["POST"])
def create_function():
    require("directions.edit")
    directions, kinds = _choices()
    form = _function_form(directions, kinds, request.form)
    if not form.validate_on_submit():
        forms = {d.id: _function_form(directions, kinds, direction_id=d.id) for d in directions}
        holder = form.direction_id.data if form.direction_id.data in forms else next(iter(forms), None)
        if holder is not None:
            forms[holder] = form
        return _list_response(422, new_function_forms=forms, open_function_form=holder)
    top = db.session.scalar(select(func.max(Function.position)).where(Function.tenant_id == current_tenant.id))
    function = Function(tenant_id=current_tenant.id, direction_id=form.direction_id.data,
                        body_kind_id=form.body_kind_id.data, clause=clean(form.clause.data),
                        text=form.text.data.strip(), position=(top or 0) + 1)
    db.session.add(function)
    db.session.commit()
    if not is_htmx():
        flash(_("Функция добавлена."), "success")
    return _list_response(fresh=f"f{function.id}")


@bp.route("/functions/<int:function_id>/edit", methods=["GET", "POST"])
def edit_function(function_id: int):
    require("directions.edit")
    function = Function.get_or_404(function_id)
    directions, kinds = _choices()
    if request.method == "GET":
        form = _function_form(directions, kinds, obj=function)
        template = "directions/_function_form.html" if is_htmx() else "directions/function_edit.html"
        return render_template(template, function=function, form=form)
    form = _function_form(directions, kinds, request.form)

    def apply():
        function.direction_id = form.direction_id.data
        function.body_kind_id = form.body_kind_id.data
        function.clause = clean(form.clause.data)
        function.text = form.text.data.strip()

    return _save_edit("function", function, form, apply, fresh=f"f{function.id}")


@bp.route("/functions/<int:function_id>/move", methods=["POST"])
def move_function(function_id: int):
    require("directions.edit")
    function = Function.get_or_404(function_id)
    siblings = Function.scoped().where(Function.direction_id == function.direction_id)
    move(function, siblings, request.form.get("direction"))
    return _list_response(fresh=f"f{function.id}")


@bp.route("/functions/<int:function_id>/delete", methods=["POST"])
def delete_function(function_id: int):
    require("directions.edit")
    function = Function.get_or_404(function_id)

    def unassign():  # the specialists' assignments go with the function
        db.session.execute(db.delete(FunctionAssignee).where(FunctionAssignee.function_id == function.id,
                                                             FunctionAssignee.tenant_id == current_tenant.id))

    return delete_unless_referenced(function, function.audit_label, _("Функция удалена."), _list_response,
                                    ignore=("function_assignee",), before_delete=unassign)


# ---- specialists who perform a function ---------------------------------------------------------

def _assign_form(function, formdata=None):
    taken = set(db.session.scalars(select(FunctionAssignee.person_id).where(
        FunctionAssignee.function_id == function.id)))
    form = AssigneeForm(formdata=formdata) if formdata is not None else AssigneeForm(formdata=None)
    form.person_id.exclude = taken
    return form


def _assignment_row(function, status=200, form=None):
    """One function's row with the form to assign a specialist."""
    return render_template("directions/_assignment_row.html", f=function, assignees=load_assignees(),
                           form=form, can_edit=True), status


def _assignments_region(status=200, fresh=None):
    directions, functions, by_direction = load_directions()
    assignees = load_assignees()
    return render_template("directions/_assignments.html", directions=directions, by_direction=by_direction,
                           functions=functions, assignees=assignees, free=[f for f in functions if f.id not in assignees],
                           can_edit=True, fresh=fresh), status


@bp.route("/functions/<int:function_id>/assignees", methods=["GET", "POST"])
def assign(function_id: int):
    require("directions.edit")
    function = db.session.scalar(Function.scoped().where(Function.id == function_id)
                                 .options(selectinload(Function.direction), selectinload(Function.body_kind)))
    if function is None:
        abort(404)
    if request.method == "GET":
        form = _assign_form(function)
        if is_htmx():
            return _assignment_row(function, form=form)
        return render_template("directions/assign.html", function=function, form=form)
    form = _assign_form(function, request.form)
    if not form.validate_on_submit():
        if is_htmx():
            return _assignment_row(function, 422, form=form)
        return render_template("directions/assign.html", function=function, form=form), 422
    db.session.add(FunctionAssignee(tenant_id=current_tenant.id, function_id=function.id,
                                    person_id=form.person_id.data))
    db.session.commit()
    if is_htmx():
        return _assignments_region(fresh=function.id)
    flash(_("Специалист закреплён за функцией."), "success")
    return redirect(url_for("directions.assignments") + f"#function-{function.id}")


@bp.route("/functions/<int:function_id>/assignees/<int:assignee_id>/delete", methods=["POST"])
def unassign(function_id: int, assignee_id: int):
    require("directions.edit")
    function = db.session.scalar(Function.scoped().where(Function.id == function_id)
                                 .options(selectinload(Function.body_kind)))
    if function is None:
        abort(404)
    row = db.session.scalar(FunctionAssignee.scoped().where(FunctionAssignee.id == assignee_id,
                                                            FunctionAssignee.function_id == function.id))
    if row is None:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    if is_htmx():
        return _assignments_region(fresh=function.id)
    return redirect(url_for("directions.assignments") + f"#function-{function.id}")
