"""Everything dated in a district, from every section: the calendar page and its iCalendar feeds.

Each section registers a source: a function (first day, last day, filters) -> [Entry] that reads its rows
of the current district in ONE query or a fixed few, so the calendar's query count does not grow with the
rows. Filters: {"kind": code or None, "body": id, "school": id, "bodies": ids or None, "public": bool,
"person": id or None}. A source ignores a filter it does not understand.

    from oms.services.calendar import Entry, register_source
    register_source("contest_stage", _l("Этапы конкурсов"), contest_stage_entries)
"""
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..extensions import db


@dataclass
class Entry:
    kind: str
    uid: str  # stable across edits: the feed's UID («event-12»)
    title: str
    start: date | datetime  # a date: all day; a datetime: district-local time
    url: str | None
    end: date | datetime | None = None
    where: str = ""
    cancelled: bool = False
    sequence: int = 0
    body_id: int | None = None
    school_id: int | None = None
    note: str = ""
    public: bool = False

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def last_day(self) -> date:
        end = self.end or self.start
        return end.date() if isinstance(end, datetime) else end

    @property
    def time(self) -> str:
        return self.start.strftime("%H:%M") if isinstance(self.start, datetime) else ""


@dataclass
class Source:
    code: str
    label: object
    entries: Callable
    public: bool = False  # may appear in the district's public feed


SOURCES: dict[str, Source] = {}


def register_source(code: str, label, entries: Callable, public: bool = False) -> None:
    SOURCES[code] = Source(code, label, entries, public)


def entries(first: date, last: date, filters: dict | None = None) -> list[Entry]:
    filters = dict(filters or {})
    kind = filters.get("kind")
    found: list[Entry] = []
    for source in SOURCES.values():
        if kind and source.code != kind:
            continue
        if filters.get("public") and not source.public:
            continue
        found.extend(source.entries(first, last, filters))
    found.sort(key=lambda e: (e.day, e.time, e.title))
    return found


def month_grid(year: int, month: int) -> list[list[date]]:
    """Weeks (Monday first) covering a month."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    weeks, day = [], start
    while day < nxt or day.weekday() != 0:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(day)
        day += timedelta(days=1)
    return weeks


@dataclass
class Month:
    year: int
    month: int
    weeks: list = field(default_factory=list)
    by_day: dict = field(default_factory=dict)


def month_view(year: int, month: int, filters: dict) -> Month:
    view = Month(year, month, month_grid(year, month))
    first, last = view.weeks[0][0], view.weeks[-1][-1]
    for entry in entries(first, last, filters):
        day = max(entry.day, first)
        view.by_day.setdefault(day, []).append(entry)
    return view


@functools.cache
def _plan_items_statement():
    """The dated plan items of some days, a select built once (its parameters: tenant_id, first, last)."""
    from sqlalchemy import bindparam

    from ..models import Plan, PlanItem

    return (db.select(PlanItem.id, PlanItem.title, PlanItem.date_from, PlanItem.date_to, PlanItem.status,
                      PlanItem.body_id, PlanItem.venue_school_id, PlanItem.version, Plan.start_year)
            .join(Plan, Plan.id == PlanItem.plan_id)
            .where(PlanItem.tenant_id == Plan.tenant_id, Plan.tenant_id == bindparam("tenant_id"),
                   PlanItem.date_from.is_not(None), PlanItem.date_from <= bindparam("last"),
                   db.func.coalesce(PlanItem.date_to, PlanItem.date_from) >= bindparam("first"))
            .order_by(PlanItem.date_from, PlanItem.id))


def _plan_items(first: date, last: date, filters: dict) -> list[Entry]:
    from flask import url_for

    from ..models import PlanItem

    if filters.get("bodies") is not None or filters.get("public"):
        return []  # a private feed holds the user's own activities; plan items are on the page
    stmt = _plan_items_statement()
    if filters.get("body"):
        stmt = stmt.where(PlanItem.body_id == filters["body"])
    if filters.get("school"):
        stmt = stmt.where(PlanItem.venue_school_id == filters["school"])
    result = []
    for row in db.session.execute(stmt, {"tenant_id": _tenant_id(), "first": first, "last": last}):
        url = url_for("plan.show", year=f"{row.start_year}-{row.start_year + 1}") + f"#item-{row.id}"
        result.append(Entry(kind="plan_item", uid=f"plan-item-{row.id}", title=row.title, start=row.date_from,
                            end=row.date_to, url=url, cancelled=row.status == "cancelled", sequence=row.version,
                            body_id=row.body_id, school_id=row.venue_school_id))
    return result


def _tenant_id() -> int:
    from ..tenancy import current_tenant_id

    return current_tenant_id()


def _register_plan() -> None:
    from flask_babel import lazy_gettext as _l

    register_source("plan_item", _l("Мероприятия плана"), _plan_items)


_register_plan()
