"""Events of the service (семинар, мастер-класс, конференция, …), registrations and attendance.

A registration's state says where it stands — registered, on the waiting list, cancelled — so capacity
and the waiting list need no tables of their own; attendance on the day is a flag of the registration
(a walk-in is a registration made on the day with `walk_in`). Participants are counted, never typed.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Searchable, TenantScoped, Timestamped, utcnow

EVENT_KINDS = {
    "seminar": _l("Семинар"), "master_class": _l("Мастер-класс"), "conference": _l("Конференция"),
    "readings": _l("Педагогические чтения"), "open_lesson": _l("Открытый урок"), "internship": _l("Стажировка"),
    "webinar": _l("Вебинар"), "round_table": _l("Круглый стол"), "other": _l("Другое"),
}
EVENT_STATUSES = {"planned": _l("Запланировано"), "cancelled": _l("Отменено")}
REGISTRATION_STATES = {"registered": _l("Записан"), "waiting": _l("В листе ожидания"),
                       "cancelled": _l("Запись отменена")}


class Event(TenantScoped, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="seminar")
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    # Local time of the district (Tenant.time_zone), as people read it on the invitation.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None]
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"), index=True)
    is_public: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    # Raised on every change that subscribers should see (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    venue_school = relationship("School", lazy="raise_on_sql")
    body = relationship("Body", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.title} {self.audience} {self.address}"

    @property
    def kind_label(self) -> str:
        return str(EVENT_KINDS.get(self.kind, self.kind))

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def audit_label(self) -> str:
        return f"{self.title[:150]} ({self.starts_at:%d.%m.%Y})" if self.starts_at else self.title[:150]

    def is_led_by(self, user) -> bool:
        """The organising association's leader runs its events."""
        if self.body_id is None:
            return False
        from .structure import Body

        body = db.session.scalar(db.select(Body).where(Body.id == self.body_id))
        return body is not None and body.is_led_by(user)


class EventRegistration(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="registered")
    attended: Mapped[bool] = mapped_column(default=False)
    walk_in: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rating: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_event_registration_person"),)

    @property
    def state_label(self) -> str:
        return str(REGISTRATION_STATES.get(self.state, self.state))
