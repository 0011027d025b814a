"""Consultations as evidence of a plan item «Консультации для …»: the consultations the journal counts for an
item (Consultation.plan_item_id) are ONE activity of that item — held once at least one of them is held, on the
day of the last held one, its participants the number of held consultations. Its object id is the item's id.

Call `follow(item_id, ...)` after a consultation's item, status or date changes, before the commit.

Consultation days (a consultant's slots of one day) are calendar entries: who consults, when, where; never who
booked (the askers are not the district's to read in a calendar)."""
import functools
from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import joinedload

from oms.current import current_tenant_id
from oms.extensions import db
from oms.formatting import count_text
from oms.models import Consultation, ConsultationSlot, PlanItem
from oms.models.evidence import PlanItemLink
from oms.services import evidence
from oms.services.calendar import Entry, register_source
from oms.text import fold

KIND = "consultations"


def _counts(item_ids) -> dict[int, tuple[int, int, object]]:
    """{item id: (consultations, held ones, the last held moment)} in one query."""
    held = Consultation.status == "held"
    rows = db.session.execute(
        select(Consultation.plan_item_id, func.count(Consultation.id),
               func.sum(case((held, 1), else_=0)), func.max(case((held, Consultation.held_at), else_=None)))
        .where(Consultation.plan_item_id.in_(item_ids), Consultation.status != "cancelled")
        .group_by(Consultation.plan_item_id)).all()
    return {item_id: (total, int(done or 0), last) for item_id, total, done, last in rows}


def title(done: int) -> str:
    held = count_text(done, _("%(num)s консультация"), _("%(num)s консультации"), _("%(num)s консультаций"))
    return _("Консультации по пункту в журнале: проведено %(n)s", n=held)


def load(ids) -> dict:
    items = db.session.scalars(PlanItem.scoped().where(PlanItem.id.in_(ids)).with_only_columns(PlanItem.id)).all()
    counts = _counts(items) if items else {}
    found = {}
    for item_id in items:
        total, done, last = counts.get(item_id, (0, 0, None))
        if isinstance(last, str):  # SQLite returns the max of a CASE as text
            last = datetime.fromisoformat(last)
        found[item_id] = evidence.Activity(
            kind=KIND, id=item_id, title=title(done), url=url_for("consultations.index", plan_item=item_id),
            on=last.date() if last else None, held=done > 0, participants=done or None,
            extra="" if done else str(_l("ни одна не проведена")))
    return found


def candidates(item) -> list[tuple[int, str]]:
    """The item's own consultations, offered on an item about consultations («Консультации для …»)."""
    if fold("консультац") not in fold(item.title):
        return []
    done = _counts([item.id]).get(item.id, (0, 0, None))[1]
    return [(item.id, title(done))]


def may_link(item, object_id) -> bool:
    return item.id == object_id  # an item carries its own consultations only


def follow(*item_ids) -> None:
    """The items' consultations changed: the link of an item with consultations exists, the items follow."""
    for item_id in {i for i in item_ids if i}:
        item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == item_id))
        if item is None:
            continue
        db.session.flush()
        has = db.session.scalar(select(Consultation.id).where(Consultation.plan_item_id == item_id).limit(1))
        linked = db.session.scalar(select(PlanItemLink.id).where(
            PlanItemLink.item_id == item_id, PlanItemLink.kind == KIND, PlanItemLink.object_id == item_id))
        if has and not linked:
            evidence.link(item, KIND, item_id)
        elif linked and not has:
            evidence.activity_deleted(KIND, item_id)
        else:
            evidence.activity_changed(KIND, item_id)


evidence.register(evidence.Kind(code=KIND, label=_l("Консультации из журнала"), load=load, candidates=candidates,
                                may_link=may_link))


@functools.cache
def _slots_statement():
    """The slots between two moments, a select built once (its parameters: tenant_id, first, last)."""
    return (ConsultationSlot.scoped_by_param().where(ConsultationSlot.starts_at >= bindparam("first"),
                                                     ConsultationSlot.starts_at <= bindparam("last"))
            .options(joinedload(ConsultationSlot.consultant))
            .order_by(ConsultationSlot.starts_at, ConsultationSlot.id))


def consultation_days(first, last, filters) -> list[Entry]:
    """One entry per consultant and day with slots: from the first slot to the end of the last, in one query."""
    if filters.get("body") or filters.get("school"):
        return []
    slots = db.session.scalars(_slots_statement(), {"tenant_id": current_tenant_id(),
                                                    "first": datetime.combine(first, time.min),
                                                    "last": datetime.combine(last, time.max)}).all()
    days: dict = {}
    for slot in slots:
        days.setdefault((slot.consultant_id, slot.starts_at.date()), []).append(slot)
    url = url_for("consultations.index")
    entries = []
    for (consultant_id, day), rows in days.items():
        places = sorted({s.place for s in rows if s.place})
        end = max(s.starts_at + timedelta(minutes=s.minutes) for s in rows)
        entries.append(Entry(
            kind="consultation_day", uid=f"consultation-day-{consultant_id}-{day:%Y%m%d}",
            title=_("Консультационный день: %(name)s", name=rows[0].consultant.full_name),
            start=rows[0].starts_at, end=end, url=url, where="; ".join(places)[:300],
            note=count_text(len(rows), _("%(num)s слот"), _("%(num)s слота"), _("%(num)s слотов"))))
    return entries


register_source("consultation_day", _l("Консультационные дни"), consultation_days)
