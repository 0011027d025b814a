from flask import render_template
from sqlalchemy.orm import selectinload

from blueprints.council.screens import BodyScreens
from oms.extensions import db
from oms.models import Body, BodyKind
from oms.permissions import require

from . import bp

# Bodies that work like the council but are not the district's council or an association.
CATEGORIES = ("school_council", "resource_centre")


class WorkingBodyScreens(BodyScreens):
    def detail_page(self, body, status=200, **extra):
        return render_template("bodies/detail.html", **self.body_context(body, **extra)), status


screens = WorkingBodyScreens(bp, "body_id", CATEGORIES, "body.edit", ("chair", "deputy", "secretary", "member"),
                             "bodies.detail")


@bp.route("/")
def index():
    require("district.view")
    bodies = db.session.scalars(
        Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id).where(BodyKind.category.in_(CATEGORIES))
        .options(selectinload(Body.school)).order_by(BodyKind.position, Body.position, Body.name)).all()
    return render_template("bodies/index.html", bodies=bodies)


@bp.route("/<int:body_id>/")
def detail(body_id: int):
    require("district.view")
    return screens.detail_page(screens.body_or_404(body_id))
