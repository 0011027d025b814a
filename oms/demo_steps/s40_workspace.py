"""Demo rows that make the leader's and the teacher's own pages worth opening: the demo leader's
association has its next meeting planned, and the demo teacher answers for a council decision.

Dates are relative to the day the demo is loaded, so «next meetings» and «due» read naturally.
Every part looks for its row first: loading twice adds nothing.
"""
from datetime import timedelta

from ..extensions import db
from ..models import AgendaItem, Body, BodyKind, BodyMember, Decision, Meeting, Person, User
from ..models.structure import ASSOCIATION_CATEGORIES
from ..text import whole_number
from . import DEMO_DAY

NEXT_MEETING_TOPIC = "Открытые уроки: итоги и задачи на следующую четверть"
NEXT_AGENDA = ("Анализ проведённых открытых уроков", "Подготовка к муниципальному этапу олимпиады")
TEACHER_DECISION = ("Представить на заседании совета опыт работы по формированию функциональной "
                    "грамотности обучающихся.")


def run(tenant, preset) -> None:
    leader = _person_of(tenant, f"leader@{tenant.slug}.demo.oms")
    teacher = _person_of(tenant, f"teacher@{tenant.slug}.demo.oms")
    if leader is not None:
        _next_meeting(tenant, leader)
    if teacher is not None:
        _teacher_decision(tenant, teacher)
    db.session.flush()


def _person_of(tenant, email) -> Person | None:
    return db.session.scalar(db.select(Person).join(User, User.id == Person.user_id)
                             .where(User.email == email, Person.tenant_id == tenant.id))


def _next_meeting(tenant, person) -> None:
    body = db.session.scalar(
        db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id).join(BodyMember, BodyMember.body_id == Body.id)
        .where(BodyMember.person_id == person.id, BodyMember.role == "leader",
               BodyKind.category.in_(ASSOCIATION_CATEGORIES)).order_by(Body.id).limit(1))
    if body is None:
        return
    if db.session.scalar(db.select(Meeting.id).where(Meeting.body_id == body.id, Meeting.is_held.is_(False))):
        return
    numbers = db.session.scalars(db.select(Meeting.number).where(Meeting.body_id == body.id)).all()
    number = str(max((d for d in map(whole_number, numbers) if d is not None), default=0) + 1)
    meeting = Meeting(tenant_id=tenant.id, body_id=body.id, number=number, held_on=DEMO_DAY + timedelta(days=13),
                      topic=NEXT_MEETING_TOPIC, is_held=False)
    db.session.add(meeting)
    db.session.flush()
    for position, title in enumerate(NEXT_AGENDA, start=1):
        db.session.add(AgendaItem(tenant_id=tenant.id, meeting_id=meeting.id, position=position, title=title,
                                  speaker=person.short_name))


def _teacher_decision(tenant, person) -> None:
    if db.session.scalar(db.select(Decision.id).where(Decision.responsible_id == person.id,
                                                      Decision.text == TEACHER_DECISION)):
        return
    meeting = db.session.scalar(
        db.select(Meeting).join(Body, Body.id == Meeting.body_id).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Meeting.tenant_id == tenant.id, BodyKind.category == "council", Meeting.is_held.is_(True))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1))
    if meeting is None:
        return
    db.session.add(Decision(tenant_id=tenant.id, meeting_id=meeting.id, text=TEACHER_DECISION,
                            responsible_id=person.id, due_date=DEMO_DAY + timedelta(days=40), status="open"))
