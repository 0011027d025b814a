"""The bank of teaching practice (банк педагогического опыта): practices proposed by teachers, reviewed by experts
against the district's rubric, considered by the council, published and spread.

The workflow (who may move a practice from which status to which) is one table in oms/services/practices.py.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .base import Searchable, TenantScoped, Timestamped
from .files import StoredFileMixin

# Label dicts of N_() texts: Russian as stored (the XLSX register, the certificate); screens translate them.
LEVELS = {"preschool": N_("Дошкольное образование"), "primary": N_("Начальное общее образование"),
          "basic": N_("Основное общее образование"), "secondary": N_("Среднее общее образование"),
          "additional": N_("Дополнительное образование")}
KINDS = {"lesson": N_("Урок (занятие)"), "development": N_("Методическая разработка"),
         "programme": N_("Программа"), "system": N_("Система работы"),
         "management": N_("Управленческая практика"), "support": N_("Практика методического сопровождения")}
SOURCES = {"contest": N_("Конкурс"), "site": N_("Площадка (базовая, инновационная, стажировочная)"),
           "association": N_("Методическое объединение"), "self": N_("Самовыдвижение"),
           "observation": N_("Посещение уроков")}
STATUSES = {"draft": N_("Черновик"), "proposed": N_("Предложена"), "review": N_("На экспертизе"),
            "revision": N_("На доработке"), "recommended": N_("Рекомендована"), "rejected": N_("Отклонена"),
            "council": N_("Рассмотрена советом"), "published": N_("Опубликована"), "archived": N_("В архиве")}
CONCLUSIONS = {"recommend": N_("Рекомендовать к включению в банк"), "revise": N_("Направить на доработку"),
               "reject": N_("Отклонить")}
DEFAULT_CRITERIA = (("Актуальность", 5), ("Новизна", 5), ("Результативность", 5), ("Воспроизводимость", 5),
                    ("Качество оформления", 5))


class Practice(TenantScoped, Searchable, Timestamped, db.Model):
    audit_type_label = _l("Практика (банк педагогического опыта)")
    audit_field_labels = {"title": _l("Название"), "annotation": _l("Аннотация"), "keywords": _l("Ключевые слова"),
                          "subjects": _l("Предметы"), "level": _l("Уровень образования"), "kind": _l("Вид практики"),
                          "source": _l("Откуда практика"), "links": _l("Ссылки"), "consent": _l("Согласие на публикацию"),
                          "status": _l("Статус"), "start_year": _l("Учебный год"), "authors_text": _l("Авторы"),
                          "decision_id": _l("Решение совета"), "published_at": _l("Опубликована"),
                          "review_round": _l("Круг экспертизы"), "screened_by_id": _l("Просмотрел руководитель"),
                          "screened_at": _l("Просмотрено руководителем"), "agenda_item_id": _l("Вопрос повестки совета"),
                          "created_by_id": _l("Кто создал")}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    annotation: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(String(500), default="")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    subjects: Mapped[str] = mapped_column(String(400), default="")  # "Математика; Физика"
    level: Mapped[str] = mapped_column(String(20), default="basic")
    kind: Mapped[str] = mapped_column(String(20), default="development")
    source: Mapped[str] = mapped_column(String(20), default="self")
    links: Mapped[str] = mapped_column(Text, default="")  # one address a line
    consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    start_year: Mapped[int] = mapped_column(index=True)  # the academic year it was proposed in
    authors_text: Mapped[str] = mapped_column(String(600), default="")  # the authors' names, for search
    review_round: Mapped[int] = mapped_column(default=0)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    screened_at: Mapped[datetime | None]
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"),
                                                       index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    school = relationship("School", lazy="raise_on_sql")
    authors: Mapped[list["PracticeAuthor"]] = relationship(
        back_populates="practice", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PracticeAuthor.position")
    areas: Mapped[list["PracticeArea"]] = relationship(
        back_populates="practice", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True)
    files: Mapped[list["PracticeFile"]] = relationship(
        back_populates="practice", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PracticeFile.id")
    reviews: Mapped[list["PracticeReview"]] = relationship(
        back_populates="practice", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PracticeReview.id")
    history: Mapped[list["PracticeStep"]] = relationship(
        back_populates="practice", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PracticeStep.id")
    agenda_item = relationship("AgendaItem", lazy="raise_on_sql")
    decision = relationship("Decision", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return " ".join(str(v or "") for v in (self.title, self.keywords, self.subjects, self.authors_text,
                                              (self.annotation or "")[:300]))

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in (self.subjects or "").split(";") if s.strip()]

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.links or "").splitlines() if line.strip()]

    def current_reviews(self) -> list["PracticeReview"]:
        return [r for r in self.reviews if r.round == self.review_round]


class PracticeAuthor(TenantScoped, db.Model):
    audit_type_label = _l("Автор практики")
    audit_field_labels = {"practice_id": _l("Практика")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    practice: Mapped[Practice] = relationship(back_populates="authors", lazy="raise_on_sql")
    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("practice_id", "person_id"),)


class PracticeArea(TenantScoped, db.Model):
    """A competence area (the development catalogue) the practice serves."""

    audit_type_label = _l("Область компетенций практики")
    audit_field_labels = {"practice_id": _l("Практика")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("competence_area.id", ondelete="CASCADE"), index=True)

    practice: Mapped[Practice] = relationship(back_populates="areas", lazy="raise_on_sql")
    area = relationship("CompetenceArea", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("practice_id", "area_id"),)


class PracticeFile(StoredFileMixin, TenantScoped, db.Model):
    audit_type_label = _l("Файл практики")
    audit_field_labels = {"practice_id": _l("Практика"), "filename": _l("Имя файла"), "content_type": _l("Тип файла"),
                          "size": _l("Размер, байт"), "sha256": _l("Контрольная сумма SHA-256"),
                          "storage": _l("Хранилище"), "storage_key": _l("Ключ в хранилище"), "content": _l("Содержимое")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)

    practice: Mapped[Practice] = relationship(back_populates="files", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return self.filename


class PracticeStep(TenantScoped, db.Model):
    """One move of the workflow: from which status to which, who, when, with what comment."""

    audit_type_label = _l("Шаг рассмотрения практики")
    audit_field_labels = {"practice_id": _l("Практика"), "from_status": _l("Из статуса"), "to_status": _l("В статус"),
                          "comment": _l("Комментарий")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text, default="")

    practice: Mapped[Practice] = relationship(back_populates="history", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RubricCriterion(TenantScoped, db.Model):
    """A criterion of the district's rubric for practices, with its maximum points."""

    audit_type_label = _l("Критерий экспертизы практик")
    audit_field_labels = {"max_points": _l("Максимум баллов")}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    max_points: Mapped[int] = mapped_column(default=5)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class PracticeReview(TenantScoped, Timestamped, db.Model):
    """An expert's review of a practice in one round of expertise."""

    audit_type_label = _l("Экспертиза практики")
    audit_field_labels = {"practice_id": _l("Практика"), "expert_id": _l("Эксперт"), "round": _l("Круг экспертизы"),
                          "assigned_by_id": _l("Кто назначил"), "conclusion": _l("Заключение"),
                          "comment": _l("Комментарий эксперта"), "submitted_at": _l("Заключение отправлено")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    conclusion: Mapped[str] = mapped_column(String(20), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    practice: Mapped[Practice] = relationship(back_populates="reviews", lazy="raise_on_sql")
    expert = relationship("Person", lazy="raise_on_sql")
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="review", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (UniqueConstraint("practice_id", "expert_id", "round"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def is_done(self) -> bool:
        return self.submitted_at is not None

    @property
    def total(self) -> int:
        return sum(s.points for s in self.scores)

    @property
    def audit_label(self) -> str:
        return "Экспертиза практики"


class ReviewScore(TenantScoped, db.Model):
    audit_type_label = _l("Балл эксперта")
    audit_field_labels = {"review_id": _l("Экспертиза практики"), "criterion_id": _l("Критерий"), "points": _l("Балл")}

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("practice_review.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criterion.id", ondelete="RESTRICT"), index=True)
    points: Mapped[int] = mapped_column(default=0)

    review: Mapped[PracticeReview] = relationship(back_populates="scores", lazy="raise_on_sql")
    criterion: Mapped[RubricCriterion] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)


class PracticePlanItem(TenantScoped, db.Model):
    """A plan item that spreads a practice (seminar, master class, open lesson, internship site).

    Kept in this one table so it can move onto a general «plan item ↔ evidence» registry later."""

    audit_type_label = _l("Мероприятие, распространяющее практику")
    audit_field_labels = {"practice_id": _l("Практика")}

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)

    practice: Mapped[Practice] = relationship(lazy="raise_on_sql")
    plan_item = relationship("PlanItem", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("practice_id", "plan_item_id"),)
