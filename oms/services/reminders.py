"""The daily digest (`flask --app wsgi remind`, from cron once a day): to each person with an e-mail who has
something coming — an event they registered for in the next days, an open decision due soon or overdue, a
plan item they answer for dated in the next days — one letter a day, queued in the outbox (oms.mail) with
the key «digest:<person>:<day>», so running the command twice sends nothing twice. Without a mail server
nothing is queued.
"""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from .. import clock, mail
from ..extensions import db
from ..models import (Decision, Event, EventRegistration, Person, PlanItem, PlanItemResponsible, Tenant, User)

AHEAD_DAYS = 2


def _email_of(person: Person, users: dict) -> str:
    return (users.get(person.user_id) or person.email or "").strip()


def digest_lines(tenant: Tenant, today) -> dict[int, list[str]]:
    """{person id: lines} for one district (plain queries with its tenant_id: the command runs outside a
    request)."""
    lines: dict[int, list[str]] = {}
    until = today + timedelta(days=AHEAD_DAYS)
    for reg, event in db.session.execute(
            select(EventRegistration, Event).join(Event, Event.id == EventRegistration.event_id)
            .where(Event.tenant_id == tenant.id, EventRegistration.state != "cancelled", Event.status == "planned",
                   Event.starts_at >= datetime.combine(today, time.min),
                   Event.starts_at <= datetime.combine(until, time.max))):
        where = "лист ожидания" if reg.state == "waiting" else "вы записаны"
        lines.setdefault(reg.person_id, []).append(
            f"• {event.starts_at:%d.%m.%Y %H:%M} — {event.kind_label}: {event.title} ({where})")
    for decision in db.session.scalars(
            select(Decision).where(Decision.tenant_id == tenant.id, Decision.status == "open",
                                   Decision.responsible_id.is_not(None), Decision.due_date.is_not(None),
                                   Decision.due_date <= until)):
        late = " — срок прошёл" if decision.due_date < today else ""
        lines.setdefault(decision.responsible_id, []).append(
            f"• решение к {decision.due_date:%d.%m.%Y}{late}: {decision.text[:200]}")
    for person_id, item in db.session.execute(
            select(PlanItemResponsible.person_id, PlanItem).join(PlanItem, PlanItem.id == PlanItemResponsible.item_id)
            .where(PlanItem.tenant_id == tenant.id, PlanItem.status == "planned", PlanItem.date_from >= today,
                   PlanItem.date_from <= until)):
        lines.setdefault(person_id, []).append(f"• {item.date_from:%d.%m.%Y} — пункт плана: {item.title[:200]}")
    return lines


def remind(today=None) -> int:
    """Queue the day's digests; the number queued."""
    if not mail.configured():
        return 0
    today = today or clock.today()
    queued = 0
    for tenant in db.session.scalars(select(Tenant).where(Tenant.is_suspended.is_(False))):
        lines = digest_lines(tenant, today)
        if not lines:
            continue
        people = db.session.scalars(select(Person).where(Person.id.in_(list(lines)))).all()
        users = dict(db.session.execute(select(User.id, User.email).where(
            User.id.in_([p.user_id for p in people if p.user_id]))).all())
        for person in people:
            to = _email_of(person, users)
            body = (f"Здравствуйте, {person.full_name}!\n\nНа ближайшие дни ({tenant.name}):\n"
                    + "\n".join(lines[person.id]) + "\n\nЭто письмо приходит раз в день, когда есть что напомнить.\n")
            if mail.queue(to, f"{tenant.service_label}: напоминание на {today:%d.%m.%Y}", body,
                          key=f"digest:{person.id}:{today.isoformat()}", tenant_id=tenant.id):
                queued += 1
    db.session.commit()
    return queued
