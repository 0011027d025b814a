"""The practice bank's workflow: one table of allowed moves (status × who), checked by one function.

черновик → предложена → на экспертизе → на доработке / рекомендована / отклонена → рассмотрена советом →
опубликована → в архиве. Who may move a practice depends on the user's role and on their relation to it:
an author (or the one who created it), the leader of an association an author belongs to, an assigned expert.
Every move is written as a PracticeStep (who, when, comment) and lands in the audit trail with the practice.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AgendaItem, BodyMember, Decision, Meeting, Person
from ..models.base import utcnow
from ..models.practices import (CONCLUSIONS, DEFAULT_CRITERIA, Practice, PracticeAuthor, PracticeReview,
                                PracticeStep, RubricCriterion)
from ..models.structure import Body, BodyKind
from ..permissions import Role
from ..text import N_, clean

MANAGERS = (Role.ADMIN, Role.METHODIST)
LEAD_ROLES = ("leader", "chair")
MAX_EXPERTS = 2
EDITABLE = ("draft", "revision")


class Refused(ValueError):
    """A move the workflow does not allow, with the reason in the user's language."""


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str | None  # None: the status stays (a mark, such as the leader's screening)
    label: str
    # role -> True, or the relations (any of) the user needs to the practice
    who: dict = field(default_factory=dict)
    needs_comment: bool = False


AUTHOR = frozenset({"author"})
AUTHOR_OR_LEADER = frozenset({"author", "leader"})
LEADER = frozenset({"leader"})
A, M, L, T = Role.ADMIN, Role.METHODIST, Role.LEADER, Role.TEACHER

# The one table of the workflow. Labels are marked for translation where they are shown (_(move.label)).
MOVES: dict[str, Move] = {
    "edit": Move(EDITABLE, None, N_("Изменить"), {A: True, M: True, L: AUTHOR_OR_LEADER, T: AUTHOR}),
    "revise": Move(("proposed", "review", "recommended", "council", "published"), None, N_("Изменить"),
                   {A: True, M: True}),
    "delete": Move(("draft",), None, N_("Удалить черновик"), {A: True, M: True, L: AUTHOR_OR_LEADER, T: AUTHOR}),
    "submit": Move(EDITABLE, "proposed", N_("Отправить на рассмотрение"),
                   {A: True, M: True, L: AUTHOR_OR_LEADER, T: AUTHOR}),
    "withdraw": Move(("proposed",), "draft", N_("Отозвать в черновик"), {L: AUTHOR_OR_LEADER, T: AUTHOR}),
    "screen": Move(("proposed",), None, N_("Отметить: просмотрено руководителем объединения"), {L: LEADER}),
    "assign": Move(("proposed",), "review", N_("Назначить экспертов"), {A: True, M: True}),
    "screen_return": Move(("proposed",), "revision", N_("Вернуть на доработку"), {L: LEADER}, needs_comment=True),
    "return": Move(("proposed", "review", "recommended"), "revision", N_("Вернуть на доработку"),
                   {A: True, M: True}, needs_comment=True),
    "recommend": Move(("review",), "recommended", N_("Рекомендовать"), {A: True, M: True}),
    "reject": Move(("proposed", "review", "recommended"), "rejected", N_("Отклонить"), {A: True, M: True},
                   needs_comment=True),
    "agenda": Move(("recommended",), None, N_("Включить в повестку совета"), {A: True, M: True}),
    "council": Move(("recommended",), "council", N_("Записать решение совета"), {A: True, M: True}),
    "publish": Move(("council",), "published", N_("Опубликовать"), {A: True}),
    "archive": Move(("published",), "archived", N_("Перенести в архив"), {A: True, M: True}),
    "restore": Move(("archived",), "published", N_("Вернуть из архива"), {A: True}),
}
# Moves offered as plain buttons on the card (the others have forms of their own).
BUTTONS = ("submit", "withdraw", "screen", "recommend", "publish", "archive", "restore")


def _role(user) -> Role | None:
    try:
        return Role(user.role)
    except (ValueError, AttributeError):
        return None


def my_person_id(user) -> int | None:
    return db.session.scalar(select(Person.id).where(Person.user_id == user.id,
                                                     Person.tenant_id == user.tenant_id))


def relations(practice: Practice, user) -> frozenset[str]:
    """How the user is related to the practice: "author", "leader", "expert" (two queries at most)."""
    found = set()
    if practice.created_by_id is not None and practice.created_by_id == user.id:
        found.add("author")
    person_id = my_person_id(user)
    if person_id is None:
        return frozenset(found)
    author_ids = set(db.session.scalars(select(PracticeAuthor.person_id)
                                        .where(PracticeAuthor.practice_id == practice.id)))
    if person_id in author_ids:
        found.add("author")
    if db.session.scalar(select(PracticeReview.id).where(PracticeReview.practice_id == practice.id,
                                                         PracticeReview.expert_id == person_id).limit(1)):
        found.add("expert")
    if author_ids and db.session.scalar(_leads_any(person_id, author_ids)):
        found.add("leader")
    return frozenset(found)


def _leads_any(person_id: int, member_ids):
    lead, member = aliased(BodyMember), aliased(BodyMember)
    return (select(lead.id).join(member, member.body_id == lead.body_id)
            .where(lead.person_id == person_id, lead.role.in_(LEAD_ROLES), member.person_id.in_(member_ids))
            .limit(1))


def may(action: str, practice: Practice, user, rel: frozenset[str]) -> bool:
    """The one check: the move exists, the practice is in a status it starts from, the user is allowed."""
    move = MOVES[action]
    if practice.status not in move.sources:
        return False
    rule = move.who.get(_role(user), False)
    if rule is True:
        return True
    return bool(rule) and bool(rule & rel)


def why_not(action: str, practice: Practice, user) -> str | None:
    """A message for a move the user's role makes but the practice is not ready for (else None: a plain 403)."""
    if action == "publish" and MOVES["publish"].who.get(_role(user)) is True and practice.status != "council":
        return _("Опубликовать практику можно только по решению совета: сначала запишите решение.")
    return None


def may_edit(practice: Practice, user, rel: frozenset[str]) -> bool:
    return may("edit", practice, user, rel) or may("revise", practice, user, rel)


def available(practice: Practice, user, rel: frozenset[str]) -> list[str]:
    return [action for action in MOVES if may(action, practice, user, rel)]


def can_see(practice: Practice, user, rel: frozenset[str]) -> bool:
    return practice.status in ("published", "archived") or _role(user) in MANAGERS or bool(rel)


def visible_to(user):
    """A WHERE clause: the practices a user sees in the work lists (managers: all)."""
    if _role(user) in MANAGERS:
        return Practice.id.is_not(None)
    me = select(Person.id).where(Person.user_id == user.id).scalar_subquery()
    authored = select(PracticeAuthor.practice_id).where(PracticeAuthor.person_id == me)
    assigned = select(PracticeReview.practice_id).where(PracticeReview.expert_id == me)
    lead, member = aliased(BodyMember), aliased(BodyMember)
    led = (select(PracticeAuthor.practice_id).join(member, member.person_id == PracticeAuthor.person_id)
           .join(lead, lead.body_id == member.body_id).where(lead.person_id == me, lead.role.in_(LEAD_ROLES)))
    return or_(Practice.created_by_id == user.id, Practice.id.in_(authored), Practice.id.in_(assigned),
               Practice.id.in_(led))


def _step(practice: Practice, action: str, user, before: str, comment: str = "") -> PracticeStep:
    step = PracticeStep(tenant_id=practice.tenant_id, practice_id=practice.id, action=action, from_status=before,
                        to_status=practice.status, user_id=user.id, user_name=user.full_name[:200],
                        at=utcnow(), comment=(comment or "").strip()[:4000])
    db.session.add(step)
    return step


def move(practice: Practice, action: str, user, rel: frozenset[str], comment: str = "") -> PracticeStep:
    """Apply a plain move (no extra data); Refused with a message when it is not allowed."""
    if not may(action, practice, user, rel):
        raise Refused(_("Это действие сейчас недоступно: статус практики изменился или у вас нет прав."))
    target = MOVES[action]
    if target.needs_comment and not clean(comment):
        raise Refused(_("Напишите комментарий: автор увидит его на карточке практики."))
    if action == "submit":
        _check_ready(practice)
    if action == "recommend" and not any(r.is_done for r in practice.current_reviews()):
        raise Refused(_("Рекомендовать можно после того, как хотя бы один эксперт отправит заключение."))
    if action == "publish":
        _check_council_decision(practice)
    before = practice.status
    if action == "screen":
        practice.screened_by_id = user.id
        practice.screened_at = utcnow()
    if target.target:
        practice.status = target.target
    if practice.status == "published" and practice.published_at is None:
        practice.published_at = utcnow()
    return _step(practice, action, user, before, comment)


def _check_ready(practice: Practice) -> None:
    if not practice.authors:
        raise Refused(_("Укажите хотя бы одного автора практики."))
    if not practice.consent:
        raise Refused(_("Нужно согласие авторов на публикацию: отметьте его в описании практики."))


def _check_council_decision(practice: Practice) -> None:
    if practice.decision_id is None:
        raise Refused(_("Опубликовать практику можно только по решению совета: сначала запишите решение."))


def _council_meeting(meeting_id) -> Meeting:
    meeting = db.session.scalar(
        Meeting.scoped().join(Body, Body.id == Meeting.body_id).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Meeting.id == meeting_id, BodyKind.category == "council"))
    if meeting is None:
        raise Refused(_("Выберите заседание совета из списка."))
    return meeting


def agenda_title(practice: Practice) -> str:
    return f"О включении практики «{practice.title}» в муниципальный банк педагогического опыта"[:500]


def put_on_agenda(practice: Practice, meeting_id, user, rel) -> AgendaItem:
    if not may("agenda", practice, user, rel):
        raise Refused(_("Это действие сейчас недоступно: статус практики изменился или у вас нет прав."))
    meeting = _council_meeting(meeting_id)
    position = len(db.session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)).all())
    item = AgendaItem(tenant_id=practice.tenant_id, meeting_id=meeting.id, position=position + 1,
                      title=agenda_title(practice))
    db.session.add(item)
    db.session.flush()
    practice.agenda_item_id = item.id
    _step(practice, "agenda", user, practice.status, f"Заседание № {meeting.number} от {meeting.held_on:%d.%m.%Y}")
    return item


def record_decision(practice: Practice, meeting_id, text: str, user, rel) -> Decision:
    """The council's decision that approves the practice: an agenda item (if it is not on one yet) and a
    decision in the minutes of the meeting; the practice becomes «рассмотрена советом»."""
    if not may("council", practice, user, rel):
        raise Refused(_("Это действие сейчас недоступно: статус практики изменился или у вас нет прав."))
    meeting = _council_meeting(meeting_id)
    text = (text or "").strip()
    if not text:
        raise Refused(_("Запишите текст решения совета."))
    agenda = db.session.get(AgendaItem, practice.agenda_item_id) if practice.agenda_item_id else None
    if agenda is None or agenda.meeting_id != meeting.id:
        agenda = put_on_agenda(practice, meeting.id, user, rel)
    decision = Decision(tenant_id=practice.tenant_id, meeting_id=meeting.id, text=text[:4000], status="done")
    db.session.add(decision)
    db.session.flush()
    practice.decision_id = decision.id
    before = practice.status
    practice.status = "council"
    _step(practice, "council", user, before, f"Заседание № {meeting.number} от {meeting.held_on:%d.%m.%Y}: {text}")
    return decision


def decision_text(practice: Practice) -> str:
    return (f"Одобрить практику «{practice.title}» и рекомендовать её к публикации в муниципальном банке "
            f"педагогического опыта.")


# ---- experts ----------------------------------------------------------------------------------

def expert_conflict(practice: Practice, expert: Person, author_people: list[Person]) -> str | None:
    """Why this person may not review this practice (an author, or of an author's school), or None."""
    if expert.id in {p.id for p in author_people}:
        return _("%(name)s — автор этой практики и не может быть её экспертом.", name=expert.full_name)
    schools = {p.school_id for p in author_people if p.school_id} | ({practice.school_id} - {None})
    if expert.school_id is not None and expert.school_id in schools:
        return _("%(name)s работает в той же организации, что и автор: эксперт должен быть из другой "
                 "организации.", name=expert.full_name)
    return None


def assign_experts(practice: Practice, experts: list[Person], user, rel) -> list[PracticeReview]:
    if not may("assign", practice, user, rel):
        raise Refused(_("Это действие сейчас недоступно: статус практики изменился или у вас нет прав."))
    if not 1 <= len(experts) <= MAX_EXPERTS:
        raise Refused(_("Назначьте одного или двух экспертов."))
    authors = [a.person for a in practice.authors]
    for expert in experts:
        conflict = expert_conflict(practice, expert, authors)
        if conflict:
            raise Refused(conflict)
    practice.review_round += 1
    reviews = [PracticeReview(tenant_id=practice.tenant_id, practice_id=practice.id, expert_id=e.id,
                              round=practice.review_round, assigned_by_id=user.id) for e in experts]
    db.session.add_all(reviews)
    before = practice.status
    practice.status = "review"
    _step(practice, "assign", user, before, ", ".join(e.full_name for e in experts))
    return reviews


# ---- the rubric ----------------------------------------------------------------------------------

def rubric(tenant_id: int) -> list[RubricCriterion]:
    """The district's criteria; a district that has none gets the default five (saved)."""
    rows = db.session.scalars(RubricCriterion.scoped().order_by(RubricCriterion.position, RubricCriterion.id)).all()
    if rows:
        return list(rows)
    rows = [RubricCriterion(tenant_id=tenant_id, name=name, max_points=points, position=i)
            for i, (name, points) in enumerate(DEFAULT_CRITERIA, start=1)]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def average(reviews: list[PracticeReview]) -> float | None:
    """The average total of the submitted reviews."""
    done = [r.total for r in reviews if r.is_done]
    return round(sum(done) / len(done), 1) if done else None


def conclusion_label(code: str) -> str:
    return CONCLUSIONS.get(code, "")


def now() -> datetime:
    return utcnow()


# ---- a contest win proposed to the bank ------------------------------------------------------------

WIN_RESULTS = ("winner", "prize")


def may_propose_win(user, person_user_id) -> bool:
    """A teacher's contest win may be proposed to the bank by the teacher themself, or by a methodist or admin."""
    from ..permissions import can

    if not can("practices.propose", user=user):
        return False
    return can("practices.manage", user=user) or (person_user_id is not None and person_user_id == user.id)


def draft_from_win(entry_id: int, user) -> dict:
    """What the practice form starts with for a teacher's winning entry: the title (the entry's topic, else the
    contest and nomination), source «конкурс», the teacher as author, their school. Nothing is saved here.
    Another district's entry, not a teacher's win: 404; someone else's win for a teacher: 403."""
    from flask import abort

    from ..models import Competition, Entry, Nomination

    entry = Entry.get_or_404(entry_id)
    if entry.entrant != "teacher" or entry.person_id is None or entry.result not in WIN_RESULTS:
        abort(404)
    person = db.session.get(Person, entry.person_id)
    if not may_propose_win(user, person.user_id):
        abort(403)
    comp = db.session.get(Competition, entry.competition_id)
    nomination = db.session.get(Nomination, entry.nomination_id) if entry.nomination_id else None
    title = clean(entry.topic) or (f"{comp.title}: {nomination.name}" if nomination else comp.title)
    return {"title": title[:500], "author_ids": [person.id], "school_id": entry.school_id or person.school_id,
            "subjects": person.subjects, "source": "contest"}
