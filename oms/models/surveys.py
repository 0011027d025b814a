"""Surveys (анкеты, мониторинг потребностей): questions as rows, an audience from the registry, answers.

Anonymous for real (after Indico's anonymous_submissions): *who* answered and *what* they answered are kept in
two tables that nothing joins.

* `SurveyRespondent` only marks that a person (or a one-time link) has answered: survey, person, link. It has
  no timestamp and no reference to the answer; it is what refuses a second answer and counts the response
  rate by school.
* `SurveyResponse` holds the answers of one submission as JSON. For an anonymous survey it has no person, no
  school, no user and no time (`submitted_on` stays empty), and its key is random (`secrets.token_hex`), not a
  sequence, so neither the order of the rows nor their ids line up with the respondents' rows. The answers
  are in the response row itself (no separate answer rows with sequential ids that would betray the order).
* A submission is not written to the audit trail, and it takes no double-submit token (the respondent row
  refuses a repeat): either would keep the user and the moment next to the answer.

What this cannot hide: the database's physical order of rows (a DBA reading pages on disk) and the web
server's access log; the app keeps neither in its tables.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TenantScoped, Timestamped

QUESTION_KINDS = {"single": _l("Один вариант"), "multiple": _l("Несколько вариантов"), "scale": _l("Шкала"),
                  "matrix": _l("Матрица (строки × шкала)"), "text": _l("Свободный ответ")}
WITH_OPTIONS = ("single", "multiple", "matrix")
# Option lists a question may take from the district's catalogues.
OPTION_SOURCES = {"": _l("Свой список"), "areas": _l("Области компетенций"), "forms": _l("Формы работы"),
                  "subjects": _l("Предметы педагогов района")}
PURPOSES = {"needs": _l("Мониторинг потребностей"), "pd": _l("Запрос на повышение квалификации"),
            "feedback": _l("Обратная связь по мероприятию"), "self_analysis": _l("Самоанализ / диагностика"),
            "other": _l("Другое")}


class Survey(TenantScoped, Timestamped, db.Model):
    audit_type_label = _l("Анкета")
    audit_field_labels = {"purpose": _l("Назначение"), "intro": _l("Обращение к отвечающим"),
                          "is_anonymous": _l("Анонимная"), "opens_on": _l("Открыта с"), "closes_on": _l("Открыта по"),
                          "threshold": _l("Порог дефицита"), "created_by_id": _l("Автор")}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(20), default="other")
    intro: Mapped[str] = mapped_column(Text, default="")
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    # The audience: {"schools": [ids], "positions": [texts], "subjects": [texts], "young": bool}; empty = everyone.
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    # Self-analysis: a scale answer at or below this value proposes a deficit of the question's area.
    threshold: Mapped[int | None]
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(SurveyQuestion.position, SurveyQuestion.id)")

    __mapper_args__ = {"version_id_col": version}

    def is_open(self, today: date) -> bool:
        return (self.opens_on is not None and self.opens_on <= today
                and (self.closes_on is None or today <= self.closes_on))

    def state(self, today: date) -> str:
        """draft (no open date yet), scheduled, open, closed — decided here only."""
        if self.opens_on is None:
            return "draft"
        if today < self.opens_on:
            return "scheduled"
        if self.closes_on is not None and today > self.closes_on:
            return "closed"
        return "open"

    @property
    def audit_label(self) -> str:
        return (self.title or "")[:200]


SURVEY_STATES = {"draft": _l("Черновик"), "scheduled": _l("Ещё не открыта"), "open": _l("Идёт приём ответов"),
                 "closed": _l("Завершена")}


class SurveyQuestion(TenantScoped, db.Model):
    audit_type_label = _l("Вопрос анкеты")
    audit_field_labels = {"survey_id": _l("Анкета"), "options": _l("Варианты ответа"), "rows": _l("Строки матрицы"),
                          "scale_min": _l("Шкала от"), "scale_max": _l("Шкала до"), "required": _l("Обязательный")}

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(1000))
    options: Mapped[list] = mapped_column(JSON, default=list)  # choices; for a matrix, its columns
    rows: Mapped[list] = mapped_column(JSON, default=list)  # the rows of a matrix
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    required: Mapped[bool] = mapped_column(default=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("competence_area.id", ondelete="SET NULL"), index=True)

    survey: Mapped[Survey] = relationship(back_populates="questions", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return (self.text or "")[:200]


class SurveyLink(TenantScoped, Timestamped, db.Model):
    """A one-time link for someone without an account: the digest of its token, never the token itself."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    is_used: Mapped[bool] = mapped_column(default=False)

    person = relationship("Person", lazy="raise_on_sql")


class SurveyRespondent(TenantScoped, db.Model):
    """That someone answered — and nothing of what (see the module's note). No timestamp on purpose."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("survey_link.id", ondelete="SET NULL"), unique=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)

    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("survey_id", "person_id"),)


class SurveyResponse(TenantScoped, db.Model):
    """What was answered: {question id: value}. Anonymous: no person, no school, no time, a random key."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    submitted_on: Mapped[date | None]

    person = relationship("Person", lazy="raise_on_sql")


class ProposedDeficit(TenantScoped, Timestamped, db.Model):
    """A deficit a self-analysis or diagnostic survey suggests; the methodist accepts or dismisses it."""

    audit_type_label = _l("Предлагаемый дефицит")
    audit_field_labels = {"survey_id": _l("Анкета"), "score": _l("Оценка")}

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("competence_area.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)  # proposed/accepted/dismissed
    deficit_id: Mapped[int | None] = mapped_column(ForeignKey("deficit.id", ondelete="SET NULL"))

    person = relationship("Person", lazy="raise_on_sql")
    area = relationship("CompetenceArea", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("survey_id", "person_id", "area_id"),)
