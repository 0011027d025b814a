"""Operations on annual plans that are more than a save: numbering, timing text, approving,
reopening, copying a plan to the next year, and the execution analysis."""
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..models import Direction, Plan, PlanItem, PlanItemResponsible, PlanStatusChange, User
from ..models.base import utcnow
from ..models.plan import (ACADEMIC_MONTHS, ALL_MONTHS, MONTH_LABELS, MONTH_NAMES, academic_start_year, mask_of,
                           months_of)
from ..text import N_
from . import completion

YEAR_SLUG = re.compile(r"^(\d{4})-(\d{4})$")
MIN_YEAR, MAX_YEAR = 2000, 2100


class PlanError(ValueError):
    """An operation the plan's state does not allow, with a message for the user."""


def current_start_year(today: date | None = None) -> int:
    return academic_start_year(today or clock.today())


def parse_year_slug(value: str) -> int | None:
    """'2025-2026' -> 2025; anything else (not consecutive years, out of range) -> None."""
    match = YEAR_SLUG.match(value or "")
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if second != first + 1 or not MIN_YEAR <= first <= MAX_YEAR:
        return None
    return first


def year_slug(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def find_plan(start_year: int) -> Plan | None:
    """The current district's plan of a year."""
    return db.session.scalar(Plan.scoped().where(Plan.start_year == start_year))


def district_plans() -> list[Plan]:
    return list(db.session.scalars(Plan.scoped().order_by(Plan.start_year.desc())))


# ---- timing -------------------------------------------------------------------------------

def month_runs(months: list[int]) -> list[list[int]]:
    """Consecutive runs of school-year months: [9, 10, 11, 3] -> [[9, 10, 11], [3]]."""
    runs: list[list[int]] = []
    order = {m: i for i, m in enumerate(ACADEMIC_MONTHS)}
    for m in months:
        if runs and order[m] == order[runs[-1][-1]] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


WHOLE_YEAR = N_("в течение года")


def months_text(mask: int, on_screen: bool = False) -> str:
    """«в течение года», «октябрь – декабрь, март», «май»: Russian as in the documents, or on_screen in the
    user's language."""
    if mask & ALL_MONTHS == ALL_MONTHS:
        return _(WHOLE_YEAR) if on_screen else WHOLE_YEAR
    names = MONTH_LABELS if on_screen else MONTH_NAMES
    parts = []
    for run in month_runs(months_of(mask)):
        if len(run) >= 3:
            parts.append(f"{names[run[0]]} – {names[run[-1]]}")
        else:
            parts.extend(str(names[m]) for m in run)
    return ", ".join(parts)


def dates_mask(date_from: date | None, date_to: date | None) -> int:
    """The months a period touches."""
    if date_from is None:
        return 0
    end = date_to or date_from
    months, y, m = [], date_from.year, date_from.month
    while (y, m) <= (end.year, end.month) and len(months) < 12:
        months.append(m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return mask_of(months)


def timing_text(item, on_screen: bool = False) -> str:
    """How the document states an item's timing: exact dates if known, then months beyond them."""
    if item.date_from is None:
        return months_text(item.months or 0, on_screen)
    text = item.date_from.strftime("%d.%m.%Y")
    if item.date_to and item.date_to != item.date_from:
        text += " – " + item.date_to.strftime("%d.%m.%Y")
    extra = (item.months or 0) & ~dates_mask(item.date_from, item.date_to)
    if extra:
        text += ", " + months_text(extra, on_screen)
    return text


def timing_label(item) -> str:
    """An item's timing on a page, in the user's language (documents keep timing_text's Russian)."""
    return timing_text(item, on_screen=True)


# ---- numbering ----------------------------------------------------------------------------

@dataclass
class Numbering:
    """Section numbers of directions with items, and item numbers «2.5», as in the document."""

    sections: dict[int, int] = field(default_factory=dict)
    items: dict[int, str] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)


def document_order():
    return (Direction.position, Direction.id, PlanItem.position, PlanItem.id)


def document_order_of(directions):
    """The document's order without joining `direction`: its rank given by the district's `directions`
    (all of them, in order). On PostgreSQL a join with direction made the planner expect a couple of rows
    of a 5,000-item plan (the district's and the plan's conditions counted as independent) and walk them
    in nested loops; the list of one table is estimated right."""
    ranks = {d.id: rank for rank, d in enumerate(directions)}
    first = [case(ranks, value=PlanItem.direction_id, else_=len(ranks))] if ranks else []
    return (*first, PlanItem.position, PlanItem.id)


def numbering(plan: Plan, rows=None, directions=None) -> Numbering:
    """Numbers over the whole plan (one light query), so filtered pages keep the document's numbers.

    `rows`: (item id, direction id) pairs in document order, when the caller has them already;
    `directions`: the district's directions in order, when the caller has them (no join then).
    """
    if rows is None:
        stmt = db.select(PlanItem.id, PlanItem.direction_id).where(PlanItem.plan_id == plan.id)
        if directions is None:
            stmt = stmt.join(Direction, Direction.id == PlanItem.direction_id).order_by(*document_order())
        else:
            stmt = stmt.order_by(*document_order_of(directions))
        rows = db.session.execute(stmt).all()
    result = Numbering()
    for item_id, direction_id in rows:
        if direction_id not in result.sections:
            result.sections[direction_id] = len(result.sections) + 1
        result.counts[direction_id] = result.counts.get(direction_id, 0) + 1
        result.items[item_id] = f"{result.sections[direction_id]}.{result.counts[direction_id]}"
    return result


def next_position(plan: Plan, direction_id: int) -> int:
    last = db.session.scalar(db.select(db.func.max(PlanItem.position))
                             .where(PlanItem.plan_id == plan.id, PlanItem.direction_id == direction_id))
    return (last or 0) + 1


# ---- status -------------------------------------------------------------------------------

def approve(plan: Plan, act_number: str, act_date: date, user: User, act_kind: str = "order") -> None:
    if plan.is_approved:
        raise PlanError(_("План уже утверждён."))
    if not db.session.scalar(db.select(PlanItem.id).where(PlanItem.plan_id == plan.id).limit(1)):
        raise PlanError(_("В плане нет мероприятий — утверждать нечего."))
    plan.status = "approved"
    plan.act_kind = act_kind
    plan.act_number = act_number
    plan.act_date = act_date
    plan.approved_by_id = user.id
    plan.approved_at = utcnow()
    db.session.add(PlanStatusChange(tenant_id=plan.tenant_id, plan_id=plan.id, action="approve",
                                    act_number=act_number, act_date=act_date, user_id=user.id,
                                    user_name=user.full_name))


def reopen(plan: Plan, reason: str, user: User) -> None:
    if not plan.is_approved:
        raise PlanError(_("План не утверждён: он и так открыт для изменений."))
    plan.status = "draft"
    db.session.add(PlanStatusChange(tenant_id=plan.tenant_id, plan_id=plan.id, action="reopen", reason=reason,
                                    act_number=plan.act_number, act_date=plan.act_date, user_id=user.id,
                                    user_name=user.full_name))


# ---- copying ------------------------------------------------------------------------------

def _shift_year(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


CONTENT_FIELDS = ("direction_id", "function_id", "form_id", "position", "title", "months", "audience",
                  "responsible_note", "body_id", "venue_school_id", "expected_result")


def copy_plan(source: Plan, target_year: int) -> Plan:
    """A new draft for target_year with source's items: months kept, dates a year later, no execution."""
    target = find_plan(target_year)
    if target is None:
        target = Plan(tenant_id=source.tenant_id, start_year=target_year, status="draft")
        db.session.add(target)
        db.session.flush()
    elif target.is_approved:
        raise PlanError(_("План на %(year)s учебный год уже утверждён.", year=target.label))
    elif db.session.scalar(db.select(PlanItem.id).where(PlanItem.plan_id == target.id).limit(1)):
        raise PlanError(_("В плане на %(year)s учебный год уже есть мероприятия: "
                          "копирование добавило бы дубликаты.", year=target.label))
    items = db.session.scalars(
        db.select(PlanItem).where(PlanItem.plan_id == source.id).order_by(PlanItem.id)
        .options(selectinload(PlanItem.responsible_links))
    ).all()
    shift = target_year - source.start_year
    for old in items:
        new = PlanItem(tenant_id=target.tenant_id, plan_id=target.id,
                       **{name: getattr(old, name) for name in CONTENT_FIELDS})
        new.date_from, new.date_to = old.date_from, old.date_to
        for _year in range(shift):
            new.date_from, new.date_to = _shift_year(new.date_from), _shift_year(new.date_to)
        new.responsible_links = [PlanItemResponsible(tenant_id=target.tenant_id, person_id=link.person_id,
                                                     position=link.position) for link in old.responsible_links]
        db.session.add(new)
    return target


# ---- execution analysis -------------------------------------------------------------------

@dataclass
class Counts:
    planned: int = 0
    done: int = 0
    moved: int = 0
    cancelled: int = 0

    def add(self, status: str) -> None:
        self.planned += 1
        if status in ("done", "moved", "cancelled"):
            setattr(self, status, getattr(self, status) + 1)

    @property
    def open(self) -> int:
        return self.planned - self.done - self.moved - self.cancelled

    def share(self, name: str) -> float:
        return getattr(self, name) / self.planned if self.planned else 0.0

    def percent(self, name: str) -> int:
        return round(100 * self.share(name))

    @property
    def completion(self) -> int:
        """The one completion figure (oms.services.completion)."""
        return completion.percent(self.done, self.planned, self.cancelled)


@dataclass
class Analysis:
    plan: Plan
    total: Counts
    by_direction: list  # [(Direction, Counts)]
    by_month: list  # [(month, Counts)]
    matrix: dict  # {(direction_id, month): Counts}
    not_done: list  # [(PlanItem, kind)] kind: moved | cancelled | overdue
    numbers: Numbering
    today: date


def is_overdue(item: PlanItem, plan: Plan, today: date) -> bool:
    """Still «planned» though its time has passed."""
    if item.status != "planned":
        return False
    mask = item.months or 0
    if item.date_from:
        if (item.date_to or item.date_from) >= today:
            return False
        mask &= ~dates_mask(item.date_from, item.date_to)  # months beyond the dates («15.10.2025, март»)
        if not mask:
            return True
    months = months_of(mask)
    if not months:
        return False
    last = months[-1]
    year = plan.start_year if last >= 9 else plan.start_year + 1
    return (year, last) < (today.year, today.month)


def execution_mark(item: PlanItem, plan: Plan, today: date) -> str:
    """«Отметка о выполнении» as the XLSX analysis states it (a Russian document)."""
    if item.status == "done":
        text = "выполнено"
        if item.actual_date:
            text += " " + item.actual_date.strftime("%d.%m.%Y")
        if item.participants_count:
            text += f", участников: {item.participants_count}"
        return text
    if item.status == "moved":
        return f"перенесено на {MONTH_NAMES.get(item.moved_to_month, '…')}" if item.moved_to_month else "перенесено"
    if item.status == "cancelled":
        return f"отменено: {item.cancel_reason}" if item.cancel_reason else "отменено"
    return "не выполнено: нет отметки о выполнении" if is_overdue(item, plan, today) else "запланировано"


ROW_COLUMNS = (PlanItem.id, PlanItem.direction_id, PlanItem.title, PlanItem.form_id, PlanItem.months,
               PlanItem.date_from, PlanItem.date_to, PlanItem.audience, PlanItem.responsible_note, PlanItem.body_id,
               PlanItem.expected_result, PlanItem.status, PlanItem.moved_to_month, PlanItem.cancel_reason,
               PlanItem.actual_date, PlanItem.participants_count)


def item_rows(plan: Plan) -> list:
    """The plan's items as light rows (attribute access, no ORM objects), in document order:
    what the analysis and the export read, at a fraction of the cost of full objects."""
    return db.session.execute(
        db.select(*ROW_COLUMNS).join(Direction, Direction.id == PlanItem.direction_id)
        .where(PlanItem.plan_id == plan.id).order_by(*document_order())
    ).all()


def analyse(plan: Plan, today: date | None = None, items=None) -> Analysis:
    today = today or clock.today()
    directions = list(db.session.scalars(Direction.scoped().order_by(Direction.position, Direction.id)))
    if items is None:
        items = item_rows(plan)
    total = Counts()
    per_direction: dict[int, Counts] = OrderedDict((d.id, Counts()) for d in directions)
    per_month: dict[int, Counts] = OrderedDict((m, Counts()) for m in ACADEMIC_MONTHS)
    matrix: dict = {}
    not_done = []
    for item in items:
        total.add(item.status)
        per_direction.setdefault(item.direction_id, Counts()).add(item.status)
        for month in months_of(item.months or 0):
            per_month[month].add(item.status)
            matrix.setdefault((item.direction_id, month), Counts()).add(item.status)
        if item.status in ("moved", "cancelled"):
            not_done.append((item, item.status))
        elif is_overdue(item, plan, today):
            not_done.append((item, "overdue"))
    by_direction = [(d, per_direction[d.id]) for d in directions if per_direction[d.id].planned]
    numbers = numbering(plan, [(item.id, item.direction_id) for item in items])
    return Analysis(plan=plan, total=total, by_direction=by_direction, by_month=list(per_month.items()),
                    matrix=matrix, not_done=not_done, numbers=numbers, today=today)
