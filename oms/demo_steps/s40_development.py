"""Demo data of teachers' development: the competence areas, courses for most teachers (some older than
three years, some never), deficits with individual routes (some closed), mentors for most young specialists,
attestation records (some due within six months, one overdue), a course the demo teacher proposed.

Dates are counted from the demo day (a fixed day of the demo year 2025/2026), so the three-year rule and
the six-month window show something on that day, whenever the demo is loaded. Each part is skipped when the district already has rows of its kind.
"""
import random
from datetime import date, timedelta

from ..extensions import db
from ..models import (Attestation, Body, BodyKind, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship,
                      Person, RouteStep, User)
from ..models.development import add_months, years_after, years_before
from ..models.structure import ASSOCIATION_CATEGORIES
from ..services.demo_data import load_demo_data
from ..services.development import apply_latest_attestation, apply_steps, ensure_default_areas
from ..text import fold
from . import DEMO_DAY

INSTITUTE_WORDS = ("институт", "иро", "ипк")


def run(tenant, preset) -> None:
    people = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id)
                                     .order_by(Person.id).execution_options(all_districts=True)))
    if not people:
        return
    data = load_demo_data("development")
    ctx = _Context(tenant, people, data)
    ensure_default_areas(tenant.id)
    if not ctx.exists(Course):
        _courses(ctx)
    if not ctx.exists(Mentorship):
        _mentoring(ctx)
    if not ctx.exists(Deficit):
        _deficits(ctx)
    if not ctx.exists(Attestation):
        _attestations(ctx)
    db.session.flush()


class _Context:
    def __init__(self, tenant, people, data):
        self.tenant = tenant
        self.data = data
        self.today = DEMO_DAY
        self.rnd = random.Random(f"oms-demo-development-{tenant.slug}")
        self.people = people
        self.teachers = [p for p in people if p.school_id is not None]
        teacher_user = db.session.scalar(db.select(User).where(User.email == f"teacher@{tenant.slug}.demo.oms"))
        self.demo_teacher = next((p for p in people if teacher_user and p.user_id == teacher_user.id), None)
        self.regional = data.get("regional_providers", {}).get(tenant.slug) or next(
            (p for p in tenant.partner_list if any(w in fold(p) for w in INSTITUTE_WORDS)), "")
        self.providers = [p for p in [self.regional] + data.get("federal_providers", []) if p]

    def exists(self, model) -> bool:
        return db.session.scalar(db.select(model.id).where(model.tenant_id == self.tenant.id).limit(1)
                                 .execution_options(all_districts=True)) is not None

    def provider(self) -> str:
        # Most courses are the regional institute's; some are federal.
        return self.providers[0] if self.rnd.random() < 0.6 or len(self.providers) == 1 \
            else self.rnd.choice(self.providers[1:])

    def attestation(self, person, category, passed: date) -> Attestation:
        record = Attestation(tenant_id=self.tenant.id, person_id=person.id, category=category, passed_on=passed,
                             next_due=years_after(passed, 5), order_number=f"{self.rnd.randrange(100, 2000)}-к")
        db.session.add(record)
        return record

    def course(self, person, ended: date, status="confirmed", **kw) -> Course:
        title, hours = self.rnd.choice(self.data["courses"])
        days = max(3, hours // 6)
        course = Course(tenant_id=self.tenant.id, person_id=person.id, title=title, provider=self.provider(),
                        hours=hours, date_from=ended - timedelta(days=days), date_to=ended,
                        form=self.rnd.choice(["full_time", "distance", "distance", "blended"]),
                        certificate=f"{self.rnd.randrange(10**11, 10**12)}", status=status, **kw)
        db.session.add(course)
        return course


def _courses(ctx: _Context) -> None:
    """Most teachers took a course in the last three years; about one in ten longer ago, a few never."""
    today = ctx.today
    for i, person in enumerate(ctx.teachers):
        roll = ctx.rnd.random()
        if person is ctx.demo_teacher:
            ctx.course(person, years_before(today, 2) + timedelta(days=40))
            ctx.course(person, today - timedelta(days=25), status="proposed", proposed_by_id=person.user_id)
            continue
        if roll < 0.08:
            continue  # never took a course
        if roll < 0.2:
            ctx.course(person, years_before(today, 3) - timedelta(days=ctx.rnd.randrange(60, 900)))
            continue
        for _ in range(1 + ctx.rnd.randrange(3)):
            ctx.course(person, today - timedelta(days=ctx.rnd.randrange(20, 3 * 365 - 30)))
    db.session.flush()


def _associations_by_school(ctx: _Context) -> dict:
    bodies = db.session.scalars(
        db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Body.tenant_id == ctx.tenant.id, BodyKind.category.in_(ASSOCIATION_CATEGORIES))
        .order_by(Body.id).execution_options(all_districts=True)).all()
    by_school = {}
    for body in bodies:
        by_school.setdefault(body.school_id, body)
    return by_school


def _mentoring(ctx: _Context) -> None:
    """Every young specialist but one has a mentor from their school (or the district), with a meetings log."""
    young = [p for p in ctx.teachers if p.is_young_specialist]
    experienced = [p for p in ctx.teachers if not p.is_young_specialist and (p.experience_years or 0) >= 10]
    if not young or not experienced:
        return
    by_school = _associations_by_school(ctx)
    start = date(ctx.today.year if ctx.today.month >= 9 else ctx.today.year - 1, 9, 1)
    for n, mentee in enumerate(young):
        if n == len(young) - 1 and len(young) > 2:
            continue  # one is left without a mentor: the dashboard flags them
        same_school = [p for p in experienced if p.school_id == mentee.school_id]
        mentor = ctx.rnd.choice(same_school or experienced)
        body = by_school.get(mentee.school_id) or by_school.get(None)
        pair = Mentorship(tenant_id=ctx.tenant.id, mentor_id=mentor.id, mentee_id=mentee.id,
                          body_id=body.id if body else None, date_from=start,
                          goals=ctx.rnd.choice(ctx.data["mentoring_goals"]))
        db.session.add(pair)
        db.session.flush()
        held = start + timedelta(days=7)
        for topic in ctx.data["meeting_topics"][: 2 + ctx.rnd.randrange(4)]:
            if held >= ctx.today:
                break
            db.session.add(MentoringMeeting(tenant_id=ctx.tenant.id, mentorship_id=pair.id, held_on=held,
                                            topic=topic))
            held += timedelta(days=21 + ctx.rnd.randrange(14))
    # A pair that ended last year: history, not a current mentor.
    if len(experienced) > 1 and len(ctx.teachers) > 5:
        former = next((p for p in ctx.teachers if not p.is_young_specialist and (p.experience_years or 0) in
                       range(3, 6)), None)
        if former is not None:
            db.session.add(Mentorship(tenant_id=ctx.tenant.id, mentor_id=experienced[0].id, mentee_id=former.id,
                                      date_from=date(start.year - 2, 9, 1), date_to=date(start.year - 1, 6, 30),
                                      goals=ctx.data["mentoring_goals"][0],
                                      result="Молодой специалист прошёл аттестацию на соответствие должности."))
    db.session.flush()


def _deficits(ctx: _Context) -> None:
    """About a third of the teachers have deficits; each has a route, some of them completed."""
    areas = db.session.scalars(db.select(CompetenceArea).where(CompetenceArea.tenant_id == ctx.tenant.id)
                               .order_by(CompetenceArea.position).execution_options(all_districts=True)).all()
    if not areas:
        return
    weights = [6, 8, 4, 2, 7, 5, 3, 9, 2, 1][: len(areas)] + [1] * max(0, len(areas) - 10)
    pairs = {m.mentee_id: m for m in db.session.scalars(
        db.select(Mentorship).where(Mentorship.tenant_id == ctx.tenant.id).execution_options(all_districts=True))}
    courses = {}
    for c in db.session.scalars(db.select(Course).where(Course.tenant_id == ctx.tenant.id, Course.status == "confirmed")
                                .order_by(Course.date_to).execution_options(all_districts=True)):
        courses[c.person_id] = c
    ctx.events = _plan_events(ctx)
    chosen = [p for p in ctx.teachers if ctx.rnd.random() < 0.45 or p is ctx.demo_teacher]
    notes = ctx.data.get("deficit_notes", {})
    for person in chosen:
        count = 2 if person is ctx.demo_teacher else 1 + (ctx.rnd.random() < 0.3)
        for n, area in enumerate(_pick(ctx.rnd, areas, weights, count)):
            # The demo teacher's open deficit was found lately: its route is still under way on the demo day.
            recent = person is ctx.demo_teacher and n == 0
            found = ctx.today - timedelta(days=ctx.rnd.randrange(20, 45) if recent else ctx.rnd.randrange(30, 420))
            deficit = Deficit(tenant_id=ctx.tenant.id, person_id=person.id, area_id=area.id,
                              source=ctx.rnd.choice(["diagnostic", "diagnostic", "observation", "self_assessment",
                                                     "assessment"]),
                              found_on=found, note=ctx.rnd.choice(notes.get(area.name) or [""]), status="open")
            db.session.add(deficit)
            db.session.flush()
            # The demo teacher sees one route under way and one completed.
            completed = (n == 1) if person is ctx.demo_teacher else ctx.rnd.random() < 0.35
            _route(ctx, person, deficit, pairs.get(person.id), courses.get(person.id), completed)
    db.session.flush()


EVENT_WORDS = ("семинар", "мастер-класс", "открытый урок", "вебинар", "педагогические чтения", "конференц",
               "практикум")


def _plan_events(ctx: _Context) -> list:
    """Seminars, master classes, open lessons… of the district's plans: (item, the month it is held)."""
    try:
        from ..models.plan import Plan, PlanItem, months_of, year_of_month
        from ..models.structure import WorkForm
    except ImportError:
        return []
    rows = db.session.execute(
        db.select(PlanItem, Plan.start_year, WorkForm.name).join(Plan, Plan.id == PlanItem.plan_id)
        .join(WorkForm, WorkForm.id == PlanItem.form_id)
        .where(Plan.tenant_id == ctx.tenant.id, PlanItem.status != "cancelled")
        .order_by(Plan.start_year, PlanItem.position, PlanItem.id).execution_options(all_districts=True)).all()
    events = []
    for item, start_year, form in rows:
        if not any(w in fold(form) for w in EVENT_WORDS) and not any(w in fold(item.title) for w in EVENT_WORDS):
            continue
        months = months_of(item.months or 0)
        if item.date_from:
            held = item.date_from.replace(day=1)
        elif months:
            held = date(year_of_month(start_year, months[0]), months[0], 1)
        else:
            continue
        events.append((item, held))
    return events


def _pick(rnd, areas, weights, count):
    picked = []
    while len(picked) < min(count, len(areas)):
        area = rnd.choices(areas, weights=weights)[0]
        if area not in picked:
            picked.append(area)
    return picked


def _route(ctx: _Context, person, deficit, pair, course, completed: bool) -> None:
    """Two or three steps; in a completed route all are done (the deficit is closed)."""
    kinds = ["self_study", "course"]
    later = [(item, held) for item, held in getattr(ctx, "events", []) if held > deficit.found_on]
    # events already held, or still to come (not those the plan left undone)
    later = [(i, h) for i, h in later if i.status == "done" or h >= ctx.today.replace(day=1)] or later
    if later:
        kinds.insert(1, "plan_item")
    if pair is not None:
        kinds.append("mentoring")
    steps = []
    month = add_months(deficit.found_on, 1)
    for n, kind in enumerate(kinds[: 2 + ctx.rnd.randrange(2)]):
        step = RouteStep(tenant_id=ctx.tenant.id, person_id=person.id, deficit_id=deficit.id, kind=kind,
                         due_month=add_months(month, n * 2), status="planned")
        if kind == "self_study":
            step.title = ctx.rnd.choice(ctx.data["self_study"])
        elif kind == "plan_item":
            item, held = ctx.rnd.choice(later[:6])
            step.plan_item_id, step.title, step.due_month = item.id, item.title[:500], held
        elif kind == "course":
            title, _ = ctx.rnd.choice(ctx.data["courses"])
            step.title = title
            if course is not None and course.date_to >= deficit.found_on:
                step.course_id = course.id
                step.title = course.title
        else:
            step.mentorship_id = pair.id
            step.title = "Разбор трудностей с наставником на посещённых уроках"
        if kind == "plan_item":
            done = item.status == "done"  # the teacher took part in the event held
        else:
            done = completed or (n == 0 and step.due_month < add_months(ctx.today, -1))
        if done:
            step.status = "done"
            step.done_on = min(ctx.today, step.due_month + timedelta(days=ctx.rnd.randrange(3, 25)))
        db.session.add(step)
        steps.append(step)
    apply_steps(deficit, steps, ctx.today)


def _attestations(ctx: _Context) -> None:
    """Attestation records of categorised teachers: those whose five years ran out were attested again;
    a few are due within six months, one is overdue."""
    today = ctx.today
    categorised = [p for p in ctx.teachers if p.category and p.category_date]
    shifted = {p.id: n for n, p in enumerate(ctx.rnd.sample(categorised, min(6, len(categorised))))}
    for person in categorised:
        passed = person.category_date
        if person.id in shifted:
            n = shifted[person.id]
            # due in 1..5 months from now, and one already overdue
            due = today - timedelta(days=20) if n == 0 else add_months(today, n) + timedelta(days=ctx.rnd.randrange(27))
            passed = years_before(due, 5)
        ctx.attestation(person, person.category, passed)
        if person.id not in shifted and years_after(passed, 5) <= today:
            again = years_after(passed, 5) - timedelta(days=ctx.rnd.randrange(10, 60))
            upgraded = {"szd": "first", "first": "highest"}.get(person.category, person.category)
            if upgraded == "highest" and (person.experience_years or 0) < 5:
                upgraded = person.category  # the highest comes after years at work
            ctx.attestation(person, upgraded if ctx.rnd.random() < 0.4 else person.category, again)
        db.session.flush()
        apply_latest_attestation(person)
    db.session.flush()
