"""Events as evidence of plan items (held = attendance ticked; participants = those ticked) and as calendar
entries."""
import functools

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam

from oms.current import current_tenant_id
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import Event
from oms.services import evidence
from oms.services import events as svc
from oms.services.calendar import Entry, register_source

KIND = "event"


def label(event) -> str:
    return f"{event.kind_label}: {event.title} — {ru_date(event.starts_at)}"


def load(ids) -> dict:
    events = db.session.scalars(Event.scoped().where(Event.id.in_(ids))).all()
    counts = svc.attended_count(ids)
    return {e.id: evidence.Activity(
        kind=KIND, id=e.id, title=label(e), url=url_for("events.show", event_id=e.id), on=e.starts_at.date(),
        held=not e.is_cancelled and counts.get(e.id, 0) > 0, participants=counts.get(e.id) or None,
        cancelled=e.is_cancelled, extra="" if counts.get(e.id) else str(_l("присутствие не отмечено")))
        for e in events}


def pick_params(item) -> dict:
    """The picker finds the events of the item's plan year, of its organising body or the district's own."""
    return {"years": str(item.plan.start_year), "body": item.body_id or ""}


def new_url(item) -> str:
    return url_for("events.new", plan_item=item.id)


@functools.cache
def _dated_statement():
    """The events that overlap two moments, a select built once (its parameters: tenant_id, first, last)."""
    return (Event.scoped_by_param()
            .where(and_(Event.starts_at <= bindparam("last"), Event.ends_at >= bindparam("first")))
            .order_by(Event.starts_at, Event.id))


def dated(first, last, filters) -> list[Entry]:
    from datetime import datetime, time

    stmt = _dated_statement()
    if filters.get("body"):
        stmt = stmt.where(Event.body_id == filters["body"])
    if filters.get("school"):
        stmt = stmt.where(Event.venue_school_id == filters["school"])
    if filters.get("public"):
        stmt = stmt.where(Event.is_public.is_(True))
    entries = []
    params = {"tenant_id": current_tenant_id(), "first": datetime.combine(first, time.min),
              "last": datetime.combine(last, time.max)}
    for e in db.session.scalars(stmt, params):
        where = e.address or (e.online_url if not e.venue_school_id else "")
        entries.append(Entry(kind=KIND, uid=f"event-{e.id}", title=f"{e.kind_label}: {e.title}", start=e.starts_at,
                             end=e.ends_at, url=url_for("events.show", event_id=e.id), where=where,
                             cancelled=e.is_cancelled, sequence=e.sequence, body_id=e.body_id,
                             school_id=e.venue_school_id, note=e.description[:500], public=e.is_public))
    return entries


evidence.register(evidence.Kind(code=KIND, label=_l("Мероприятие (семинар, мастер-класс, конференция…)"),
                                load=load, pick="event", pick_params=pick_params, new_url=new_url))
register_source(KIND, _l("Мероприятия"), dated, public=True)
