"""Teachers' development: courses (повышение квалификации), professional deficits and the individual
routes (ИОМ) that close them, mentoring of young specialists, attestation.

A deficit is closed by its route steps: when every step aimed at it is done (cancelled steps aside), the
deficit closes; when a step is reopened or a new one is added, it opens again (see `sync_deficit`).
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import fold, in_russian
from .base import Searchable, TenantScoped, Timestamped

COURSE_FORMS = {"full_time": _l("Очно"), "distance": _l("Дистанционно"), "blended": _l("Очно-заочно")}
COURSE_STATUSES = {"confirmed": _l("Подтверждено"), "proposed": _l("Ожидает подтверждения"),
                   "rejected": _l("Отклонено")}
DEFICIT_SOURCES = {
    "diagnostic": _l("Диагностика профессиональных дефицитов"),
    "observation": _l("Посещение уроков (наблюдение)"),
    "self_assessment": _l("Самоанализ (самооценка)"),
    "assessment": _l("Результаты оценочных процедур (ВПР, ОГЭ, ЕГЭ)"),
    "consultation": _l("Консультация"),
}
DEFICIT_STATUSES = {"open": _l("Не закрыт"), "closed": _l("Закрыт")}
STEP_KINDS = {
    "course": _l("Курсы повышения квалификации"),
    "plan_item": _l("Мероприятие плана (семинар, мастер-класс…)"),
    "mentoring": _l("Работа с наставником"),
    "self_study": _l("Самообразование"),
}
STEP_STATUSES = {"planned": _l("Запланирован"), "done": _l("Выполнен"), "cancelled": _l("Отменён")}
ATTESTATION_CATEGORIES = {"szd": _l("Соответствие занимаемой должности"), "first": _l("Первая"),
                          "highest": _l("Высшая")}

# The three-year rule: a teacher takes a course at least once every three years (273-ФЗ, ст. 47).
COURSE_RENEWAL_YEARS = 3
# A qualification category (and conformity to the post) is valid for five years.
ATTESTATION_VALID_YEARS = 5
MIN_COURSE_HOURS = 16

# The competence areas a new district starts with; its methodists edit the list.
DEFAULT_AREAS = (
    "Предметные компетенции",
    "Методические компетенции",
    "Психолого-педагогические компетенции",
    "Коммуникативные компетенции",
    "Цифровые компетенции",
    "Оценочные компетенции (оценка образовательных результатов)",
    "Работа с детьми с ОВЗ (инклюзивное образование)",
    "Формирование функциональной грамотности",
    "Воспитательная работа и классное руководство",
    "Работа с одарёнными детьми",
)


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class Course(TenantScoped, Searchable, Timestamped, db.Model):
    """A course of professional development (повышение квалификации) a person took."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    provider: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[int]
    date_from: Mapped[date]
    date_to: Mapped[date] = mapped_column(index=True)
    form: Mapped[str] = mapped_column(String(20), default="full_time")
    certificate: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="confirmed", index=True)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reviewed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (Index("ix_course_person_date", "person_id", "date_to"),)
    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.title} {self.provider} {self.certificate}"

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]

    @property
    def is_confirmed(self) -> bool:
        return self.status == "confirmed"


class CompetenceArea(TenantScoped, db.Model):
    """An area of professional competence: the district's catalogue for deficits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "name_key"),)

    def set_name(self, name: str) -> None:
        self.name = name
        self.name_key = fold(name)[:200]


class Deficit(TenantScoped, Timestamped, db.Model):
    """A professional deficit (профессиональный дефицит) found in a person."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("competence_area.id", ondelete="RESTRICT"), index=True)
    source: Mapped[str] = mapped_column(String(20), default="diagnostic")
    found_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")
    area: Mapped[CompetenceArea] = relationship(lazy="raise_on_sql")
    steps: Mapped[list["RouteStep"]] = relationship(back_populates="deficit", lazy="raise_on_sql",
                                                    cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"Дефицит от {self.found_on:%d.%m.%Y}" if self.found_on else "Дефицит"

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class RouteStep(TenantScoped, Timestamped, db.Model):
    """A step of a person's individual educational route (ИОМ), aimed at one of their deficits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    deficit_id: Mapped[int | None] = mapped_column(ForeignKey("deficit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="self_study")
    title: Mapped[str] = mapped_column(String(500), default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"), index=True)
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"), index=True)
    mentorship_id: Mapped[int | None] = mapped_column(ForeignKey("mentorship.id", ondelete="SET NULL"),
                                                      index=True)
    due_month: Mapped[date]  # the first day of the month the step is due
    status: Mapped[str] = mapped_column(String(20), default="planned")
    done_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")
    deficit: Mapped[Deficit | None] = relationship(back_populates="steps", lazy="raise_on_sql")
    course: Mapped[Course | None] = relationship(lazy="raise_on_sql")
    plan_item = relationship("PlanItem", lazy="raise_on_sql")
    mentorship: Mapped["Mentorship | None"] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return (self.title or in_russian(STEP_KINDS.get(self.kind, "")))[:200]


class Mentorship(TenantScoped, Timestamped, db.Model):
    """A mentoring pair (наставничество): a mentor supports a mentee for a period."""

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"), index=True)
    date_from: Mapped[date]
    date_to: Mapped[date | None]
    goals: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    mentor = relationship("Person", foreign_keys=[mentor_id], lazy="raise_on_sql")
    mentee = relationship("Person", foreign_keys=[mentee_id], lazy="raise_on_sql")
    body = relationship("Body", lazy="raise_on_sql")
    meetings: Mapped[list["MentoringMeeting"]] = relationship(
        back_populates="mentorship", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(MentoringMeeting.held_on.desc(), MentoringMeeting.id.desc())")

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"Наставничество с {self.date_from:%d.%m.%Y}" if self.date_from else "Наставничество"

    def is_active(self, today: date) -> bool:
        return self.date_from <= today and (self.date_to is None or self.date_to >= today)

    def is_kept_by(self, user) -> bool:
        """The mentor, or a leader of the association the pair works in, keeps the meetings log."""
        from .people import Person

        if user is None or not getattr(user, "id", None):
            return False
        mentor_user = db.session.scalar(db.select(Person.user_id).where(Person.id == self.mentor_id))
        if mentor_user == user.id:
            return True
        if self.body_id is None:
            return False
        from .structure import Body

        body = db.session.scalar(db.select(Body).where(Body.id == self.body_id))
        return body is not None and body.is_led_by(user)

    def involves(self, user) -> bool:
        """The user is the mentor or the mentee."""
        from .people import Person

        if user is None or not getattr(user, "id", None):
            return False
        return db.session.scalar(
            db.select(Person.id).where(Person.id.in_((self.mentor_id, self.mentee_id)), Person.user_id == user.id)
            .limit(1)) is not None


class MentoringMeeting(TenantScoped, Timestamped, db.Model):
    """An entry of a mentoring pair's meetings log."""

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorship.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")

    mentorship: Mapped[Mentorship] = relationship(back_populates="meetings", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return (self.topic or "")[:200]


class Attestation(TenantScoped, Timestamped, db.Model):
    """An attestation of a person: the category it gave, when, and when the next one is due.

    The latest attestation also sets the person's category and its date (Person.category, category_date).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(20))
    passed_on: Mapped[date]
    order_number: Mapped[str] = mapped_column(String(100), default="")
    next_due: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (Index("ix_attestation_person_passed", "person_id", "passed_on"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        label = in_russian(ATTESTATION_CATEGORIES.get(self.category, self.category))  # the audit trail is Russian
        return f"Аттестация ({label}) от {self.passed_on:%d.%m.%Y}" if self.passed_on else "Аттестация"
