"""The consultation journal (журнал учёта консультаций): who asked, who answered, on what, with what follow-up;
consultation days with slots a teacher books.

A consultation's status moves along one table of allowed transitions (`TRANSITIONS`), checked in one place
(oms.services.consultations.move): a teacher's booking is «запрошена», the consultant makes it «назначена», then
«проведена» or «отменена». A consultation entered in the journal after the fact is «проведена» at once.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import fold
from .base import Searchable, TenantScoped, Timestamped
from .files import StoredFileMixin

FORMS = {"individual": _l("Индивидуальная"), "group": _l("Групповая")}
CHANNELS = {"in_person": _l("Очно"), "phone": _l("По телефону"), "online": _l("Онлайн")}
# Who asked: a registry person (teacher, deputy…) or, for parents and outsiders, a category and a name only.
ASKER_KINDS = {"person": _l("Педагог (из реестра)"), "school_head": _l("Руководитель ОО"),
               "parent": _l("Родитель (законный представитель)"), "student": _l("Обучающийся"),
               "other": _l("Другое лицо")}
STATUSES = {"requested": _l("Запрошена"), "scheduled": _l("Назначена"), "held": _l("Проведена"),
            "cancelled": _l("Отменена")}
TRANSITIONS = {"requested": ("scheduled", "cancelled"), "scheduled": ("held", "cancelled")}
FOLLOW_UPS = {"": _l("Не требуется"), "deficit": _l("Записать профессиональный дефицит"),
              "step": _l("Добавить шаг индивидуального маршрута"),
              "practice": _l("Рекомендовать практику из банка"), "document": _l("Рекомендовать документ")}

# The catalogue a district starts with; its admin and methodists edit it.
DEFAULT_CATEGORIES = (
    "Нормативно-правовое обеспечение",
    "ФГОС и рабочие программы",
    "Аттестация педагогических работников",
    "Повышение квалификации",
    "Подготовка к ГИА (ОГЭ, ЕГЭ)",
    "Профессиональные конкурсы",
    "Работа с детьми с ОВЗ",
    "Воспитательная работа",
    "Цифровая образовательная среда",
    "Молодые специалисты и наставничество",
)


class ConsultationCategory(TenantScoped, db.Model):
    """A category of question (категория вопроса): the district's catalogue."""

    audit_type_label = _l("Категория вопросов консультаций")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "name_key"),)

    def set_name(self, name: str) -> None:
        self.name = name
        self.name_key = fold(name)[:200]


class ConsultationSlot(TenantScoped, Timestamped, db.Model):
    """A slot of a consultation day: a consultant's time a teacher can book (one booking per slot)."""

    audit_type_label = _l("Слот консультационного дня")
    audit_field_labels = {"consultant_id": _l("Консультант"), "starts_at": _l("Начало"), "channel": _l("Способ"),
                          "place": _l("Место или ссылка")}

    id: Mapped[int] = mapped_column(primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(default=30)
    channel: Mapped[str] = mapped_column(String(20), default="in_person")
    place: Mapped[str] = mapped_column(String(300), default="")

    consultant = relationship("Person", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return f"Слот консультации {self.starts_at:%d.%m.%Y %H:%M}" if self.starts_at else "Слот консультации"


class Consultation(TenantScoped, Searchable, Timestamped, db.Model):
    audit_type_label = _l("Консультация")
    audit_field_labels = {
        "held_at": _l("Дата и время"), "channel": _l("Способ"), "consultant_id": _l("Консультант"),
        "asker_kind": _l("Кто обратился"), "asker_person_id": _l("Обратившийся педагог"),
        "asker_name": _l("ФИО обратившегося"), "participants": _l("Участников"),
        "category_id": _l("Категория вопроса"), "answer": _l("Ответ, рекомендации"),
        "slot_id": _l("Слот консультационного дня"), "step_id": _l("Шаг маршрута"),
        "requested_by_id": _l("Кто записался"), "practice_id": _l("Рекомендованная практика"),
        "document_id": _l("Рекомендованный документ")}

    id: Mapped[int] = mapped_column(primary_key=True)
    held_at: Mapped[datetime] = mapped_column(index=True)
    form: Mapped[str] = mapped_column(String(20), default="individual")
    channel: Mapped[str] = mapped_column(String(20), default="in_person")
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    asker_kind: Mapped[str] = mapped_column(String(20), default="person")
    asker_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    asker_name: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[int | None]
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    topic: Mapped[str] = mapped_column(String(500))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_category.id", ondelete="SET NULL"),
                                                    index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="held", index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_slot.id", ondelete="SET NULL"),
                                                unique=True)
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"), index=True)
    deficit_id: Mapped[int | None] = mapped_column(ForeignKey("deficit.id", ondelete="SET NULL"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("route_step.id", ondelete="SET NULL"), index=True)
    # follow-up: a published practice of the bank or an open document recommended to the asker
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id", ondelete="SET NULL"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    consultant = relationship("Person", foreign_keys=[consultant_id], lazy="raise_on_sql")
    asker = relationship("Person", foreign_keys=[asker_person_id], lazy="raise_on_sql")
    school = relationship("School", lazy="raise_on_sql")
    category: Mapped[ConsultationCategory | None] = relationship(lazy="raise_on_sql")
    slot: Mapped[ConsultationSlot | None] = relationship(lazy="raise_on_sql")
    practice = relationship("Practice", lazy="raise_on_sql")
    document = relationship("Document", lazy="raise_on_sql")
    files: Mapped[list["ConsultationFile"]] = relationship(
        back_populates="consultation", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (Index("ix_consultation_tenant_held", "tenant_id", "held_at"),)
    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.topic} {self.asker_name} {self.answer[:300] if self.answer else ''}"

    @property
    def audit_label(self) -> str:
        return (self.topic or "")[:200]


class ConsultationFile(StoredFileMixin, TenantScoped, db.Model):
    audit_type_label = _l("Файл консультации")
    audit_field_labels = {"consultation_id": _l("Консультация"), "filename": _l("Имя файла"),
                          "content_type": _l("Тип файла"), "size": _l("Размер, байт"), "sha256": _l("Контрольная сумма"),
                          "storage": _l("Хранилище"), "storage_key": _l("Ключ в хранилище"), "content": _l("Содержимое")}

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)

    consultation: Mapped[Consultation] = relationship(back_populates="files", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return self.filename or ""
