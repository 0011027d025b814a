"""Factories for teachers' development: courses, competence areas, deficits, route steps, mentoring,
attestations."""
import itertools
from datetime import date, timedelta

from oms.extensions import db
from oms.models import Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship, RouteStep

from . import route_arg
from .core import person_in, school_in
from oms import clock

_n = itertools.count(1)


def teacher_in(tenant, **kw):
    """A person working in a school (the rules of development apply to them)."""
    school = kw.pop("school", None) or school_in(tenant)
    return person_in(tenant, school_id=school.id, **kw)


@route_arg("course_id")
def course_in(tenant, person=None, **kw):
    n = next(_n)
    course = Course(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                    title=kw.pop("title", f"Функциональная грамотность: практика формирования {n}"),
                    provider=kw.pop("provider", "Институт развития образования"), hours=kw.pop("hours", 36),
                    date_from=kw.pop("date_from", date(2024, 3, 1)), date_to=kw.pop("date_to", date(2024, 3, 20)),
                    form=kw.pop("form", "distance"), status=kw.pop("status", "confirmed"), **kw)
    db.session.add(course)
    db.session.flush()
    return course


@route_arg("area_id")
def area_in(tenant, name=None, **kw):
    n = next(_n)
    area = CompetenceArea(tenant_id=tenant.id, position=kw.pop("position", n))
    area.set_name(name or f"Область компетенций {n}")
    db.session.add(area)
    db.session.flush()
    return area


@route_arg("deficit_id")
def deficit_in(tenant, person=None, area=None, **kw):
    deficit = Deficit(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                      area_id=(area or area_in(tenant)).id, source=kw.pop("source", "diagnostic"),
                      found_on=kw.pop("found_on", date(2025, 9, 15)), status=kw.pop("status", "open"), **kw)
    db.session.add(deficit)
    db.session.flush()
    return deficit


@route_arg("step_id")
def step_in(tenant, person=None, deficit=None, **kw):
    if deficit is None and person is None:
        deficit = deficit_in(tenant)
    person_id = person.id if person is not None else deficit.person_id
    step = RouteStep(tenant_id=tenant.id, person_id=person_id, deficit_id=deficit.id if deficit else None,
                     kind=kw.pop("kind", "self_study"), title=kw.pop("title", "Изучить методические рекомендации"),
                     due_month=kw.pop("due_month", date(2025, 11, 1)), status=kw.pop("status", "planned"), **kw)
    db.session.add(step)
    db.session.flush()
    return step


@route_arg("mentorship_id")
def mentorship_in(tenant, mentor=None, mentee=None, **kw):
    pair = Mentorship(tenant_id=tenant.id, mentor_id=(mentor or teacher_in(tenant)).id,
                      mentee_id=(mentee or teacher_in(tenant, is_young_specialist=True)).id,
                      date_from=kw.pop("date_from", date(2025, 9, 1)), **kw)
    db.session.add(pair)
    db.session.flush()
    return pair


@route_arg("mentoring_meeting_id")
def mentoring_meeting_in(tenant, pair=None, **kw):
    meeting = MentoringMeeting(tenant_id=tenant.id, mentorship_id=(pair or mentorship_in(tenant)).id,
                               held_on=kw.pop("held_on", date(2025, 10, 1)),
                               topic=kw.pop("topic", "Анализ посещённого урока"), **kw)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@route_arg("attestation_id")
def attestation_in(tenant, person=None, **kw):
    record = Attestation(tenant_id=tenant.id, person_id=(person or teacher_in(tenant)).id,
                         category=kw.pop("category", "first"), passed_on=kw.pop("passed_on", date(2021, 12, 20)),
                         next_due=kw.pop("next_due", date(2026, 12, 20)), **kw)
    db.session.add(record)
    db.session.flush()
    return record


def _insert(model, rows) -> None:
    """Insert many rows straight through the driver (COPY on PostgreSQL, executemany on SQLite), in the
    session's transaction: tens of thousands of rows in well under a second. Columns left out get their
    defaults."""
    from datetime import datetime

    from sqlalchemy import Boolean, Date, DateTime

    rows = list(rows)
    if not rows:
        return
    table = model.__table__
    columns = [c for c in table.columns if not (c.primary_key and c.name not in rows[0])]
    defaults = {}
    for column in columns:
        default = column.default
        if default is None:
            defaults[column.name] = None
        elif default.is_callable:
            defaults[column.name] = default.arg(None)
        else:
            defaults[column.name] = default.arg
    names = ", ".join(f'"{c.name}"' for c in columns)
    raw = db.session.connection().connection.dbapi_connection
    cursor = raw.cursor()
    if db.engine.dialect.name == "postgresql":
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row.get(c.name, defaults[c.name]) for c in columns])
    else:
        # SQLite stores dates and times as text, booleans as integers: convert only the columns that need it.
        def plain(v):
            if isinstance(v, datetime):
                return v.strftime("%Y-%m-%d %H:%M:%S.%f")
            if isinstance(v, date):
                return v.isoformat()
            return int(v) if isinstance(v, bool) else v

        defaults = {k: plain(v) for k, v in defaults.items()}
        convert = {c.name for c in columns if isinstance(c.type, (Date, DateTime, Boolean))}
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', [
            [plain(row[c.name]) if c.name in convert and c.name in row else row.get(c.name, defaults[c.name])
             for c in columns] for row in rows])
    cursor.close()


def bulk_district(tenant, people: int, courses: int, schools: int | None = None) -> dict:
    """A district of `people` teachers and `courses` course records, with deficits, mentors and attestations,
    inserted in bulk (Core executemany) so that a large one takes seconds. Returns counts and some ids."""
    import random

    from sqlalchemy import select, text

    from oms.models import Person

    rnd = random.Random(people)
    today = clock.today()
    school_rows = [school_in(tenant, short_name=f"СОШ № {i + 1}") for i in range(schools or max(2, people // 50))]
    _insert(Person, [
        {"tenant_id": tenant.id, "last_name": f"Фамилия{i}", "first_name": "Анна", "middle_name": "Петровна",
         "name_key": f"фамилия{i} анна петровна", "search_key": f"фамилия{i} анна петровна учитель",
         "position": "учитель", "school_id": school_rows[i % len(school_rows)].id,
         "is_young_specialist": i % 20 == 0, "experience_years": 1 if i % 20 == 0 else 12,
         "category": ("first", "highest", "")[i % 3], "category_date": date(2020 + i % 5, 1 + i % 12, 1 + i % 27)}
        for i in range(people)])
    ids = db.session.scalars(select(Person.id).where(Person.tenant_id == tenant.id).order_by(Person.id)).all()
    forms = ("full_time", "distance", "blended")
    rows = []
    for n in range(courses):
        ended = date(2018 + n % 8, 1 + n % 12, 1 + n % 27)
        rows.append({"tenant_id": tenant.id, "person_id": ids[rnd.randrange(len(ids))], "title": f"Курс {n % 40}",
                     "provider": ("ИРО", "Академия Минпросвещения")[n % 2], "hours": 36, "form": forms[n % 3],
                     "date_from": ended - timedelta(days=10), "date_to": ended, "status": "confirmed",
                     "search_key": f"курс {n % 40}"})
    if rows:
        _insert(Course, rows)
    areas = [area_in(tenant) for _ in range(8)]
    deficit_rows = [{"tenant_id": tenant.id, "person_id": ids[i], "area_id": areas[i % len(areas)].id,
                     "source": "diagnostic", "found_on": today - timedelta(days=30), "status": ("open", "closed")[i % 2]}
                    for i in range(0, len(ids), 3)]
    _insert(Deficit, deficit_rows)
    mentors = [pid for i, pid in enumerate(ids) if i % 20 != 0]
    pairs = [{"tenant_id": tenant.id, "mentor_id": mentors[i % len(mentors)], "mentee_id": pid,
              "date_from": today - timedelta(days=60)} for i, pid in enumerate(ids) if i % 40 == 0]
    if pairs:
        _insert(Mentorship, pairs)
    _insert(Attestation, [
        {"tenant_id": tenant.id, "person_id": pid, "category": "first", "passed_on": date(2021, 1 + i % 12, 10),
         "next_due": date(2026, 1 + i % 12, 10)} for i, pid in enumerate(ids) if i % 4 == 0])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: without statistics the planner takes 5,000 rows for 2.
        db.session.execute(text("ANALYZE person, course, deficit, mentorship, attestation, school, competence_area"))
        db.session.commit()
    return {"people": ids, "schools": [s.id for s in school_rows], "areas": [a.id for a in areas]}
