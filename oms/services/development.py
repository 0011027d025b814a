"""The rules of teachers' development, as SQL the lists and the dashboard share.

- the three-year rule: a teacher (a person working in a school) has a confirmed course that ended within
  the last three years;
- the next attestation: the later of the latest attestation's due date and the person's category date plus
  five years (the registry may set the category without an attestation record);
- an active mentorship: started, and not ended before today;
- a deficit closes when every step of the route aimed at it is done (cancelled steps aside).
"""
from datetime import date

from sqlalchemy import Date, and_, case, exists, func, literal_column, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ..extensions import db
from ..models.development import (ATTESTATION_VALID_YEARS, COURSE_RENEWAL_YEARS, DEFAULT_AREAS, Attestation,
                                  CompetenceArea, Course, Deficit, Mentorship, RouteStep, add_months, years_after,
                                  years_before)
from ..models.people import Person

UPCOMING_MONTHS = 6


class add_years(FunctionElement):
    """`value + n years` as a date, on SQLite and PostgreSQL."""

    type = Date()
    inherit_cache = True
    name = "add_years"


@compiles(add_years)
def _add_years_sqlite(element, compiler, **kw):
    value, years = list(element.clauses)
    return f"date({compiler.process(value, **kw)}, '+' || {compiler.process(years, **kw)} || ' years')"


@compiles(add_years, "postgresql")
def _add_years_pg(element, compiler, **kw):
    value, years = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} + make_interval(years => {compiler.process(years, **kw)}) AS DATE)"


class later_of(FunctionElement):
    """The later of two dates, either of which may be NULL."""

    type = Date()
    inherit_cache = True
    name = "later_of"


@compiles(later_of)
def _later_sqlite(element, compiler, **kw):
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"max(coalesce({a}, {b}), coalesce({b}, {a}))"


@compiles(later_of, "postgresql")
def _later_pg(element, compiler, **kw):
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"GREATEST({a}, {b})"


def renewal_cutoff(today: date) -> date:
    """Courses that ended on or after this day count for the three-year rule."""
    return years_before(today, COURSE_RENEWAL_YEARS)


def is_teacher():
    """People the rules apply to: those who work in a school (not the authority's specialists)."""
    return Person.school_id.is_not(None)


def has_recent_course(today: date):
    """The person has a confirmed course that ended within the last three years.

    Uncorrelated IN-subqueries here and below: the database computes each once, not once per person."""
    return has_course_since(renewal_cutoff(today))


def has_course_since(cutoff):
    """The person has a confirmed course that ended on or after `cutoff` (a date or a bound parameter)."""
    return Person.id.in_(select(Course.person_id).where(Course.status == "confirmed", Course.date_to >= cutoff))


def active_pairs(today: date):
    return and_(Mentorship.date_from <= today, or_(Mentorship.date_to.is_(None), Mentorship.date_to >= today))


def has_active_mentor(today: date):
    return Person.id.in_(select(Mentorship.mentee_id).where(active_pairs(today)))


def has_open_deficit():
    return Person.id.in_(select(Deficit.person_id).where(Deficit.status == "open"))


def with_attestation_due(stmt):
    """A select of Person joined with what tells the next attestation; returns (select, due expression).

    The due date is NULL when nothing is known (no category, no attestation record)."""
    # The table itself, not the mapped class: the joins go by person (already in the district), and a
    # district filter added here would lead SQLite to scan the district's attestations for every person.
    latest, newer = Attestation.__table__.alias("latest_attestation"), Attestation.__table__.alias("newer_attestation")
    no_newer = ~exists().where(newer.c.person_id == latest.c.person_id,
                               or_(newer.c.passed_on > latest.c.passed_on,
                                   and_(newer.c.passed_on == latest.c.passed_on, newer.c.id > latest.c.id)))
    by_category = case((and_(Person.category != "", Person.category_date.is_not(None)),
                        add_years(Person.category_date, literal_column(str(ATTESTATION_VALID_YEARS)))),
                       else_=None)
    joined = stmt.outerjoin(latest, and_(latest.c.person_id == Person.id, no_newer))
    return joined, later_of(latest.c.next_due, by_category)


def upcoming_window(today: date) -> tuple[date, date]:
    """From today to the end of the sixth month counting this one (the end is exclusive)."""
    return today, add_months(today, UPCOMING_MONTHS)


def facts_for(person_ids, today: date) -> dict[int, dict]:
    """For the listed people: the last course end, open deficits, the active mentors, the next attestation.
    Four queries, whatever the number of people."""
    facts = {pid: {"last_course": None, "open_deficits": 0, "mentors": [], "due": None} for pid in person_ids}
    if not facts:
        return facts
    ids = list(facts)
    for pid, last in db.session.execute(
            select(Course.person_id, func.max(Course.date_to))
            .where(Course.person_id.in_(ids), Course.status == "confirmed").group_by(Course.person_id)):
        facts[pid]["last_course"] = last
    stmt, due = with_attestation_due(select(Person.id))
    for pid, value in db.session.execute(stmt.add_columns(due).where(Person.id.in_(ids))):
        facts[pid]["due"] = as_date(value)
    for pid, count in db.session.execute(
            select(Deficit.person_id, func.count(Deficit.id))
            .where(Deficit.person_id.in_(ids), Deficit.status == "open").group_by(Deficit.person_id)):
        facts[pid]["open_deficits"] = count
    mentor = db.aliased(Person)
    for pid, pair_id, last, first, middle in db.session.execute(
            select(Mentorship.mentee_id, Mentorship.id, mentor.last_name, mentor.first_name, mentor.middle_name)
            .join(mentor, mentor.id == Mentorship.mentor_id)
            .where(Mentorship.mentee_id.in_(ids), active_pairs(today)).order_by(Mentorship.date_from)):
        initials = "".join(f"{p[0]}. " for p in (first, middle) if p)
        facts[pid]["mentors"].append((pair_id, f"{last} {initials}".strip()))
    return facts


def as_date(value):
    """A computed date as a date (SQLite may hand it back as text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def is_course_overdue(last_course: date | None, today: date) -> bool:
    return last_course is None or last_course < renewal_cutoff(today)


# ---- changes -------------------------------------------------------------------------------------

def sync_deficit(deficit: Deficit, today: date) -> None:
    """Close the deficit when all its (not cancelled) steps are done; reopen it otherwise."""
    apply_steps(deficit, deficit.steps, today)


def apply_steps(deficit: Deficit, steps, today: date) -> None:
    """The deficit's status from its route steps. A deficit without live steps keeps the status a methodist
    gave it."""
    live = [s for s in steps if s.status != "cancelled"]
    if not live:
        return
    if all(s.status == "done" for s in live):
        if deficit.status != "closed":
            deficit.status = "closed"
            deficit.closed_on = max((s.done_on for s in live if s.done_on), default=today)
    elif deficit.status != "open":
        deficit.status = "open"
        deficit.closed_on = None


def reload_deficit_with_steps(deficit_id: int) -> Deficit | None:
    from sqlalchemy.orm import selectinload

    db.session.flush()
    return db.session.scalar(Deficit.scoped().where(Deficit.id == deficit_id)
                             .options(selectinload(Deficit.steps)).execution_options(populate_existing=True))


def after_step_change(deficit_ids, today: date) -> list[Deficit]:
    """Re-evaluate the deficits a step belonged to (before and after an edit); returns those whose status
    changed."""
    changed = []
    for deficit_id in {d for d in deficit_ids if d}:
        deficit = reload_deficit_with_steps(deficit_id)
        if deficit is None:
            continue
        before = deficit.status
        sync_deficit(deficit, today)
        if deficit.status != before:
            changed.append(deficit)
    return changed


def ensure_default_areas(tenant_id: int) -> int:
    """Add the default competence areas the district lacks; returns how many were added."""
    existing = db.session.scalars(select(CompetenceArea).where(CompetenceArea.tenant_id == tenant_id)
                                  .execution_options(all_districts=True)).all()
    keys = {a.name_key for a in existing}
    position = max((a.position for a in existing), default=0)
    added = 0
    for name in DEFAULT_AREAS:
        area = CompetenceArea(tenant_id=tenant_id)
        area.set_name(name)
        if area.name_key in keys:
            continue
        position += 1
        area.position = position
        db.session.add(area)
        keys.add(area.name_key)
        added += 1
    db.session.flush()
    return added


def apply_latest_attestation(person: Person) -> None:
    """The person's category and its date follow their latest attestation (if they have any)."""
    latest = db.session.scalar(select(Attestation).where(Attestation.person_id == person.id)
                               .order_by(Attestation.passed_on.desc(), Attestation.id.desc()).limit(1))
    if latest is None:
        return
    if person.category != latest.category or person.category_date != latest.passed_on:
        person.category = latest.category
        person.category_date = latest.passed_on


def default_next_due(passed_on: date) -> date:
    return years_after(passed_on, ATTESTATION_VALID_YEARS)


def route_steps_of(person_id: int):
    from sqlalchemy.orm import joinedload

    return db.session.scalars(
        RouteStep.scoped().where(RouteStep.person_id == person_id)
        .options(joinedload(RouteStep.deficit).joinedload(Deficit.area), joinedload(RouteStep.course))
        .order_by(RouteStep.due_month, RouteStep.id)).all()
