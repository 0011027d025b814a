"""Contests and olympiads: one engine for professional contests, pupils' contests, conferences and ВсОШ.

A Competition has nominations (for an olympiad: subjects), stages (for ВсОШ: школьный → муниципальный →
региональный → заключительный), criteria per stage, a jury and entries. An entry is a registry teacher, a pupil
(pupils are not users: name, grade, school, the teacher who prepared them, the parent's consent) or a team.
Contests are scored by the jury per criterion (Score); olympiad results are one number per entry
(Entry.score) against the stage's subject × grade settings (StageSubject: max points, threshold).
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_, fold
from .base import Searchable, TenantScoped, Timestamped
from .files import StoredFileMixin

KINDS = {"teachers": N_("Конкурс для педагогов"), "pupils": N_("Конкурс для обучающихся"),
         "olympiad": N_("Олимпиада"), "conference": N_("Научно-практическая конференция обучающихся")}
KIND_LABELS = {k: _l(v) for k, v in KINDS.items()}
LEVELS = {"school": N_("Школьный"), "municipal": N_("Муниципальный"), "regional": N_("Региональный"),
          "federal": N_("Всероссийский")}
LEVEL_LABELS = {k: _l(v) for k, v in LEVELS.items()}
OLYMPIAD_STAGES = {"school": N_("Школьный этап"), "municipal": N_("Муниципальный этап"),
                   "regional": N_("Региональный этап"), "final": N_("Заключительный этап")}
STAGE_LABELS = {k: _l(v) for k, v in OLYMPIAD_STAGES.items()} | {"main": _l("Основной этап")}
ENTRY_STATUSES = {"submitted": N_("Подана"), "admitted": N_("Допущена"), "rejected": N_("Не допущена")}
ENTRY_STATUS_LABELS = {k: _l(v) for k, v in ENTRY_STATUSES.items()}
RESULTS = {"winner": N_("Победитель"), "prize": N_("Призёр"), "participant": N_("Участник")}
RESULT_LABELS = {k: _l(v) for k, v in RESULTS.items()}
ENTRANT_KINDS = {"teacher": N_("Педагог"), "pupil": N_("Обучающийся"), "team": N_("Команда")}
ENTRANT_LABELS = {k: _l(v) for k, v in ENTRANT_KINDS.items()}


FILE_FIELD_LABELS = {"filename": _l("Имя файла"), "content_type": _l("Тип файла"), "size": _l("Размер, байт"),
                     "sha256": _l("Контрольная сумма"), "storage": _l("Хранилище"),
                     "storage_key": _l("Ключ в хранилище"), "content": _l("Содержимое")}


class Competition(TenantScoped, Searchable, Timestamped, db.Model):
    audit_type_label = _l("Конкурс")
    audit_field_labels = {"is_own": _l("Проводит район"), "jury_order_number": _l("Номер приказа о жюри"),
                          "jury_order_date": _l("Дата приказа о жюри"), "is_vsosh": _l("Сезон ВсОШ"),
                          "start_year": _l("Учебный год")}
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20), default="teachers")
    level: Mapped[str] = mapped_column(String(20), default="municipal")
    is_own: Mapped[bool] = mapped_column(default=True)  # organised by the district, or an external one
    start_year: Mapped[int] = mapped_column(index=True)  # the academic year 2025/2026 is 2025
    description: Mapped[str] = mapped_column(Text, default="")
    jury_order_number: Mapped[str] = mapped_column(String(60), default="")
    jury_order_date: Mapped[date | None]
    is_vsosh: Mapped[bool] = mapped_column(default=False)  # a season of ВсОШ
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return self.title

    @property
    def is_olympiad(self) -> bool:
        return self.kind == "olympiad"


class ContestFile(StoredFileMixin, TenantScoped, db.Model):
    """The competition's положение and other documents."""
    audit_type_label = _l("Документ конкурса")
    audit_field_labels = FILE_FIELD_LABELS | {"competition_id": _l("Конкурс")}
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)


class Nomination(TenantScoped, db.Model):
    """A nomination of a contest, or a subject of an olympiad; `grades` is a hint like «5–11»."""
    audit_type_label = _l("Номинация или предмет")
    audit_field_labels = {"competition_id": _l("Конкурс"), "grades": _l("Классы")}
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    grades: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (UniqueConstraint("competition_id", "name_key"),)

    def set_name(self, name: str) -> None:
        self.name = name
        self.name_key = fold(name)[:200]


class Stage(TenantScoped, db.Model):
    audit_type_label = _l("Этап конкурса")
    audit_field_labels = {"competition_id": _l("Конкурс"), "locked_at": _l("Результаты утверждены"),
                          "locked_by_id": _l("Кто утвердил"), "jurors_per_entry": _l("Членов жюри на работу")}
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="main")  # main (a contest's stage), or a ВсОШ stage
    name: Mapped[str] = mapped_column(String(200), default="")  # a contest's stage: «Заочный тур», «Финал»
    jurors_per_entry: Mapped[int] = mapped_column(default=2)  # the automatic distribution's default
    position: Mapped[int] = mapped_column(default=1)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(300), default="")
    locked_at: Mapped[datetime | None]  # the results are final: no score changes after
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    competition: Mapped[Competition] = relationship(lazy="raise_on_sql")

    @property
    def label(self):
        """The stage's name; an unnamed one is named by its kind (a contest's later stage: «Этап 2»)."""
        if self.name:
            return self.name
        if self.kind == "main" and (self.position or 1) > 1:
            return _l("Этап %(n)s", n=self.position)
        return STAGE_LABELS.get(self.kind, self.kind)

    @property
    def audit_label(self) -> str:
        if self.name:
            return self.name
        if self.kind == "main" and (self.position or 1) > 1:
            return f"Этап {self.position}"
        return OLYMPIAD_STAGES.get(self.kind, "Основной этап")


class StageSubject(TenantScoped, db.Model):
    """One subject and grade of an olympiad stage: date, venue, maximum points, threshold for the next stage."""
    audit_type_label = _l("Предмет этапа олимпиады")
    audit_field_labels = {"stage_id": _l("Этап"), "nomination_id": _l("Предмет"), "grade": _l("Класс"),
                          "max_points": _l("Максимум баллов"), "threshold": _l("Проходной балл"),
                          "quota_percent": _l("Квота, процентов")}
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    grade: Mapped[int]
    held_on: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(300), default="")
    max_points: Mapped[float] = mapped_column(default=100)
    threshold: Mapped[float | None]  # set by the organiser: from this score on, the next stage
    quota_percent: Mapped[int] = mapped_column(default=25)  # winners and prize-winners, a hint only

    nomination: Mapped[Nomination] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("stage_id", "nomination_id", "grade"),)


class Criterion(TenantScoped, db.Model):
    audit_type_label = _l("Критерий оценки")
    audit_field_labels = {"stage_id": _l("Этап"), "weight": _l("Вес"), "max_points": _l("Максимум баллов")}
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    weight: Mapped[float] = mapped_column(default=1)
    max_points: Mapped[float] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=1)


class Juror(TenantScoped, db.Model):
    """A member of the jury: a registry person or an outsider; `school_id` is whose entries they may not score
    (a registry person's school, or the one named for an outsider)."""
    audit_type_label = _l("Член жюри")
    audit_field_labels = {"competition_id": _l("Конкурс"), "outsider_name": _l("Приглашённый эксперт"),
                          "outsider_org": _l("Организация эксперта"), "is_chair": _l("Председатель жюри")}
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    outsider_name: Mapped[str] = mapped_column(String(300), default="")
    outsider_org: Mapped[str] = mapped_column(String(300), default="")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    is_chair: Mapped[bool] = mapped_column(default=False)

    person = relationship("Person", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("competition_id", "person_id"),)


class ContestCoordinator(TenantScoped, db.Model):
    """A school's coordinator of contests (e.g. the deputy head), marked by a methodist: they submit the entries
    of their own school (the school of their person record) and see that school's entries."""
    audit_type_label = _l("Координатор конкурсов в школе")
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)

    person = relationship("Person", lazy="raise_on_sql")


class Entry(TenantScoped, Searchable, Timestamped, db.Model):
    """An entry of a contest, or one pupil's result at one olympiad stage in one subject."""
    audit_type_label = _l("Заявка или результат олимпиады")
    audit_field_labels = {"competition_id": _l("Конкурс"), "nomination_id": _l("Номинация или предмет"),
                          "stage_id": _l("Этап"), "entrant": _l("Участник"), "pupil_name": _l("ФИО или команда"),
                          "pupil_key": _l("Ключ участника"), "grade": _l("Класс"),
                          "teacher_id": _l("Подготовил(а)"), "consent": _l("Согласие родителя"),
                          "consent_date": _l("Дата согласия"), "score": _l("Баллы"),
                          "submitted_by_id": _l("Кто подал"), "origin_id": _l("Заявка первого этапа")}
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    # A contest's entry admitted to a later stage is a copy in that stage pointing to the first stage's entry,
    # which keeps the materials and the team's members; deleting the first goes with its copies.
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id", ondelete="SET NULL"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    entrant: Mapped[str] = mapped_column(String(10), default="pupil")  # teacher, pupil, team
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    pupil_name: Mapped[str] = mapped_column(String(300), default="")  # a pupil's full name, or a team's name
    pupil_key: Mapped[str] = mapped_column(String(320), default="")  # folded name + school: one pupil
    grade: Mapped[int | None]
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    consent: Mapped[bool] = mapped_column(default=False)  # the parent agreed to publish the results
    consent_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    reason: Mapped[str] = mapped_column(String(500), default="")
    score: Mapped[float | None]  # an olympiad's result
    result: Mapped[str] = mapped_column(String(20), default="")  # winner, prize, participant
    topic: Mapped[str] = mapped_column(String(400), default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)  # two people editing the entry: the later save is a conflict

    person = relationship("Person", foreign_keys=[person_id], lazy="raise_on_sql")
    teacher = relationship("Person", foreign_keys=[teacher_id], lazy="raise_on_sql")
    school = relationship("School", lazy="raise_on_sql")
    nomination: Mapped[Nomination | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("stage_id", "nomination_id", "pupil_key", name="uq_entry_pupil_stage"),)
    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.pupil_name} {self.topic}"

    @property
    def audit_label(self) -> str:
        return self.pupil_name or self.topic

    @property
    def root_id(self) -> int:
        """The first stage's entry: its materials and team members are this entry's."""
        return self.origin_id or self.id


class TeamMember(TenantScoped, db.Model):
    """A member of a team entry: a pupil (full name, grade, school — pupils are not users) or a registry teacher.
    Kept on the first stage's entry and deleted with it."""
    audit_type_label = _l("Участник команды")
    audit_field_labels = {"entry_id": _l("Заявка"), "person_id": _l("Педагог"), "full_name": _l("ФИО"),
                          "grade": _l("Класс"), "school_id": _l("Образовательная организация"),
                          "position": _l("Порядок")}
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(300), default="")
    grade: Mapped[int | None]
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")
    school = relationship("School", lazy="raise_on_sql")

    @property
    def audit_label(self) -> str:
        return self.full_name  # a teacher's name is copied here too, as it was when the team was entered


class EntryFile(StoredFileMixin, TenantScoped, db.Model):
    """Materials of an entry."""
    audit_type_label = _l("Материал заявки")
    audit_field_labels = FILE_FIELD_LABELS | {"entry_id": _l("Заявка")}
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)


class Assignment(TenantScoped, db.Model):
    """An entry given to a juror to score."""
    audit_type_label = _l("Назначение работы члену жюри")
    audit_field_labels = {"juror_id": _l("Член жюри"), "entry_id": _l("Заявка")}
    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("juror.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("juror_id", "entry_id"),)


class Score(TenantScoped, Timestamped, db.Model):
    audit_type_label = _l("Оценка жюри")
    audit_field_labels = {"entry_id": _l("Заявка"), "juror_id": _l("Член жюри"), "criterion_id": _l("Критерий"),
                          "points": _l("Баллы")}
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("juror.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    points: Mapped[float]

    __table_args__ = (UniqueConstraint("entry_id", "juror_id", "criterion_id"),)


class Appeal(TenantScoped, Timestamped, db.Model):
    """An appeal against an olympiad result: the request, the decision and the score change, all kept."""
    audit_type_label = _l("Апелляция")
    audit_field_labels = {"entry_id": _l("Результат"), "requested_on": _l("Дата подачи"), "decision": _l("Решение"),
                          "decided_on": _l("Дата решения"), "old_score": _l("Баллы до"),
                          "new_score": _l("Баллы после"), "decided_by_id": _l("Кто решил")}
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(20), default="")  # "", upheld, rejected
    decided_on: Mapped[date | None]
    old_score: Mapped[float | None]
    new_score: Mapped[float | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
