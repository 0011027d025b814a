"""Events: the list, a new event (also from its plan item), its page with registration, the printable
registration sheet with attendance, certificates of participation and feedback."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from oms import clock
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind, Event, EventRegistration, Person, PlanItem, School
from oms.models.base import search_filter
from oms.models.events import EVENT_KINDS
from oms.permissions import can, require
from oms.services import events as svc
from oms.services import evidence
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .forms import EventForm, FeedbackForm, NewEventForm, PersonForm

PER_PAGE = 30


@bp.before_request
def readers_only():
    require("district.view")


def my_person() -> Person | None:
    return db.session.scalar(Person.scoped().where(Person.user_id == current_user.id))


def event_or_404(event_id) -> Event:
    event = db.session.scalar(Event.scoped().where(Event.id == event_id)
                              .options(joinedload(Event.venue_school), joinedload(Event.body)))
    if event is None:
        abort(404)
    return event


def _fill_choices(form) -> None:
    form.venue_school_id.set_choices([(s.id, s.label) for s in db.session.scalars(
        School.scoped().order_by(School.short_name, School.name))])
    form.body_id.set_choices([(b.id, b.name) for b in db.session.scalars(
        Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id)
        .where(BodyKind.category != "service").order_by(Body.position, Body.name))])


def _apply(event: Event, form) -> None:
    event.kind = form.kind.data
    event.title = clean(form.title.data)
    event.starts_at, event.ends_at = form.starts_at, form.ends_at
    event.venue_school_id = form.venue_school_id.data
    event.address = clean(form.address.data)
    event.online_url = (form.online_url.data or "").strip()
    event.audience = clean(form.audience.data)
    event.capacity = form.capacity.data
    event.body_id = form.body_id.data
    event.description = (form.description.data or "").strip()
    event.is_public = form.is_public.data
    event.status = form.status.data


# ---- list ---------------------------------------------------------------------------------

@bp.route("/")
def index():
    now = clock.now_local(current_tenant.time_zone)
    show = request.args.get("show", "coming")
    kind = request.args.get("kind", "")
    query = (request.args.get("q") or "").strip()
    stmt = Event.scoped().options(joinedload(Event.venue_school))
    if show == "past":
        stmt = stmt.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        show = "coming"
        stmt = stmt.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if kind in EVENT_KINDS:
        stmt = stmt.where(Event.kind == kind)
    if query:
        stmt = stmt.where(*search_filter(Event, query))
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    counts = svc.state_counts(e.id for e in page.items)
    mine = {}
    person = my_person()
    if person is not None and page.items:
        mine = {r.event_id: r for r in db.session.scalars(EventRegistration.scoped().where(
            EventRegistration.person_id == person.id, EventRegistration.event_id.in_([e.id for e in page.items])))}
    return render_template("events/index.html", page=page, counts=counts, mine=mine, show=show, kind=kind,
                           query=query, kinds=EVENT_KINDS, can_edit=can("events.edit"))


# ---- create, edit, delete -----------------------------------------------------------------

def _plan_item(value) -> PlanItem | None:
    if not value or not str(value).isdigit():
        return None
    item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == int(value)))
    return item if item is not None and can("plan.item.edit", item) else None


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("events.edit")
    plan_item = _plan_item(request.values.get("plan_item"))
    if request.method == "GET":
        form = NewEventForm(formdata=None)
        if plan_item is not None:
            form.title.data = plan_item.title[:500]
            form.audience.data = plan_item.audience
            form.day.data = plan_item.date_from
            form.venue_school_id.data = plan_item.venue_school_id
            form.body_id.data = plan_item.body_id
        _fill_choices(form)
        return render_template("events/form.html", form=form, event=None, plan_item=plan_item)
    form = NewEventForm()
    _fill_choices(form)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if not form.validate_on_submit():
        return render_template("events/form.html", form=form, event=None, plan_item=plan_item), 422
    event = Event(tenant_id=current_tenant.id)
    _apply(event, form)
    db.session.add(event)
    db.session.flush()
    if plan_item is not None:
        evidence.link(plan_item, "event", event.id)
    target = url_for("events.show", event_id=event.id)
    remember_result(target)
    db.session.commit()
    flash(_("Мероприятие создано."), "success")
    return redirect(target)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    event = event_or_404(event_id)
    require("events.edit", event)
    if request.method == "GET":
        form = EventForm(obj=event)
        form.day.data, form.start_time.data = event.starts_at.date(), event.starts_at.time()
        form.end_time.data = event.ends_at.time()
        form.end_day.data = event.ends_at.date() if event.ends_at.date() != event.starts_at.date() else None
        _fill_choices(form)
        return render_template("events/form.html", form=form, event=event, conflict=None)
    form = EventForm()
    _fill_choices(form)
    conflict = None
    if form.validate_on_submit():
        if (conflict := version_conflict(form, event)) is None:
            def apply():
                before = (event.starts_at, event.ends_at, event.status, event.title)
                _apply(event, form)
                if (event.starts_at, event.ends_at, event.status, event.title) != before:
                    event.sequence += 1  # subscribers' calendars take the change
                evidence.activity_changed("event", event.id)

            conflict = commit_versioned(form, event, apply)
            if conflict is None:
                flash(_("Мероприятие сохранено."), "success")
                return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, conflict=conflict), 409 if conflict else 422


@bp.route("/<int:event_id>/delete", methods=["POST"])
def delete(event_id: int):
    event = event_or_404(event_id)
    require("events.edit", event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if db.session.scalar(EventRegistration.scoped().where(EventRegistration.event_id == event.id,
                                                          EventRegistration.state != "cancelled").limit(1)):
        flash(_("На мероприятие уже записаны: удалить его нельзя. Отмените его — участники увидят отмену."),
              "error")
        return redirect(url_for("events.show", event_id=event.id))
    evidence.activity_deleted("event", event.id)
    db.session.delete(event)
    db.session.commit()
    flash(_("Мероприятие удалено."), "success")
    return redirect(url_for("events.index"))


# ---- the event's page and registration --------------------------------------------------------

def _registrations(event: Event) -> list[EventRegistration]:
    return list(db.session.scalars(
        EventRegistration.scoped().where(EventRegistration.event_id == event.id)
        .options(joinedload(EventRegistration.person).joinedload(Person.school))
        .order_by(EventRegistration.created_at, EventRegistration.id)))


def _page(event: Event, status: int = 200, person_form=None, feedback_form=None):
    person = my_person()
    mine = svc.registration_of(event, person.id) if person is not None else None
    can_edit = can("events.edit", event)
    can_others = can("events.register_others", event)
    rows = _registrations(event) if (can_edit or can_others) else []
    counts = svc.state_counts([event.id])[event.id]
    past = svc.is_past(event, current_tenant.time_zone)
    started = event.starts_at <= clock.now_local(current_tenant.time_zone)
    if feedback_form is None and mine is not None and mine.attended:
        feedback_form = FeedbackForm(formdata=None, obj=mine)
        feedback_form.rating.data = str(mine.rating or 5)
    return render_template("events/show.html", event=event, mine=mine, person=person, rows=rows, counts=counts,
                           past=past, started=started, can_edit=can_edit, can_others=can_others,
                           person_form=person_form or PersonForm(formdata=None), feedback_form=feedback_form), status


@bp.route("/<int:event_id>/")
def show(event_id: int):
    return _page(event_or_404(event_id))


def _registered_message(row) -> str:
    if row.state == "waiting":
        return _("Мест нет: запись в листе ожидания. Если место освободится, запись станет основной.")
    return _("Запись принята.")


@bp.route("/<int:event_id>/register", methods=["POST"])
def register(event_id: int):
    """The user registers themself (from the event's page, the calendar or «Моё»)."""
    event = event_or_404(event_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    person = my_person()
    if person is None:
        flash(_("Ваша учётная запись не связана с карточкой педагога: записаться нельзя. Обратитесь к "
                "администратору района."), "error")
        return _page(event, 422)
    try:
        row = svc.register(event, person.id, current_user.id, current_tenant.time_zone)
    except svc.RegistrationError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(event_or_404(event_id), 422)
    db.session.commit()
    flash(_registered_message(row), "success")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else
                    url_for("events.show", event_id=event.id))


@bp.route("/<int:event_id>/unregister", methods=["POST"])
def unregister(event_id: int):
    event = event_or_404(event_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    person = my_person()
    row = svc.registration_of(event, person.id) if person is not None else None
    if row is None or row.state == "cancelled":
        flash(_("Вы не записаны на это мероприятие."), "info")
    else:
        svc.cancel(row)
        db.session.commit()
        flash(_("Запись отменена."), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.route("/<int:event_id>/registrations", methods=["POST"])
def register_other(event_id: int):
    """A methodist or a leader registers somebody else (or, on the day, adds a walk-in)."""
    event = event_or_404(event_id)
    require("events.register_others", event)
    form = PersonForm()
    if not form.validate_on_submit():
        return _page(event, 422, person_form=form)
    person = form.person_id.people[0]
    if request.form.get("walk_in"):
        require("events.edit", event)
        svc.walk_in(event, person.id, current_user.id)
        db.session.commit()
        flash(_("%(name)s отмечен(а) как пришедший(ая) без записи.", name=person.full_name), "success")
        return redirect(url_for("events.show", event_id=event.id) + "#registrations")
    try:
        row = svc.register(event, person.id, current_user.id, current_tenant.time_zone, self_service=False)
    except svc.RegistrationError as error:
        db.session.rollback()
        form.person_id.errors = [str(error)]
        return _page(event_or_404(event_id), 422, person_form=form)
    db.session.commit()
    flash(f"{person.full_name}: {_registered_message(row)}", "success")
    return redirect(url_for("events.show", event_id=event.id) + "#registrations")


@bp.route("/<int:event_id>/registrations/<int:registration_id>/cancel", methods=["POST"])
def cancel_registration(event_id: int, registration_id: int):
    event = event_or_404(event_id)
    require("events.register_others", event)
    row = db.session.scalar(EventRegistration.scoped().where(EventRegistration.id == registration_id,
                                                             EventRegistration.event_id == event.id))
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    svc.cancel(row)
    db.session.commit()
    flash(_("Запись отменена."), "success")
    return redirect(url_for("events.show", event_id=event.id) + "#registrations")


# ---- the day: the sheet, attendance, certificates, feedback -----------------------------------

@bp.route("/<int:event_id>/sheet")
def sheet(event_id: int):
    """The printable «лист регистрации»: registered first, then the waiting list, a few empty lines."""
    event = event_or_404(event_id)
    require("events.register_others", event)
    rows = [r for r in _registrations(event) if r.state != "cancelled"]
    rows.sort(key=lambda r: (r.state != "registered", r.person.last_name, r.person.first_name))
    return render_template("events/sheet.html", event=event, rows=rows)


@bp.route("/<int:event_id>/attendance", methods=["POST"])
def attendance(event_id: int):
    event = event_or_404(event_id)
    require("events.edit", event)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if event.starts_at.date() > clock.now_local(current_tenant.time_zone).date():
        flash(_("Мероприятие ещё не началось: присутствие отмечается в день проведения."), "error")
        return _page(event, 422)
    try:
        ticked = {int(v) for v in request.form.getlist("attended")}
    except ValueError:
        abort(400)
    svc.mark_attendance(event, ticked)
    db.session.commit()
    flash(_("Присутствие отмечено: участников — %(n)s.", n=svc.state_counts([event.id])[event.id]["attended"]),
          "success")
    return redirect(url_for("events.show", event_id=event.id) + "#registrations")


@bp.route("/<int:event_id>/certificates/<int:registration_id>")
def certificate(event_id: int, registration_id: int):
    event = event_or_404(event_id)
    row = db.session.scalar(EventRegistration.scoped().where(EventRegistration.id == registration_id,
                                                             EventRegistration.event_id == event.id)
                            .options(joinedload(EventRegistration.person).joinedload(Person.school)))
    if row is None:
        abort(404)
    if row.person.user_id != current_user.id:
        require("events.register_others", event)
    if not row.attended:
        flash(_("Сертификат выдаётся тем, кто отмечен присутствующим."), "error")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/certificate.html", event=event, row=row)


@bp.route("/<int:event_id>/feedback", methods=["POST"])
def feedback(event_id: int):
    event = event_or_404(event_id)
    person = my_person()
    row = svc.registration_of(event, person.id) if person is not None else None
    if row is None or not row.attended:
        flash(_("Отзыв оставляют участники, отмеченные присутствующими."), "error")
        return _page(event, 422)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _page(event, 422, feedback_form=form)
    row.rating = int(form.rating.data)
    row.comment = (form.comment.data or "").strip()
    db.session.commit()
    flash(_("Спасибо за отзыв."), "success")
    return redirect(url_for("events.show", event_id=event.id))
