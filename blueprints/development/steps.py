"""The individual educational route (ИОМ) of a person: steps aimed at their deficits.

When a step changes, the deficits it belongs to (before and after the change) are re-evaluated: a deficit
closes when all its live steps are done and opens again when one is reopened or added.
"""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import Course, Deficit, Mentorship, Person, RouteStep
from oms.models.development import STEP_KINDS, STEP_STATUSES, add_months
from oms.permissions import require
from oms.services.development import after_step_change
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .common import form_page, go, one_or_404, person_or_404, today
from .forms import StepForm
from .plan_link import PLAN_ENABLED, fill_plan_item_choices, plan_item_title, set_plan_item, step_plan_item_id


def step_or_404(person: Person, step_id) -> RouteStep:
    """A step of this person's route (another person's step is a 404, as if it did not exist). Looked up only
    after the permission is checked on the person, so a refused user learns nothing of the step."""
    return one_or_404(RouteStep, step_id, RouteStep.person_id == person.id)


def _choices(form: StepForm, person: Person, step: RouteStep | None = None) -> None:
    deficits = db.session.scalars(Deficit.scoped().where(Deficit.person_id == person.id)
                                  .options(joinedload(Deficit.area))
                                  .order_by(Deficit.status.desc(), Deficit.found_on.desc())).all()
    form.deficit_id.set_choices([
        (d.id, _("%(area)s (выявлен %(date)s) — закрыт", area=d.area.name, date=f"{d.found_on:%d.%m.%Y}")
         if d.status == "closed" else _("%(area)s (выявлен %(date)s)", area=d.area.name, date=f"{d.found_on:%d.%m.%Y}"))
        for d in deficits])
    courses = db.session.scalars(Course.scoped().where(Course.person_id == person.id, Course.status == "confirmed")
                                 .order_by(Course.date_to.desc())).all()
    form.course_id.set_choices([(c.id, f"{c.title} ({c.date_to:%d.%m.%Y})") for c in courses])
    pairs = db.session.scalars(Mentorship.scoped().where(Mentorship.mentee_id == person.id)
                               .options(joinedload(Mentorship.mentor))
                               .order_by(Mentorship.date_from.desc())).all()
    form.mentorship_id.set_choices([
        (m.id, _("Наставник %(name)s с %(date)s", name=m.mentor.short_name, date=f"{m.date_from:%d.%m.%Y}"))
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
            flash(_("Все шаги маршрута по дефициту выполнены — дефицит закрыт."), "success")
        else:
            flash(_("Дефицит снова открыт: по нему есть невыполненные шаги."), "warning")


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
        flash(_("Шаг добавлен в индивидуальный маршрут."), "success")
        return _back(person, step)
    status = 422 if request.method == "POST" else 200
    return form_page("development/step_form.html", "development/_step_form.html", status, form=form,
                     person=person, step=None, conflict=None, plan_enabled=PLAN_ENABLED)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
def step_edit(person_id: int, step_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    step = step_or_404(person, step_id)
    if request.method == "GET":
        form = StepForm(obj=step)
        form.plan_item_id.data = step_plan_item_id(step)
    else:
        form = StepForm()
    _choices(form, person, step)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        def apply():
            before = step.deficit_id
            _fill(step, form)
            _report(after_step_change([before, step.deficit_id], today()))  # both deficits' routes re-evaluated

        conflict = save_versioned(form, step, apply)
        if conflict is None:
            flash(_("Шаг маршрута сохранён."), "success")
            return _back(person, step)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/step_form.html", "development/_step_form.html", status, form=form,
                     person=person, step=step, conflict=conflict, plan_enabled=PLAN_ENABLED)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/status", methods=["POST"])
def step_status(person_id: int, step_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    step = step_or_404(person, step_id)
    status = request.form.get("status", "")
    if status not in STEP_STATUSES:
        abort(400)
    if status != step.status:
        step.status = status
        step.done_on = today() if status == "done" else None
        changed = after_step_change([step.deficit_id], today())
        db.session.commit()
        flash(_("Шаг «%(title)s»: %(status)s.", title=step.title, status=STEP_STATUSES[status].lower()), "success")
        _report(changed)
    return _back(person, step)


@bp.route("/people/<int:person_id>/steps/<int:step_id>/delete", methods=["POST"])
def step_delete(person_id: int, step_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    step = step_or_404(person, step_id)
    deficit_id = step.deficit_id
    db.session.delete(step)
    _report(after_step_change([deficit_id], today()))
    db.session.commit()
    flash(_("Шаг удалён из маршрута."), "success")
    return go(url_for("development.person", person_id=person.id, _anchor="route"))
