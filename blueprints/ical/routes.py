from datetime import timedelta

from flask import abort, g, request
from sqlalchemy import select

from oms import clock, rls
from oms.extensions import db, limiter
from oms.models import BodyMember, Person, Tenant, User
from oms.services import calendar as cal
from oms.services.ical import feed

from . import bp

DAYS_BACK, DAYS_AHEAD = 366, 400


def _enter(tenant: Tenant) -> None:
    g.tenant, g.tenant_slug = tenant, tenant.slug
    rls.enter_district(tenant.id)


def _answer(entries, name: str, tenant: Tenant):
    body = feed(entries, name, tenant.time_zone, f"{tenant.slug}.oms", request.host_url.rstrip("/"))
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=900",
                       "Content-Disposition": f'inline; filename="{tenant.slug}.ics"'}


def _range():
    today = clock.today()
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


@bp.route("/<token>.ics")
@limiter.limit("120 per minute")
def user_feed(token: str):
    """What the user may see: every event of the district, the meetings of their bodies (all of them for the
    service's staff), and the dated plan items for the staff. A revoked or unknown token: 404."""
    if len(token) < 20:
        abort(404)
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.is_active or user.tenant_id is None:
        abort(404)
    tenant = db.session.get(Tenant, user.tenant_id)
    if tenant is None or tenant.is_suspended:
        abort(404)
    _enter(tenant)
    filters: dict = {"bodies": None}
    if user.role not in ("admin", "methodist"):
        person_id = db.session.scalar(Person.scoped().with_only_columns(Person.id).where(Person.user_id == user.id))
        filters["bodies"] = set(db.session.scalars(
            select(BodyMember.body_id).where(BodyMember.person_id == person_id))) if person_id else set()
    first, last = _range()
    return _answer(cal.entries(first, last, filters), f"{tenant.name}: {user.full_name}", tenant)


@bp.route("/district/<district_slug>.ics")
@limiter.limit("120 per minute")
def district_feed(district_slug: str):
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == district_slug))
    if tenant is None or tenant.is_suspended:
        abort(404)
    _enter(tenant)
    first, last = _range()
    return _answer(cal.entries(first, last, {"public": True}), f"{tenant.name}: открытые мероприятия", tenant)
