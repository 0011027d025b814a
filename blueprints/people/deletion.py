"""Deleting a person: what stops it, and what else goes with the record (told on the confirmation page)."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_

from oms.extensions import db
from oms.formatting import count_text
from oms.models import (Attendance, Attestation, BodyMember, Course, Decision, Deficit, FunctionAssignee,
                        MentoringMeeting, Mentorship, Person, PlanItemResponsible, RouteStep)


def _count(model, *criteria):
    return model.scoped().with_only_columns(func.count()).where(*criteria).scalar_subquery()


def blockers(person: Person) -> list[str]:
    """Why the person cannot be deleted: rows that keep them and must be changed by hand first."""
    pid = person.id
    members, attended, functions, plan_items = db.session.execute(db.select(
        _count(BodyMember, BodyMember.person_id == pid),
        _count(Attendance, Attendance.person_id == pid),
        _count(FunctionAssignee, FunctionAssignee.person_id == pid),
        _count(PlanItemResponsible, PlanItemResponsible.person_id == pid),
    )).one()
    out = []
    if members:
        out.append(_("состоит в объединениях или советах (%(n)s)", n=members))
    if attended:
        out.append(_("отмечен(а) в списках присутствия на заседаниях (%(n)s)", n=attended))
    if functions:
        out.append(_("выполняет функции службы (%(n)s)", n=functions))
    if plan_items:
        out.append(_("отвечает за мероприятия плана (%(n)s)", n=plan_items))
    return out


@dataclass
class Consequences:
    """What deleting the person takes along (their development records) and what it leaves without them."""

    deleted: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)


def consequences(person: Person) -> Consequences:
    pid = person.id
    in_pair = or_(Mentorship.mentor_id == pid, Mentorship.mentee_id == pid)
    pairs = Mentorship.scoped().with_only_columns(Mentorship.id).where(in_pair)
    courses, deficits, steps, mentorships, meetings, attestations, decisions = db.session.execute(db.select(
        _count(Course, Course.person_id == pid),
        _count(Deficit, Deficit.person_id == pid),
        _count(RouteStep, RouteStep.person_id == pid),
        _count(Mentorship, in_pair),
        _count(MentoringMeeting, MentoringMeeting.mentorship_id.in_(pairs)),
        _count(Attestation, Attestation.person_id == pid),
        _count(Decision, Decision.responsible_id == pid),
    )).one()
    # (count, its Russian forms for 1, 2–4 and 5 of it), each form translated.
    deleted = [
        (courses, _("%(num)s курс повышения квалификации"), _("%(num)s курса повышения квалификации"),
         _("%(num)s курсов повышения квалификации")),
        (deficits, _("%(num)s профессиональный дефицит"), _("%(num)s профессиональных дефицита"),
         _("%(num)s профессиональных дефицитов")),
        (steps, _("%(num)s шаг индивидуального маршрута"), _("%(num)s шага индивидуального маршрута"),
         _("%(num)s шагов индивидуального маршрута")),
        (mentorships, _("%(num)s наставническая пара"), _("%(num)s наставнические пары"),
         _("%(num)s наставнических пар")),
        (meetings, _("%(num)s запись журнала встреч"), _("%(num)s записи журнала встреч"),
         _("%(num)s записей журнала встреч")),
        (attestations, _("%(num)s аттестация"), _("%(num)s аттестации"), _("%(num)s аттестаций")),
    ]
    unlinked = [
        (decisions, _("%(num)s решение заседания останется без ответственного"),
         _("%(num)s решения заседаний останутся без ответственного"),
         _("%(num)s решений заседаний останутся без ответственного")),
    ]
    return Consequences(deleted=[count_text(*row) for row in deleted if row[0]],
                        unlinked=[count_text(*row) for row in unlinked if row[0]])
