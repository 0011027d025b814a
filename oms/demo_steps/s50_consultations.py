"""Demo data of consultations, surveys and PD requests, in the demo year 2025/2026 (never the machine's clock).

* 36 consultations from September 2025 to June 2026 (some with parents and school heads), a few follow-ups;
  consultation-day slots in May 2026 with one teacher's booking.
* Surveys: the needs monitoring (anonymous, 45 answers), a self-analysis (named, with proposed deficits), a
  feedback survey on a seminar of the plan (anonymous), and the PD request survey for 2026/2027, still open.
* 18 PD requests of 2025/2026 approved by their schools (the сводная заявка), some enrolled or completed (with
  their course records).

Each part is skipped when the district already has rows of its kind.
"""
import random
import secrets
from datetime import date, datetime, timedelta

from . import DEMO_DAY
from ..extensions import db
from ..models import (CompetenceArea, Consultation, ConsultationCategory, ConsultationSlot, PDRequest, Person,
                      PlanItem, Survey, SurveyQuestion, SurveyRespondent, SurveyResponse, User)
from ..services import pd_requests as pd
from ..services import surveys as sv
from ..services.consultations import consultants, ensure_default_categories

YEAR_START = date(2025, 9, 1)
TOPICS = [
    ("Аттестация педагогических работников", "Порядок аттестации на первую категорию: какие документы готовить"),
    ("Аттестация педагогических работников", "Портфолио педагога к аттестации на высшую категорию"),
    ("ФГОС и рабочие программы", "Рабочая программа по обновлённому ФГОС ООО в конструкторе"),
    ("ФГОС и рабочие программы", "Федеральная образовательная программа: что менять в учебном плане"),
    ("Подготовка к ГИА (ОГЭ, ЕГЭ)", "Подготовка к итоговому собеседованию по русскому языку"),
    ("Подготовка к ГИА (ОГЭ, ЕГЭ)", "Пробный ОГЭ по математике: разбор типичных ошибок"),
    ("Профессиональные конкурсы", "Участие в муниципальном этапе конкурса «Учитель года»"),
    ("Работа с детьми с ОВЗ", "Адаптированная образовательная программа для обучающегося с ЗПР"),
    ("Воспитательная работа", "Рабочая программа воспитания и календарный план"),
    ("Цифровая образовательная среда", "Работа в ФГИС «Моя школа»: электронный журнал"),
    ("Молодые специалисты и наставничество", "Индивидуальный план наставничества для молодого учителя"),
    ("Повышение квалификации", "Выбор курсов повышения квалификации из федерального реестра"),
    ("Нормативно-правовое обеспечение", "Локальные акты школы о текущем контроле и промежуточной аттестации"),
]
PARENT_TOPICS = ["Выбор экзаменов ОГЭ для ребёнка", "Обучение ребёнка с ОВЗ: куда обратиться за ПМПК",
                 "Участие ребёнка в школьном этапе олимпиады", "Семейное образование и аттестация"]
ANSWERS = ["Даны разъяснения, направлены методические рекомендации.",
           "Рекомендовано изучить материалы семинара и обратиться к руководителю ШМО.",
           "Разобран пример, согласован срок повторной консультации.",
           "Направлены ссылки на нормативные документы и образцы."]
PARENT_NAMES = ["Абдулаева Зарема", "Колесникова Ирина", "Мельников Сергей", "Ахмедова Луиза", "Сидоров Павел"]


def run(tenant, preset) -> None:
    people = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id).order_by(Person.id)
                                     .execution_options(all_districts=True)))
    teachers = [p for p in people if p.school_id is not None]
    if not teachers:
        return
    rnd = random.Random(f"oms-demo-consultations-{tenant.slug}")
    if not _exists(Consultation, tenant):
        _consultations(tenant, teachers, rnd)
    if not _exists(Survey, tenant):
        _surveys(tenant, teachers, rnd)
    if not _exists(PDRequest, tenant):
        _pd_requests(tenant, teachers, rnd)
    db.session.flush()


def _exists(model, tenant) -> bool:
    return db.session.scalar(db.select(model.id).where(model.tenant_id == tenant.id).limit(1)
                             .execution_options(all_districts=True)) is not None


def _demo_teacher(tenant, teachers):
    user = db.session.scalar(db.select(User).where(User.email == f"teacher@{tenant.slug}.demo.oms"))
    return next((p for p in teachers if user and p.user_id == user.id), None)


def _consultations(tenant, teachers, rnd) -> None:
    ensure_default_categories(tenant.id)
    db.session.flush()
    cats = {c.name: c.id for c in db.session.scalars(db.select(ConsultationCategory).where(
        ConsultationCategory.tenant_id == tenant.id))}
    staff = consultants(tenant.id) or teachers[:3]
    item = db.session.scalar(db.select(PlanItem).where(PlanItem.tenant_id == tenant.id,
                                                       PlanItem.search_key.contains("консультац")).limit(1))
    span = (DEMO_DAY - YEAR_START).days - 10  # held ones only: the last a week or so before the demo day
    for n in range(36):
        day = YEAR_START + timedelta(days=int(n * span / 36) + rnd.randrange(0, 6))
        if date(day.year, 1, 1) <= day <= date(day.year, 1, 8):  # the New Year holidays
            day = date(day.year, 1, 12)
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        held_at = datetime.combine(day, datetime.min.time()).replace(hour=rnd.choice([9, 10, 11, 14, 15, 16]),
                                                                     minute=rnd.choice([0, 30]))
        c = Consultation(tenant_id=tenant.id, held_at=held_at, consultant_id=rnd.choice(staff).id,
                         channel=rnd.choice(["in_person", "in_person", "phone", "online"]), status="held",
                         answer=rnd.choice(ANSWERS), plan_item_id=item.id if item and n % 4 == 0 else None)
        if n % 6 == 5:
            c.asker_kind, c.asker_name = "parent", rnd.choice(PARENT_NAMES)
            c.topic = rnd.choice(PARENT_TOPICS)
            c.category_id = cats.get("Подготовка к ГИА (ОГЭ, ЕГЭ)")
            c.school_id = rnd.choice(teachers).school_id
        else:
            category, topic = rnd.choice(TOPICS)
            person = rnd.choice(teachers)
            c.topic, c.category_id, c.school_id = topic, cats.get(category), person.school_id
            if n % 9 == 4:
                c.form, c.participants, c.asker_kind = "group", rnd.randrange(5, 18), "school_head"
                c.asker_name = "Заместители директоров по УВР"
            else:
                c.asker_kind, c.asker_person_id, c.asker_name = "person", person.id, person.full_name
        db.session.add(c)
    # consultation days in May 2026, one slot booked by the demo teacher
    slot_start = datetime(2026, 5, 20, 14, 0)
    slots = [ConsultationSlot(tenant_id=tenant.id, consultant_id=staff[0].id,
                              starts_at=slot_start + timedelta(minutes=30 * i), minutes=30, place="каб. 12")
             for i in range(4)]
    db.session.add_all(slots)
    db.session.flush()
    me = _demo_teacher(tenant, teachers)
    if me is not None:
        db.session.add(Consultation(tenant_id=tenant.id, held_at=slots[0].starts_at, consultant_id=staff[0].id,
                                    asker_kind="person", asker_person_id=me.id, asker_name=me.full_name,
                                    school_id=me.school_id, topic="Подготовка портфолио к аттестации",
                                    status="scheduled", slot_id=slots[0].id))


def _answer(q: SurveyQuestion, rnd, low_for=None):
    if q.kind == "single":
        return rnd.choice(q.options)
    if q.kind == "multiple":
        return rnd.sample(q.options, k=min(len(q.options), rnd.randrange(1, 4)))
    if q.kind == "scale":
        if low_for is not None:
            return low_for
        return rnd.choice([3, 4, 4, 5, 5, 2])
    if q.kind == "matrix":
        return {row: rnd.choice(q.options) for row in q.rows}
    return rnd.choice(["Больше практических семинаров", "Разбор заданий функциональной грамотности",
                       "Работа с родителями", "Цифровые инструменты на уроке"])


def _fill(survey, teachers, rnd, count, low=None) -> None:
    questions = list(db.session.scalars(db.select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
                                        .order_by(SurveyQuestion.position)))
    for i, person in enumerate(rnd.sample(teachers, k=min(count, len(teachers)))):
        answers = {}
        for q in questions:
            value = _answer(q, rnd, low_for=1 if low and i % 4 == 0 and q.area_id and rnd.random() < 0.3 else None)
            answers[str(q.id)] = value
        db.session.add(SurveyRespondent(tenant_id=survey.tenant_id, survey_id=survey.id, person_id=person.id,
                                        school_id=person.school_id))
        response = SurveyResponse(id=secrets.token_hex(16), tenant_id=survey.tenant_id, survey_id=survey.id,
                                  answers=answers)
        if not survey.is_anonymous:
            response.person_id, response.school_id = person.id, person.school_id
            response.submitted_on = survey.opens_on + timedelta(days=rnd.randrange(0, 10))
        db.session.add(response)
    db.session.flush()


def _survey(tenant, template, opens, closes, **kw) -> Survey:
    survey = Survey(tenant_id=tenant.id, title="", opens_on=opens, closes_on=closes, audience={})
    db.session.add(survey)
    db.session.flush()
    sv.from_template(survey, template)
    for key, value in kw.items():
        setattr(survey, key, value)
    db.session.flush()
    return survey


def _surveys(tenant, teachers, rnd) -> None:
    needs = _survey(tenant, "needs", date(2025, 9, 15), date(2025, 10, 10),
                    title="Мониторинг профессиональных и информационных потребностей педагогов, 2025/2026")
    _fill(needs, teachers, rnd, 45)
    self_analysis = _survey(tenant, "self_analysis", date(2025, 10, 1), date(2025, 10, 31))
    _fill(self_analysis, teachers, rnd, 24, low=True)
    questions = list(db.session.scalars(db.select(SurveyQuestion).where(SurveyQuestion.survey_id == self_analysis.id)))
    sv.propose_deficits(self_analysis, questions)
    seminar = db.session.scalar(db.select(PlanItem).where(PlanItem.tenant_id == tenant.id,
                                                          PlanItem.search_key.contains("семинар"))
                                .order_by(PlanItem.id).limit(1))
    feedback = _survey(tenant, "feedback", date(2025, 11, 20), date(2025, 11, 30),
                       title=f"Обратная связь: {(seminar.title if seminar else 'муниципальный семинар')[:200]}",
                       plan_item_id=seminar.id if seminar else None)
    _fill(feedback, teachers, rnd, 22)
    _survey(tenant, "pd", date(2026, 5, 15), None,
            title="Запрос на направления повышения квалификации на 2026/2027 учебный год")


def _pd_requests(tenant, teachers, rnd) -> None:
    institute = pd.pd_institute(tenant) or "ГАУ ДПО «Институт развития образования»"
    areas = list(db.session.scalars(db.select(CompetenceArea).where(CompetenceArea.tenant_id == tenant.id)
                                    .order_by(CompetenceArea.position)))
    topics = [("Формирование функциональной грамотности обучающихся", 36),
              ("Реализация требований обновлённых ФГОС ООО и СОО", 36),
              ("Инклюзивное образование детей с ОВЗ в условиях общеобразовательной школы", 72),
              ("Цифровая образовательная среда: инструменты учителя", 36),
              ("Подготовка обучающихся к ГИА по математике", 72)]
    for n, person in enumerate(rnd.sample(teachers, k=min(20, len(teachers)))):
        topic, hours = topics[n % len(topics)]
        req = PDRequest(tenant_id=tenant.id, person_id=person.id, school_id=person.school_id,
                        area_id=areas[n % len(areas)].id if areas else None, topic=topic, hours=hours,
                        form=rnd.choice(["distance", "distance", "full_time", "blended"]),
                        priority=rnd.choice(["high", "normal", "normal", "low"]), provider=institute,
                        start_year=2025, status="approved" if n < 18 else "submitted")
        db.session.add(req)
        db.session.flush()
        if n < 10:
            pd.move(req, "enrolled")
        if n < 6:
            start = date(2025, 10, 6) + timedelta(days=14 * n)
            pd.move(req, "completed", {"date_from": start, "date_to": start + timedelta(days=12),
                                       "certificate": f"{rnd.randrange(10**11, 10**12)}"})
