"""Documents of the service and the bank of pedagogical information.

A document is one version: a new version is a new row in the same lineage (`lineage_id`, the first version's
id), and the one it replaces stops being current (it then reads «утратил силу»); every version keeps its files.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import in_russian
from .base import Searchable, TenantScoped, Timestamped
from .files import StoredFileMixin

COLLECTIONS = {
    "service": _l("Документы службы"),
    "normative": _l("Нормативные документы"),
    "methodical": _l("Методические материалы и рекомендации"),
    "literature": _l("Новинки литературы"),
}
KINDS = {
    "regulation": _l("Положение"),
    "order": _l("Приказ"),
    "composition": _l("Состав совета"),
    "plan": _l("План"),
    "analysis": _l("Анализ"),
    "agreement": _l("Соглашение"),
    "job_description": _l("Должностная инструкция"),
    "recommendations": _l("Методические рекомендации"),
    "letter": _l("Письмо"),
    "material": _l("Методический материал"),
    "book": _l("Издание (книга, пособие)"),
    "other": _l("Иной документ"),
}
# The kinds of the presets' required lists ([[documents]] kind = "положение", …).
PRESET_KINDS = {"положение": "regulation", "приказ": "order", "состав совета": "composition", "план": "plan",
                "анализ": "analysis", "соглашение": "agreement", "должностная инструкция": "job_description",
                "письмо": "letter", "иное": "other"}
YEARLY_KINDS = ("plan", "analysis")  # kept once for every school year
LEVELS = {
    "preschool": _l("Дошкольное образование"),
    "primary": _l("Начальное общее образование"),
    "basic": _l("Основное общее образование"),
    "secondary": _l("Среднее общее образование"),
    "additional": _l("Дополнительное образование"),
}
VISIBILITY = {
    "service": _l("Только служба"),
    "district": _l("Все пользователи района"),
    "public": _l("Открытый доступ"),
}
OPEN_VISIBILITY = ("district", "public")  # what every user of the district sees
STATUSES = {
    "active": _l("действует"),
    "pending": _l("не вступил в силу"),
    "lapsed": _l("утратил силу"),
}


class Document(TenantScoped, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    collection: Mapped[str] = mapped_column(String(20), default="service", index=True)
    kind: Mapped[str] = mapped_column(String(30), default="other", index=True)
    title: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(300), default="")
    number: Mapped[str] = mapped_column(String(60), default="")
    issued_on: Mapped[date | None]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")
    # Tags
    subject: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(20), default="")
    keywords: Mapped[str] = mapped_column(String(300), default="")
    # The names of its direction and function, kept for search (oms.services.documents.refresh_tag_names).
    tag_names: Mapped[str] = mapped_column(String(600), default="")
    direction_id: Mapped[int | None] = mapped_column(ForeignKey("direction.id", ondelete="SET NULL"), index=True)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("function.id", ondelete="SET NULL"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"), index=True)
    partner: Mapped[str] = mapped_column(String(300), default="")
    visibility: Mapped[str] = mapped_column(String(20), default="service")
    # Which entry of the district's required list (its title) this document is, and the school year
    # (its first calendar year) of a yearly one.
    requirement: Mapped[str] = mapped_column(String(500), default="")
    school_year: Mapped[int | None]
    # Versions
    lineage_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    # A body's composition order: the members it approved, as they were ([{name, role, title}, …]).
    composition: Mapped[list | None] = mapped_column(JSON)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    files: Mapped[list["DocumentFile"]] = relationship(back_populates="document", lazy="raise_on_sql",
                                                       cascade="all, delete-orphan", passive_deletes=True,
                                                       order_by="DocumentFile.id")
    direction = relationship("Direction", lazy="raise_on_sql")
    function = relationship("Function", lazy="raise_on_sql")
    body = relationship("Body", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_document_tenant_current", "tenant_id", "is_current", "collection"),)

    audit_type_label = _l("Документ")
    audit_field_labels = {
        "collection": _l("Раздел"), "issuer": _l("Кем издан"), "issued_on": _l("Дата документа"),
        "valid_from": _l("Действует с"), "valid_to": _l("Действует по"), "keywords": _l("Ключевые слова"),
        "tag_names": _l("Направление и функция (для поиска)"), "partner": _l("Партнёр"), "visibility": _l("Кто видит"), "requirement": _l("Обязательный документ"),
        "school_year": _l("Учебный год"), "lineage_id": _l("Первая редакция"), "version_no": _l("Редакция"),
        "is_current": _l("Текущая редакция"), "composition": _l("Состав по приказу"),
        "created_by_id": _l("Кто добавил"),
    }

    @property
    def root_id(self) -> int:
        return self.lineage_id or self.id

    def status(self, today: date) -> str:
        if not self.is_current or (self.valid_to is not None and self.valid_to < today):
            return "lapsed"
        if self.valid_from is not None and self.valid_from > today:
            return "pending"
        return "active"

    @property
    def is_yearly(self) -> bool:
        return self.kind in YEARLY_KINDS

    @property
    def act_text(self) -> str:
        """«от 14.05.2020 № 155»"""
        parts = []
        if self.issued_on:
            parts.append(f"от {self.issued_on:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts)

    def search_text(self) -> str:
        return " ".join([self.title or "", self.number or "", self.issuer or "", self.subject or "",
                         self.keywords or "", self.tag_names or "", self.partner or "", in_russian(KINDS.get(self.kind, "")),
                         in_russian(LEVELS.get(self.level, "")) if self.level else ""])

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]


class DocumentFile(StoredFileMixin, TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)

    document: Mapped[Document] = relationship(back_populates="files", lazy="raise_on_sql")

    audit_type_label = _l("Файл документа")
    audit_field_labels = {
        "document_id": _l("Документ"), "filename": _l("Имя файла"), "content_type": _l("Тип файла"),
        "size": _l("Размер, байт"), "sha256": _l("Контрольная сумма"), "storage": _l("Хранилище"),
        "storage_key": _l("Место в хранилище"), "content": _l("Содержимое"),
    }

    @property
    def audit_label(self) -> str:
        return self.filename


class Notice(TenantScoped, Timestamped, db.Model):
    """«Новинки»: news or a new material the service publishes to an audience of teachers (by positions,
    subjects and schools; an empty criterion means everyone), optionally pointing at a document of the bank."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"), index=True)
    positions: Mapped[list] = mapped_column(JSON, default=list)
    subjects: Mapped[list] = mapped_column(JSON, default=list)
    school_ids: Mapped[list] = mapped_column(JSON, default=list)
    published_on: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    document = relationship("Document", lazy="raise_on_sql")

    audit_type_label = _l("Новинка")
    audit_field_labels = {
        "document_id": _l("Материал"), "positions": _l("Должности"), "school_ids": _l("Организации"),
        "published_on": _l("Опубликована"), "created_by_id": _l("Кто опубликовал"),
    }

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]


class NoticeRead(TenantScoped, db.Model):
    """A user has opened a notice (what «Моё» marks as read)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)

    audit_type_label = _l("Отметка о прочтении")
    audit_field_labels = {"notice_id": _l("Новинка")}
