"""Registration for events: capacity and a waiting list as states, attendance, walk-ins, feedback.

Every operation checks and changes within one transaction, with the event row locked (FOR UPDATE on
PostgreSQL; SQLite writes one at a time), so two people taking the last seat cannot both get it.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import Event, EventRegistration
from ..models.base import utcnow
from . import evidence


class RegistrationError(ValueError):
    """A registration the event does not allow, with a message for the user."""


def locked(event_id: int) -> Event:
    return db.session.scalar(Event.scoped().where(Event.id == event_id).with_for_update()
                             .execution_options(populate_existing=True))


def taken(event: Event) -> int:
    return db.session.scalar(select(func.count(EventRegistration.id)).where(
        EventRegistration.event_id == event.id, EventRegistration.state == "registered")) or 0


def is_past(event: Event, time_zone: str) -> bool:
    return event.ends_at < clock.now_local(time_zone)


def registration_of(event: Event, person_id: int) -> EventRegistration | None:
    return db.session.scalar(EventRegistration.scoped().where(EventRegistration.event_id == event.id,
                                                              EventRegistration.person_id == person_id))


def register(event: Event, person_id: int, by_user_id: int | None, time_zone: str,
             self_service: bool = True) -> EventRegistration:
    """Registered while there are seats, on the waiting list beyond them."""
    event = locked(event.id)
    if event.is_cancelled:
        raise RegistrationError(_("Мероприятие отменено: запись закрыта."))
    if is_past(event, time_zone):
        raise RegistrationError(_("Мероприятие уже прошло: запись закрыта."))
    row = registration_of(event, person_id)
    if row is not None and row.state != "cancelled":
        if row.state == "waiting":
            raise RegistrationError(_("Уже в листе ожидания этого мероприятия.") if not self_service else
                                    _("Вы уже в листе ожидания этого мероприятия."))
        raise RegistrationError(_("Уже записан на это мероприятие.") if not self_service else
                                _("Вы уже записаны на это мероприятие."))
    state = "registered" if event.capacity is None or taken(event) < event.capacity else "waiting"
    if row is None:
        row = EventRegistration(tenant_id=event.tenant_id, event_id=event.id, person_id=person_id)
        db.session.add(row)
    row.state, row.registered_by_id, row.created_at, row.attended = state, by_user_id, utcnow(), False
    db.session.flush()
    return row


def cancel(row: EventRegistration) -> None:
    """The person's registration is withdrawn; the first on the waiting list takes the seat."""
    event = locked(row.event_id)
    row.state, row.attended = "cancelled", False
    db.session.flush()
    promote(event)
    evidence.activity_changed("event", event.id)


def promote(event: Event) -> list[EventRegistration]:
    moved = []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - taken(event)
    waiting = db.session.scalars(EventRegistration.scoped().where(
        EventRegistration.event_id == event.id, EventRegistration.state == "waiting")
        .order_by(EventRegistration.created_at, EventRegistration.id)).all()
    for row in waiting:
        if free is not None and free <= 0:
            break
        row.state = "registered"
        moved.append(row)
        if free is not None:
            free -= 1
    db.session.flush()
    return moved


def mark_attendance(event: Event, attended_ids: set[int]) -> None:
    """Ticks on the registration sheet: who came (registered and walk-ins alike)."""
    rows = db.session.scalars(EventRegistration.scoped().where(EventRegistration.event_id == event.id)).all()
    for row in rows:
        row.attended = row.id in attended_ids and row.state != "cancelled"
    db.session.flush()
    evidence.activity_changed("event", event.id)


def walk_in(event: Event, person_id: int, by_user_id: int | None) -> EventRegistration:
    """Someone who came without registering (or from the waiting list): present, whatever the capacity."""
    row = registration_of(event, person_id)
    if row is None:
        row = EventRegistration(tenant_id=event.tenant_id, event_id=event.id, person_id=person_id, walk_in=True,
                                registered_by_id=by_user_id)
        db.session.add(row)
    row.state, row.attended = "registered", True
    db.session.flush()
    evidence.activity_changed("event", event.id)
    return row


def attended_count(event_ids) -> dict[int, int]:
    ids = list(event_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(EventRegistration.event_id, func.count(EventRegistration.id))
        .where(EventRegistration.event_id.in_(ids), EventRegistration.attended.is_(True),
               EventRegistration.state != "cancelled")
        .group_by(EventRegistration.event_id)).all())


def state_counts(event_ids) -> dict[int, dict[str, int]]:
    """{event id: {"registered": n, "waiting": n, "attended": n}} in one query."""
    ids = list(event_ids)
    found: dict[int, dict[str, int]] = {i: {"registered": 0, "waiting": 0, "attended": 0} for i in ids}
    if not ids:
        return found
    for event_id, state, attended, n in db.session.execute(
            select(EventRegistration.event_id, EventRegistration.state, EventRegistration.attended,
                   func.count(EventRegistration.id))
            .where(EventRegistration.event_id.in_(ids))
            .group_by(EventRegistration.event_id, EventRegistration.state, EventRegistration.attended)):
        if state in ("registered", "waiting"):
            found[event_id][state] += n
        if attended and state != "cancelled":
            found[event_id]["attended"] += n
    return found


def coming_registrations(person_id: int, now, limit: int = 10) -> list[EventRegistration]:
    """The person's registrations (and waiting-list places) for events still to come."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        EventRegistration.scoped().join(Event, Event.id == EventRegistration.event_id)
        .where(EventRegistration.person_id == person_id, EventRegistration.state != "cancelled",
               Event.ends_at >= now)
        .options(joinedload(EventRegistration.event)).order_by(Event.starts_at).limit(limit)))


def suggested_for(person, now, exclude=(), limit: int = 5) -> list[tuple[Event, list[str]]]:
    """Coming events whose audience names the person (oms.services.audience), with the reasons why."""
    from .audience import Profile

    profile = Profile.of(person)
    found = []
    for event in db.session.scalars(Event.scoped().where(Event.starts_at >= now, Event.status == "planned")
                                    .order_by(Event.starts_at).limit(60)):
        if event.id in exclude:
            continue
        reasons = profile.reasons(event.audience)
        if reasons:
            found.append((event, reasons))
        if len(found) >= limit:
            break
    return found
