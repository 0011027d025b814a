"""Demo data of the practice bank: ten practices across the statuses in every district — three published by the
council's decision (an agenda item and a decision of a council meeting), two under review with scores, the rest
on their way — each with a small real DOCX, the published ones linked to plan items and offered on open deficits
of their competence area as «изучить практику» route steps. Dates fall inside 2025/2026.

Skipped when the district already has practices.
"""
from datetime import date, datetime

from ..extensions import db
from ..files import store
from ..models import (AgendaItem, Body, BodyKind, CompetenceArea, Deficit, Decision, Meeting, Person, Plan, PlanItem,
                      Practice, PracticeArea, PracticeAuthor, PracticeFile, PracticePlanItem, PracticeReview,
                      PracticeStep, ReviewScore, RouteStep, RubricCriterion, User)
from ..models.practices import DEFAULT_CRITERIA
from ..services.sample_files import sample_upload
from ..text import fold

# (title, status, kind, level, subjects, keywords, area word)
PRACTICES = [
    ("Новогодняя ёлка: проектная задача по математике в 3 классе", "published", "lesson", "primary",
     "Математика", "проектная задача, функциональная грамотность", "функциональн"),
    ("Смысловое чтение на уроках истории: приёмы работы с источником", "published", "development", "basic",
     "История", "смысловое чтение, читательская грамотность", "функциональн"),
    ("Цифровая лаборатория на уроках физики", "published", "system", "basic",
     "Физика", "цифровая лаборатория, исследование", "цифров"),
    ("Наставничество «педагог — педагог» в школе: модель сопровождения молодого учителя", "council", "management",
     "secondary", "", "наставничество, молодой специалист", "методическ"),
    ("Формирующее оценивание в начальной школе: листы самооценки", "recommended", "development", "primary",
     "Русский язык; Литературное чтение", "формирующее оценивание", "оценочн"),
    ("Инклюзивный урок: адаптация заданий для детей с ОВЗ", "review", "lesson", "basic",
     "Русский язык", "ОВЗ, адаптированная программа", "овз"),
    ("Подготовка к ОГЭ по обществознанию в малых группах", "review", "programme", "basic",
     "Обществознание", "ОГЭ, малые группы", "предметн"),
    ("Краеведческий квест для пятиклассников", "revision", "development", "basic",
     "География", "краеведение, квест", "воспитательн"),
    ("Кружок робототехники в детском саду", "proposed", "programme", "preschool",
     "", "робототехника, дошкольники", "цифров"),
    ("Математический марафон для одарённых детей", "draft", "development", "secondary",
     "Математика", "олимпиада, одарённые дети", "одарённ"),
]
# the moves each status has been through: (action, from, to, month, day)
PATHS = {
    "draft": [],
    "proposed": [("submit", "draft", "proposed", 2026, 3, 2)],
    "revision": [("submit", "draft", "proposed", 2026, 1, 20), ("return", "proposed", "revision", 2026, 2, 3)],
    "review": [("submit", "draft", "proposed", 2026, 1, 15), ("assign", "proposed", "review", 2026, 1, 22)],
    "recommended": [("submit", "draft", "proposed", 2025, 12, 1), ("assign", "proposed", "review", 2025, 12, 8),
                    ("recommend", "review", "recommended", 2026, 1, 26)],
    "council": [("submit", "draft", "proposed", 2025, 10, 6), ("assign", "proposed", "review", 2025, 10, 13),
                ("recommend", "review", "recommended", 2025, 11, 5), ("council", "recommended", "council", 2025, 11, 20)],
    "published": [("submit", "draft", "proposed", 2025, 10, 1), ("assign", "proposed", "review", 2025, 10, 8),
                  ("recommend", "review", "recommended", 2025, 11, 3),
                  ("council", "recommended", "council", 2025, 11, 20), ("publish", "council", "published", 2025, 12, 1)],
}


def run(tenant, preset) -> None:
    if _exists(Practice, tenant):
        return
    people = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id).order_by(Person.id)
                                     .execution_options(all_districts=True)))
    teachers = [p for p in people if p.school_id is not None]
    if len(teachers) < 4:
        return
    criteria = _rubric(tenant)
    areas = list(db.session.scalars(db.select(CompetenceArea).where(CompetenceArea.tenant_id == tenant.id)
                                    .order_by(CompetenceArea.position).execution_options(all_districts=True)))
    meeting = _council_meeting(tenant)
    methodist = _user(f"methodist@{tenant.slug}.demo.oms")
    admin = _user(f"admin@{tenant.slug}.demo.oms")
    teacher_user = _user(f"teacher@{tenant.slug}.demo.oms")
    demo_teacher = next((p for p in teachers if teacher_user and p.user_id == teacher_user.id), None)
    published = []
    for n, (title, status, kind, level, subjects, keywords, area_word) in enumerate(PRACTICES):
        author = demo_teacher if demo_teacher is not None and n in (0, 9) else teachers[(n * 7) % len(teachers)]
        practice = Practice(tenant_id=tenant.id, title=title, status=status, kind=kind, level=level,
                            subjects=subjects, keywords=keywords, source=("association", "contest", "self")[n % 3],
                            annotation=f"{title}. Описание практики: цель, содержание, результаты и условия "
                                       f"применения в других образовательных организациях.",
                            school_id=author.school_id, consent=status != "draft", start_year=2025,
                            authors_text=author.full_name, created_by_id=author.user_id,
                            created_at=datetime(2025, 9, 20 + n % 8, 10, 0), updated_at=datetime(2026, 3, 2, 10, 0))
        db.session.add(practice)
        db.session.flush()
        db.session.add(PracticeAuthor(tenant_id=tenant.id, practice_id=practice.id, person_id=author.id))
        area = next((a for a in areas if area_word in fold(a.name)), areas[0] if areas else None)
        if area is not None:
            db.session.add(PracticeArea(tenant_id=tenant.id, practice_id=practice.id, area_id=area.id))
        row = PracticeFile(tenant_id=tenant.id, practice_id=practice.id)
        store(row, sample_upload(f"Практика {n + 1}.docx", title,
                                 ["Аннотация практики.", "Цель и задачи.", "Содержание и этапы.",
                                  "Результаты и условия применения."]))
        db.session.add(row)
        _history(practice, status, methodist, admin, author)
        if status in ("review", "recommended", "council", "published"):
            _reviews(tenant, practice, author, teachers, criteria, done=2 if n != 6 else 1)
        if status in ("council", "published") and meeting is not None:
            _decision(tenant, practice, meeting)
        if status == "published":
            practice.published_at = datetime(2025, 12, 1, 12, 0)
            published.append((practice, area))
        if status == "revision":
            practice.review_round = 0
    db.session.flush()
    _spread(tenant, published)


def _exists(model, tenant) -> bool:
    return db.session.scalar(db.select(model.id).where(model.tenant_id == tenant.id).limit(1)
                             .execution_options(all_districts=True)) is not None


def _user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def _rubric(tenant) -> list[RubricCriterion]:
    rows = list(db.session.scalars(db.select(RubricCriterion).where(RubricCriterion.tenant_id == tenant.id)
                                   .execution_options(all_districts=True)))
    if not rows:
        rows = [RubricCriterion(tenant_id=tenant.id, name=name, max_points=points, position=i)
                for i, (name, points) in enumerate(DEFAULT_CRITERIA, start=1)]
        db.session.add_all(rows)
        db.session.flush()
    return rows


def _council_meeting(tenant) -> Meeting | None:
    """The council's meeting of 2025/2026 that considers practices (the latest held one from November)."""
    council = db.session.scalar(db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
                                .where(Body.tenant_id == tenant.id, BodyKind.category == "council")
                                .order_by(Body.id).execution_options(all_districts=True))
    if council is None:
        return None
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == council.id,
                                                         Meeting.held_on == date(2025, 11, 20)))
    if meeting is None:
        meeting = Meeting(tenant_id=tenant.id, body_id=council.id, number="2п", held_on=date(2025, 11, 20),
                          topic="О пополнении банка педагогического опыта", is_held=True)
        db.session.add(meeting)
        db.session.flush()
    return meeting


def _history(practice, status, methodist, admin, author) -> None:
    for action, before, after, year, month, day in PATHS[status]:
        user = {"submit": None, "publish": admin}.get(action, methodist)
        name = author.full_name if user is None else user.full_name
        db.session.add(PracticeStep(tenant_id=practice.tenant_id, practice_id=practice.id, action=action,
                                    from_status=before, to_status=after, user_id=user.id if user else author.user_id,
                                    user_name=name[:200], at=datetime(year, month, day, 11, 0),
                                    comment="Уточните результаты диагностики и приложите примеры работ учащихся."
                                    if action == "return" else ""))


def _reviews(tenant, practice, author, teachers, criteria, done: int) -> None:
    """Two experts from other schools; `done` of them have sent their scores."""
    experts = [p for p in teachers if p.school_id != author.school_id and p.id != author.id][:2]
    practice.review_round = 1
    for i, expert in enumerate(experts):
        review = PracticeReview(tenant_id=tenant.id, practice_id=practice.id, expert_id=expert.id, round=1,
                                created_at=datetime(2026, 1, 22, 10, 0))
        if i < done:
            review.conclusion = "recommend"
            review.comment = "Практика актуальна, описание позволяет её воспроизвести."
            review.submitted_at = datetime(2026, 2, 2 + i, 15, 0)
        db.session.add(review)
        db.session.flush()
        if i < done:
            for j, c in enumerate(criteria):
                db.session.add(ReviewScore(tenant_id=tenant.id, review_id=review.id, criterion_id=c.id,
                                           points=max(1, c.max_points - (i + j) % 2)))


def _decision(tenant, practice, meeting) -> None:
    position = db.session.scalar(db.select(db.func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(tenant_id=tenant.id, meeting_id=meeting.id, position=(position or 0) + 1,
                      title=f"О включении практики «{practice.title}» в муниципальный банк педагогического опыта"[:500])
    decision = Decision(tenant_id=tenant.id, meeting_id=meeting.id, status="done",
                        text=f"Одобрить практику «{practice.title}» и рекомендовать её к публикации в муниципальном "
                             f"банке педагогического опыта.")
    db.session.add_all([item, decision])
    db.session.flush()
    practice.agenda_item_id, practice.decision_id = item.id, decision.id


def _spread(tenant, published) -> None:
    """Link the published practices to the 2025/2026 plan's seminars and master classes, and offer each on an
    open deficit of its area as a route step."""
    plan = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == 2025)
                             .execution_options(all_districts=True))
    items = []
    if plan is not None:
        items = [i for i in db.session.scalars(db.select(PlanItem).where(PlanItem.plan_id == plan.id)
                                               .order_by(PlanItem.position, PlanItem.id))
                 if any(w in fold(i.title) for w in ("мастер-класс", "семинар", "открыт", "стажировоч"))]
    used_deficits = set()
    for n, (practice, area) in enumerate(published):
        if items:
            db.session.add(PracticePlanItem(tenant_id=tenant.id, practice_id=practice.id,
                                            plan_item_id=items[(n * 3) % len(items)].id))
        if area is None:
            continue
        deficit = db.session.scalar(db.select(Deficit).where(
            Deficit.tenant_id == tenant.id, Deficit.area_id == area.id, Deficit.status == "open",
            Deficit.id.not_in(used_deficits or {0})).order_by(Deficit.id).execution_options(all_districts=True))
        if deficit is not None:
            used_deficits.add(deficit.id)
            db.session.add(RouteStep(tenant_id=tenant.id, person_id=deficit.person_id, deficit_id=deficit.id,
                                     kind="self_study", due_month=date(2026, 4, 1), status="planned",
                                     title=f"Изучить практику «{practice.title}» (муниципальный банк "
                                           f"педагогического опыта)"[:500]))
