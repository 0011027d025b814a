"""Plan items carry their evidence: the activities that carry them out, and the execution read from them.

A plan item links to activities of several kinds (oms.models.evidence.PlanItemLink: item, kind, object id).
Each kind registers here how to load its rows and how it reports «held»; nothing else in this module knows
a kind by name. Registering a kind (say, consultations) is one call at import time of its feature:

    from oms.services import evidence

    def load_consultations(ids):                      # ids of the current district's rows
        rows = db.session.scalars(Consultation.scoped().where(Consultation.id.in_(ids)))
        return {c.id: evidence.Activity(
            kind="consultation", id=c.id, title=c.topic, url=url_for("consultations.show", consultation_id=c.id),
            on=c.held_on, held=c.is_held, participants=c.people_count, cancelled=c.status == "cancelled")
            for c in rows}

    evidence.register(evidence.Kind(
        code="consultation", label=_l("Консультация"), load=load_consultations,
        pick="consultation",                     # to link an existing one: its kind in oms/picker.py (optional)
        pick_params=lambda item: {"years": str(item.plan.start_year)},   # the picker's scope for this item
        new_url=lambda item: url_for("consultations.new", plan_item=item.id)))  # to create one (optional)

    # its dated rows in the calendar and the feeds (oms.services.calendar):
    register_source("consultation", _l("Консультации"), consultation_entries)

and after any change that alters «held», the date, the count or a cancellation, before the commit:

    evidence.activity_changed("consultation", consultation.id)

(`evidence.activity_deleted(kind, id)` when a row is deleted: its links go and their items are re-read).

What an item is about without carrying it out (the practices it spreads) registers as `Related`
(`register_related`): shown on the item's page, never counted by the rule below.

The rule that fills an item from its evidence (`refresh_items`): an item whose every linked activity that is
not cancelled has been held is done, on the date of the latest, with the participants of all of them added up.
A hand-typed mark over the evidence is an override: it needs a note, is shown as such and stays until the
user returns the item to its evidence.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models.evidence import PlanItemLink
from ..models.plan import MONTH_NAMES, PlanItem, months_of

MODE_EVIDENCE, MODE_OVERRIDE = "evidence", "override"


@dataclass(frozen=True)
class Activity:
    """What the plan needs to know of one activity, whatever its kind."""

    kind: str
    id: int
    title: str
    url: str | None
    on: date | None  # its date (planned, or actual once held)
    held: bool
    participants: int | None = None
    cancelled: bool = False
    extra: str = ""  # a short word on its state («протокол не оформлен», «12 записались»)


@dataclass
class Kind:
    code: str
    label: object  # lazy text: «Заседание», «Мероприятие (семинар, мастер-класс…)»
    load: Callable[[list[int]], dict[int, Activity]]
    candidates: Callable | None = None  # (item) -> [(id, label)]: the few existing activities one may link
    pick: str | None = None  # or the picker kind (oms/picker.py) that finds them, however many there are
    pick_params: Callable | None = None  # (item) -> the picker's params: its scope for this item
    new_url: Callable | None = None  # (item) -> URL of a new activity pre-filled from the item, or None
    may_link: Callable | None = None  # (item, object id) -> bool: whether this item may carry this activity


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_or_none(code: str) -> Kind | None:
    return KINDS.get(code)


@dataclass
class Related:
    """What an item is about without carrying it out (a practice it spreads): shown on the item's page, never
    counted by the rule. `load(item ids)` -> {item id: [(title, url)]}, in one query or a fixed few."""

    code: str
    label: object  # «Распространение практики»
    load: Callable[[list[int]], dict[int, list[tuple[str, str | None]]]]


RELATED: dict[str, Related] = {}


def register_related(related: Related) -> Related:
    RELATED[related.code] = related
    return related


def related_of(item: PlanItem) -> list[tuple[object, list[tuple[str, str | None]]]]:
    """[(label, [(title, url)])] of the item, for each registered related kind that has rows."""
    found = []
    for related in RELATED.values():
        rows = related.load([item.id]).get(item.id) or []
        if rows:
            found.append((related.label, rows))
    return found


# ---- reading ------------------------------------------------------------------------------

def links_of_items(item_ids: Iterable[int]) -> dict[int, list[PlanItemLink]]:
    ids = list(set(item_ids))
    found: dict[int, list[PlanItemLink]] = {i: [] for i in ids}
    if not ids:
        return found
    for link in db.session.scalars(PlanItemLink.scoped().where(PlanItemLink.item_id.in_(ids))
                                   .order_by(PlanItemLink.id)):
        found[link.item_id].append(link)
    return found


def activities(links: Iterable[PlanItemLink]) -> dict[tuple[str, int], Activity]:
    """The activities behind links: one query per kind, however many links."""
    by_kind: dict[str, list[int]] = {}
    for link in links:
        by_kind.setdefault(link.kind, []).append(link.object_id)
    found = {}
    for code, ids in by_kind.items():
        kind = KINDS.get(code)
        if kind is None:
            continue
        for object_id, activity in kind.load(sorted(set(ids))).items():
            found[(code, object_id)] = activity
    return found


def items_of_activity(kind: str, object_id: int) -> list[PlanItem]:
    return list(db.session.scalars(
        PlanItem.scoped().join(PlanItemLink, PlanItemLink.item_id == PlanItem.id)
        .where(PlanItemLink.kind == kind, PlanItemLink.object_id == object_id).order_by(PlanItem.id)))


@dataclass
class Evidence:
    """An item's evidence as its page shows it."""

    item: PlanItem
    rows: list = field(default_factory=list)  # [(PlanItemLink, Activity | None)]
    offers: list = field(default_factory=list)  # [(action, month, text)]

    @property
    def found(self) -> list[Activity]:
        return [a for _link, a in self.rows if a is not None]


def evidence_of(item: PlanItem) -> Evidence:
    links = links_of_items([item.id])[item.id]
    acts = activities(links)
    result = Evidence(item=item, rows=[(link, acts.get((link.kind, link.object_id))) for link in links])
    result.offers = follow_offers(item, result.found)
    return result


# ---- the rule -------------------------------------------------------------------------------

def execution_from(found: list[Activity]) -> tuple[bool, date | None, int | None]:
    """(done, actual date, participants) of a set of linked activities."""
    live = [a for a in found if not a.cancelled]
    if not live or not all(a.held for a in live):
        return False, None, None
    days = [a.on for a in live if a.on]
    counts = [a.participants for a in live if a.participants is not None]
    return True, max(days) if days else None, sum(counts) if counts else None


def refresh_items(items: Iterable[PlanItem]) -> None:
    """Fill the execution of items from their evidence (an override stays as typed)."""
    items = [i for i in items if i.evidence_mode != MODE_OVERRIDE]
    if not items:
        return
    links = links_of_items(i.id for i in items)
    acts = activities(link for rows in links.values() for link in rows)
    for item in items:
        found = [acts[(l.kind, l.object_id)] for l in links[item.id] if (l.kind, l.object_id) in acts]
        done, day, count = execution_from(found)
        if done:
            if (item.status, item.actual_date, item.participants_count, item.evidence_mode) != (
                    "done", day, count, MODE_EVIDENCE):
                item.status, item.actual_date, item.participants_count = "done", day, count
                item.moved_to_month, item.cancel_reason = None, ""
                item.evidence_mode = MODE_EVIDENCE
        elif item.evidence_mode == MODE_EVIDENCE:
            # the evidence no longer holds (a meeting marked not held, attendance cleared, a link removed)
            item.status, item.actual_date, item.participants_count = "planned", None, None
            item.evidence_mode = ""
    db.session.flush()
    from .decisions import follow_items

    follow_items(item.id for item in items)


def activity_changed(kind: str, object_id: int) -> None:
    """Call after changing an activity (before the commit): its items follow."""
    db.session.flush()
    refresh_items(items_of_activity(kind, object_id))


def activity_deleted(kind: str, object_id: int) -> None:
    items = items_of_activity(kind, object_id)
    for link in db.session.scalars(PlanItemLink.scoped().where(PlanItemLink.kind == kind,
                                                               PlanItemLink.object_id == object_id)):
        db.session.delete(link)
    db.session.flush()
    refresh_items(items)


def link(item: PlanItem, kind: str, object_id: int) -> bool:
    """Link an activity to an item (False when already linked); the item follows its evidence."""
    exists = db.session.scalar(select(PlanItemLink.id).where(
        PlanItemLink.item_id == item.id, PlanItemLink.kind == kind, PlanItemLink.object_id == object_id))
    if exists:
        return False
    db.session.add(PlanItemLink(tenant_id=item.tenant_id, item_id=item.id, kind=kind, object_id=object_id))
    db.session.flush()
    refresh_items([item])
    return True


def unlink(row: PlanItemLink) -> None:
    item = row.item if "item" in row.__dict__ else db.session.get(PlanItem, row.item_id)
    db.session.delete(row)
    db.session.flush()
    refresh_items([item])


def override(item: PlanItem, note: str) -> None:
    """The item's mark was typed over its evidence: kept, with the note saying why."""
    item.evidence_mode = MODE_OVERRIDE
    item.override_note = note


def back_to_evidence(item: PlanItem) -> None:
    item.evidence_mode, item.override_note = "", ""
    item.status, item.actual_date, item.participants_count = "planned", None, None
    refresh_items([item])


def has_links(item: PlanItem) -> bool:
    return db.session.scalar(select(PlanItemLink.id).where(PlanItemLink.item_id == item.id).limit(1)) is not None


# ---- moving and cancelling follow the activity (offered, never done silently) ------------------

def follow_offers(item: PlanItem, found: list[Activity]) -> list[tuple[str, int | None, str]]:
    """What the item might do because its activities moved or were cancelled: [(action, month, text)]."""
    if item.status != "planned" or not found:
        return []
    if all(a.cancelled for a in found):
        return [("cancel", None, _("Все связанные мероприятия отменены: отменить и пункт плана?"))]
    months = set(months_of(item.months or 0))
    offers = []
    for a in found:
        if a.cancelled or a.held or a.on is None:
            continue
        outside_dates = item.date_from is not None and not (item.date_from <= a.on <= (item.date_to or item.date_from))
        if (months and a.on.month not in months) or (not months and outside_dates):
            text = _("«%(title)s» теперь %(date)s: перенести пункт плана на %(month)s?", title=a.title[:80],
                     date=a.on.strftime("%d.%m.%Y"), month=_(MONTH_NAMES[a.on.month]))
            offers.append(("move", a.on.month, text))
            break
    return offers


def apply_offer(item: PlanItem, action: str, month: int | None) -> bool:
    if item.status != "planned":
        return False
    from .decisions import follow_items

    if action == "cancel":
        item.status, item.cancel_reason = "cancelled", _("Связанное мероприятие отменено.")
        db.session.flush()
        follow_items([item.id])
        return True
    if action == "move" and month in range(1, 13):
        item.status, item.moved_to_month = "moved", month
        return True
    return False
