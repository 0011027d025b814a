"""The consultation journal's operations: status moves, the count a plan item reports, statistics, the catalogue."""
import functools
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select

from .. import clock
from ..extensions import db
from ..models import Consultation, ConsultationCategory, FunctionAssignee, Person, School
from ..models.consultations import DEFAULT_CATEGORIES, TRANSITIONS
from ..text import fold


def now() -> datetime:
    """The current moment on the app's clock (its date pinned by TODAY in tests)."""
    return datetime.combine(clock.today(), datetime.now().time().replace(microsecond=0))


class MoveRefused(ValueError):
    pass


def allowed_moves(consultation: Consultation) -> tuple[str, ...]:
    return TRANSITIONS.get(consultation.status, ())


def check_held_time(held_at: datetime | None) -> str | None:
    """Why a consultation cannot be marked held at this time (None when it can)."""
    if held_at is not None and held_at > now():
        return _("Консультация ещё не наступила: отметить её проведённой можно после %(when)s.",
                 when=held_at.strftime("%d.%m.%Y %H:%M"))
    return None


def move(consultation: Consultation, to: str) -> None:
    """Move a consultation along TRANSITIONS (the one place that decides); MoveRefused with a message if not."""
    if to not in allowed_moves(consultation):
        raise MoveRefused(_("Из этого состояния консультацию так не перевести: обновите страницу."))
    if to == "held":
        why = check_held_time(consultation.held_at)
        if why:
            raise MoveRefused(why)
    consultation.status = to


def count_for_plan_item(item_id: int, date_from: date | None = None, date_to: date | None = None) -> int:
    """Held consultations linked to a plan item («Консультации для …»), optionally within a period (inclusive).

    Kept in one function so the plan-item evidence registry can register it as a source.
    """
    stmt = select(func.count(Consultation.id)).where(Consultation.plan_item_id == item_id,
                                                     Consultation.status == "held")
    if date_from is not None:
        stmt = stmt.where(Consultation.held_at >= datetime.combine(date_from, datetime.min.time()))
    if date_to is not None:
        stmt = stmt.where(Consultation.held_at <= datetime.combine(date_to, datetime.max.time()))
    return db.session.scalar(stmt) or 0


def ensure_default_categories(tenant_id: int) -> int:
    have = set(db.session.scalars(select(ConsultationCategory.name_key)
                                  .where(ConsultationCategory.tenant_id == tenant_id)))
    top = db.session.scalar(select(func.max(ConsultationCategory.position))
                            .where(ConsultationCategory.tenant_id == tenant_id)) or 0
    added = 0
    for name in DEFAULT_CATEGORIES:
        if fold(name) in have:
            continue
        added += 1
        cat = ConsultationCategory(tenant_id=tenant_id, position=top + added)
        cat.set_name(name)
        db.session.add(cat)
    return added


@functools.cache
def _consultants_statements() -> tuple:
    """consultants()' two selects, built once (their parameter: tenant_id)."""
    from ..models import Direction, Function

    tenant_id = bindparam("tenant_id")
    consulting = (
        select(FunctionAssignee.person_id).join(Function, Function.id == FunctionAssignee.function_id)
        .join(Direction, Direction.id == Function.direction_id)
        .where(FunctionAssignee.tenant_id == tenant_id,
               or_(func.lower(Direction.name).contains("консульт"), func.lower(Function.text).contains("консульт"),
                   Direction.name.contains("Консульт"), Function.text.contains("Консульт"))))
    assigned = select(FunctionAssignee.person_id).where(FunctionAssignee.tenant_id == tenant_id)
    people = (select(Person).where(Person.tenant_id == tenant_id,
                                   or_(Person.school_id.is_(None), Person.id.in_(assigned)))
              .order_by(Person.last_name, Person.first_name))
    return consulting, people


def consultants(tenant_id: int) -> list[Person]:
    """The district's specialists who consult, a short list (never every teacher): first the people assigned to a
    consulting function (Strezhevoy's distributed service assigns each function to a specialist), then the others
    assigned to a function and the authority's own staff (people without a school)."""
    consulting_stmt, people_stmt = _consultants_statements()
    params = {"tenant_id": tenant_id}
    consulting = set(db.session.scalars(consulting_stmt, params))
    people = db.session.scalars(people_stmt, params).all()
    return sorted(people, key=lambda p: p.id not in consulting)


# ---- statistics --------------------------------------------------------------------------------

def _month_key(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def statistics(base) -> dict:
    """Held consultations of `base` (a select of Consultation, filtered) by category, school, consultant, month:
    four grouped queries whatever the number of rows."""
    held = base.where(Consultation.status == "held").subquery()

    def grouped(key, label_stmt=None):
        rows = db.session.execute(select(key, func.count()).select_from(held).group_by(key)
                                  .order_by(func.count().desc())).all()
        return [(k, n) for k, n in rows]

    by_category = grouped(held.c.category_id)
    by_school = grouped(held.c.school_id)
    by_consultant = grouped(held.c.consultant_id)
    month = _month_key(held.c.held_at)
    by_month = db.session.execute(select(month, func.count()).select_from(held).group_by(month)
                                  .order_by(month)).all()
    ids = {k for k, _n in by_school if k}
    schools = {s.id: s.label for s in db.session.scalars(select(School).where(School.id.in_(ids)))} if ids else {}
    ids = {k for k, _n in by_consultant if k}
    people = {p.id: p.short_name for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))} \
        if ids else {}
    ids = {k for k, _n in by_category if k}
    cats = {c.id: c.name for c in db.session.scalars(select(ConsultationCategory)
                                                     .where(ConsultationCategory.id.in_(ids)))} if ids else {}
    total = sum(n for _k, n in by_month)

    def rows(pairs, names, none_label):
        top = max((n for _k, n in pairs), default=0)
        return [{"label": names.get(k, none_label) if k else none_label, "count": n, "key": k,
                 "percent": round(100 * n / top) if top else 0} for k, n in pairs]

    months = [{"label": m, "count": n} for m, n in by_month if m]
    top = max((m["count"] for m in months), default=0)
    for m in months:
        m["percent"] = round(100 * m["count"] / top) if top else 0
        year, mon = m["label"].split("-")
        m["label"] = f"{mon}.{year}"
    return {"total": total, "category": rows(by_category, cats, _("без категории")),
            "school": rows(by_school, schools, _("без школы")),
            "consultant": rows(by_consultant, people, _("не указан")), "month": months}


def in_period(stmt, date_from: date | None, date_to: date | None):
    if date_from:
        stmt = stmt.where(Consultation.held_at >= datetime.combine(date_from, datetime.min.time()))
    if date_to:
        stmt = stmt.where(Consultation.held_at <= datetime.combine(date_to, datetime.max.time()))
    return stmt


__all__ = ["MoveRefused", "allowed_moves", "check_held_time", "consultants", "count_for_plan_item",
           "ensure_default_categories", "in_period", "move", "now", "statistics"]
