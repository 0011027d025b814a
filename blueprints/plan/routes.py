"""The plan page: sections per direction, filters, in-place add and edit, execution, approval."""
import functools

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload

from oms import clock
from oms.audit import annotate
from oms.concurrency import save_versioned
from oms.extensions import db
from oms.models import (Body, Direction, Function, Person, Plan, PlanItem, PlanItemResponsible, School,
                        WorkForm)
from oms.models.base import search_filter
from oms.models.people import short_name
from oms.models.plan import ACADEMIC_MONTHS, ACT_BY_LABELS, ITEM_STATUS_LABELS, ITEM_STATUSES, MONTH_LABELS, mask_of, month_bit
from oms.permissions import can, require
from oms.services import completion, evidence, plans as svc
from oms.services.decisions import follow_items
from oms.tenancy import current_tenant
from oms.views import is_htmx, message_page

from . import bp
from .forms import ApproveForm, ExecutionForm, ItemForm, PersonFilterForm, ReopenForm
from .lookups import (Rights, item_options, item_or_404, led_bodies, my_person_id, plan_or_404,
                      start_year_or_404)

PER_PAGE = 100
PLAN_CHANGED = _l("План только что изменил другой пользователь. Проверьте данные и подтвердите снова.")
LOCKED = _l("План утверждён: его содержание изменить нельзя. Отметки о выполнении вносятся по-прежнему; "
            "чтобы изменить мероприятия, администратор возвращает план на доработку.")


@bp.before_request
def readers_only():
    require("district.view")


@bp.app_context_processor
def plan_helpers():
    return {"plan_year_slug": svc.year_slug, "month_names": MONTH_LABELS, "item_statuses": ITEM_STATUS_LABELS,
            "plan_timing": svc.timing_label, "completion_rule": completion.RULE, "plan_row_text": _row_text, "plan_default_year": default_year_slug}


def _row_text() -> dict:
    """The words of an item row, translated once for a whole list."""
    return {"organiser": _("Организатор:"), "venue": _("Место:"), "function": _("Функция"),
            "done": _("выполнено"), "participants": _("участников:"), "moved": _("перенесено"),
            "to": pgettext("moved to a month", "на"),
            "cancelled": _("отменено"), "planned": _("запланировано"), "mark": _("Отметка"),
            "edit": _("Изменить"), "evidence": _("Исполнение"), "by_evidence": _("по факту"),
            "overridden": _("исправлено вручную"), "delete": _("Удалить"), "delete_question": _("Удалить мероприятие «%s» из плана?"),
            # the column headers, shown beside the values when a phone stacks the row into a card
            "col_form": _("Форма проведения"), "col_timing": _("Сроки"), "col_people": _("Ответственные"),
            "col_audience": _("Участники"), "col_result": _("Ожидаемый результат"), "col_exec": _("Выполнение")}


def default_start_year() -> int:
    """The current academic year if it has a plan; else the latest plan's year; else the current year."""
    current = svc.current_start_year()
    years = list(db.session.scalars(Plan.scoped().with_only_columns(Plan.start_year)
                                    .order_by(Plan.start_year.desc())))
    return current if current in years or not years else years[0]


def default_year_slug() -> str:
    """For other pages linking to the plan (e.g. an association's items: plan.body_items)."""
    return svc.year_slug(default_start_year())


@bp.route("/")
def index():
    """The current academic year's plan; if there is none yet, the latest plan, else the empty current year."""
    return redirect(url_for("plan.show", year=default_year_slug()))


# ---- the plan page ------------------------------------------------------------------------

class Filters:
    """The list's filters, read from the query string; anything malformed is ignored."""

    def __init__(self, args, plan: Plan):
        # type=int: None when malformed or beyond a database integer (oms.requests)
        self.direction = args.get("direction", type=int)
        month = args.get("month", type=int)
        self.month = month if month in ACADEMIC_MONTHS else None
        self.person = args.get("person", type=int)
        # without JavaScript the person picker's search box is sent as text: people whose names match
        self.person_q = "" if self.person else args.get("person_q", "").strip()[:100]
        self.body = args.get("body", type=int)
        self.function = args.get("function", type=int)
        self.form = args.get("form", type=int)
        self.status = args.get("status", "") if args.get("status", "") in ITEM_STATUSES else ""
        self.q = args.get("q", "").strip()[:100]
        self.mine = args.get("mine") == "1"
        self.view = "month" if args.get("view") == "month" else "sections"
        if self.view == "month" and self.month is None:
            self.month = _default_month(plan)
        self.page = max(args.get("page", 1, type=int), 1)

    @property
    def active(self) -> bool:
        return any((self.direction, self.person, self.person_q, self.body, self.function, self.form, self.status,
                    self.q, self.mine, self.month and self.view != "month"))

    def apply(self, stmt, with_month=True):
        if self.direction:
            stmt = stmt.where(PlanItem.direction_id == self.direction)
        if self.month and with_month:
            stmt = stmt.where(PlanItem.months.op("&")(month_bit(self.month)) != 0)
        if self.person:
            stmt = stmt.where(PlanItem.id.in_(db.select(PlanItemResponsible.item_id)
                                              .where(PlanItemResponsible.person_id == self.person)))
        elif self.person_q:
            stmt = stmt.where(PlanItem.id.in_(
                db.select(PlanItemResponsible.item_id).join(Person, Person.id == PlanItemResponsible.person_id)
                .where(*search_filter(Person, self.person_q))))
        if self.mine:
            stmt = stmt.where(PlanItem.id.in_(db.select(PlanItemResponsible.item_id)
                                              .where(PlanItemResponsible.person_id == (my_person_id() or 0))))
        if self.body:
            stmt = stmt.where(PlanItem.body_id == self.body)
        if self.function:
            stmt = stmt.where(PlanItem.function_id == self.function)
        if self.form:
            stmt = stmt.where(PlanItem.form_id == self.form)
        if self.status:
            stmt = stmt.where(PlanItem.status == self.status)
        if self.q:
            stmt = stmt.where(*search_filter(PlanItem, self.q))
        return stmt

    def args(self, **overrides) -> dict:
        values = {"direction": self.direction, "month": self.month,
                  "person": self.person, "person_q": self.person_q, "body": self.body, "function": self.function,
                  "form": self.form, "status": self.status, "q": self.q,
                  "mine": "1" if self.mine else None, "view": "month" if self.view == "month" else None}
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _default_month(plan: Plan) -> int:
    today = clock.today()
    return today.month if plan.first_day <= today <= plan.last_day else 9


def _sections(items, directions, numbers):
    """Consecutive items of one direction form a section, as in the document."""
    names = {d.id: d for d in directions}
    sections = []
    for item in items:
        if not sections or sections[-1]["direction"].id != item.direction_id:
            sections.append({"direction": names[item.direction_id],
                             "number": numbers.sections.get(item.direction_id), "items": []})
        sections[-1]["items"].append(item)
    return sections


class _Named:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Labelled:
    __slots__ = ("label",)

    def __init__(self, label):
        self.label = label


class _Clause:
    __slots__ = ("clause", "text")

    def __init__(self, clause, text):
        self.clause, self.text = clause, text


class _ShortNamed:
    __slots__ = ("short_name",)

    def __init__(self, short_name):
        self.short_name = short_name


# The columns of an item a list row shows (plan/_item_row.html), its timing and its rights read.
_LISTED_COLUMNS = ("id", "direction_id", "body_id", "status", "title", "months", "date_from", "date_to", "audience",
                   "responsible_note", "expected_result", "moved_to_month", "cancel_reason", "actual_date",
                   "participants_count", "result_note", "evidence_mode", "override_note")


class ListedItem:
    """A plan item as a list row shows it: its shown columns, the names of its form, body, venue and function,
    its responsible people's short names."""

    __slots__ = _LISTED_COLUMNS + ("form", "body", "venue_school", "function", "responsible")

    def __init__(self, row):
        for name, value in zip(_LISTED_COLUMNS, row):
            setattr(self, name, value)
        (form_id, form_name, body_name, school_id, school_short, school_name, function_id, clause,
         text) = row[len(_LISTED_COLUMNS):]
        self.form = _Named(form_name) if form_id is not None else None
        self.body = _Named(body_name) if self.body_id is not None else None
        self.venue_school = _Labelled(school_short or school_name) if school_id is not None else None
        self.function = _Clause(clause, text) if function_id is not None else None
        self.responsible = []


@functools.cache
def _listed_statements():
    """listed_items' two selects, built once (their parameters: tenant_id, ids)."""
    ids = bindparam("ids", expanding=True)
    items = (PlanItem.scoped_by_param().where(PlanItem.id.in_(ids))
             .outerjoin(WorkForm, WorkForm.id == PlanItem.form_id).outerjoin(Body, Body.id == PlanItem.body_id)
             .outerjoin(School, School.id == PlanItem.venue_school_id)
             .outerjoin(Function, Function.id == PlanItem.function_id)
             .with_only_columns(*(getattr(PlanItem, name) for name in _LISTED_COLUMNS), WorkForm.id, WorkForm.name,
                                Body.name, School.id, School.short_name, School.name, Function.id, Function.clause,
                                Function.text))
    responsible = (db.select(PlanItemResponsible.item_id, Person.last_name, Person.first_name, Person.middle_name)
                   .join(Person, Person.id == PlanItemResponsible.person_id)
                   .where(PlanItemResponsible.item_id.in_(ids))
                   .order_by(PlanItemResponsible.item_id, PlanItemResponsible.position, PlanItemResponsible.id))
    return items, responsible


def listed_items(ids) -> list[ListedItem]:
    """The items `ids` as list rows: one select of the shown columns (form, body, venue and function joined) and
    one of their responsible people's names, no objects loaded."""
    if not ids:
        return []
    items_stmt, responsible_stmt = _listed_statements()
    params = {"tenant_id": current_tenant.id, "ids": list(ids)}
    items = [ListedItem(row) for row in db.session.execute(items_stmt, params)]
    by_id = {item.id: item for item in items}
    for item_id, *names in db.session.execute(responsible_stmt, params):
        by_id[item_id].responsible.append(_ShortNamed(short_name(*names)))
    return items


def _page_of_items(stmt, number: int):
    """A page of the list: its ids first (the order and filters on plan_item and direction alone), then
    those items with what their rows show. Joining the related rows for the page only, not for every item
    of a long plan before the LIMIT, keeps a 5,000-item plan as quick as a short one."""
    page = db.paginate(stmt.with_only_columns(PlanItem.id), page=number, per_page=PER_PAGE, error_out=False,
                       count=True)
    ids = list(page.items)
    found = {item.id: item for item in listed_items(ids)}
    page.items = [found[item_id] for item_id in ids if item_id in found]
    return page


@functools.cache
def _directions_statement():
    """The district's directions in their order, a select built once (its parameter: tenant_id)."""
    return Direction.scoped_by_param().order_by(Direction.position, Direction.id)


def list_context(plan: Plan) -> dict:
    filters = Filters(request.args, plan)
    directions = list(db.session.scalars(_directions_statement(), {"tenant_id": current_tenant.id}))
    base = db.select(PlanItem).where(PlanItem.plan_id == plan.id)
    page = _page_of_items(filters.apply(base).order_by(*svc.document_order_of(directions)), filters.page)
    numbers = svc.numbering(plan, directions=directions)
    month_counts = None
    if filters.view == "month":
        masks = db.session.scalars(filters.apply(base.with_only_columns(PlanItem.months), with_month=False)).all()
        month_counts = {m: sum(1 for mask in masks if mask & month_bit(m)) for m in ACADEMIC_MONTHS}
    rights = Rights.of(plan)
    sections = _sections(page.items, directions, numbers)
    # Editors see every direction, so they can add to an empty one; not while filtering.
    empty_directions = []
    if rights.edit_plan and not plan.is_approved and not filters.active and filters.view == "sections" \
            and not page.has_next:
        shown = set(numbers.sections)
        empty_directions = [d for d in directions if d.id not in shown]
    return {"plan": plan, "filters": filters, "page": page, "sections": sections, "numbers": numbers,
            "directions": directions, "rights": rights, "month_counts": month_counts,
            "empty_directions": empty_directions, "my_person_id": my_person_id() if filters.mine else None}


@functools.cache
def _choice_statements():
    """The filters' lists of bodies, functions and forms, selects built once (their parameter: tenant_id)."""
    return (Body.scoped_by_param().with_only_columns(Body.id, Body.name).order_by(Body.position, Body.name),
            Function.scoped_by_param().with_only_columns(Function.id, Function.clause, Function.text)
            .order_by(Function.position, Function.id),
            WorkForm.scoped_by_param().with_only_columns(WorkForm.id, WorkForm.name)
            .order_by(WorkForm.position, WorkForm.name))


def _filter_choices(plan: Plan, filters: Filters) -> dict:
    params = {"tenant_id": current_tenant.id}
    bodies, functions, forms = (db.session.execute(stmt, params).all() for stmt in _choice_statements())
    return {"person_filter": PersonFilterForm(person=filters.person), "body_choices": bodies,
            "function_choices": [(i, f"{c} {t[:90]}".strip()) for i, c, t in functions], "form_choices": forms}


@bp.route("/<year>/")
def show(year: str):
    start = start_year_or_404(year)
    plan = svc.find_plan(start)
    if plan is None:
        return _no_plan(start)
    context = list_context(plan)
    if is_htmx() and request.headers.get("HX-Target") == "plan-list":
        return render_template("plan/_list.html", **context)
    changes = db.session.scalars(db.select(Plan).where(Plan.id == plan.id)
                                 .options(selectinload(Plan.changes))).one().changes
    return render_template("plan/show.html", plans=svc.district_plans(), changes=changes,
                           approver=_approver(plan), ACT_BY_LABELS=ACT_BY_LABELS, **context,
                           **_filter_choices(plan, context["filters"]))


def _approver(plan: Plan):
    if not plan.approved_by_id:
        return None
    from oms.models import User

    return db.session.scalar(User.scoped().where(User.id == plan.approved_by_id))


def _no_plan(start: int):
    previous = svc.find_plan(start - 1)
    return render_template("plan/no_plan.html", start_year=start, previous=previous, plans=svc.district_plans(),
                           may_create=can("plan.edit"), may_import=can("plan.import"))


@bp.route("/<year>/create", methods=["POST"])
def create_plan(year: str):
    require("plan.edit")
    start = start_year_or_404(year)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if svc.find_plan(start) is None:
        db.session.add(Plan(tenant_id=current_tenant.id, start_year=start, status="draft"))
        db.session.commit()
        flash(_("Создан проект плана на %(years)s учебный год.", years=f"{start}/{start + 1}"), "success")
    return redirect(url_for("plan.show", year=year))


@bp.route("/<year>/copy", methods=["POST"])
def copy_plan(year: str):
    """A new draft for this year from the previous year's plan."""
    require("plan.edit")
    start = start_year_or_404(year)
    if not FlaskForm().validate_on_submit():
        abort(400)
    source = svc.find_plan(start - 1)
    if source is None:
        abort(404)
    try:
        target = svc.copy_plan(source, start)
    except svc.PlanError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("plan.show", year=year)), 303
    db.session.commit()
    flash(_("План на %(years)s учебный год создан копированием плана %(source)s: месяцы сохранены, даты сдвинуты "
            "на год, отметки о выполнении очищены.", years=target.label, source=source.label), "success")
    return redirect(url_for("plan.show", year=year))


@bp.route("/<year>/delete", methods=["POST"])
def delete_plan(year: str):
    require("plan.approve")
    plan = plan_or_404(year)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if plan.is_approved:
        return message_page(_("Утверждённый план удалить нельзя: сначала верните его на доработку."), 409)
    label = plan.label
    # The items go with the plan in one statement: the plan's «delete» entry lists them (the trail keeps them).
    items = db.session.execute(db.select(PlanItem.id, PlanItem.title).where(PlanItem.plan_id == plan.id)
                               .order_by(PlanItem.id)).all()
    annotate(plan, items=[f"#{item.id} {item.title}" for item in items], items_count=len(items))
    db.session.execute(db.delete(PlanItem).where(PlanItem.plan_id == plan.id))
    db.session.delete(plan)
    db.session.commit()
    flash(_("Проект плана на %(years)s учебный год удалён.", years=label), "success")
    return redirect(url_for("plan.show", year=year))


# ---- approving and reopening --------------------------------------------------------------

@bp.route("/<year>/approve", methods=["GET", "POST"])
def approve(year: str):
    require("plan.approve")
    plan = plan_or_404(year)
    if plan.is_approved:
        return message_page(_("План уже утверждён."), 409)
    form = ApproveForm(obj=plan if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = plan.version
    error = None
    if form.validate_on_submit():
        act_number, act_date, act_kind = form.act_number.data.strip(), form.act_date.data, form.act_kind.data
        try:
            conflict = save_versioned(form, plan, lambda: _approve(plan, act_number, act_date, act_kind))
        except svc.PlanError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            if conflict is None:
                flash(_("План утверждён приказом от %(date)s № %(number)s. Содержание закрыто для изменений; "
                        "отметки о выполнении вносятся.", date=f"{plan.act_date:%d.%m.%Y}", number=plan.act_number),
                      "success")
                return redirect(url_for("plan.show", year=year))
            error = PLAN_CHANGED
    status = 409 if error else (422 if request.method == "POST" else 200)
    return render_template("plan/approve.html", plan=plan, form=form, error=error), status


def _approve(plan, act_number, act_date, act_kind) -> None:
    """Approve, and keep the approved plan's XLSX as the year's plan document (oms.services.documents)."""
    from oms.services.documents import store_plan_document

    svc.approve(plan, act_number, act_date, current_user, act_kind)
    db.session.flush()
    store_plan_document(plan, current_tenant, current_user)


@bp.route("/<year>/reopen", methods=["GET", "POST"])
def reopen(year: str):
    require("plan.approve")
    plan = plan_or_404(year)
    if not plan.is_approved:
        return message_page(_("План не утверждён: он и так открыт для изменений."), 409)
    form = ReopenForm()
    if request.method == "GET":
        form.version.data = plan.version
    error = None
    if form.validate_on_submit():
        reason = form.reason.data.strip()
        if save_versioned(form, plan, lambda: svc.reopen(plan, reason, current_user)) is not None:
            error = PLAN_CHANGED
        else:
            flash(_("План возвращён на доработку; причина записана в историю плана."), "success")
            return redirect(url_for("plan.show", year=year))
    status = 409 if error else (422 if request.method == "POST" else 200)
    return render_template("plan/reopen.html", plan=plan, form=form, error=error), status


# ---- items --------------------------------------------------------------------------------

def _label(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def item_form(plan: Plan, item: PlanItem | None = None, formdata=None) -> ItemForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = ItemForm(obj=item if formdata is None and item is not None else None, plan=plan, **kwargs)
    form.direction_id.choices = [(d.id, d.name) for d in db.session.scalars(
        Direction.scoped().order_by(Direction.position, Direction.id))]
    form.function_id.choices = [(f.id, _label(f"{f.clause} {f.text}".strip())) for f in db.session.scalars(
        Function.scoped().order_by(Function.position, Function.id))]
    form.form_id.choices = [(f.id, f.name) for f in db.session.scalars(
        WorkForm.scoped().order_by(WorkForm.position, WorkForm.name))]
    if can("plan.edit"):
        bodies = list(db.session.scalars(Body.scoped().order_by(Body.position, Body.name)))
    else:
        bodies = led_bodies()
        form.body_id.required_message = _("Выберите объединение, которым вы руководите.")
        form.body_id.label.text = _("Объединение")
    form.body_id.choices = [(b.id, b.name) for b in bodies]
    form.venue_school_id.choices = [(s.id, s.label) for s in db.session.scalars(
        School.scoped().order_by(School.short_name, School.name))]
    _unique_ids(form, f"item{item.id}" if item is not None else "new" + "".join(
        f"-{request.args.get(k, '')}" for k in ("direction_id", "body_id")))
    return form


def _unique_ids(form, prefix: str) -> None:
    """Several forms may be open on one page: their fields need their own ids."""
    for f in form:
        f.id = f"{prefix}-{f.name}"
        f.label.field_id = f.id


def _fill(item: PlanItem, form: ItemForm) -> None:
    item.direction_id = form.direction_id.data
    item.function_id = form.function_id.data
    item.form_id = form.form_id.data
    item.title = form.title.data.strip()
    item.date_from, item.date_to = form.date_from.data, form.date_to.data
    item.months = mask_of(form.months.data or []) | svc.dates_mask(item.date_from, item.date_to)
    item.audience = (form.audience.data or "").strip()
    item.responsible_note = (form.responsible_note.data or "").strip()
    item.body_id = form.body_id.data
    item.venue_school_id = form.venue_school_id.data
    item.expected_result = (form.expected_result.data or "").strip()
    wanted = form.responsible.data or []
    kept = {link.person_id: link for link in item.responsible_links}
    item.responsible_links = [kept.get(pid) or PlanItemResponsible(tenant_id=item.tenant_id, person_id=pid)
                              for pid in wanted]
    for position, link in enumerate(item.responsible_links):
        link.position = position


def _row(plan: Plan, item: PlanItem, status: int = 200, error: str | None = None, created: bool = False):
    item = item_or_404(plan, item.id)  # reloaded with what the row shows
    numbers = svc.numbering(plan)
    return render_template("plan/_item_row.html", plan=plan, item=item, number=numbers.items.get(item.id),
                           rights=Rights.of(plan), error=error, created=created), status


def _add_args() -> dict:
    """Where an add form was opened (a section, an association's list, the top of the page)."""
    args = {}
    for name in ("direction_id", "body_id"):
        value = request.args.get(name, type=int)  # None when malformed (oms.requests bounds it)
        if value is not None and value >= 0:
            args[name] = value
    if request.args.get("ctx") in ("section", "body", "top"):
        args["ctx"] = request.args["ctx"]
    return args


def _may_add(plan: Plan) -> None:
    rights = Rights.of(plan)  # a teacher who chairs a body in their person record is still a teacher
    if not (rights.edit_plan or rights.bodies):
        require("plan.edit")  # 403, recorded


@bp.route("/<year>/items/new")
def new_item(year: str):
    plan = plan_or_404(year)
    _may_add(plan)
    if plan.is_approved:
        return message_page(LOCKED, 409)
    form = item_form(plan)
    add = _add_args()
    form.direction_id.data = add.get("direction_id")
    form.body_id.data = add.get("body_id")
    if form.body_id.data is None and len(form.body_id.choices) == 1 and not can("plan.edit"):
        form.body_id.data = form.body_id.choices[0][0]
    return _form_response(plan, form, None, add)


def _form_response(plan, form, item, add=None, status=200, conflict=None, error=None):
    context = {"plan": plan, "form": form, "item": item, "add": add or {}, "conflict": conflict, "error": error,
               "numbers": None}
    if is_htmx():
        return render_template("plan/_item_form.html", **context), status
    return render_template("plan/item_page.html", **context), status


@bp.route("/<year>/items/add-row")
def add_row(year: str):
    """The «add» button row again (a cancelled add form)."""
    plan = plan_or_404(year)
    if not is_htmx():
        return redirect(url_for("plan.show", year=year))
    return render_template("plan/_add_row.html", plan=plan, add=_add_args(), rights=Rights.of(plan))


@bp.route("/<year>/items", methods=["POST"])
def create_item(year: str):
    plan = plan_or_404(year)
    _may_add(plan)
    add = _add_args()
    form = item_form(plan, formdata=request.form)
    if plan.is_approved:
        return _form_response(plan, form, None, add, status=409, error=LOCKED)
    if not form.validate_on_submit():
        return _form_response(plan, form, None, add, status=422)
    item = PlanItem(tenant_id=current_tenant.id, plan_id=plan.id, status="planned")
    _fill(item, form)
    if form.body_id.data:
        item.body = db.session.scalar(Body.scoped().where(Body.id == form.body_id.data))
    require("plan.item.edit", item)
    item.position = svc.next_position(plan, item.direction_id)
    db.session.add(item)
    db.session.commit()
    if not is_htmx():
        flash(_("Мероприятие добавлено в план."), "success")
        return redirect(url_for("plan.show", year=year) + f"#item-{item.id}")
    row, _status = _row(plan, item, created=True)
    return row + render_template("plan/_add_row.html", plan=plan, add=add, rights=Rights.of(plan))


@bp.route("/<year>/items/<int:plan_item_id>")
def item_row(year: str, plan_item_id: int):
    plan = plan_or_404(year)
    item = item_or_404(plan, plan_item_id)
    if not is_htmx():
        return redirect(url_for("plan.show", year=year) + f"#item-{item.id}")
    return _row(plan, item)


@bp.route("/<year>/items/<int:plan_item_id>/edit", methods=["GET", "POST"])
def edit_item(year: str, plan_item_id: int):
    plan = plan_or_404(year)
    item = item_or_404(plan, plan_item_id)
    require("plan.item.edit", item)
    if plan.is_approved:
        return _row(plan, item, status=409, error=LOCKED) if is_htmx() else message_page(LOCKED, 409)
    if request.method == "GET":
        return _form_response(plan, item_form(plan, item), item)
    form = item_form(plan, item, formdata=request.form)
    if not form.validate_on_submit():
        return _form_response(plan, form, item, status=422)

    def apply():
        _fill(item, form)
        if item.body_id and not can("plan.edit"):
            item.body = db.session.scalar(Body.scoped().where(Body.id == item.body_id))
            require("plan.item.edit", item)  # a leader may not hand the item to another association

    conflict = save_versioned(form, item, apply)
    if conflict is not None:
        return _form_response(plan, form, item, status=409, conflict=conflict)
    return _saved(plan, item, _("Мероприятие сохранено."))


@bp.route("/<year>/items/<int:plan_item_id>/execution", methods=["GET", "POST"])
def execution(year: str, plan_item_id: int):
    """The execution mark: allowed on an approved plan too."""
    plan = plan_or_404(year)
    item = item_or_404(plan, plan_item_id)
    require("plan.item.edit", item)
    linked = evidence.has_links(item)
    if request.method == "GET":
        form = ExecutionForm(obj=item, plan=plan, has_evidence=linked)
        form.version.data = item.version
        return _execution_response(plan, form, item)
    form = ExecutionForm(plan=plan, has_evidence=linked)
    if not form.validate_on_submit():
        return _execution_response(plan, form, item, status=422)

    def apply():
        status = form.status.data
        item.status = status
        item.actual_date = form.actual_date.data if status == "done" else None
        item.participants_count = form.participants_count.data if status == "done" else None
        item.result_note = (form.result_note.data or "").strip()
        item.moved_to_month = form.moved_to_month.data if status == "moved" else None
        item.cancel_reason = (form.cancel_reason.data or "").strip() if status == "cancelled" else ""
        if linked:
            evidence.override(item, form.override_note.data.strip())
        db.session.flush()
        follow_items([item.id])

    conflict = save_versioned(form, item, apply)
    if conflict is not None:
        return _execution_response(plan, form, item, status=409, conflict=conflict)
    return _saved(plan, item, _("Отметка о выполнении сохранена."))


def _saved(plan, item, saved_message):
    if not is_htmx():
        flash(saved_message, "success")
        return redirect(url_for("plan.show", year=plan.year_slug) + f"#item-{item.id}")
    return _row(plan, item)


def _execution_response(plan, form, item, status=200, conflict=None):
    context = {"plan": plan, "form": form, "item": item, "conflict": conflict, "has_evidence": form.has_evidence}
    if is_htmx():
        return render_template("plan/_execution_form.html", **context), status
    return render_template("plan/item_page.html", execution=True, **context), status


@bp.route("/<year>/items/<int:plan_item_id>/delete", methods=["POST"])
def delete_item(year: str, plan_item_id: int):
    plan = plan_or_404(year)
    item = item_or_404(plan, plan_item_id)
    require("plan.item.edit", item)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if plan.is_approved:
        return _row(plan, item, status=409, error=LOCKED) if is_htmx() else message_page(LOCKED, 409)
    db.session.delete(item)
    db.session.commit()
    if not is_htmx():
        flash(_("Мероприятие удалено из плана."), "success")
        return redirect(url_for("plan.show", year=year))
    response = make_response("")
    response.headers["HX-Trigger"] = "plan-changed"
    return response


# ---- an association's items (included on the association's page) ---------------------------

@bp.route("/<year>/bodies/<int:body_id>/items")
def body_items(year: str, body_id: int):
    body = Body.get_or_404(body_id)
    start = start_year_or_404(year)
    plan = svc.find_plan(start)
    items, numbers = [], None
    if plan is not None:
        items = db.session.scalars(
            PlanItem.scoped().join(Direction, Direction.id == PlanItem.direction_id)
            .where(PlanItem.plan_id == plan.id, PlanItem.body_id == body.id)
            .order_by(*svc.document_order()).options(*item_options())).all()
        numbers = svc.numbering(plan)
    context = {"plan": plan, "body": body, "items": items, "numbers": numbers, "start_year": start,
               "rights": Rights.of(plan) if plan else None, "plans": svc.district_plans()}
    if is_htmx():
        return render_template("plan/_body_items.html", **context)
    return render_template("plan/body_items.html", **context)

