"""The annual work plan (план работы на учебный год), its items and their execution.

An academic year runs from 1 September to 31 August and is named by its first
year: 2025 is «2025/2026». Months of an item are a 12-bit mask in the order of
the school year (bit 0 = September … bit 11 = August).
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .base import Searchable, TenantScoped, Timestamped, utcnow

# Label dicts: a plain dict of N_() texts is Russian, for the documents (the XLSX plan, the association's
# report); its *_LABELS twin is what screens show, in the user's language. A dict only screens use is lazy.
PLAN_STATUSES = {"draft": _l("Проект"), "approved": _l("Утверждён")}
ITEM_STATUSES = {"planned": N_("Запланировано"), "done": N_("Выполнено"), "moved": N_("Перенесено"),
                 "cancelled": N_("Отменено")}
ITEM_STATUS_LABELS = {code: _l(text) for code, text in ITEM_STATUSES.items()}
# The kinds of act that approve a plan: its name, and the form «утверждён приказом …» (the XLSX is Russian).
ACT_KINDS = {"order": N_("приказ"), "resolution": N_("постановление"), "directive": N_("распоряжение")}
ACT_KIND_LABELS = {code: _l(text) for code, text in ACT_KINDS.items()}
ACT_BY = {"order": N_("приказом"), "resolution": N_("постановлением"), "directive": N_("распоряжением")}
ACT_BY_LABELS = {code: _l(text) for code, text in ACT_BY.items()}
STATUS_CHANGES = {"approve": _l("Утверждён"), "reopen": _l("Возвращён на доработку")}

# Calendar months in school-year order; position in this tuple = bit in the mask.
ACADEMIC_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)
MONTH_NAMES = {1: N_("январь"), 2: N_("февраль"), 3: N_("март"), 4: N_("апрель"), 5: N_("май"), 6: N_("июнь"),
               7: N_("июль"), 8: N_("август"), 9: N_("сентябрь"), 10: N_("октябрь"), 11: N_("ноябрь"),
               12: N_("декабрь")}
MONTH_LABELS = {month: _l(name) for month, name in MONTH_NAMES.items()}
ALL_MONTHS = (1 << 12) - 1


def month_bit(month: int) -> int:
    """The mask bit of a calendar month (1..12)."""
    return 1 << ACADEMIC_MONTHS.index(month)


def months_of(mask: int) -> list[int]:
    """Calendar months of a mask, in school-year order."""
    return [m for i, m in enumerate(ACADEMIC_MONTHS) if mask & (1 << i)]


def mask_of(months) -> int:
    mask = 0
    for m in months:
        mask |= month_bit(int(m))
    return mask


def year_of_month(start_year: int, month: int) -> int:
    """The calendar year a month of the academic year falls in."""
    return start_year if month >= 9 else start_year + 1


def academic_start_year(day: date) -> int:
    """The academic year a day belongs to (its first year)."""
    return day.year if day.month >= 9 else day.year - 1


class Plan(TenantScoped, Timestamped, db.Model):
    """One district's plan for one academic year."""

    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The approving act: «утверждён приказом … от <act_date> № <act_number>»; its kind is a key of ACT_KINDS.
    act_kind: Mapped[str] = mapped_column(String(30), default="order")
    act_number: Mapped[str] = mapped_column(String(60), default="")
    act_date: Mapped[date | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    approved_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    approved_by = relationship("User", lazy="raise_on_sql")
    items: Mapped[list["PlanItem"]] = relationship(back_populates="plan", lazy="raise_on_sql",
                                                   cascade="all, delete-orphan", passive_deletes=True)
    changes: Mapped[list["PlanStatusChange"]] = relationship(
        back_populates="plan", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanStatusChange.at")

    __table_args__ = (UniqueConstraint("tenant_id", "start_year"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        """2025/2026"""
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def year_slug(self) -> str:
        """2025-2026, as in the URL."""
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def audit_label(self) -> str:
        return f"План работы на {self.label} учебный год"

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 8, 31)


class PlanStatusChange(TenantScoped, db.Model):
    """A record of approving or reopening a plan: who, when, why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    act_number: Mapped[str] = mapped_column(String(60), default="")
    act_date: Mapped[date | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="changes", lazy="raise_on_sql")

    @property
    def label(self) -> str:
        return STATUS_CHANGES.get(self.action, self.action)


class PlanItemResponsible(TenantScoped, db.Model):
    """A person responsible for a plan item."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped["PlanItem"] = relationship(back_populates="responsible_links", lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("item_id", "person_id"),)


class PlanItem(TenantScoped, Searchable, Timestamped, db.Model):
    """An item of the plan (мероприятие) and its execution."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    direction_id: Mapped[int] = mapped_column(ForeignKey("direction.id", ondelete="RESTRICT"), index=True)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("function.id", ondelete="SET NULL"), index=True)
    form_id: Mapped[int | None] = mapped_column(ForeignKey("work_form.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(1000))
    months: Mapped[int] = mapped_column(default=0)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    audience: Mapped[str] = mapped_column(String(500), default="")
    responsible_note: Mapped[str] = mapped_column(String(500), default="")
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"), index=True)
    venue_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    expected_result: Mapped[str] = mapped_column(String(1000), default="")
    # Execution.
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    moved_to_month: Mapped[int | None]
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    actual_date: Mapped[date | None]
    participants_count: Mapped[int | None]
    result_note: Mapped[str] = mapped_column(Text, default="")
    # Where the execution mark comes from: "" typed by hand, "evidence" filled from the linked activities
    # (oms.services.evidence), "override" typed over the evidence, with override_note saying why.
    evidence_mode: Mapped[str] = mapped_column(String(20), default="")
    override_note: Mapped[str] = mapped_column(String(1000), default="")
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="items", lazy="raise_on_sql")
    direction = relationship("Direction", lazy="raise_on_sql")
    function = relationship("Function", lazy="raise_on_sql")
    form = relationship("WorkForm", lazy="raise_on_sql")
    body = relationship("Body", lazy="raise_on_sql")
    venue_school = relationship("School", lazy="raise_on_sql")
    responsible_links: Mapped[list[PlanItemResponsible]] = relationship(
        back_populates="item", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by=(PlanItemResponsible.position, PlanItemResponsible.id))

    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return " ".join((self.title or "", self.audience or "", self.responsible_note or "",
                         self.expected_result or ""))

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]

    @property
    def responsible(self) -> list:
        return [link.person for link in self.responsible_links]

    @property
    def month_list(self) -> list[int]:
        return months_of(self.months or 0)

    def is_led_by(self, user) -> bool:
        """Association leaders edit their own association's items: the organising body decides."""
        if self.body_id is None:
            return False
        body = self.__dict__.get("body")
        if body is None or body.id != self.body_id:
            from .structure import Body

            body = db.session.scalar(db.select(Body).where(Body.id == self.body_id))
        return body is not None and body.is_led_by(user)

    @property
    def is_open(self) -> bool:
        return self.status == "planned"
