"""The one picker: form fields that take records chosen by search-as-you-type.

The page never lists the candidates: the `picker` macro (templates/_picker.html) searches them through the
kind's endpoint and posts the chosen ids as hidden inputs named like the field. The fields check every posted
id in one query: a row of the current district within the kind's scope, not in the field's `exclude` set.

Each kind of record that can be picked registers here (`KINDS`): its model, the scope of its candidates (what
`params` narrow it to), its order, how an option reads, and its texts. People are searched by `people.pick`,
the other kinds by `pick.options` (`/<slug>/pick/<kind>`); both render templates/_pick_options.html.

    responsible = PeoplePickerField(_l("Ответственные"))          # .data: [ids], order kept
    person_id = PersonPickerField(_l("Кто"), required=True,        # .data: an id or None
                                  excluded_message=_l("Этот человек уже в составе."))
    item_id = PickerField(_l("Пункт плана"), kind="plan_item", required=True)
    form.person_id.exclude = {m.person_id for m in members}        # in the view, before validating
    form.person_id.first_school_id = body.school_id                # this school's people come first
    form.item_id.params = {"years": "2025,2026", "open": "1"}      # the kind's scope: this and next year, open
    {{ picker(form.person_id) }}                                   # in the template
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field as dc_field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import case, func, or_
from sqlalchemy.orm import joinedload
from wtforms import Field
from wtforms.validators import StopValidation

from .extensions import db
from .models import Body, BodyKind, Competition, Event, Meeting, Person, Plan, PlanItem, Stage
from .models.base import search_filter
from .models.documents import OPEN_VISIBILITY, Document
from .models.practices import Practice
from .text import fold, whole_number

LIMIT = 20  # options a search shows at most

REQUIRED = _l("Выберите человека.")
NOT_FOUND = _l("Такого человека нет среди педагогов района: найдите его заново.")
EXCLUDED = _l("Этот человек уже выбран здесь.")


def ids_of(text: str) -> set[int]:
    """1,2,3 -> {1, 2, 3} (at most 500, junk left out)."""
    return {n for n in (whole_number(part.strip()) for part in (text or "").split(",")[:500]) if n is not None}


@dataclass(frozen=True)
class PickKind:
    """A kind of record a picker chooses."""

    code: str
    model: type
    scope: Callable  # (select, params) -> select: the district's candidates narrowed by the field's params
    order: Callable  # (params) -> [order_by clauses]
    label: Callable  # (row) -> the option's and the chip's words
    meta: Callable  # (row) -> a short second line of the option
    params: tuple[str, ...] = ()  # the names of the params the scope reads (sent with each search)
    load: tuple = ()  # loader options for the rows
    endpoint: str = "pick.options"
    required: object = REQUIRED
    not_found: object = NOT_FOUND
    excluded: object = EXCLUDED
    placeholder: object = _l("Найти: фамилия…")
    placeholder_more: object = _l("Найти ещё: фамилия…")
    start: object = _l("Начните вводить фамилию, имя или должность.")
    nothing: object = _l("Никого не нашли")
    listbox: object = _l("Найденные люди")
    extra: Mapping = dc_field(default_factory=dict)
    match: Callable | None = None  # (query) -> where clauses; by default every folded word in the search key

    def candidates(self, params: Mapping):
        return self.scope(self.model.scoped(), params).options(*self.load)

    def search(self, query: str, params: Mapping, skip: set[int]) -> tuple[list, bool]:
        """At most LIMIT rows matching the folded words of `query`, and whether there are more (one query)."""
        where = self.match(query) if self.match else search_filter(self.model, query)
        stmt = self.candidates(params).where(*where)
        if skip:
            stmt = stmt.where(self.model.id.not_in(skip))
        rows = db.session.scalars(stmt.order_by(*self.order(params), self.model.id).limit(LIMIT + 1)).unique().all()
        return rows[:LIMIT], len(rows) > LIMIT

    def url(self, params: Mapping, exclude) -> str:
        args = {k: v for k, v in params.items() if k in self.params and v not in (None, "")}
        if self.endpoint == "pick.options":
            args["pick_kind"] = self.code
        return url_for(self.endpoint, exclude=",".join(str(i) for i in sorted(exclude)) or None, **args)


KINDS: dict[str, PickKind] = {}


def register(kind: PickKind) -> PickKind:
    KINDS[kind.code] = kind
    return kind


def _d(day) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


# ---- people (people.pick): this school's people first when `school` is given ---------------------------

def _person_meta(p: Person) -> str:
    place = p.school.label if p.school else ("" if p.position else _("специалист района"))
    return " · ".join(x for x in (p.position or "", place) if x)


def _person_order(params):
    school = whole_number(str(params.get("school") or ""))
    return [*([case((Person.school_id == school, 0), else_=1)] if school is not None else []), Person.name_key]


PERSON = register(PickKind(
    code="person", model=Person, endpoint="people.pick", params=("school",),
    scope=lambda stmt, params: stmt, order=_person_order,
    label=lambda p: p.full_name, meta=_person_meta, load=(joinedload(Person.school),)))


# ---- plan items: `years` (start years, «2025,2026»), `open` (not cancelled), `about` (a word in its text) ----

def _plan_item_scope(stmt, params):
    stmt = stmt.join(Plan, Plan.id == PlanItem.plan_id)
    years = ids_of(str(params.get("years") or ""))
    if years:
        stmt = stmt.where(Plan.start_year.in_(years))
    if params.get("open"):
        stmt = stmt.where(PlanItem.status != "cancelled")
    about = fold(str(params.get("about") or ""))
    if about:  # «консультац»: the items about consultations
        stmt = stmt.where(PlanItem.search_key.contains(about, autoescape=True))
    return stmt


def _plan_item_meta(item: PlanItem) -> str:
    from .models.plan import ITEM_STATUS_LABELS
    from .services.plans import timing_label

    status = "" if item.status == "planned" else str(ITEM_STATUS_LABELS.get(item.status, ""))
    return " · ".join(x for x in (_("План на %(years)s", years=item.plan.label), timing_label(item), status) if x)


PLAN_ITEM = register(PickKind(
    code="plan_item", model=PlanItem, params=("years", "open", "about"), scope=_plan_item_scope,
    order=lambda params: [Plan.start_year.desc(), PlanItem.position],
    label=lambda i: i.title if len(i.title) <= 160 else i.title[:157] + "…", meta=_plan_item_meta,
    load=(joinedload(PlanItem.plan),),
    required=_l("Выберите пункт плана."),
    not_found=_l("Такого пункта нет среди пунктов плана, которые можно выбрать здесь: найдите его заново."),
    excluded=_l("Этот пункт плана уже выбран здесь."),
    placeholder=_l("Найти пункт плана: слова из названия…"), placeholder_more=_l("Найти ещё пункт плана…"),
    start=_l("Начните вводить слова из названия пункта плана."), nothing=_l("Пунктов плана не нашли"),
    listbox=_l("Найденные пункты плана")))


# ---- practices of the bank: the published ones -------------------------------------------------------

def _practice_meta(p: Practice) -> str:
    years = f"{p.start_year}/{p.start_year + 1}" if p.start_year else ""
    return " · ".join(x for x in ((p.authors_text or "")[:120], years) if x)


PRACTICE = register(PickKind(
    code="practice", model=Practice,
    scope=lambda stmt, params: stmt.where(Practice.status == "published"),
    order=lambda params: [Practice.published_at.desc()],
    label=lambda p: p.title, meta=_practice_meta,
    required=_l("Выберите практику из банка."),
    not_found=_l("Такой опубликованной практики нет в банке района: найдите её заново."),
    excluded=_l("Эта практика уже выбрана здесь."),
    placeholder=_l("Найти практику: название, автор, предмет…"), placeholder_more=_l("Найти ещё практику…"),
    start=_l("Начните вводить название, автора или предмет практики."), nothing=_l("Практик не нашли"),
    listbox=_l("Найденные практики")))


# ---- documents of the information bank: current versions open to the district's teachers --------------

def _document_meta(d: Document) -> str:
    from .models.documents import KINDS as DOCUMENT_KINDS

    number = _("№ %(n)s", n=d.number) if d.number else ""
    when = _("от %(date)s", date=_d(d.issued_on)) if d.issued_on else ""
    return " · ".join(x for x in (str(DOCUMENT_KINDS.get(d.kind, "")), " ".join(x for x in (number, when) if x)) if x)


DOCUMENT = register(PickKind(
    code="document", model=Document,
    scope=lambda stmt, params: stmt.where(Document.is_current.is_(True), Document.visibility.in_(OPEN_VISIBILITY)),
    order=lambda params: [Document.issued_on.desc().nulls_last(), Document.created_at.desc()],
    label=lambda d: d.title, meta=_document_meta,
    required=_l("Выберите документ."),
    not_found=_l("Такого открытого документа нет в информационном банке района: найдите его заново."),
    excluded=_l("Этот документ уже выбран здесь."),
    placeholder=_l("Найти документ: название, номер…"), placeholder_more=_l("Найти ещё документ…"),
    start=_l("Начните вводить название или номер документа."), nothing=_l("Документов не нашли"),
    listbox=_l("Найденные документы")))


# ---- dated activities: `years` (school years by start, «2025»), `body`; meetings also `category` («council») ----

def _school_years(params) -> list[tuple]:
    from datetime import date

    return [(date(y, 9, 1), date(y + 1, 8, 31)) for y in sorted(ids_of(str(params.get("years") or "")))]


def _body_of(params) -> int | None:
    return whole_number(str(params.get("body") or ""))


def _event_scope(stmt, params):
    from datetime import datetime, time

    years = _school_years(params)
    if years:
        stmt = stmt.where(or_(*(Event.starts_at.between(datetime.combine(a, time.min), datetime.combine(b, time.max))
                                for a, b in years)))
    body = _body_of(params)
    if body is not None:  # the item's organising body, or the district's own events
        stmt = stmt.where((Event.body_id == body) | Event.body_id.is_(None))
    return stmt


def _event_label(e: Event) -> str:
    return f"{e.kind_label}: {e.title}"


EVENT = register(PickKind(
    code="event", model=Event, params=("years", "body"), scope=_event_scope,
    order=lambda params: [Event.starts_at.desc()],
    label=lambda e: f"{_event_label(e)} — {_d(e.starts_at)}",
    meta=lambda e: " · ".join(x for x in (_d(e.starts_at), _("отменено") if e.is_cancelled else "") if x),
    required=_l("Выберите мероприятие."),
    not_found=_l("Такого мероприятия нет среди тех, что можно выбрать здесь: найдите его заново."),
    excluded=_l("Это мероприятие уже выбрано здесь."),
    placeholder=_l("Найти мероприятие: слова из названия…"), placeholder_more=_l("Найти ещё мероприятие…"),
    start=_l("Начните вводить слова из названия мероприятия."), nothing=_l("Мероприятий не нашли"),
    listbox=_l("Найденные мероприятия")))


def _meeting_scope(stmt, params):
    stmt = stmt.join(Body, Body.id == Meeting.body_id)
    years = _school_years(params)
    if years:
        stmt = stmt.where(or_(*(Meeting.held_on.between(a, b) for a, b in years)))
    body = _body_of(params)
    if body is not None:
        stmt = stmt.where(Meeting.body_id == body)
    category = str(params.get("category") or "")
    if category:  # «council»: the meetings of the district's councils
        stmt = stmt.join(BodyKind, BodyKind.id == Body.kind_id).where(BodyKind.category == category)
    return stmt


def _meeting_match(query: str) -> list:
    """Each word in the body's name, the topic, the number (5, №5) or the date (12.03.2026, 12.03)."""
    clauses = []
    for word in fold(query).split():
        number = word.lstrip("№")
        clauses.append(or_(Body.search_key.contains(word, autoescape=True),
                           func.lower(Meeting.topic).contains(word, autoescape=True),
                           *([Meeting.number == number] if number else []),
                           *_day_clauses(Meeting.held_on, word)))
    return clauses


def _day_clauses(column, word: str) -> list:
    """12.03.2026 -> that day; 12.03 -> that day of any year; anything else -> nothing."""
    from datetime import date

    parts = word.split(".")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts[:2]) or (len(parts) == 3 and not parts[2].isdigit()):
        return []
    try:
        day, month = int(parts[0]), int(parts[1])
        if len(parts) == 3:
            return [column == date(int(parts[2]), month, day)]
        date(2000, month, day)
    except (ValueError, OverflowError):
        return []
    return [(func.extract("month", column) == month) & (func.extract("day", column) == day)]


def _meeting_label(m: Meeting) -> str:
    text = f"{m.body.name}: " + _("заседание № %(n)s от %(d)s", n=m.number, d=_d(m.held_on))
    text += f" — {m.topic}" if m.topic else ""
    return text if len(text) <= 200 else text[:197] + "…"


MEETING = register(PickKind(
    code="meeting", model=Meeting, params=("years", "body", "category"), scope=_meeting_scope,
    order=lambda params: [Meeting.held_on.desc()], match=_meeting_match,
    label=_meeting_label, meta=lambda m: "" if m.is_held else _("не отмечено как проведённое"),
    load=(joinedload(Meeting.body),),
    required=_l("Выберите заседание."),
    not_found=_l("Такого заседания нет среди тех, что можно выбрать здесь: найдите его заново."),
    excluded=_l("Это заседание уже выбрано здесь."),
    placeholder=_l("Найти заседание: орган, тема, номер, дата…"), placeholder_more=_l("Найти ещё заседание…"),
    start=_l("Начните вводить название органа, тему, номер или дату заседания."), nothing=_l("Заседаний не нашли"),
    listbox=_l("Найденные заседания")))


def _stage_scope(stmt, params):
    stmt = stmt.join(Competition, Competition.id == Stage.competition_id)
    years = ids_of(str(params.get("years") or ""))
    if years:
        stmt = stmt.where(Competition.start_year.in_(years))
    return stmt


def _stage_label(s: Stage) -> str:
    comp = s.competition
    if comp.is_vsosh:
        title = f"{s.label}: " + _("олимпиада %(year)s/%(next)s", year=comp.start_year, next=comp.start_year + 1)
    else:
        title = f"{comp.title}: {s.label}"
    return f"{title} — {_d(s.date_from) if s.date_from else _('дата не назначена')}"


STAGE = register(PickKind(
    code="contest_stage", model=Stage, params=("years",), scope=_stage_scope,
    order=lambda params: [Competition.start_year.desc(), Stage.date_from.desc().nulls_last()],
    match=lambda query: search_filter(Competition, query),
    label=_stage_label, meta=lambda s: f"{s.competition.start_year}/{s.competition.start_year + 1}",
    load=(joinedload(Stage.competition),),
    required=_l("Выберите этап конкурса или олимпиады."),
    not_found=_l("Такого этапа нет среди тех, что можно выбрать здесь: найдите его заново."),
    excluded=_l("Этот этап уже выбран здесь."),
    placeholder=_l("Найти этап: название конкурса или олимпиады…"), placeholder_more=_l("Найти ещё этап…"),
    start=_l("Начните вводить название конкурса или олимпиады."), nothing=_l("Этапов не нашли"),
    listbox=_l("Найденные этапы")))


# ---- the fields ----------------------------------------------------------------------------------------

def _hidden_inputs(field, **kwargs):
    """Without the macro the field still posts what it holds (the macro is the way to render it)."""
    return Markup("".join(f'<input type="hidden" name="{escape(field.name)}" value="{i}">' for i in field.ids))


class _PickerField(Field):
    multiple = False
    picks_people = True  # oms.concurrency shows a conflict's ids as names
    widget = staticmethod(_hidden_inputs)

    def __init__(self, label=None, validators=None, required=False, required_message=None,
                 invalid_message=None, excluded_message=None, kind="person", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind = KINDS[kind]
        self.required = required
        self.required_message = required_message or self.kind.required
        self.invalid_message = invalid_message or self.kind.not_found
        self.excluded_message = excluded_message or self.kind.excluded
        self.exclude: set[int] = set()
        self.keep: set[int] = set()  # ids saved before: still valid (and shown) when no longer in the scope
        self.params: dict = {}
        self.first_school_id: int | None = None
        self._loaded: tuple[tuple, list] | None = None

    @property
    def ids(self) -> list[int]:
        raise NotImplementedError

    def _parse(self, valuelist) -> list[int]:
        try:
            return list(dict.fromkeys(int(v) for v in valuelist if str(v).strip()))
        except (TypeError, ValueError):
            raise ValueError(self.invalid_message) from None

    def _params(self) -> dict:
        if self.kind is PERSON and self.first_school_id is not None:
            return {**self.params, "school": self.first_school_id}
        return self.params

    @property
    def records(self) -> list:
        """The chosen rows within the kind's scope (or kept from before) in the current district, in the chosen order
        (one query; two when a kept one is out of the scope)."""
        ids = tuple(self.ids)
        if self._loaded is None or self._loaded[0] != ids:
            rows = db.session.scalars(self.kind.candidates(self._params()).where(self.kind.model.id.in_(ids))
                                      ).unique().all() if ids else []
            by_id = {r.id: r for r in rows}
            kept = [i for i in ids if i not in by_id and i in self.keep]
            if kept:  # the district's row chosen before, out of today's scope
                by_id.update((r.id, r) for r in db.session.scalars(
                    self.kind.model.scoped().where(self.kind.model.id.in_(kept)).options(*self.kind.load)).unique())
            self._loaded = (ids, [by_id[i] for i in ids if i in by_id])
        return self._loaded[1]

    people = records  # the person picker's name for them

    @property
    def chosen(self) -> list[tuple[int, str]]:
        """(id, words) of each chosen row, for the chips."""
        return [(r.id, self.kind.label(r)) for r in self.records]

    @property
    def search_url(self) -> str:
        return self.kind.url(self._params(), self.exclude)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        ids = self.ids
        if not ids:
            if self.required:
                raise StopValidation(str(self.required_message))
            return
        if len(self.records) != len(ids):
            raise StopValidation(str(self.invalid_message))
        if any(i in self.exclude for i in ids):
            raise StopValidation(str(self.excluded_message))


class PickerField(_PickerField):
    """One record: `.data` is an id or None."""

    @property
    def ids(self) -> list[int]:
        return [self.data] if self.data is not None else []

    def process_data(self, value):
        self.data = getattr(value, "id", value) if value not in (None, "") else None

    def process_formdata(self, valuelist):
        self.data = None
        ids = self._parse(valuelist)
        self.data = ids[0] if ids else None


class MultiPickerField(_PickerField):
    """Several records: `.data` is a list of ids in the chosen order, without repeats."""

    multiple = True

    @property
    def ids(self) -> list[int]:
        return list(self.data or [])

    def process_data(self, value):
        self.data = list(dict.fromkeys(getattr(v, "id", v) for v in value)) if value else []

    def process_formdata(self, valuelist):
        self.data = []
        self.data = self._parse(valuelist)


PersonPickerField = PickerField  # kind="person" is the default
PeoplePickerField = MultiPickerField
