"""GET /<slug>/calendar/: a month grid or a list, filtered by kind, body and school; the feeds' links."""
import secrets
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from oms import clock
from oms.extensions import db
from oms.models import Body, BodyKind, School
from oms.models.plan import MONTH_LABELS
from oms.permissions import require
from oms.services import calendar as cal
from oms.tenancy import current_tenant
from oms.text import N_

from . import bp

WEEKDAYS = (N_("Пн"), N_("Вт"), N_("Ср"), N_("Чт"), N_("Пт"), N_("Сб"), N_("Вс"))


@bp.before_request
def readers_only():
    require("district.view")


def _month() -> tuple[int, int]:
    raw = request.args.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = clock.today()
    return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    n = year * 12 + month - 1 + by
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _filters() -> dict:
    kind = request.args.get("kind", "")
    return {"kind": kind if kind in cal.SOURCES else None, "body": request.args.get("body", type=int),
            "school": request.args.get("school", type=int)}


@bp.route("/")
def index():
    year, month = _month()
    filters = _filters()
    view = request.args.get("view", "month")
    grid = cal.month_view(year, month, filters)
    first = date(year, month, 1)
    in_month = sorted(((day, e) for day, rows in grid.by_day.items() for e in rows if day.month == month),
                      key=lambda pair: (pair[0], pair[1].time))
    bodies = db.session.execute(Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id)
                                .where(BodyKind.category != "service")
                                .with_only_columns(Body.id, Body.name).order_by(Body.position, Body.name)).all()
    schools = db.session.execute(School.scoped().with_only_columns(School.id, School.short_name, School.name)
                                 .order_by(School.short_name, School.name)).all()
    token = current_user.calendar_token
    return render_template(
        "calendar/index.html", grid=grid, view="list" if view == "list" else "month", in_month=in_month,
        first=first, month_label=MONTH_LABELS[month], prev=_shift(year, month, -1), next=_shift(year, month, 1),
        filters=filters, sources=cal.SOURCES, bodies=bodies, schools=schools, weekdays=WEEKDAYS,
        today=clock.today(),
        private_url=url_for("ical.user_feed", token=token, _external=True) if token else None,
        public_url=url_for("ical.district_feed", district_slug=current_tenant.slug, _external=True))


def _checked() -> None:
    if not FlaskForm().validate_on_submit():
        from flask import abort

        abort(400)


@bp.route("/feed", methods=["POST"])
def make_feed():
    """A new private link (an old one stops working)."""
    require("calendar.feed")
    _checked()
    current_user.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()
    flash(_("Ссылка для подписки готова. Никому её не передавайте: по ней виден ваш календарь."), "success")
    return redirect(url_for("calendar.index") + "#feeds")


@bp.route("/feed/revoke", methods=["POST"])
def revoke_feed():
    require("calendar.feed")
    _checked()
    current_user.calendar_token = None
    db.session.commit()
    flash(_("Ссылка отозвана: календари, подписанные по ней, больше не обновятся."), "success")
    return redirect(url_for("calendar.index") + "#feeds")
