import functools

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind
from oms.models.structure import MEMBER_ROLE_LABELS
from oms.permissions import require
from oms.services import documents as documents_svc
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import is_htmx

from . import bp
from .composition import composition
from .forms import CompositionForm, OrderForm
from .proposals import proposals_context
from .screens import BodyScreens

class CouncilScreens(BodyScreens):
    def detail_page(self, body, status=200, **extra):
        order_form = extra.pop("order_form", None)
        order_conflict = extra.pop("order_conflict", None)
        composition_form = extra.pop("composition_form", None)
        proposal_form = extra.pop("proposal_form", None)
        found = extra.pop("councils", None)
        context = dict(self.body_context(body, **extra), **order_context(body))
        if context["can_edit"] and order_form is None:
            order_form = OrderForm(formdata=None, obj=body)
        if context["can_edit"] and composition_form is None:
            composition_form = CompositionForm(formdata=None)
        context.update(proposals_context(body, extra_form=proposal_form))
        context["composition"] = composition(body, context["members"])
        return render_template("council/detail.html", councils=councils() if found is None else found, order_form=order_form,
                               composition_form=composition_form, order_conflict=order_conflict, **context), status


def order_context(body) -> dict:
    """The body's composition orders (documents of kind «состав»): the current one and the earlier ones."""
    orders, files = documents_svc.composition_orders(body)
    current = next((d for d in orders if d.is_current), None)
    return dict(current_order=current, earlier_orders=[d for d in orders if d is not current], order_files=files,
                ROLE_LABELS=MEMBER_ROLE_LABELS)


screens = CouncilScreens(bp, "council_id", ("council",), "council.edit", ("chair", "deputy", "secretary", "member"),
                         "council.detail")


@functools.cache
def _councils_statement():
    """councils()' select, built once (its parameter: tenant_id)."""
    return (Body.scoped_by_param().join(BodyKind, BodyKind.id == Body.kind_id).where(BodyKind.category == "council")
            .order_by(Body.position, Body.id))


def councils() -> list[Body]:
    return db.session.scalars(_councils_statement(), {"tenant_id": current_tenant.id}).all()


@bp.route("/")
def index():
    require("district.view")
    found = councils()
    if not found:
        return render_template("council/none.html")
    return screens.detail_page(found[0], councils=found)


@bp.route("/<int:council_id>/")
def detail(council_id: int):
    require("district.view")
    return screens.detail_page(screens.body_or_404(council_id))


@bp.route("/<int:council_id>/order", methods=["POST"])
def save_order(council_id: int):
    body = screens.body_or_404(council_id)
    require("council.edit", body)
    form = OrderForm()
    conflict = None
    if form.validate_on_submit():
        if (conflict := version_conflict(form, body)) is None:
            current = documents_svc.current_composition(body)  # read before the change: no autoflush of it
            body.order_number = clean(form.order_number.data)
            body.order_date = form.order_date.data
            if current is not None:  # the requisites of the current order are those of its document
                current.number, current.issued_on = body.order_number, body.order_date
            conflict = commit_versioned(form, body)
            if conflict is None:
                if not is_htmx():
                    flash(_("Реквизиты приказа о составе сохранены."), "success")
                    return redirect(screens.detail_url(body))
                return render_template("council/_order.html", body=body, order_form=OrderForm(formdata=None, obj=body),
                                       composition_form=CompositionForm(formdata=None), can_edit=True, saved=True,
                                       **order_context(body))
    status = 409 if conflict else 422
    if is_htmx():
        return render_template("council/_order.html", body=body, order_form=form, can_edit=True,
                               composition_form=CompositionForm(formdata=None), order_conflict=conflict, open=True,
                               **order_context(body)), status
    return screens.detail_page(body, status, order_form=form, order_conflict=conflict)


@bp.route("/<int:council_id>/composition", methods=["POST"])
def record_composition(council_id: int):
    """A change of composition recorded with a new order: the earlier composition stays readable with its order."""
    body = screens.body_or_404(council_id)
    require("council.edit", body)
    require("documents.manage")
    form = CompositionForm()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        documents_svc.record_composition(body, current_tenant, clean(form.order_number.data), form.order_date.data,
                                         form.attachments.uploads, current_user)
        remember_result(screens.detail_url(body))
        db.session.commit()
        flash(_("Состав записан: утверждён приказом от %(date)s № %(number)s.",
                date=f"{form.order_date.data:%d.%m.%Y}", number=clean(form.order_number.data)), "success")
        return redirect(screens.detail_url(body) + "#order")
    return screens.detail_page(body, 422, composition_form=form)


from . import proposals  # noqa: E402,F401  (its routes)
