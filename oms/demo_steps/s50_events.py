"""Demo events and evidence: the 2025/2026 plan's seminars, master classes, conferences… become events with
registrations (a waiting list where seats are few) and attendance; the plan's meetings of the council and the
associations are linked to meetings (made where missing), and one school-level council meets. The execution
of those items then comes from their evidence, not from typed marks.

Dates follow the demo year: the demo's «now» is 1 May 2026, as for the plan's marks (s30_plan), never the
machine's clock. Loading twice adds nothing: events are found by title and start, links by their key.
"""
import random
from datetime import date, datetime, time, timedelta

from flask import current_app, g

from ..extensions import db
from ..models import (Attendance, Body, BodyKind, BodyMember, Event, EventRegistration, Meeting, Person, Plan,
                      PlanItem, School, User, WorkForm)
from ..models.evidence import PlanItemLink
from ..models.plan import months_of, year_of_month
from ..text import fold

DEMO_NOW = date(2026, 5, 1)
START_YEAR = 2025
# the form of work (or the title) names the kind of event
KIND_STEMS = (("мастер-класс", "master_class"), ("семинар", "seminar"), ("конференц", "conference"),
              ("чтени", "readings"), ("открытый урок", "open_lesson"), ("открытых урок", "open_lesson"),
              ("вебинар", "webinar"), ("стажир", "internship"), ("круглый стол", "round_table"))
MAX_EVENTS = 14


def run(tenant, preset) -> None:
    zone = preset.get("profile", {}).get("time_zone")
    if zone and tenant.time_zone in ("", "Europe/Moscow") and zone != tenant.time_zone:
        tenant.time_zone = zone
    plan = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == START_YEAR))
    if plan is None:
        return
    with current_app.test_request_context(f"/{tenant.slug}/"):
        # the evidence registry reads through the current district, as in a request
        g.tenant_id, g.tenant_slug, g.rls_all_districts = tenant.id, tenant.slug, True
        ctx = _Context(tenant, plan)
        _events(ctx)
        _meetings(ctx)
        _school_council(ctx)
        _decision_to_next_year(ctx)
        composition_rules(ctx, preset)
        db.session.flush()
        from ..services import evidence

        evidence.refresh_items(ctx.items)


class _Context:
    def __init__(self, tenant, plan):
        self.tenant, self.plan = tenant, plan
        self.rnd = random.Random(f"oms-events-{tenant.slug}")
        self.items = list(db.session.scalars(db.select(PlanItem).where(PlanItem.plan_id == plan.id)
                                             .order_by(PlanItem.position, PlanItem.id)))
        self.forms = {f.id: fold(f.name) for f in db.session.scalars(
            db.select(WorkForm).where(WorkForm.tenant_id == tenant.id))}
        self.schools = list(db.session.scalars(db.select(School).where(School.tenant_id == tenant.id)
                                               .order_by(School.id)))
        self.teachers = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id,
                                                                        Person.school_id.is_not(None))
                                                .order_by(Person.id)))
        teacher_user = db.session.scalar(db.select(User.id).where(User.tenant_id == tenant.id,
                                                                  User.email.like("teacher@%")))
        self.demo_teacher = next((p for p in self.teachers if teacher_user and p.user_id == teacher_user), None)
        self.councils = set(db.session.scalars(
            db.select(Body.id).join(BodyKind, BodyKind.id == Body.kind_id)
            .where(Body.tenant_id == tenant.id, BodyKind.category == "council")))
        self.links = {(l.item_id, l.kind) for l in db.session.scalars(
            db.select(PlanItemLink).where(PlanItemLink.tenant_id == tenant.id))}

    def link(self, item, kind, object_id) -> None:
        if (item.id, kind) in self.links:
            return
        db.session.add(PlanItemLink(tenant_id=self.tenant.id, item_id=item.id, kind=kind, object_id=object_id))
        self.links.add((item.id, kind))
        # the mark comes from the evidence now: the typed one is cleared unless the item was moved or cancelled
        if item.status == "done":
            item.status, item.actual_date, item.participants_count = "planned", None, None


def _kind_of(ctx, item) -> str | None:
    text = (ctx.forms.get(item.form_id, "") + " " + fold(item.title))
    return next((kind for stem, kind in KIND_STEMS if stem in text), None)


def _day_of(ctx, item) -> date:
    if item.date_from:
        return item.date_from
    month = months_of(item.months or 0)[0] if item.months else 10
    day = date(year_of_month(START_YEAR, month), month, ctx.rnd.randint(8, 24))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# ---- events -------------------------------------------------------------------------------

def _events(ctx) -> None:
    made = 0
    for item in ctx.items:
        if made >= MAX_EVENTS or item.body_id is not None or item.status == "moved":
            continue
        if (item.id, "event") in ctx.links:
            made += 1  # loaded before
            continue
        kind = _kind_of(ctx, item)
        if kind is None:
            continue
        made += 1
        day = _day_of(ctx, item)
        starts = datetime.combine(day, time(10 if made % 3 else 14, 0))
        event = db.session.scalar(db.select(Event).where(Event.tenant_id == ctx.tenant.id,
                                                         Event.title == item.title[:500], Event.starts_at == starts))
        if event is None:
            venue = item.venue_school_id or (ctx.schools[made % len(ctx.schools)].id if ctx.schools else None)
            event = Event(tenant_id=ctx.tenant.id, kind=kind, title=item.title[:500], starts_at=starts,
                          ends_at=starts + timedelta(hours=2 if kind != "conference" else 4),
                          venue_school_id=None if kind == "webinar" else venue,
                          online_url="https://vebinar.example.ru/oms" if kind == "webinar" else "",
                          address="" if venue or kind == "webinar" else "Актовый зал отдела образования",
                          audience=item.audience[:500], capacity=12 if made % 4 == 1 else None,
                          is_public=made % 3 == 0, status="cancelled" if item.status == "cancelled" else "planned",
                          description=item.expected_result[:1000])
            db.session.add(event)
            db.session.flush()
            _registrations(ctx, event, held=day < DEMO_NOW and item.status != "cancelled")
        ctx.link(item, "event", event.id)


def _registrations(ctx, event, held: bool) -> None:
    if not ctx.teachers:
        return
    people = ctx.rnd.sample(ctx.teachers, min(len(ctx.teachers), ctx.rnd.randint(8, 16)))
    if ctx.demo_teacher is not None and ctx.demo_teacher not in people and ctx.rnd.random() < 0.5:
        people.append(ctx.demo_teacher)
    for n, person in enumerate(people):
        state = "registered" if event.capacity is None or n < event.capacity else "waiting"
        attended = held and state == "registered" and ctx.rnd.random() < 0.85
        db.session.add(EventRegistration(
            tenant_id=ctx.tenant.id, event_id=event.id, person_id=person.id, state=state, attended=attended,
            created_at=event.starts_at - timedelta(days=14 - n % 10),
            rating=ctx.rnd.choice((4, 5, 5)) if attended and n % 3 == 0 else None,
            comment="Полезно, материалы пригодятся на уроках." if attended and n % 6 == 0 else ""))


# ---- meetings of the council and the associations -----------------------------------------------

def _meetings(ctx) -> None:
    for item in ctx.items:
        if item.body_id is None or item.status == "moved" or (item.id, "meeting") in ctx.links:
            continue
        day = _day_of(ctx, item)
        month = day.month
        meetings = list(db.session.scalars(db.select(Meeting).where(Meeting.body_id == item.body_id)
                                           .order_by(Meeting.held_on)))
        meeting = next((m for m in meetings if m.held_on.month == month and m.held_on.year == day.year), None)
        if meeting is None:
            if item.status == "cancelled" or item.body_id in ctx.councils:
                continue  # the council keeps its two demo meetings; its other items keep their typed marks
            held = day < DEMO_NOW
            numbers = [int(m.number) for m in meetings if m.number.isdigit()]
            meeting = Meeting(tenant_id=ctx.tenant.id, body_id=item.body_id, number=str(max(numbers, default=0) + 1),
                              held_on=day, topic=item.title[:500], is_held=held,
                              minutes="Заслушали выступления по вопросам повестки, приняли решения." if held else "")
            db.session.add(meeting)
            db.session.flush()
            if held:
                _attendance(ctx, meeting)
        ctx.link(item, "meeting", meeting.id)


def _attendance(ctx, meeting) -> None:
    members = list(db.session.scalars(db.select(BodyMember.person_id).where(BodyMember.body_id == meeting.body_id)))
    for n, person_id in enumerate(members):
        db.session.add(Attendance(tenant_id=ctx.tenant.id, meeting_id=meeting.id, person_id=person_id,
                                  present=n % 5 != 4))


# ---- a council decision that became an item of next year's draft ----------------------------

def _decision_to_next_year(ctx) -> None:
    from ..models import Decision, Direction
    from ..services.decisions import to_plan_item

    council = db.session.scalar(db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
                                .where(Body.tenant_id == ctx.tenant.id, BodyKind.category == "council")
                                .order_by(Body.id).limit(1))
    direction = db.session.scalar(db.select(Direction).where(Direction.tenant_id == ctx.tenant.id)
                                  .order_by(Direction.position, Direction.id).limit(1))
    if council is None or direction is None:
        return
    decisions = db.session.scalars(db.select(Decision).join(Meeting, Meeting.id == Decision.meeting_id)
                                   .where(Meeting.body_id == council.id).order_by(Meeting.held_on, Decision.id)).all()
    if not decisions or any(d.plan_item_id for d in decisions):
        return
    decision = decisions[-1]
    decision.meeting = db.session.get(Meeting, decision.meeting_id)
    to_plan_item(decision, council, START_YEAR + 1, direction.id, 10)


# ---- one school-level council at work ------------------------------------------------------------

def _school_council(ctx) -> None:
    """A school's council (or, where the district has none, another school-level body) and the resource
    centre, if any: members and meetings like the municipal council's."""
    school_level = db.session.scalars(
        db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Body.tenant_id == ctx.tenant.id, BodyKind.level == "school", Body.school_id.is_not(None))
        .order_by(BodyKind.category != "school_council", Body.id)).first()
    centre = db.session.scalars(
        db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Body.tenant_id == ctx.tenant.id, BodyKind.category == "resource_centre").order_by(Body.id)).first()
    for body in (school_level, centre):
        if body is not None:
            _body_at_work(ctx, body)


def _body_at_work(ctx, body) -> None:
    if db.session.scalar(db.select(Meeting.id).where(Meeting.body_id == body.id).limit(1)):
        return
    # people without demo accounts: the demo leader leads exactly one association
    staff = [p for p in ctx.teachers if not p.user_id
             and (body.school_id is None or p.school_id == body.school_id)][:6]
    known = set(db.session.scalars(db.select(BodyMember.person_id).where(BodyMember.body_id == body.id)))
    for n, person in enumerate(staff if not known else []):
        if person.id not in known:
            db.session.add(BodyMember(tenant_id=ctx.tenant.id, body_id=body.id, person_id=person.id,
                                      role="chair" if n == 0 else "secretary" if n == 1 else "member"))
    db.session.flush()
    for number, day, topic, held in (("1", date(2025, 9, 5), "Утверждение плана работы на 2025/2026 учебный год", True),
                                     ("2", date(2026, 1, 16), "Итоги первого полугодия", True),
                                     ("3", date(2026, 5, 22), "Итоги учебного года", False)):
        meeting = Meeting(tenant_id=ctx.tenant.id, body_id=body.id, number=number, held_on=day, topic=topic,
                          is_held=held, minutes="Рассмотрели вопросы повестки, решения приняты." if held else "")
        db.session.add(meeting)
        db.session.flush()
        if held:
            _attendance(ctx, meeting)


# ---- the council's composition by position (where the preset lists the positions) ----------------

def composition_rules(ctx, preset) -> None:
    """The council's seats by position, where the preset defines them (Kalar 3.1: `[[council_seats]]`)."""
    from ..models import CompositionRule

    seats = preset.get("council_seats", [])
    council = db.session.scalar(db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
                                .where(Body.tenant_id == ctx.tenant.id, BodyKind.category == "council")
                                .order_by(Body.id).limit(1))
    if council is None or not seats or db.session.scalar(
            db.select(CompositionRule.id).where(CompositionRule.body_id == council.id).limit(1)):
        return
    for n, seat in enumerate(seats, start=1):
        db.session.add(CompositionRule(tenant_id=ctx.tenant.id, body_id=council.id, title=seat["title"], position=n,
                                       per_school=bool(seat.get("per_school"))))
