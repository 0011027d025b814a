"""The district's catalogue of question categories (editable by the admin and methodists)."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from blueprints.development.common import go
from oms.concurrency import remember_result, submit_once
from oms.extensions import db
from oms.models import Consultation, ConsultationCategory
from oms.permissions import require
from oms.services.consultations import ensure_default_categories
from oms.tenancy import current_tenant
from oms.text import clean, fold

from . import bp
from .common import categories
from .forms import CategoryForm


@bp.route("/categories/", methods=["GET", "POST"])
def categories_index():
    require("consultations.journal")
    form = CategoryForm()
    status = 200
    if request.method == "POST":
        require("consultations.edit")
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if form.validate_on_submit():
            name = clean(form.name.data)
            if db.session.scalar(ConsultationCategory.scoped().where(ConsultationCategory.name_key == fold(name))):
                form.name.errors.append(_("Такая категория уже есть."))
            else:
                cat = ConsultationCategory(tenant_id=current_tenant.id, position=len(categories()) + 1)
                cat.set_name(name)
                db.session.add(cat)
                remember_result(url_for("consultations.categories_index"))
                db.session.commit()
                flash(_("Категория «%(name)s» добавлена.", name=name), "success")
                return go(url_for("consultations.categories_index"))
        status = 422
    counts = dict(db.session.execute(select(Consultation.category_id, func.count()).where(
        Consultation.tenant_id == current_tenant.id).group_by(Consultation.category_id)).all())
    return render_template("consultations/categories.html", form=form, categories=categories(),
                           counts=counts), status


@bp.route("/categories/defaults", methods=["POST"])
def categories_defaults():
    require("consultations.edit")
    added = ensure_default_categories(current_tenant.id)
    db.session.commit()
    flash(_("Добавлено категорий из типового перечня: %(n)s.", n=added), "success")
    return go(url_for("consultations.categories_index"))


@bp.route("/categories/<int:consultation_category_id>/delete", methods=["POST"])
def category_delete(consultation_category_id: int):
    cat = ConsultationCategory.get_or_404(consultation_category_id)
    require("consultations.edit")
    db.session.delete(cat)  # its consultations keep their record, without a category
    db.session.commit()
    flash(_("Категория «%(name)s» удалена.", name=cat.name), "success")
    return go(url_for("consultations.categories_index"))
