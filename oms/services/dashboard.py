"""The district dashboard: plan execution, course coverage, open deficits by area, young specialists and
their mentors, upcoming attestations.

Each figure is one grouped SQL query, so the number of queries does not grow with the district.
"""
import functools
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, get_locale, lazy_gettext as _l
from sqlalchemy import Date, bindparam, case, func, select

from .. import clock
from ..extensions import db
from ..models.development import CompetenceArea, Course, Deficit, add_months
from ..models.people import Person, School
from . import completion
from .development import (UPCOMING_MONTHS, as_date, has_active_mentor, has_course_since, is_teacher,
                          renewal_cutoff, with_attestation_due)

PLAN_STATUS_ORDER = ("done", "planned", "moved", "cancelled")
PLAN_STATUS_LABELS = {"done": _l("Выполнено"), "planned": _l("Запланировано"), "moved": _l("Перенесено"),
                      "cancelled": _l("Отменено")}
SCHOOLS_SHOWN = 6


@dataclass
class Dashboard:
    today: date
    plan: dict | None = None
    plan_url: str | None = None
    coverage: dict = field(default_factory=dict)
    schools: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    young: dict = field(default_factory=dict)
    attestation: dict = field(default_factory=dict)
    proposed: int = 0


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def district_dashboard(tenant_id: int, today: date | None = None) -> Dashboard:
    today = today or clock.today()
    board = Dashboard(today=today)
    board.plan = _plan(tenant_id, today)
    board.coverage, board.schools = _coverage(tenant_id, today)
    board.areas = _areas(tenant_id)
    board.young = _young(tenant_id, today)
    board.attestation = _attestation(tenant_id, today)
    board.proposed = db.session.scalar(_statements()["proposed"], {"tenant_id": tenant_id}) or 0
    return board


@functools.cache
def _statements() -> dict:
    """The dashboard's queries, built once with bound parameters (the district, the days): building a statement
    costs more than running it from SQLAlchemy's compiled cache, and a prebuilt one keeps its cache key."""
    tenant_id, today = bindparam("tenant_id"), bindparam("today", type_=Date)
    statements = {}
    try:
        from ..models.plan import Plan, PlanItem
    except ImportError:
        pass
    else:
        statements["plan_year"] = (select(func.max(Plan.start_year))
                                   .where(Plan.tenant_id == tenant_id, Plan.start_year <= bindparam("current")))
        statements["plan"] = (select(PlanItem.status, func.count(PlanItem.id)).join(Plan, Plan.id == PlanItem.plan_id)
                              .where(Plan.tenant_id == tenant_id, Plan.start_year == bindparam("start_year"))
                              .group_by(PlanItem.status))
    recent = case((has_course_since(bindparam("cutoff", type_=Date)), 1), else_=0)
    statements["coverage"] = (
        select(Person.school_id, School.short_name, School.name, func.count(Person.id), func.sum(recent))
        .join(School, School.id == Person.school_id)
        .where(Person.tenant_id == tenant_id, is_teacher())
        .group_by(Person.school_id, School.short_name, School.name))
    statements["areas"] = (
        select(CompetenceArea.id, CompetenceArea.name, func.count(Deficit.id))
        .join(Deficit, Deficit.area_id == CompetenceArea.id)
        .where(CompetenceArea.tenant_id == tenant_id, Deficit.status == "open")
        .group_by(CompetenceArea.id, CompetenceArea.name))
    mentored = case((has_active_mentor(today), 1), else_=0)
    statements["young"] = (select(func.count(Person.id), func.sum(mentored))
                           .where(Person.tenant_id == tenant_id, Person.is_young_specialist.is_(True)))
    stmt, due = with_attestation_due(select(Person.id))
    inner = stmt.with_only_columns(due.label("due")).where(Person.tenant_id == tenant_id, is_teacher()).subquery()
    statements["attestation"] = select(inner.c.due).where(inner.c.due < bindparam("end", type_=Date))
    statements["proposed"] = select(func.count(Course.id)).where(Course.tenant_id == tenant_id,
                                                                 Course.status == "proposed")
    return statements


def _plan(tenant_id: int, today: date) -> dict | None:
    """Items of this academic year's plan by status (or of the latest earlier plan, when this year's is not
    made yet); None when the plan feature is not installed."""
    statements = _statements()
    if "plan" not in statements:
        return None
    current = today.year if today.month >= 9 else today.year - 1
    start_year = db.session.scalar(statements["plan_year"], {"tenant_id": tenant_id, "current": current})
    if start_year is None:
        return {"start_year": current, "current": True, "total": 0}
    counts = dict(db.session.execute(statements["plan"], {"tenant_id": tenant_id, "start_year": start_year}).all())
    total = sum(counts.values())
    active = total - counts.get("cancelled", 0)
    done = counts.get("done", 0)
    return {"start_year": start_year, "current": start_year == current, "total": total, "active": active,
            "done": done, "percent": completion.percent(done, total, counts.get("cancelled", 0)),
            "statuses": [{"code": status, "label": PLAN_STATUS_LABELS[status], "count": counts.get(status, 0),
                          "percent": percent(counts.get(status, 0), total)} for status in PLAN_STATUS_ORDER]}


def _coverage(tenant_id: int, today: date):
    """Teachers with a course in the last three years: overall and by school (the weakest first)."""
    rows = db.session.execute(_statements()["coverage"],
                              {"tenant_id": tenant_id, "cutoff": renewal_cutoff(today)}).all()
    teachers = sum(r[3] for r in rows)
    covered = sum(int(r[4] or 0) for r in rows)
    coverage = {"teachers": teachers, "covered": covered, "overdue": teachers - covered,
                "percent": percent(covered, teachers)}
    schools = sorted(({"id": r[0], "label": r[1] or r[2], "teachers": r[3], "covered": int(r[4] or 0),
                       "percent": percent(int(r[4] or 0), r[3])} for r in rows),
                     key=lambda s: (s["percent"], s["label"]))
    return coverage, schools[:SCHOOLS_SHOWN]


def _areas(tenant_id: int) -> list[dict]:
    """Open deficits by competence area, the largest first (areas without open deficits left out)."""
    rows = db.session.execute(_statements()["areas"], {"tenant_id": tenant_id}).all()
    top = max((r[2] for r in rows), default=0)
    areas = [{"id": r[0], "name": r[1], "count": r[2], "percent": percent(r[2], top)} for r in rows]
    return sorted(areas, key=lambda a: (-a["count"], a["name"]))


def _young(tenant_id: int, today: date) -> dict:
    total, with_mentor = db.session.execute(_statements()["young"], {"tenant_id": tenant_id, "today": today}).one()
    total, with_mentor = total or 0, int(with_mentor or 0)
    return {"total": total, "with": with_mentor, "without": total - with_mentor,
            "with_percent": percent(with_mentor, total), "without_percent": percent(total - with_mentor, total)}


_MONTH_NAMES: dict = {}


def _month_name(day: date) -> str:
    """The month's name as it stands alone, in the page's language (Babel's formatting, once per language)."""
    key = (str(get_locale()), day.month)
    if key not in _MONTH_NAMES:
        _MONTH_NAMES[key] = format_date(day, "LLLL")
    return _MONTH_NAMES[key]


def _attestation(tenant_id: int, today: date) -> dict:
    """Attestations due in each of the coming months (this one included), and those already overdue."""
    end = add_months(today, UPCOMING_MONTHS)
    dates = [as_date(d) for d in db.session.scalars(_statements()["attestation"], {"tenant_id": tenant_id, "end": end})]
    months = []
    for n in range(UPCOMING_MONTHS):
        first = add_months(today, n)
        # the month's name in the page's language, as it stands alone («январь», «January»)
        months.append({"first": first, "label": _month_name(first), "year": first.year, "count": 0})
    overdue = 0
    for day in dates:
        if day < today:
            overdue += 1
            continue
        index = (day.year - today.year) * 12 + day.month - today.month
        if 0 <= index < UPCOMING_MONTHS:
            months[index]["count"] += 1
    top = max((m["count"] for m in months), default=0)
    for m in months:
        m["percent"] = percent(m["count"], top)
    return {"months": months, "upcoming": sum(m["count"] for m in months), "overdue": overdue}
