"""Demo contests and olympiads of 2025/2026 in every district: «Учитель года» in two stages (a correspondence
round, then the final of the top three) with its jury spread automatically, scores and locked results; a pupils'
research contest held after the demo day (entries checked, the jury approved and assigned) with a team of three;
the ВсОШ season with school and municipal stages in five subjects (results, thresholds, the municipal list,
statuses, one appeal), and last season's municipal winners.
Skipped when the district already has competitions."""
import random
from datetime import date, datetime

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (Competition, ContestCoordinator, Criterion, Entry, Juror, Nomination, Person, School,
                      Stage, StageSubject, User)
from ..services import contests as svc

YEAR = 2025
SUBJECTS = [("Математика", 35), ("Русский язык", 50), ("Биология", 40), ("История", 60), ("Физика", 30)]
PUPIL_LAST = ["Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов",
              "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев"]
BOYS = ["Артём", "Максим", "Иван", "Михаил", "Даниил", "Егор", "Кирилл", "Матвей", "Тимофей", "Марк"]
GIRLS = ["Анастасия", "Мария", "Дарья", "Виктория", "Полина", "Алиса", "Ксения", "Елизавета", "Софья", "Вероника"]
FATHERS = ["Александров", "Сергеев", "Дмитриев", "Андреев", "Алексеев", "Игорев", "Олегов", "Николаев"]
CRITERIA = [("Методическая грамотность", 2, 10), ("Творческий подход", 1, 10), ("Коммуникативная культура", 1, 5)]


def run(tenant, preset) -> None:
    exists = db.session.scalar(db.select(Competition.id).where(Competition.tenant_id == tenant.id).limit(1)
                               .execution_options(all_districts=True))
    schools = db.session.scalars(db.select(School).where(School.tenant_id == tenant.id, School.kind == "school")
                                 .order_by(School.id).execution_options(all_districts=True)).all()
    teachers = db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id, Person.school_id.is_not(None))
                                  .order_by(Person.id).execution_options(all_districts=True)).all()
    if exists or len(schools) < 2 or len(teachers) < 8:
        return
    rnd = random.Random(f"oms-demo-contests-{tenant.slug}")
    ctx = _Ctx(tenant, rnd, schools, teachers)
    _coordinator(ctx)
    _teacher_of_the_year(ctx)
    _pupils_contest(ctx)
    last = _vsosh(ctx, YEAR - 1, school_stage=False)
    _vsosh(ctx, YEAR, school_stage=True, previous=last)
    db.session.flush()


class _Ctx:
    def __init__(self, tenant, rnd, schools, teachers):
        self.tenant, self.rnd, self.schools, self.teachers = tenant, rnd, schools, teachers
        self.methodist = db.session.scalar(db.select(User).where(User.email == f"methodist@{tenant.slug}.demo.oms"))
        teacher_user = db.session.scalar(db.select(User).where(User.email == f"teacher@{tenant.slug}.demo.oms"))
        self.demo_teacher = next((p for p in teachers if teacher_user and p.user_id == teacher_user.id), None)
        self.pupils = {}

    def pupil(self, school: School, grade: int) -> str:
        """A plausible pupil's full name (Russian patronymic by sex)."""
        boy = self.rnd.random() < 0.5
        last = self.rnd.choice(PUPIL_LAST) + ("" if boy else "а")
        father = self.rnd.choice(FATHERS)
        middle = father[:-2] + ("ович" if father.endswith("ов") else "евич") if boy else father[:-2] + (
            "овна" if father.endswith("ов") else "евна")
        return f"{last} {self.rnd.choice(BOYS if boy else GIRLS)} {middle}"

    def add(self, obj):
        db.session.add(obj)
        db.session.flush()
        return obj


def _coordinator(ctx):
    person = ctx.demo_teacher or ctx.teachers[0]
    ctx.add(ContestCoordinator(tenant_id=ctx.tenant.id, person_id=person.id))


def _score_stage(ctx, comp, stage, criteria, jurors, per_entry):
    """Spread the stage's entries over the jury (recusal kept), score them, lock the results."""
    entries = db.session.scalars(db.select(Entry).where(Entry.stage_id == stage.id).order_by(Entry.id)
                                 .options(joinedload(Entry.person))).all()
    try:
        svc.distribute(stage, jurors, entries, per_entry)
    except svc.Refused:  # a small district: too many jurors of one school — everyone who may, scores
        svc.assign_many(jurors, entries)
    db.session.flush()
    for juror in jurors:
        for entry in svc.assigned_entries(juror):
            if entry.stage_id == stage.id:
                svc.score_entry(juror, entry, stage, {c.id: round(ctx.rnd.uniform(c.max_points * 0.5, c.max_points))
                                                      for c in criteria})
    db.session.flush()
    _crits, rows = svc.stage_table(comp, stage)
    return rows


def _teacher_of_the_year(ctx):
    """Two stages: a correspondence round of all entrants, then the final of the top three."""
    t = ctx.tenant
    comp = ctx.add(Competition(tenant_id=t.id, title="Учитель года — 2026", kind="teachers", level="municipal",
                               start_year=YEAR, jury_order_number="112-од", jury_order_date=date(2026, 1, 20),
                               description="Муниципальный этап Всероссийского конкурса «Учитель года России»."))
    nom = Nomination(tenant_id=t.id, competition_id=comp.id)
    nom.set_name("Учитель года")
    ctx.add(nom)
    first = ctx.add(Stage(tenant_id=t.id, competition_id=comp.id, kind="main", name="Заочный тур", position=1,
                          date_from=date(2026, 1, 26), date_to=date(2026, 2, 2), venue="Дистанционно",
                          jurors_per_entry=2))
    final = ctx.add(Stage(tenant_id=t.id, competition_id=comp.id, kind="main", name="Финал", position=2,
                          date_from=date(2026, 2, 10), date_to=date(2026, 2, 12), venue=ctx.schools[0].label,
                          jurors_per_entry=3))
    first_criteria = [ctx.add(Criterion(tenant_id=t.id, stage_id=first.id, name=n, weight=w, max_points=m,
                                        position=i))
                      for i, (n, w, m) in enumerate([("Методическая разработка", 1, 20), ("Эссе", 1, 10)], start=1)]
    criteria = [ctx.add(Criterion(tenant_id=t.id, stage_id=final.id, name=n, weight=w, max_points=m, position=i))
                for i, (n, w, m) in enumerate(CRITERIA, start=1)]
    pool = list(ctx.teachers)
    ctx.rnd.shuffle(pool)
    jurors = []
    for i, person in enumerate(pool[:3]):
        jurors.append(ctx.add(Juror(tenant_id=t.id, competition_id=comp.id, person_id=person.id,
                                    school_id=person.school_id, is_chair=i == 0)))
    jurors.append(ctx.add(Juror(tenant_id=t.id, competition_id=comp.id, outsider_name="Гордеева Ольга Викторовна",
                                outsider_org="Институт развития образования")))
    entrants = [p for p in pool[3:] if p is not ctx.demo_teacher][:5]
    if ctx.demo_teacher is not None and ctx.demo_teacher not in pool[:3]:
        entrants = [ctx.demo_teacher] + entrants[:4]
    for person in entrants:
        ctx.add(Entry(tenant_id=t.id, competition_id=comp.id, stage_id=first.id, nomination_id=nom.id,
                      entrant="teacher", person_id=person.id, school_id=person.school_id, status="admitted",
                      pupil_key=svc.pupil_key(person.full_name, person.school_id),
                      topic="Открытый урок и мастер-класс", submitted_by_id=ctx.methodist.id))
    rows = _score_stage(ctx, comp, first, first_criteria, jurors, 2)
    first.locked_at, first.locked_by_id = datetime(2026, 2, 3, 10, 0), ctx.methodist.id
    svc.default_results(rows, final=False)
    svc.advance(first, svc.top_entries(rows, 3), ctx.methodist)
    db.session.flush()
    rows = _score_stage(ctx, comp, final, criteria, jurors, 2)
    final.locked_at, final.locked_by_id = datetime(2026, 2, 13, 10, 0), ctx.methodist.id
    svc.default_results(rows)


def _pupils_contest(ctx):
    t = ctx.tenant
    # held after the demo day: the works are in and checked, the jury approved and the works spread over it
    comp = ctx.add(Competition(tenant_id=t.id, title="Конкурс исследовательских работ «Шаг в науку»",
                               kind="conference", level="municipal", start_year=YEAR,
                               jury_order_number="158-од", jury_order_date=date(2026, 5, 8),
                               description="Научно-практическая конференция обучающихся 5–11 классов."))
    noms = []
    for name in ("Естественные науки", "Гуманитарные науки"):
        nom = Nomination(tenant_id=t.id, competition_id=comp.id, grades="5–11")
        nom.set_name(name)
        noms.append(ctx.add(nom))
    stage = ctx.add(Stage(tenant_id=t.id, competition_id=comp.id, kind="main", date_from=date(2026, 5, 27),
                          venue=ctx.schools[-1].label, jurors_per_entry=2))
    team_school = ctx.schools[0]
    team = ctx.add(Entry(tenant_id=t.id, competition_id=comp.id, stage_id=stage.id, nomination_id=noms[0].id,
                         entrant="team", pupil_name="Команда «Экологи»",
                         pupil_key=svc.pupil_key("Команда «Экологи»", team_school.id), school_id=team_school.id,
                         teacher_id=next((p.id for p in ctx.teachers if p.school_id == team_school.id), None),
                         status="admitted", topic="Качество воды в реках района", submitted_by_id=ctx.methodist.id))
    names = []
    while len(names) < 3:
        name = ctx.pupil(team_school, 8)
        if name not in names:
            names.append(name)
    svc.set_members(team, [svc.Member(name, 8, team_school.id) for name in names])
    ctx.add(Criterion(tenant_id=t.id, stage_id=stage.id, name="Актуальность и новизна", weight=1, max_points=10))
    ctx.add(Criterion(tenant_id=t.id, stage_id=stage.id, name="Качество исследования", weight=2, max_points=10))
    for i in range(8):
        school = ctx.schools[i % len(ctx.schools)]
        grade = ctx.rnd.randint(5, 11)
        name = ctx.pupil(school, grade)
        teacher = next((p for p in ctx.teachers if p.school_id == school.id), None)
        if i == 0 and ctx.demo_teacher is not None:
            teacher = ctx.demo_teacher
            school = next(s for s in ctx.schools if s.id == teacher.school_id)
        ctx.add(Entry(tenant_id=t.id, competition_id=comp.id, stage_id=stage.id, nomination_id=noms[i % 2].id,
                      entrant="pupil",
                      pupil_name=name, pupil_key=svc.pupil_key(name, school.id), grade=grade, school_id=school.id,
                      teacher_id=teacher.id if teacher else None, consent=i % 3 != 0,
                      consent_date=date(2026, 4, 20) if i % 3 != 0 else None,
                      status="rejected" if i == 7 else "admitted",
                      reason="Работа не соответствует требованиям положения" if i == 7 else "",
                      topic=ctx.rnd.choice(["Микропластик в воде родника", "История моей улицы",
                                            "Фенологические наблюдения за птицами", "Говор нашего села"]),
                      submitted_by_id=ctx.methodist.id))
    pool = [p for p in ctx.teachers if p is not ctx.demo_teacher]
    ctx.rnd.shuffle(pool)
    jurors = [ctx.add(Juror(tenant_id=t.id, competition_id=comp.id, person_id=person.id, school_id=person.school_id,
                            is_chair=i == 0)) for i, person in enumerate(pool[:2])]
    jurors.append(ctx.add(Juror(tenant_id=t.id, competition_id=comp.id, outsider_name="Климова Наталья Сергеевна",
                                outsider_org="Институт развития образования")))
    entries = db.session.scalars(db.select(Entry).where(Entry.stage_id == stage.id, Entry.status == "admitted")
                                 .order_by(Entry.id)).all()
    try:
        svc.distribute(stage, jurors, entries, 2)
    except svc.Refused:  # a small district: too many jurors of one school
        svc.assign_many(jurors, entries)


def _vsosh(ctx, year, school_stage: bool, previous=None):
    t = ctx.tenant
    comp = svc.create_season(t.id, year)
    school, municipal = svc.stage_of(comp, "school"), svc.stage_of(comp, "municipal")
    for n, (subject, max_points) in enumerate(SUBJECTS[:5 if school_stage else 2]):
        nom = svc.subject(comp, subject)
        for grade in (9, 10, 11):
            threshold = round(max_points * 0.6)
            if school_stage:
                ctx.add(StageSubject(tenant_id=t.id, stage_id=school.id, nomination_id=nom.id, grade=grade,
                                     held_on=date(year, 10, 1 + n * 3), venue="в своей школе",
                                     max_points=max_points, threshold=threshold))
            ctx.add(StageSubject(tenant_id=t.id, stage_id=municipal.id, nomination_id=nom.id, grade=grade,
                                 held_on=date(year, 11, 10 + n * 2), venue=ctx.schools[0].label,
                                 max_points=max_points * 2, threshold=round(max_points * 2 * 0.7)))
            if school_stage:
                for school_row in ctx.schools:
                    for _k in range(3):
                        name = ctx.pupil(school_row, grade)
                        key = svc.pupil_key(name, school_row.id)
                        if db.session.scalar(db.select(Entry.id).where(Entry.stage_id == school.id,
                                                                       Entry.nomination_id == nom.id,
                                                                       Entry.pupil_key == key)):
                            continue
                        score = round(ctx.rnd.triangular(0, max_points, max_points * 0.45))
                        ctx.add(Entry(tenant_id=t.id, competition_id=comp.id, stage_id=school.id,
                                      nomination_id=nom.id, entrant="pupil", pupil_name=name, pupil_key=key,
                                      grade=grade, school_id=school_row.id, score=score, status="admitted",
                                      consent=ctx.rnd.random() < 0.7,
                                      result="winner" if score >= max_points * 0.8 else
                                      "prize" if score >= max_points * 0.65 else "participant"))
                svc.promote(comp, "school", nom, grade, ctx.methodist)
            else:
                for school_row in ctx.schools[:2]:
                    name = ctx.pupil(school_row, grade - 1)
                    ctx.add(Entry(tenant_id=t.id, competition_id=comp.id, stage_id=municipal.id, nomination_id=nom.id,
                                  entrant="pupil", pupil_name=name, pupil_key=svc.pupil_key(name, school_row.id),
                                  grade=grade - 1, school_id=school_row.id, score=max_points * 1.6,
                                  status="admitted", result="winner", consent=True))
    db.session.flush()
    if school_stage:
        school.locked_at = datetime(year, 10, 30, 12, 0)
        _municipal_results(ctx, comp, municipal)
    else:
        school.locked_at = municipal.locked_at = datetime(year, 12, 5, 12, 0)
    return comp


def _municipal_results(ctx, comp, municipal):
    entries = db.session.scalars(db.select(Entry).where(Entry.stage_id == municipal.id).order_by(Entry.id)).all()
    maxima = {(s.nomination_id, s.grade): s.max_points for s in db.session.scalars(
        db.select(StageSubject).where(StageSubject.stage_id == municipal.id))}
    for entry in entries:
        top = maxima[(entry.nomination_id, entry.grade)]
        entry.score = round(ctx.rnd.triangular(top * 0.2, top, top * 0.5))
        entry.result = ("winner" if entry.score >= top * 0.85 else "prize" if entry.score >= top * 0.7
                        else "participant")
    if entries:
        entry = entries[0]
        appeal = svc.request_appeal(entry, "Не засчитано решение задачи № 4: ответ верный, ход решения записан.")
        appeal.requested_on = date(2025, 11, 14)
        db.session.flush()
        top = maxima[(entry.nomination_id, entry.grade)]
        svc.decide_appeal(appeal, entry, municipal, True, min(top, (entry.score or 0) + 4), top, ctx.methodist)
        appeal.decided_on = date(2025, 11, 15)
