"""Factories for events and their registrations."""
import itertools
from datetime import datetime

from oms.extensions import db
from oms.models import Event, EventRegistration

from . import route_arg
from .core import person_in

_n = itertools.count(1)


@route_arg("event_id")
def event_in(tenant, **kw):
    n = next(_n)
    event = Event(tenant_id=tenant.id, kind=kw.pop("kind", "seminar"), title=kw.pop("title", f"Семинар {n}"),
                  starts_at=kw.pop("starts_at", datetime(2025, 11, 12, 10, 0)),
                  ends_at=kw.pop("ends_at", datetime(2025, 11, 12, 12, 0)), address=kw.pop("address", "ул. Ленина, 1"),
                  **kw)
    db.session.add(event)
    db.session.flush()
    return event


@route_arg("registration_id")
def registration_in(tenant, event=None, person=None, **kw):
    row = EventRegistration(tenant_id=tenant.id, event_id=(event or event_in(tenant)).id,
                            person_id=(person or person_in(tenant)).id, **kw)
    db.session.add(row)
    db.session.flush()
    return row
