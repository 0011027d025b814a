"""Surveys: templates, the audience, reading and storing an answer (anonymously when the survey is), results.

Read the anonymity note in oms/models/surveys.py first: `submit` is the one place that writes an answer, and it
is written so that nothing in the database ties an anonymous answer to its author.
"""
import hashlib
import secrets
from collections import Counter, defaultdict

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import (CompetenceArea, Deficit, Event, EventRegistration, Person, School, Survey, SurveyLink, SurveyQuestion, SurveyRespondent,
                      SurveyResponse, WorkForm)
from ..models.surveys import ProposedDeficit, WITH_OPTIONS
from ..text import fold
from .audience import _names, words
from .development import ensure_default_areas

# ---- templates ------------------------------------------------------------------------------------

INFO_ROWS = ["Нормативные документы в сфере образования", "Обновлённые ФГОС и ФОП", "Аттестация педагогов",
             "Профессиональные конкурсы", "Цифровые образовательные ресурсы", "Подготовка к ГИА"]
NEED_COLUMNS = ["Не нужна", "Скорее нужна", "Очень нужна"]

TEMPLATES = {
    "needs": {
        "title": "Мониторинг профессиональных и информационных потребностей", "purpose": "needs", "anonymous": True,
        "questions": [
            {"kind": "multiple", "text": "В каких областях вам нужна методическая помощь?", "source": "areas"},
            {"kind": "multiple", "text": "Какие формы методической работы для вас наиболее полезны?",
             "source": "forms"},
            {"kind": "matrix", "text": "Насколько вам нужна информация по темам", "rows": INFO_ROWS,
             "options": NEED_COLUMNS},
            {"kind": "single", "text": "Где вы чаще всего находите профессиональную информацию?",
             "options": ["Сайт управления образованием", "Методические объединения", "Курсы повышения квалификации",
                         "Интернет-сообщества педагогов", "Коллеги в школе"]},
            {"kind": "text", "text": "Какие темы вы предложили бы для семинаров и консультаций?", "required": False},
        ]},
    "pd": {
        "title": "Запрос на направления повышения квалификации", "purpose": "pd", "anonymous": False,
        "questions": [
            {"kind": "multiple", "text": "По каким направлениям вы хотели бы пройти курсы?", "source": "areas"},
            {"kind": "single", "text": "Удобная форма обучения", "options": ["Очно", "Дистанционно", "Очно-заочно"]},
            {"kind": "single", "text": "Желаемый объём курсов", "options": ["16 часов", "36 часов", "72 часа"]},
            {"kind": "text", "text": "Тема курсов, если знаете точно", "required": False},
        ]},
    "feedback": {
        "title": "Обратная связь по мероприятию", "purpose": "feedback", "anonymous": True,
        "questions": [
            {"kind": "scale", "text": "Насколько полезным было мероприятие?"},
            {"kind": "scale", "text": "Как вы оцениваете организацию мероприятия?"},
            {"kind": "single", "text": "Будете ли вы применять полученное в работе?",
             "options": ["Да", "Частично", "Нет"]},
            {"kind": "text", "text": "Что стоит улучшить?", "required": False},
        ]},
    "self_analysis": {
        "title": "Самоанализ профессиональных дефицитов", "purpose": "self_analysis", "anonymous": False,
        "threshold": 2, "questions": "areas"},
}
TEMPLATE_TITLES = {code: t["title"] for code, t in TEMPLATES.items()}


def catalogue_options(tenant_id: int, source: str) -> list[str]:
    if source == "areas":
        ensure_default_areas(tenant_id)
        db.session.flush()
        return list(db.session.scalars(select(CompetenceArea.name).where(CompetenceArea.tenant_id == tenant_id)
                                       .order_by(CompetenceArea.position, CompetenceArea.name)))
    if source == "forms":
        names = list(db.session.scalars(select(WorkForm.name).where(WorkForm.tenant_id == tenant_id)
                                        .order_by(WorkForm.position, WorkForm.name)))
        return names or ["Семинар", "Мастер-класс", "Консультация", "Открытый урок", "Вебинар"]
    if source == "subjects":
        found = set()
        for text in db.session.scalars(select(Person.subjects).where(Person.tenant_id == tenant_id).distinct()):
            found.update(s.strip() for s in (text or "").split(";") if s.strip())
        return sorted(found)[:60]
    return []


def from_template(survey: Survey, code: str) -> None:
    """Fill a new survey with a template's questions (options from the district's catalogues)."""
    t = TEMPLATES[code]
    survey.title = survey.title or t["title"]
    survey.purpose = t["purpose"]
    survey.is_anonymous = t["anonymous"]
    survey.threshold = t.get("threshold")
    if t["questions"] == "areas":
        ensure_default_areas(survey.tenant_id)
        db.session.flush()
        areas = db.session.scalars(select(CompetenceArea).where(CompetenceArea.tenant_id == survey.tenant_id)
                                   .order_by(CompetenceArea.position, CompetenceArea.name)).all()
        questions = [{"kind": "scale", "text": f"Оцените свою компетентность: {a.name}", "area_id": a.id}
                     for a in areas]
    else:
        questions = t["questions"]
    for n, q in enumerate(questions, start=1):
        options = q.get("options") or catalogue_options(survey.tenant_id, q.get("source", ""))
        db.session.add(SurveyQuestion(tenant_id=survey.tenant_id, survey_id=survey.id, position=n, kind=q["kind"],
                                      text=q["text"], options=list(options), rows=list(q.get("rows", [])),
                                      required=q.get("required", True), area_id=q.get("area_id")))


def question_problem(kind: str, options: list[str], rows: list[str]) -> str | None:
    if kind in WITH_OPTIONS and len(options) < 2:
        return _("Добавьте хотя бы два варианта ответа (по одному в строке) или возьмите их из перечня района.")
    if kind == "matrix" and not rows:
        return _("Добавьте строки матрицы (по одной в строке).")
    return None


# ---- the audience -------------------------------------------------------------------------------

def _event_filter(stmt):
    """Who counts as an event's participant: those who came; before the event, those registered."""
    from datetime import datetime, time
    start_of_today = datetime.combine(clock.today(), time.min)
    return stmt.join(Event, Event.id == EventRegistration.event_id).where(
        ((Event.starts_at < start_of_today) & EventRegistration.attended)
        | ((Event.starts_at >= start_of_today) & (EventRegistration.state == "registered")))


def event_people(event_id: int) -> set[int]:
    """The people an event's participants audience reaches: one query."""
    return set(db.session.scalars(_event_filter(select(EventRegistration.person_id))
                                  .where(EventRegistration.event_id == event_id)))


def person_events(person: Person) -> set[int]:
    """The events whose participants' audience reaches this person: one query."""
    return set(db.session.scalars(_event_filter(select(EventRegistration.event_id))
                                  .where(EventRegistration.person_id == person.id)))


def _matches(audience: dict, person_row, participants: set[int] | None = None) -> bool:
    if audience.get("event") and (participants is None or person_row.id not in participants):
        return False
    schools = audience.get("schools") or []
    if schools and person_row.school_id not in schools:
        return False
    if audience.get("young") and not person_row.is_young_specialist:
        return False
    positions = audience.get("positions") or []
    if positions and not any(_names(p, words(person_row.position or "")) for p in positions):
        return False
    subjects = audience.get("subjects") or []
    if subjects:
        have = words(person_row.subjects or "")
        if not any(_names(s, have) for s in subjects):
            return False
    return True


def _participants(survey: Survey) -> set[int] | None:
    event_id = (survey.audience or {}).get("event")
    return event_people(event_id) if event_id else None


def addresses(survey: Survey, person: Person | None, my_events: set[int] | None = None) -> bool:
    """Whether the survey is meant for this person (an empty audience: everyone in the district).
    `my_events` (from `person_events`) saves a query per survey when many are checked."""
    if person is None:
        return False
    audience = survey.audience or {}
    if audience.get("event"):
        if my_events is None:
            my_events = person_events(person)
        if audience["event"] not in my_events:
            return False
        return _matches({**audience, "event": None}, person)
    return _matches(audience, person)


def audience_by_school(survey: Survey) -> dict[int | None, int]:
    """How many people the survey addresses, per school: one query over the district's people (two for an event)."""
    participants = _participants(survey)
    rows = db.session.execute(select(Person.id, Person.school_id, Person.position, Person.subjects,
                                     Person.is_young_specialist).where(Person.tenant_id == survey.tenant_id)).all()
    return Counter(r.school_id for r in rows if _matches(survey.audience or {}, r, participants))


def response_rate(survey: Survey) -> list[dict]:
    """Per school: addressed, answered, percent (as answers come in)."""
    addressed = audience_by_school(survey)
    answered = dict(db.session.execute(
        select(SurveyRespondent.school_id, func.count()).where(SurveyRespondent.survey_id == survey.id)
        .group_by(SurveyRespondent.school_id)).all())
    ids = {k for k in set(addressed) | set(answered) if k}
    names = {s.id: s.label for s in db.session.scalars(select(School).where(School.id.in_(ids)))} if ids else {}
    out = []
    for school_id in sorted(set(addressed) | set(answered), key=lambda k: names.get(k, "яяя")):
        a, n = addressed.get(school_id, 0), answered.get(school_id, 0)
        out.append({"school": names.get(school_id, _("Без школы (специалисты)")), "addressed": a, "answered": n,
                    "percent": min(100, round(100 * n / a)) if a else 0})
    return out


# ---- answering ------------------------------------------------------------------------------------

class Refused(ValueError):
    """An answer that cannot be taken, with the reason for the user."""


def read_answers(survey: Survey, questions: list[SurveyQuestion], form) -> tuple[dict, dict]:
    """(answers, errors) from a submitted form: answers by question id (as text keys), errors by question id."""
    answers, errors = {}, {}
    for q in questions:
        key = f"q{q.id}"
        if q.kind == "single":
            value = form.get(key, "")
            if value and value not in q.options:
                errors[q.id] = _("Выберите вариант из списка.")
            elif value:
                answers[str(q.id)] = value
        elif q.kind == "multiple":
            values = [v for v in form.getlist(key) if v in q.options]
            if values:
                answers[str(q.id)] = values
        elif q.kind == "scale":
            raw = form.get(key, "")
            if raw:
                try:
                    value = int(raw)
                except ValueError:
                    value = None
                if value is None or not q.scale_min <= value <= q.scale_max:
                    errors[q.id] = _("Выберите оценку от %(a)s до %(b)s.", a=q.scale_min, b=q.scale_max)
                else:
                    answers[str(q.id)] = value
        elif q.kind == "matrix":
            row_answers = {}
            for i, row in enumerate(q.rows):
                value = form.get(f"{key}_{i}", "")
                if value in q.options:
                    row_answers[row] = value
            if row_answers:
                answers[str(q.id)] = row_answers
            if q.required and row_answers and len(row_answers) < len(q.rows):
                errors[q.id] = _("Ответьте по каждой строке.")
        else:
            text = (form.get(key, "") or "").strip()[:4000]
            if text:
                answers[str(q.id)] = text
        if q.required and str(q.id) not in answers and q.id not in errors:
            errors[q.id] = _("Ответьте на этот вопрос.")
    return answers, errors


def refusal(survey: Survey, person: Person | None, link: SurveyLink | None = None) -> str | None:
    """Why this person (or link) cannot answer now; None when they can."""
    today = clock.today()
    state = survey.state(today)
    if state == "closed":
        return _("Анкета закрыта %(d)s: ответы больше не принимаются.", d=survey.closes_on.strftime("%d.%m.%Y"))
    if state != "open":
        return _("Анкета ещё не открыта для ответов.")
    if link is not None:
        if link.is_used:
            return _("По этой ссылке уже ответили: ссылка одноразовая.")
        return None
    if person is None:
        return _("Ответить может только педагог из реестра: попросите методиста связать вашу учётную запись.")
    if db.session.scalar(select(SurveyRespondent.id).where(SurveyRespondent.survey_id == survey.id,
                                                           SurveyRespondent.person_id == person.id)):
        return _("Вы уже ответили на эту анкету: повторный ответ не принимается.")
    return None


def submit(survey: Survey, answers: dict, person: Person | None, link: SurveyLink | None = None) -> None:
    """Store one answer: who answered (SurveyRespondent) apart from what (SurveyResponse); see the model's note.

    The caller commits. The audit trail leaves these rows out (oms.audit.NOT_AUDITED): an entry would hold the
    user and the moment next to the response's key.
    """
    why = refusal(survey, person, link)
    if why:
        raise Refused(why)
    person_id = person.id if person is not None else (link.person_id if link is not None else None)
    school_id = person.school_id if person is not None else None
    if school_id is None and person_id is not None:
        school_id = db.session.scalar(select(Person.school_id).where(Person.id == person_id))
    if link is not None:
        link.is_used = True
    db.session.add(SurveyRespondent(tenant_id=survey.tenant_id, survey_id=survey.id, person_id=person_id,
                                    link_id=link.id if link is not None else None, school_id=school_id))
    response = SurveyResponse(id=secrets.token_hex(16), tenant_id=survey.tenant_id, survey_id=survey.id,
                              answers=answers)
    if not survey.is_anonymous:
        response.person_id = person_id
        response.school_id = school_id
        response.submitted_on = clock.today()
    db.session.add(response)
    db.session.flush()


# ---- one-time links -------------------------------------------------------------------------------

def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_links(survey: Survey, people: list[Person], anonymous_count: int = 0) -> list[tuple[Person | None, str]]:
    """One-time links for people without an account (and, optionally, unnamed ones): (person, token) pairs.
    Only the digests are stored; the tokens are shown once."""
    made = []
    for person in [*people, *([None] * anonymous_count)]:
        token = secrets.token_urlsafe(24)
        db.session.add(SurveyLink(tenant_id=survey.tenant_id, survey_id=survey.id,
                                  person_id=person.id if person is not None else None, token_digest=digest(token)))
        made.append((person, token))
    return made


def people_without_links(survey: Survey, limit: int = 500) -> list[Person]:
    """The audience's people who have no account and no link yet."""
    linked = select(SurveyLink.person_id).where(SurveyLink.survey_id == survey.id, SurveyLink.person_id.is_not(None))
    answered = select(SurveyRespondent.person_id).where(SurveyRespondent.survey_id == survey.id,
                                                        SurveyRespondent.person_id.is_not(None))
    rows = db.session.scalars(select(Person).where(Person.tenant_id == survey.tenant_id, Person.user_id.is_(None),
                                                   Person.id.not_in(linked), Person.id.not_in(answered))
                              .order_by(Person.last_name, Person.first_name)).all()
    participants = _participants(survey)
    return [p for p in rows if _matches(survey.audience or {}, p, participants)][:limit]


# ---- results ----------------------------------------------------------------------------------------

def results(survey: Survey, questions: list[SurveyQuestion], school_id: int | None = None) -> dict:
    """Counts per question over the answers (one query for all of them, however many)."""
    stmt = select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey.id)
    if school_id and not survey.is_anonymous:
        stmt = stmt.where(SurveyResponse.school_id == school_id)
    all_answers = db.session.scalars(stmt).all()
    out = {"total": len(all_answers), "questions": {}}
    for q in questions:
        key = str(q.id)
        values = [a[key] for a in all_answers if key in a]
        r = {"answered": len(values)}
        if q.kind in ("single", "multiple"):
            counts = Counter()
            for v in values:
                counts.update(v if isinstance(v, list) else [v])
            r["options"] = _bars([(o, counts.get(o, 0)) for o in q.options], len(values))
        elif q.kind == "scale":
            counts = Counter(int(v) for v in values)
            r["options"] = _bars([(str(n), counts.get(n, 0)) for n in range(q.scale_min, q.scale_max + 1)],
                                 len(values))
            r["average"] = round(sum(int(v) for v in values) / len(values), 2) if values else None
        elif q.kind == "matrix":
            cells = defaultdict(Counter)
            for v in values:
                for row, col in v.items():
                    cells[row][col] += 1
            r["matrix"] = [{"row": row, "cells": [cells[row].get(col, 0) for col in q.options]} for row in q.rows]
        else:
            r["texts"] = values[-50:][::-1]
        out["questions"][q.id] = r
    return out


def _bars(pairs, n):
    return [{"label": label, "count": c, "percent": round(100 * c / n) if n else 0} for label, c in pairs]


def answer_text(q: SurveyQuestion, value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, dict):
        return "; ".join(f"{row}: {col}" for row, col in value.items())
    return str(value)


# ---- diagnostics → deficits ---------------------------------------------------------------------------

def propose_deficits(survey: Survey, questions: list[SurveyQuestion]) -> int:
    """A self-analysis: each scale answer at or below the threshold on a question with a competence area
    proposes a deficit of that area for the person (once). The methodist reviews the proposals."""
    if survey.is_anonymous or survey.threshold is None:
        return 0
    scored = [q for q in questions if q.kind == "scale" and q.area_id]
    if not scored:
        return 0
    have = set(db.session.execute(select(ProposedDeficit.person_id, ProposedDeficit.area_id)
                                  .where(ProposedDeficit.survey_id == survey.id)).all())
    open_ones = set(db.session.execute(select(Deficit.person_id, Deficit.area_id).where(
        Deficit.tenant_id == survey.tenant_id, Deficit.status == "open")).all())
    added = 0
    for person_id, answers in db.session.execute(
            select(SurveyResponse.person_id, SurveyResponse.answers)
            .where(SurveyResponse.survey_id == survey.id, SurveyResponse.person_id.is_not(None))).all():
        for q in scored:
            value = answers.get(str(q.id))
            if value is None or int(value) > survey.threshold:
                continue
            if (person_id, q.area_id) in have or (person_id, q.area_id) in open_ones:
                continue
            have.add((person_id, q.area_id))
            db.session.add(ProposedDeficit(tenant_id=survey.tenant_id, survey_id=survey.id, person_id=person_id,
                                           area_id=q.area_id, score=int(value)))
            added += 1
    return added


def accept_proposal(proposal: ProposedDeficit, source: str) -> Deficit:
    deficit = Deficit(tenant_id=proposal.tenant_id, person_id=proposal.person_id, area_id=proposal.area_id,
                      source=source, found_on=clock.today(), status="open",
                      note=f"Самооценка {proposal.score} по анкете")
    db.session.add(deficit)
    db.session.flush()
    proposal.status = "accepted"
    proposal.deficit_id = deficit.id
    return deficit


def fold_list(text: str) -> list[str]:
    """A comma- or line-separated list as typed (the audience's positions and subjects)."""
    items = [p.strip() for chunk in (text or "").splitlines() for p in chunk.split(",")]
    return [p for p in items if p and fold(p)][:30]
