"""The individual educational route (ИОМ) of a person: steps aimed at their deficits.

When a step changes, the deficits it belongs to (before and after the change) are re-evaluated: a deficit
closes when all its live steps are done and opens again when one is reopened or added.
"""
from flask import abort, flash, request, url_for
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from oms.concurrency import remember_result, submit_once
from oms.conflicts import is_stale, snapshot
from oms.extensions import db
from oms.models import Course, Deficit, Mentorship, Person, RouteStep
from oms.models.development import STEP_KINDS, STEP_STATUSES, add_months
from oms.permissions import require
from oms.services.development import after_step_change
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .common import form_page, go, person_or_404, today
from .forms import StepForm
from .plan_link import PLAN_ENABLED, fill_plan_item_choices, plan_item_title, set_plan_item, step_plan_item_id

STEP_SNAPSHOT = [("kind", "Вид шага", lambda v: STEP_KINDS.get(v, v)), ("title", "Содержание", None),
                 ("due_month", "Срок", lambda d: d.strftime("%m.%Y") if d else ""),
                 ("status", "Статус", lambda v: STEP_STATUSES.get(v, v))]


def step_or_404(person: Person, step_id) -> RouteStep:
    """A step of this person's route (another person's step is a 404, as if it did not exist)."""
    step = RouteStep.get_or_404(step_id)
    if step.person_id != person.id:
        abort(404)
    return step


def _choices(form: StepForm, person: Person, step: RouteStep | None = None) -> None:
    deficits = db.session.scalars(Deficit.scoped().where(Deficit.person_id == person.id)
                                  .options(joinedload(Deficit.area))
                                  .order_by(Deficit.status.desc(), Deficit.found_on.desc())).all()
    form.deficit_id.set_choices([(d.id, d.area.name + (f" (выявлен {d.found_on:%d.%m.%Y})")
                                  + (" — закрыт" if d.status == "closed" else "")) for d in deficits])
    courses = db.session.scalars(Course.scoped().where(Course.person_id == person.id, Course.status == "confirmed")
                                 .order_by(Course.date_to.desc())).all()
    form.course_id.set_choices([(c.id, f"{c.title} ({c.date_to:%d.%m.%Y})") for c in courses])
    pairs = db.session.scalars(Mentorship.scoped().where(Mentorship.mentee_id == person.id)
                               .options(joinedload(Mentorship.mentor))
                               .order_by(Mentorship.date_from.desc())).all()
    form.mentorship_id.set_choices([(m.id, f"Наставник {m.mentor.short_name} с {m.date_from:%d.%m.%Y}")
                                    for m in pairs])
    kinds = [(k, v) for k, v in STEP_KINDS.items() if PLAN_ENABLED or k != "plan_item"]
    form.kind.choices = kinds
    fill_plan_item_choices(form, step)


def _fill(step: RouteStep, form: StepForm) -> None:
    step.deficit_id = form.deficit_id.data
    step.kind = form.kind.data
    step.due_month = form.due_month.data
    step.note = clean(form.note.data)
    step.course_id = form.course_id.data if step.kind == "course" else None
    step.mentorship_id = form.mentorship_id.data if step.kind == "mentoring" else None
    set_plan_item(step, form.plan_item_id.data if step.kind == "plan_item" else None)
    title = clean(form.title.data)
    if not title and step.kind == "plan_item":
        title = plan_item_title(form.plan_item_id.data)
    if not title and step.kind == "mentoring" and step.mentorship_id:
        title = "Работа с наставником"
    step.title = title


def _report(changed) -> None:
    for deficit in changed:
        if deficit.status == "closed":
            flash("Все шаги маршрута по дефициту выполнены — дефицит закрыт.", "success")
        else:
            flash("Дефицит снова открыт: по нему есть невыполненные шаги.", "warning")


def _back(person: Person, step: RouteStep | None):
    anchor = f"deficit-{step.deficit_id}" if step and step.deficit_id else "route"
    return go(url_for("development.person", person_id=person.id, _anchor=anchor))


@bp.route("/people/<int:person_id>/steps/new", methods=["GET", "POST"])
def step_new(person_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    form = StepForm()
    _choices(form, person)
    if request.method == "GET":
        deficit_id = request.args.get("deficit_id", type=int)
        if deficit_id in form.deficit_id.offered_ids():
            form.deficit_id.data = deficit_id
        form.due_month.data = add_months(today(), 1)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        step = RouteStep(tenant_id=current_tenant.id, person_id=person.id, status="planned")
        _fill(step, form)
        db.session.add(step)
        _report(after_step_change([step.deficit_id], today()))
        remember_result(url_for("development.person", person_id=person.id, _anchor="route"))
        db.session.commit()
        flash("Шаг добавлен в индивидуальный маршрут.", "success")
        return _back(person, step)
    status = 422 if request.method == "POST" else 200
    return form_page("development/step_form.html", "development/_step_form.html", status, form=form,
                     person=person, step=None, conflict=None, plan_enabled=PLAN_ENABLED)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
def step_edit(person_id: int, step_id: int):
    person = person_or_404(person_id)
    step = step_or_404(person, step_id)
    require("development.edit")
    if request.method == "GET":
        form = StepForm(obj=step)
        form.plan_item_id.data = step_plan_item_id(step)
    else:
        form = StepForm()
    _choices(form, person, step)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        if is_stale(step, form):
            conflict = snapshot(step, STEP_SNAPSHOT)
            form.version.data = step.version
        else:
            before = step.deficit_id
            _fill(step, form)
            try:
                _report(after_step_change([before, step.deficit_id], today()))
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                step = step_or_404(person, step_id)
                conflict = snapshot(step, STEP_SNAPSHOT)
                form.version.data = step.version
            else:
                flash("Шаг маршрута сохранён.", "success")
                return _back(person, step)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/step_form.html", "development/_step_form.html", status, form=form,
                     person=person, step=step, conflict=conflict, plan_enabled=PLAN_ENABLED)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/status", methods=["POST"])
def step_status(person_id: int, step_id: int):
    person = person_or_404(person_id)
    step = step_or_404(person, step_id)
    require("development.edit")
    status = request.form.get("status", "")
    if status not in STEP_STATUSES:
        abort(400)
    if status != step.status:
        step.status = status
        step.done_on = today() if status == "done" else None
        changed = after_step_change([step.deficit_id], today())
        db.session.commit()
        flash(f"Шаг «{step.title}»: {STEP_STATUSES[status].lower()}.", "success")
        _report(changed)
    return _back(person, step)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/delete", methods=["POST"])
def step_delete(person_id: int, step_id: int):
    person = person_or_404(person_id)
    step = step_or_404(person, step_id)
    require("development.edit")
    deficit_id = step.deficit_id
    db.session.delete(step)
    _report(after_step_change([deficit_id], today()))
    db.session.commit()
    flash("Шаг удалён из маршрута.", "success")
    return go(url_for("development.person", person_id=person.id, _anchor="route"))
