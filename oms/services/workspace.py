"""What a leader's and a teacher's own pages show: the associations they lead, their memberships,
the decisions assigned to them. Every query goes through the current district and costs the same
number of statements however many associations or rows there are.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..extensions import db
from ..models import Body, BodyKind, BodyMember, Decision, Meeting, Person
from ..models.structure import ASSOCIATION_CATEGORIES

LEAD_ROLES = ("leader", "chair")


def academic_start(day: date) -> int:
    """The academic year a day belongs to, by its first year (1 September – 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def my_person(user) -> Person | None:
    """The person record linked to the account, if any."""
    return db.session.scalar(Person.scoped().where(Person.user_id == user.id)
                             .options(selectinload(Person.school)))


def led_associations(user) -> list[Body]:
    """The associations the user leads through their person record (the same rule as Body.is_led_by)."""
    return db.session.scalars(
        Body.scoped()
        .join(BodyKind, BodyKind.id == Body.kind_id)
        .join(BodyMember, BodyMember.body_id == Body.id)
        .join(Person, Person.id == BodyMember.person_id)
        .where(Person.user_id == user.id, BodyMember.role.in_(LEAD_ROLES),
               BodyKind.category.in_(ASSOCIATION_CATEGORIES))
        .options(selectinload(Body.school))
        .order_by(BodyKind.level, Body.name, Body.id)
        .distinct()
    ).all()


@dataclass
class AssociationSummary:
    """One card of the leader's home."""

    body: Body
    members: list[BodyMember] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)  # the year's and the coming ones, by date
    open_decisions: list[Decision] = field(default_factory=list)
    plan_items: list = field(default_factory=list)
    today: date = field(default_factory=clock.today)
    first: date | None = None  # the academic year the card reports on
    last: date | None = None

    @property
    def leaders(self) -> list[BodyMember]:
        return [m for m in self.members if m.role in LEAD_ROLES]

    @property
    def next_meetings(self) -> list[Meeting]:
        return [m for m in self.meetings if not m.is_held and m.held_on >= self.today]

    @property
    def held_meetings(self) -> list[Meeting]:
        """Meetings held in the card's academic year."""
        return [m for m in self.meetings if m.is_held and self.first <= m.held_on <= self.last]

    @property
    def last_held(self) -> Meeting | None:
        held = self.held_meetings
        return held[-1] if held else None

    @property
    def overdue(self) -> list[Decision]:
        return [d for d in self.open_decisions if d.is_overdue(self.today)]

    @property
    def completion(self) -> int:
        """The one completion figure of the association's items (oms.services.completion)."""
        from . import completion

        return completion.of_statuses(item.status for item in self.plan_items)[2]

    @property
    def item_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.plan_items:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts


def summaries(bodies: list[Body], start_year: int, today: date | None = None) -> list[AssociationSummary]:
    """Members, the year's and the coming meetings, open decisions of the given associations: three queries."""
    today = today or clock.today()
    first, last = year_bounds(start_year)
    by_id = {b.id: AssociationSummary(b, today=today, first=first, last=last) for b in bodies}
    if not by_id:
        return []
    ids = list(by_id)
    members = db.session.scalars(
        BodyMember.scoped().where(BodyMember.body_id.in_(ids))
        .options(joinedload(BodyMember.person).joinedload(Person.school))
    ).all()
    for m in sorted(members, key=lambda m: (m.role not in LEAD_ROLES, m.person.last_name, m.person.first_name)):
        by_id[m.body_id].members.append(m)
    for meeting in db.session.scalars(
        Meeting.scoped().where(Meeting.body_id.in_(ids),
                               ((Meeting.held_on >= first) & (Meeting.held_on <= last))
                               | (Meeting.is_held.is_(False) & (Meeting.held_on >= today)))
        .order_by(Meeting.held_on, Meeting.id)
    ):
        by_id[meeting.body_id].meetings.append(meeting)
    for decision in db.session.scalars(
        Decision.scoped().join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.body_id.in_(ids), Decision.status == "open")
        .options(joinedload(Decision.meeting), selectinload(Decision.responsible))
        .order_by(Decision.due_date.is_(None), Decision.due_date, Decision.id)
    ):
        by_id[decision.meeting.body_id].open_decisions.append(decision)
    return list(by_id.values())


def memberships(person: Person) -> list[BodyMember]:
    """The bodies (associations, councils) the person belongs to, with their role."""
    rows = db.session.scalars(
        BodyMember.scoped().where(BodyMember.person_id == person.id)
        .options(joinedload(BodyMember.body).selectinload(Body.school))
    ).all()
    return sorted(rows, key=lambda m: (m.role not in LEAD_ROLES, m.body.kind.position, m.body.name))


def assigned_decisions(person: Person) -> list[Decision]:
    """Decisions of any council or association meeting the person answers for: open ones first."""
    return db.session.scalars(
        Decision.scoped().where(Decision.responsible_id == person.id)
        .options(joinedload(Decision.meeting).joinedload(Meeting.body))
        .order_by((Decision.status != "open"), Decision.due_date.is_(None), Decision.due_date, Decision.id)
    ).all()


def upcoming_meetings(body_ids, first: date, last: date) -> list[Meeting]:
    """Meetings not yet held of the given bodies between two days."""
    if not body_ids:
        return []
    return db.session.scalars(
        Meeting.scoped().where(Meeting.body_id.in_(list(body_ids)), Meeting.held_on >= first,
                               Meeting.held_on <= last, Meeting.is_held.is_(False))
        .options(joinedload(Meeting.body)).order_by(Meeting.held_on, Meeting.id)
    ).all()


def member_body_ids(person: Person | None) -> set[int]:
    if person is None:
        return set()
    return set(db.session.scalars(select(BodyMember.body_id).where(BodyMember.person_id == person.id,
                                                                  BodyMember.tenant_id == person.tenant_id)))


# ---- the district plan --------------------------------------------------------------------------

def working_plan(today: date):
    """The plan these pages report on: the current academic year's, else the district's latest (as the plan
    page opens), else none."""
    from .plans import current_start_year, district_plans

    plans = district_plans()
    current = current_start_year(today)
    return next((p for p in plans if p.start_year == current), None) or (plans[0] if plans else None)


def item_query(plan):
    from ..models import Direction, PlanItem

    from .plans import document_order

    return (PlanItem.scoped().join(Direction, Direction.id == PlanItem.direction_id)
            .where(PlanItem.plan_id == plan.id).order_by(*document_order()))


def attach_items(cards: list[AssociationSummary], plan) -> None:
    """Each card's items of the plan (one query for all cards)."""
    if plan is None or not cards:
        return
    from ..models import PlanItem

    by_id = {c.body.id: c for c in cards}
    for item in db.session.scalars(item_query(plan).where(PlanItem.body_id.in_(list(by_id)))):
        by_id[item.body_id].plan_items.append(item)


@dataclass
class MyItem:
    item: object
    reasons: list[str]

    @property
    def personal(self) -> bool:
        """Addressed to this person, not only to every teacher of the district."""
        from .audience import GENERAL_REASONS

        return any(r not in GENERAL_REASONS for r in self.reasons)


def my_items(plan, person: Person, body_ids: set[int], leads: bool) -> list[MyItem]:
    """Items of the plan that concern the person: responsible, organised by a body they belong to, or whose
    audience names them (oms.services.audience). Two queries whatever the plan's size."""
    from ..models import PlanItem, PlanItemResponsible
    from ..models.plan import ACADEMIC_MONTHS
    from .audience import Profile

    if plan is None or person is None:
        return []
    responsible = set(db.session.scalars(
        select(PlanItemResponsible.item_id).join(PlanItem, PlanItem.id == PlanItemResponsible.item_id)
        .where(PlanItem.plan_id == plan.id, PlanItemResponsible.person_id == person.id,
               PlanItemResponsible.tenant_id == person.tenant_id)))
    profile = Profile.of(person, leads=leads)
    found = []
    for item in db.session.scalars(item_query(plan).options(joinedload(PlanItem.body))):
        reasons = []
        if item.id in responsible:
            reasons.append(_("вы ответственный"))
        if item.body_id in body_ids:
            reasons.append(_("проводит ваше объединение: %(name)s", name=item.body.name) if item.body.is_association
                           else _("проводит %(name)s, вы в составе", name=item.body.name))
        reasons += profile.reasons(item.audience or "")
        if reasons:
            found.append(MyItem(item, reasons))
    # by when they happen, as a teacher reads their year
    order = {m: i for i, m in enumerate(ACADEMIC_MONTHS)}
    found.sort(key=lambda row: (order[row.item.month_list[0]] if row.item.month_list else len(order),
                                row.item.date_from or date.max))
    return found


def month_items(plan, today: date, limit: int = 30) -> list:
    """Items of the plan held from today to the end of this month (not cancelled), by date."""
    from ..models import PlanItem
    from ..models.plan import month_bit

    if plan is None or not plan.first_day <= today <= plan.last_day:
        return []
    rows = db.session.scalars(item_query(plan).where(
        PlanItem.status != "cancelled", PlanItem.months.op("&")(month_bit(today.month)) != 0)
        .options(joinedload(PlanItem.body))).all()
    # a dated item whose days are over is no longer upcoming
    rows = [i for i in rows if i.date_from is None or (i.date_to or i.date_from) >= today]
    rows.sort(key=lambda i: (i.date_from is None, i.date_from or today))
    return rows[:limit]
