"""A district's organisation: body kinds, bodies (service, council, associations, groups),
their members and meetings, directions and functions — all configuration data."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .base import Searchable, TenantScoped, Timestamped

# Fixed vocabulary that drives behaviour; the names people see are per district (BodyKind.name).
# Label dicts: a plain dict of N_() texts is Russian, for documents that stay Russian (the association's
# report); its *_LABELS twin is what screens show, in the user's language. A dict only screens use is lazy.
BODY_CATEGORIES = {
    "service": _l("Методическая служба"),
    "council": _l("Совет"),
    "association": _l("Методическое объединение"),
    "group": _l("Творческая (проблемная, рабочая) группа"),
    "resource_centre": _l("Ресурсный центр"),
    "school_council": _l("Школьный методический (педагогический) совет"),
    "school_body": _l("Иное школьное объединение"),
}
LEVELS = {"municipal": N_("Муниципальный уровень"), "school": N_("Уровень образовательной организации")}
LEVEL_LABELS = {code: _l(text) for code, text in LEVELS.items()}
# Categories whose bodies have members, a leader and meetings of their own.
ASSOCIATION_CATEGORIES = ("association", "group", "school_body")
MEMBER_ROLES = {"leader": N_("Руководитель"), "chair": N_("Председатель"), "deputy": N_("Заместитель председателя"),
                "secretary": N_("Секретарь"), "member": N_("Член")}
MEMBER_ROLE_LABELS = {code: _l(text) for code, text in MEMBER_ROLES.items()}
DECISION_STATUSES = {"open": _l("В работе"), "done": _l("Выполнено"), "cancelled": _l("Снято")}


class BodyKind(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20), default="municipal")
    clause: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    __mapper_args__ = {"version_id_col": version}


class Body(TenantScoped, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("body_kind.id", ondelete="RESTRICT"), index=True)
    # NO ACTION rather than RESTRICT: checked at the end of a statement, so a whole district's bodies
    # can be deleted at once (district removal, test clean-up); the UI refuses to delete a body with children.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("body.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(200), default="")
    clause: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # A council's composition is approved by an order.
    order_number: Mapped[str] = mapped_column(String(60), default="")
    order_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    kind: Mapped[BodyKind] = relationship(lazy="joined", innerjoin=True)
    parent: Mapped["Body | None"] = relationship(remote_side="Body.id", lazy="raise_on_sql")
    school = relationship("School", lazy="raise_on_sql")
    members: Mapped[list["BodyMember"]] = relationship(back_populates="body", lazy="raise_on_sql",
                                                       cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.name} {self.subject}"

    @property
    def level(self) -> str:
        return self.kind.level

    @property
    def category(self) -> str:
        return self.kind.category

    @property
    def is_association(self) -> bool:
        return self.kind.category in ASSOCIATION_CATEGORIES

    def is_led_by(self, user) -> bool:
        """The user is a leader (or chair) of this body through their person record."""
        from .people import Person

        if user is None or not getattr(user, "id", None):
            return False
        return db.session.scalar(
            db.select(BodyMember.id)
            .join(Person, Person.id == BodyMember.person_id)
            .where(BodyMember.body_id == self.id, BodyMember.role.in_(("leader", "chair")),
                   Person.user_id == user.id)
            .limit(1)
        ) is not None


class BodyMember(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    role_title: Mapped[str] = mapped_column(String(200), default="")  # e.g. «заместитель руководителя ОО по МР»
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # two role edits at once: the later one 409

    body: Mapped[Body] = relationship(back_populates="members", lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("body_id", "person_id"),)
    __mapper_args__ = {"version_id_col": version}


class Meeting(TenantScoped, Timestamped, db.Model):
    """A meeting (заседание) of a council or an association."""

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(String(500), default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    is_held: Mapped[bool] = mapped_column(default=False)
    minutes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    body: Mapped[Body] = relationship(lazy="raise_on_sql")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", lazy="raise_on_sql", cascade="all, delete-orphan", order_by="AgendaItem.position")
    attendance: Mapped[list["Attendance"]] = relationship(
        back_populates="meeting", lazy="raise_on_sql", cascade="all, delete-orphan")
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="meeting", lazy="raise_on_sql", cascade="all, delete-orphan", order_by="Decision.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"Заседание № {self.number} от {self.held_on:%d.%m.%Y}" if self.held_on else "Заседание"

    def is_led_by(self, user) -> bool:
        return self.body.is_led_by(user)


class AgendaItem(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(500))
    speaker: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda", lazy="raise_on_sql")


class Attendance(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # None for a guest from outside the district's registry, named by the guest_* fields
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    present: Mapped[bool] = mapped_column(default=True)
    is_guest: Mapped[bool] = mapped_column(default=False)
    guest_name: Mapped[str] = mapped_column(String(200), default="")
    guest_org: Mapped[str] = mapped_column(String(300), default="")
    guest_position: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance", lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    @property
    def who(self) -> str:
        return self.person.full_name if self.person_id else self.guest_name

    @property
    def who_short(self) -> str:
        return self.person.short_name if self.person_id else self.guest_name

    @property
    def details(self) -> str:
        """Position and organisation, as the minutes name a guest."""
        if self.person_id:
            school = self.person.school.label if self.person.school_id and self.person.school else ""
            return ", ".join(x for x in (self.person.position, school) if x)
        return ", ".join(x for x in (self.guest_position, self.guest_org) if x)


class CompositionRule(TenantScoped, db.Model):
    """A seat of a council defined by position (Kalar 3.1): «методист по дошкольному образованию», or, per
    school, «заместитель руководителя ОО по МР». A member fills it when their «кого представляет» names it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    per_school: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


AGENDA_PROPOSAL_STATUSES = {"proposed": _l("Предложено"), "taken": _l("Включено в повестку"),
                            "declined": _l("Отклонено")}


class AgendaProposal(TenantScoped, Timestamped, db.Model):
    """A question an association's leader proposes for the council's agenda; the secretary takes it into
    a meeting (it becomes an agenda item) or declines it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    from_body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    speaker: Mapped[str] = mapped_column(String(200), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)

    from_body = relationship("Body", foreign_keys=[from_body_id], lazy="raise_on_sql")
    proposed_by = relationship("User", lazy="raise_on_sql")
    meeting = relationship("Meeting", lazy="raise_on_sql")

    @property
    def status_label(self) -> str:
        return str(AGENDA_PROPOSAL_STATUSES.get(self.status, self.status))


class Decision(TenantScoped, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_note: Mapped[str] = mapped_column(String(500), default="")
    # The plan item the decision became (oms.services.decisions): its status follows the item's.
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions", lazy="raise_on_sql")
    responsible = relationship("Person", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_date is not None and self.due_date < today

    @property
    def audit_label(self) -> str:
        return (self.text or "")[:100]


class Direction(TenantScoped, db.Model):
    """A direction of activity (направление деятельности), ordered per district."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    clause: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Function(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    direction_id: Mapped[int] = mapped_column(ForeignKey("direction.id", ondelete="RESTRICT"), index=True)
    body_kind_id: Mapped[int | None] = mapped_column(ForeignKey("body_kind.id", ondelete="RESTRICT"), index=True)
    clause: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    direction: Mapped[Direction] = relationship(lazy="raise_on_sql")
    body_kind: Mapped[BodyKind | None] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"{self.clause} {(self.text or '')[:80]}".strip()


class FunctionAssignee(TenantScoped, db.Model):
    """A specialist who performs a function (distributed services)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    function_id: Mapped[int] = mapped_column(ForeignKey("function.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)

    function: Mapped[Function] = relationship(lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("function_id", "person_id"),)


class WorkForm(TenantScoped, db.Model):
    """A form of work (семинар, мастер-класс, …): the district's catalogue for plan items."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)
