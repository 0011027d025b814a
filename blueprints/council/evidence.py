"""Meetings of every body as evidence of plan items (oms.services.evidence) and as calendar entries."""
import functools

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from oms.current import current_tenant_id
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import Attendance, Body, Meeting
from oms.services import evidence
from oms.services.calendar import Entry, register_source

from .screens import BODY_SCREENS

KIND = "meeting"


def meeting_url(meeting) -> str | None:
    screens = BODY_SCREENS.get(meeting.body.kind.category)
    return screens.url("meeting", meeting.body, meeting_id=meeting.id) if screens else None


def meeting_label(meeting) -> str:
    text = f"{meeting.body.name}: " + str(_l("заседание № %(n)s от %(d)s", n=meeting.number,
                                             d=ru_date(meeting.held_on)))
    return text + (f" — {meeting.topic}" if meeting.topic else "")


def _present_counts(ids) -> dict[int, int]:
    return dict(db.session.execute(
        select(Attendance.meeting_id, func.count(Attendance.id))
        .where(Attendance.meeting_id.in_(ids), Attendance.present.is_(True)).group_by(Attendance.meeting_id)).all())


def load(ids) -> dict:
    meetings = db.session.scalars(Meeting.scoped().where(Meeting.id.in_(ids)).options(joinedload(Meeting.body)))
    counts = _present_counts(ids)
    return {m.id: evidence.Activity(
        kind=KIND, id=m.id, title=meeting_label(m), url=meeting_url(m), on=m.held_on, held=m.is_held,
        participants=counts.get(m.id) or None,
        extra="" if m.is_held else str(_l("не отмечено как проведённое"))) for m in meetings}


def pick_params(item) -> dict:
    """The picker finds the meetings of the item's organising body (or of all bodies) in the item's plan year."""
    return {"years": str(item.plan.start_year), "body": item.body_id or ""}


def new_url(item) -> str | None:
    if not item.body_id:
        return None
    body = db.session.scalar(Body.scoped().where(Body.id == item.body_id))
    screens = BODY_SCREENS.get(body.kind.category) if body else None
    return screens.url("new_meeting", body, plan_item=item.id) if screens else None


@functools.cache
def _dated_statement():
    """The meetings of some days, a select built once (its parameters: tenant_id, first, last)."""
    return (Meeting.scoped_by_param().join(Body, Body.id == Meeting.body_id)
            .where(and_(Meeting.held_on >= bindparam("first"), Meeting.held_on <= bindparam("last")))
            .options(joinedload(Meeting.body)).order_by(Meeting.held_on, Meeting.id))


def dated(first, last, filters) -> list[Entry]:
    stmt = _dated_statement()
    if filters.get("body"):
        stmt = stmt.where(Meeting.body_id == filters["body"])
    if filters.get("school"):
        stmt = stmt.where(Body.school_id == filters["school"])
    if filters.get("bodies") is not None:  # only these bodies (a private feed)
        stmt = stmt.where(Meeting.body_id.in_(filters["bodies"]))
    return [Entry(kind=KIND, uid=f"meeting-{m.id}", title=meeting_label(m), start=m.held_on, url=meeting_url(m),
                  where=m.venue, sequence=m.version, body_id=m.body_id)
            for m in db.session.scalars(stmt, {"tenant_id": current_tenant_id(), "first": first, "last": last})]


evidence.register(evidence.Kind(code=KIND, label=_l("Заседание"), load=load, pick="meeting",
                                pick_params=pick_params, new_url=new_url))
register_source(KIND, _l("Заседания"), dated)
