"""Body kinds and the district's own terms: configured by the district admin."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind, Function
from oms.models.structure import ASSOCIATION_CATEGORIES, BODY_CATEGORIES, LEVEL_LABELS
from oms.models.tenant import DEFAULT_TERMS
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.text import clean, fold
from oms.views import delete_unless_referenced, is_htmx, render_page_or_partial

from . import bp
from .forms import TERM_LABELS, KindForm, TermsForm


def _kinds_context(add_form=None, editing=None, error=None, fresh=None):
    all_kinds = db.session.scalars(BodyKind.scoped().order_by(BodyKind.level, BodyKind.position, BodyKind.id)).all()
    bodies = dict(db.session.execute(
        select(Body.kind_id, func.count(Body.id)).where(Body.tenant_id == current_tenant.id).group_by(Body.kind_id)
    ).all())
    functions = dict(db.session.execute(
        select(Function.body_kind_id, func.count(Function.id)).where(Function.tenant_id == current_tenant.id)
        .group_by(Function.body_kind_id)
    ).all())
    return dict(kinds=all_kinds, body_counts=bodies, function_counts=functions,
                add_form=add_form or KindForm(formdata=None), editing=editing, error=error, fresh=fresh,
                CATEGORIES=BODY_CATEGORIES, LEVELS=LEVEL_LABELS)


def _terms_form(formdata=None):
    form = TermsForm(formdata=formdata) if formdata is not None else TermsForm(formdata=None)
    if formdata is None:
        for key in DEFAULT_TERMS:
            getattr(form, key).data = current_tenant.term(key)
    return form


@bp.route("/settings")
def settings():
    require("structure.edit")
    return render_page_or_partial("structure/settings.html", "structure/_kinds.html", **_kinds_context(),
                                  terms_form=_terms_form(), TERM_LABELS=TERM_LABELS, terms_saved=False)


def _kinds_response(status=200, **context):
    if is_htmx():
        return render_template("structure/_kinds.html", **_kinds_context(**context)), status
    if status == 200:
        return redirect(url_for("structure.settings"))
    return render_template("structure/settings.html", **_kinds_context(**context), terms_form=_terms_form(),
                           TERM_LABELS=TERM_LABELS, terms_saved=False), status


def _name_taken(name: str, except_id=None) -> bool:
    key = fold(name)
    return any(fold(k.name) == key and k.id != except_id
               for k in db.session.scalars(BodyKind.scoped()).all())


@bp.route("/kinds/new", methods=["POST"])
def create_kind():
    require("structure.edit")
    form = KindForm()
    if form.validate_on_submit():
        if _name_taken(form.name.data):
            form.name.errors.append(_("Вид с таким названием уже есть."))
        else:
            kind = BodyKind(tenant_id=current_tenant.id, code=_new_code(), name=clean(form.name.data),
                            category=form.category.data, level=form.level.data, clause=clean(form.clause.data),
                            position=_next_position())
            db.session.add(kind)
            db.session.commit()
            if not is_htmx():
                flash(_("Вид «%(name)s» добавлен.", name=kind.name), "success")
            return _kinds_response(fresh=kind.id)
    return _kinds_response(422, add_form=form)


def _new_code() -> str:
    codes = set(db.session.scalars(select(BodyKind.code).where(BodyKind.tenant_id == current_tenant.id)))
    n = len(codes) + 1
    while f"kind-{n}" in codes:
        n += 1
    return f"kind-{n}"


def _same_pages(new: str, old: str) -> bool:
    """Bodies keep their pages, members, meetings and leaders' rights under the new category."""
    return new == old or (new in ASSOCIATION_CATEGORIES and old in ASSOCIATION_CATEGORIES)


def _next_position() -> int:
    top = db.session.scalar(select(func.max(BodyKind.position)).where(BodyKind.tenant_id == current_tenant.id))
    return (top or 0) + 1


@bp.route("/kinds/<int:kind_id>/edit", methods=["GET", "POST"])
def edit_kind(kind_id: int):
    require("structure.edit")
    kind = BodyKind.get_or_404(kind_id)
    if request.method == "GET":
        form = KindForm(obj=kind)
        return render_page_or_partial("structure/kind_edit.html", "structure/_kind_edit.html", kind=kind, form=form)
    form = KindForm()
    conflict = None
    if form.validate_on_submit() and (conflict := version_conflict(form, kind)) is None:
        in_use = db.session.scalar(select(func.count(Body.id)).where(Body.kind_id == kind.id))
        if _name_taken(form.name.data, except_id=kind.id):
            form.name.errors.append(_("Вид с таким названием уже есть."))
        elif in_use and form.level.data != kind.level:
            form.level.errors.append(_("Элементов этого вида в структуре: %(count)s. Уровень менять нельзя: "
                                       "создайте новый вид и перенесите элементы.", count=in_use))
        elif in_use and not _same_pages(form.category.data, kind.category):
            form.category.errors.append(_("Элементов этого вида в структуре: %(count)s. Роль в структуре можно "
                                          "менять только между объединениями и группами: у совета, службы и "
                                          "объединения разные страницы и права. Создайте новый вид и перенесите "
                                          "элементы.", count=in_use))
        else:
            kind.name = clean(form.name.data)
            kind.category = form.category.data
            kind.level = form.level.data
            kind.clause = clean(form.clause.data)
            if (conflict := commit_versioned(form, kind)) is None:
                if not is_htmx():
                    flash(_("Вид «%(name)s» сохранён.", name=kind.name), "success")
                return _kinds_response(fresh=kind.id)
    status = 409 if conflict else 422
    if is_htmx():
        return _kinds_response(status, editing={"kind": kind, "form": form, "conflict": conflict})
    return render_template("structure/kind_edit.html", kind=kind, form=form, conflict=conflict), status


@bp.route("/kinds/<int:kind_id>/delete", methods=["POST"])
def delete_kind(kind_id: int):
    require("structure.edit")
    kind = BodyKind.get_or_404(kind_id)
    return delete_unless_referenced(kind, kind.name, _("Вид «%(name)s» удалён.", name=kind.name), _kinds_response)


@bp.route("/terms", methods=["POST"])
def save_terms():
    require("structure.edit")
    form = TermsForm()
    saved = False
    if form.validate_on_submit():
        current_tenant.terms = {key: clean(getattr(form, key).data) for key in DEFAULT_TERMS
                                if clean(getattr(form, key).data)}
        db.session.commit()
        saved = True
        if not is_htmx():
            flash(_("Термины района сохранены."), "success")
            return redirect(url_for("structure.settings"))
    status = 200 if saved else 422
    if is_htmx():
        return render_template("structure/_terms.html", terms_form=form, TERM_LABELS=TERM_LABELS,
                               terms_saved=saved), status
    return render_template("structure/settings.html", **_kinds_context(), terms_form=form,
                           TERM_LABELS=TERM_LABELS, terms_saved=False), status
