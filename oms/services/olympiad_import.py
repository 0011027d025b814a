"""School-stage results of ВсОШ from a spreadsheet: read, map the columns, check, save.

The reading and the column-mapping step are the people import's (oms.services.people_import: `read_upload`,
the ImportBatch between the steps, `column_name`); this module has only what differs — the fields, the
header guess and the checks. A file with any bad row saves nothing; every problem is reported by row and
column. Rows go in with one bulk insert (10 000 rows in a few seconds, see bench/olympiad_import.py).
"""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import insert, select

from ..extensions import db
from ..models import Entry, Nomination, StageSubject
from ..models.base import utcnow
from ..text import clean, fold
from . import contests as svc
from .people_import import Issue, _school_index, column_name, read_upload

MAX_ROWS = 20000
TARGETS = {
    "full_name": _l("ФИО участника"),
    "grade": _l("Класс"),
    "school": _l("Образовательная организация"),
    "subject": _l("Предмет"),
    "score": _l("Баллы"),
    "consent": _l("Согласие родителя на публикацию"),
}
REQUIRED = ("full_name", "grade", "school", "subject", "score")
_RULES = [
    ("full_name", re.compile(r"фио|фамилия|участник|обучающ|учени")),
    ("grade", re.compile(r"^класс|класс обучения|параллель")),
    ("school", re.compile(r"^(оо|оу|школа)\b|организац|учреждени")),
    ("subject", re.compile(r"предмет|олимпиада по")),
    ("score", re.compile(r"балл|результат|набрано")),
    ("consent", re.compile(r"согласи")),
]
YES = {"да", "есть", "+", "1", "yes", "true"}


def guess_mapping(header: list[str]) -> dict[str, str]:
    mapping, used = {}, set()
    for col, title in enumerate(header):
        key = fold(title).strip(" .:*")
        for target, rule in _RULES:
            if key and target not in used and rule.search(key):
                mapping[str(col)] = target
                used.add(target)
                break
    return mapping


def mapping_errors(mapping: dict[str, str]) -> list[str]:
    chosen = [t for t in mapping.values() if t]
    errors = [_("Поле «%(field)s» выбрано для нескольких столбцов; оставьте один.", field=TARGETS[t])
              for t in sorted(set(chosen), key=list(TARGETS).index) if chosen.count(t) > 1]
    errors += [_("Укажите столбец «%(field)s».", field=TARGETS[t]) for t in REQUIRED if t not in chosen]
    return errors


def read(filename: str, data: bytes):
    return read_upload(filename, data, max_rows=MAX_ROWS, guess=guess_mapping)


@dataclass
class Plan:
    rows: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    new_subjects: set = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.rows)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ".").replace("\xa0", "").replace(" ", ""))
    except ValueError:
        return None


def build_plan(comp, stage, header: list[str], rows: list, mapping: dict[str, str]) -> Plan:
    """Check every row; nothing is written here."""
    plan = Plan()
    cols = {target: int(col) for col, target in mapping.items() if target}
    schools, ambiguous, _by_id = _school_index(comp.tenant_id)
    subjects = {n.name_key: n for n in db.session.scalars(select(Nomination).where(
        Nomination.competition_id == comp.id))}
    maxima = {(s.nomination_id, s.grade): s.max_points for s in db.session.scalars(
        select(StageSubject).where(StageSubject.stage_id == stage.id))}
    taken = set(db.session.execute(select(Entry.nomination_id, Entry.pupil_key).where(
        Entry.stage_id == stage.id)).all())
    seen: dict[tuple, int] = {}

    for number, cells in rows:
        def cell(target):
            col = cols.get(target)
            return clean(cells[col]) if col is not None and col < len(cells) else ""

        def problem(target, message):
            plan.issues.append(Issue(number, column_name(header, cols[target]), message))

        bad = len(plan.issues)
        for target in cols:
            if cell(target).startswith("="):
                problem(target, _("Значение начинается с «=» (формула); введите его как обычный текст."))
        name = cell("full_name")
        if len(name.split()) < 2:
            problem("full_name", _("Укажите фамилию и имя участника."))
        elif len(name) > 300:
            problem("full_name", _("ФИО не длиннее 300 символов."))
        grade_text = cell("grade")
        grade_match = re.match(r"^\s*(\d{1,2})", grade_text)
        grade = int(grade_match.group(1)) if grade_match else None
        if grade is None or not 1 <= grade <= 11:
            problem("grade", _("Класс не указан или указан неверно (нужно число от 1 до 11)."))
        school_text = cell("school")
        school = schools.get(fold(school_text)) if school_text else None
        if not school_text:
            problem("school", _("Образовательная организация не указана."))
        elif fold(school_text) in ambiguous:
            problem("school", _("Краткое название «%(name)s» подходит к нескольким организациям; укажите полное.",
                                name=school_text))
        elif school is None:
            problem("school", _("Организация «%(name)s» не найдена в списке школ района.", name=school_text))
        subject_text = cell("subject")
        if not subject_text or len(subject_text) > 200:
            problem("subject", _("Предмет не указан."))
        score = _number(cell("score"))
        if score is None or score < 0:
            problem("score", _("Баллы не указаны или указаны неверно (нужно число не меньше 0)."))
        if len(plan.issues) > bad:
            continue
        subject_key = fold(subject_text)[:200]
        nom = subjects.get(subject_key)
        top = maxima.get((nom.id, grade)) if nom else None
        if top is not None and score > top:
            problem("score", _("Больше максимума: %(max)s баллов.", max=f"{top:g}"))
            continue
        key = svc.pupil_key(name, school.id)
        if (subject_key, key) in seen:
            problem("full_name", _("Этот участник уже есть в файле по этому предмету (строка %(row)s).",
                                   row=seen[(subject_key, key)]))
            continue
        if nom is not None and (nom.id, key) in taken:
            problem("full_name", _("Результат этого участника по этому предмету на этапе уже сохранён."))
            continue
        seen[(subject_key, key)] = number
        if nom is None:
            plan.new_subjects.add(subject_text)
        plan.rows.append({"name": name, "key": key, "grade": grade, "school_id": school.id,
                          "subject_key": subject_key, "subject": subject_text, "score": score,
                          "consent": fold(cell("consent")) in YES})
    return plan


def apply_plan(comp, stage, plan: Plan, user_id: int | None) -> int:
    """Save a checked plan (the caller commits); returns the number of results saved."""
    if not plan.ok:
        raise ValueError("a plan with problems is never saved")
    subjects = {}
    for row in plan.rows:
        if row["subject_key"] not in subjects:
            subjects[row["subject_key"]] = svc.subject(comp, row["subject"]).id
    now = utcnow()
    values = [{"tenant_id": comp.tenant_id, "competition_id": comp.id, "stage_id": stage.id,
               "nomination_id": subjects[r["subject_key"]], "entrant": "pupil", "pupil_name": r["name"],
               "pupil_key": r["key"], "grade": r["grade"], "school_id": r["school_id"], "score": r["score"],
               "consent": r["consent"], "status": "admitted", "result": "", "reason": "", "topic": "",
               "search_key": fold(r["name"])[:600], "submitted_by_id": user_id, "created_at": now,
               "updated_at": now}
              for r in plan.rows]
    for start in range(0, len(values), 2000):
        db.session.execute(insert(Entry.__table__), values[start:start + 2000])
    return len(values)
