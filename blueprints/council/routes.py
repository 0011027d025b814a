from flask import flash, redirect, render_template
from flask_babel import gettext as _

from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind
from oms.permissions import require
from oms.text import clean
from oms.views import is_htmx

from . import bp
from .composition import composition
from .forms import OrderForm
from .proposals import proposals_context
from .screens import BodyScreens

class CouncilScreens(BodyScreens):
    def detail_page(self, body, status=200, **extra):
        order_form = extra.pop("order_form", None)
        order_conflict = extra.pop("order_conflict", None)
        proposal_form = extra.pop("proposal_form", None)
        context = self.body_context(body, **extra)
        if context["can_edit"] and order_form is None:
            order_form = OrderForm(formdata=None, obj=body)
        context.update(proposals_context(body, extra_form=proposal_form))
        context["composition"] = composition(body, context["members"])
        return render_template("council/detail.html", councils=councils(), order_form=order_form,
                               order_conflict=order_conflict, **context), status


screens = CouncilScreens(bp, "council_id", ("council",), "council.edit", ("chair", "deputy", "secretary", "member"),
                         "council.detail")


def councils() -> list[Body]:
    return db.session.scalars(
        Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id).where(BodyKind.category == "council")
        .order_by(Body.position, Body.id)
    ).all()


@bp.route("/")
def index():
    require("district.view")
    found = councils()
    if not found:
        return render_template("council/none.html")
    return screens.detail_page(found[0])


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
            body.order_number = clean(form.order_number.data)
            body.order_date = form.order_date.data
            conflict = commit_versioned(form, body)
            if conflict is None:
                if not is_htmx():
                    flash(_("Реквизиты приказа о составе сохранены."), "success")
                    return redirect(screens.detail_url(body))
                return render_template("council/_order.html", body=body, order_form=OrderForm(formdata=None, obj=body),
                                       can_edit=True, saved=True)
    status = 409 if conflict else 422
    if is_htmx():
        return render_template("council/_order.html", body=body, order_form=form, can_edit=True,
                               order_conflict=conflict, open=True), status
    return screens.detail_page(body, status, order_form=form, order_conflict=conflict)


from . import proposals  # noqa: E402,F401  (its routes)
