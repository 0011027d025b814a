"""Meetings of a body: the list, a meeting's page with its agenda, attendance and decisions, the minutes."""
import functools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Date, bindparam, case, func, select
from sqlalchemy.orm import selectinload

from oms import clock
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import AgendaItem, Attendance, Decision, Meeting, Person
from oms.models.people import full_name
from oms.models.structure import DECISION_STATUSES
from oms.ordering import move
from oms.permissions import can, require
from oms.text import whole_number
from oms.references import merge_references, references, refusal
from oms.services import evidence
from oms.current import current_tenant_id
from oms.tenancy import current_tenant
from oms.text import clean, shorten
from oms.views import is_htmx

from .common import ROLE_LABELS, htmx_redirect
from .forms import AgendaForm, DecisionForm, ExternalGuestForm, GuestForm, MeetingForm, NewMeetingForm

@functools.cache
def _statements() -> dict:
    """The selects of a body's page, built once (their parameters: tenant_id, body_id, today)."""
    body_id = bindparam("body_id")
    is_open = Decision.status == "open"
    overdue = is_open & (Decision.due_date < bindparam("today", type_=Date))
    return {
        "meetings": Meeting.scoped_by_param().where(Meeting.body_id == body_id)
        .outerjoin(Decision, Decision.meeting_id == Meeting.id)
        .with_only_columns(Meeting.id, Meeting.number, Meeting.held_on, Meeting.topic, Meeting.is_held,
                           func.count(Decision.id), func.sum(case((is_open, 1), else_=0)),
                           func.sum(case((overdue, 1), else_=0)))
        .group_by(Meeting.id).order_by(Meeting.held_on.desc(), Meeting.id.desc()),
        "open_decisions": Decision.scoped_by_param().join(Meeting, Meeting.id == Decision.meeting_id)
        .outerjoin(Person, Person.id == Decision.responsible_id)
        .where(Meeting.body_id == body_id, Decision.status == "open")
        .with_only_columns(Decision.text, Decision.due_date, Decision.status, Meeting.id, Meeting.number,
                           Meeting.held_on, Person.id, Person.last_name, Person.first_name, Person.middle_name)
        .order_by(Decision.due_date.is_(None), Decision.due_date, Decision.id),
    }


class _MeetingRef:
    __slots__ = ("id", "number", "held_on")

    def __init__(self, id, number, held_on):
        self.id, self.number, self.held_on = id, number, held_on


class _PersonName:
    __slots__ = ("full_name",)

    def __init__(self, full_name):
        self.full_name = full_name


class OpenDecision:
    """An open decision as a body's page lists it (Decision's shown attributes, its meeting and responsible)."""

    __slots__ = ("text", "due_date", "status", "meeting", "responsible")

    def __init__(self, text, due_date, status, meeting_id, number, held_on, person_id, last_name, first_name,
                 middle_name):
        self.text, self.due_date, self.status = text, due_date, status
        self.meeting = _MeetingRef(meeting_id, number, held_on)
        self.responsible = (_PersonName(full_name(last_name, first_name, middle_name))
                            if person_id is not None else None)

    is_overdue = Decision.is_overdue


class MeetingScreens:
    """Meeting routes of BodyScreens: everything is reached through the body in the URL."""

    def meeting_or_404(self, body, meeting_id, *options) -> Meeting:
        stmt = Meeting.scoped().where(Meeting.id == meeting_id, Meeting.body_id == body.id)
        if options:
            stmt = stmt.options(*options).execution_options(populate_existing=True)
        meeting = db.session.scalar(stmt)
        if meeting is None:
            abort(404)
        return meeting

    def child_or_404(self, model, meeting, child_id):
        row = db.session.scalar(model.scoped().where(model.id == child_id, model.meeting_id == meeting.id))
        if row is None:
            abort(404)
        return row

    def meetings_of(self, body) -> list[dict]:
        """The body's meetings as the list shows them, with their decisions counted: one grouped select."""
        rows = db.session.execute(_statements()["meetings"], {"tenant_id": current_tenant_id(), "body_id": body.id,
                                                              "today": clock.today()}).all()
        return [{"meeting": row, "total": row[5], "open": row[6] or 0, "overdue": row[7] or 0} for row in rows]

    def open_decisions(self, body) -> list["OpenDecision"]:
        """The body's open decisions as the list shows them: one select of the shown columns."""
        return [OpenDecision(*row) for row in db.session.execute(
            _statements()["open_decisions"], {"tenant_id": current_tenant_id(), "body_id": body.id})]

    def _next_number(self, body) -> str:
        numbers = db.session.scalars(select(Meeting.number).where(Meeting.body_id == body.id,
                                                                  Meeting.tenant_id == current_tenant.id)).all()
        digits = [d for d in map(whole_number, numbers) if d is not None]
        return str(max(digits, default=0) + 1)

    def new_meeting(self, body_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        plan_item = self._plan_item(request.values.get("plan_item"))
        if request.method == "GET":
            form = NewMeetingForm(formdata=None)
            form.number.data = self._next_number(body)
            form.held_on.data = clock.today()
            if plan_item is not None:  # pre-filled from the plan item it carries out
                form.topic.data = plan_item.title[:500]
                form.held_on.data = plan_item.date_from or form.held_on.data
            return render_template("meetings/new.html", screens=self, body=body, form=form, plan_item=plan_item)
        form = NewMeetingForm()
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if form.validate_on_submit():
            meeting = Meeting(tenant_id=current_tenant.id, body_id=body.id, number=clean(form.number.data),
                              held_on=form.held_on.data, topic=clean(form.topic.data), venue=clean(form.venue.data),
                              is_held=form.is_held.data, minutes=(form.minutes.data or "").strip())
            db.session.add(meeting)
            db.session.flush()
            if plan_item is not None:
                evidence.link(plan_item, "meeting", meeting.id)
            target = self.url("meeting", body, meeting_id=meeting.id)
            remember_result(target)
            db.session.commit()
            flash(_("Заседание № %(number)s от %(date)s создано: добавьте повестку, участников и решения.",
                    number=meeting.number, date=ru_date(meeting.held_on)), "success")
            return htmx_redirect(target) if is_htmx() else redirect(target)
        return render_template("meetings/new.html", screens=self, body=body, form=form, plan_item=plan_item), 422

    def _plan_item(self, value):
        """The plan item a new meeting is made for (?plan_item=), when the user may mark it."""
        from oms.models import PlanItem
        from oms.permissions import can

        if not value or not str(value).isdigit():
            return None
        item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == int(value)))
        return item if item is not None and can("plan.item.edit", item) else None

    def _load_meeting(self, body, meeting_id):
        # populate_existing: the sections are re-read after a change committed in the same request.
        return self.meeting_or_404(
            body, meeting_id,
            selectinload(Meeting.agenda),
            selectinload(Meeting.attendance).selectinload(Attendance.person).selectinload(Person.school),
            selectinload(Meeting.decisions).selectinload(Decision.responsible),
        )

    def meeting_context(self, body, meeting, **overrides) -> dict:
        members = self.members(body)
        can_edit = self.can_edit(body)
        present = {a.person_id: a for a in meeting.attendance}
        member_ids = {m.person_id for m in members}
        # a guest who has joined the composition since is marked among the members
        guests = [a for a in meeting.attendance if a.is_guest and a.person_id not in member_ids]
        guests.sort(key=lambda a: a.who)
        attended_count = sum(1 for m in members if m.person_id in present and present[m.person_id].present)
        context = dict(screens=self, body=body, meeting=meeting, members=members, present=present, guests=guests,
                       attended_count=attended_count,
                       can_edit=can_edit, today=clock.today(), STATUSES=DECISION_STATUSES, ROLE_LABELS=ROLE_LABELS,
                       agenda_form=None, guest_form=None, external_form=None, decision_form=None,
                       editing_decision=None,
                       attendance_error=None, fresh_decision=None, plan_years=(), plan_directions=())
        if can_edit:
            context["agenda_form"] = AgendaForm(formdata=None)
            guest_form = GuestForm(formdata=None)
            guest_form.person_id.exclude = member_ids | set(present)
            guest_form.person_id.first_school_id = body.school_id
            context["guest_form"] = guest_form
            context["external_form"] = ExternalGuestForm(formdata=None)
            context["decision_form"] = self.decision_form(body, members)
            if can("plan.edit"):
                from oms.models import Direction
                from oms.models.plan import academic_start_year

                start = academic_start_year(clock.today())
                context["plan_years"] = (start, start + 1)
                context["plan_directions"] = db.session.execute(
                    Direction.scoped().with_only_columns(Direction.id, Direction.name)
                    .order_by(Direction.position, Direction.id)).all()
        context.update({k: v for k, v in overrides.items() if v is not None})
        return context

    def decision_form(self, body, members, formdata=None, obj=None):
        if formdata is not None:
            form = DecisionForm(formdata=formdata)
        else:
            form = DecisionForm(formdata=None, obj=obj)
        form.status.choices = list(DECISION_STATUSES.items())
        if obj is None and formdata is None:
            form.status.data = "open"
        form.responsible_id.first_school_id = body.school_id
        return form

    def meeting(self, body_id, meeting_id):
        require("district.view")
        body = self.body_or_404(body_id)
        meeting = self._load_meeting(body, meeting_id)
        return render_template("meetings/meeting.html", **self.meeting_context(body, meeting))

    def minutes(self, body_id, meeting_id):
        require("district.view")
        body = self.body_or_404(body_id)
        meeting = self._load_meeting(body, meeting_id)
        context = self.meeting_context(body, meeting)
        members = context["members"]
        head = next((m for m in members if m.role in ("chair", "leader")), None)
        secretary = next((m for m in members if m.role == "secretary"), None)
        marked = sorted((a for a in meeting.attendance if not a.is_guest),
                        key=lambda a: (a.person.last_name, a.person.first_name, a.person_id))
        if marked:
            # The composition as it was when attendance was marked: who joined or left since does not
            # change the minutes of a past meeting.
            attended = [a for a in marked if a.present]
            absent = [a for a in marked if not a.present]
            context["guests"] = [a for a in meeting.attendance if a.is_guest]
            context["guests"].sort(key=lambda a: a.who)
        else:
            absent = [m for m in members if m.person_id not in context["present"]
                      or not context["present"][m.person_id].present]
            attended = [m for m in members if m.person_id in context["present"]
                        and context["present"][m.person_id].present]
        return render_template("meetings/minutes.html", head=head, secretary=secretary, absent=absent,
                               attended=attended, roll_size=len(attended) + len(absent), **context)

    def edit_meeting(self, body_id, meeting_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        meeting = self.meeting_or_404(body, meeting_id)
        if request.method == "GET":
            form = MeetingForm(obj=meeting)
            template = "meetings/_meeting_form.html" if is_htmx() else "meetings/edit.html"
            return render_template(template, screens=self, body=body, meeting=meeting, form=form, conflict=None)
        form = MeetingForm()
        conflict = None
        if form.validate_on_submit():
            if (conflict := version_conflict(form, meeting)) is None:
                meeting.number = clean(form.number.data)
                meeting.held_on = form.held_on.data
                meeting.topic = clean(form.topic.data)
                meeting.venue = clean(form.venue.data)
                meeting.is_held = form.is_held.data
                meeting.minutes = (form.minutes.data or "").strip()
                conflict = commit_versioned(form, meeting, lambda: evidence.activity_changed("meeting", meeting.id))
                if conflict is None:
                    if is_htmx():
                        return render_template("meetings/_head.html", screens=self, body=body, meeting=meeting,
                                               can_edit=True)
                    flash(_("Сведения о заседании сохранены."), "success")
                    return redirect(self.url("meeting", body, meeting_id=meeting.id))
        status = 409 if conflict else 422
        template = "meetings/_meeting_form.html" if is_htmx() else "meetings/edit.html"
        return render_template(template, screens=self, body=body, meeting=meeting, form=form,
                               conflict=conflict), status

    def delete_meeting(self, body_id, meeting_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        meeting = self._load_meeting(body, meeting_id)
        refs = references(meeting, ignore=("agenda_item", "attendance", "decision"))
        for decision in meeting.decisions:  # a practice approved by one of its decisions keeps its record
            refs = merge_references(refs, references(decision))
        if refs:
            flash(refusal(_("Заседание № %(number)s от %(date)s", number=meeting.number,
                                    date=ru_date(meeting.held_on)), refs), "error")
            target = self.url("meeting", body, meeting_id=meeting.id)
        else:
            number, held_on = meeting.number, meeting.held_on
            evidence.activity_deleted("meeting", meeting.id)
            db.session.delete(meeting)
            db.session.commit()
            flash(_("Заседание № %(number)s от %(date)s удалено вместе с повесткой и решениями.", number=number,
                    date=ru_date(held_on)), "success")
            target = self.detail_url(body) + "#meetings"
        return htmx_redirect(target) if is_htmx() else redirect(target)

    def _section(self, body, meeting_id, partial, anchor, status=200, **overrides):
        meeting = self._load_meeting(body, meeting_id)
        context = self.meeting_context(body, meeting, **overrides)
        if is_htmx():
            return render_template(partial, **context), status
        if status < 400:
            return redirect(self.url("meeting", body, meeting_id=meeting.id) + anchor)
        return render_template("meetings/meeting.html", **context), status

    def _editable_meeting(self, body_id, meeting_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        return body, self.meeting_or_404(body, meeting_id)

    def add_agenda(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        form = AgendaForm()
        if not form.validate_on_submit():
            return self._section(body, meeting_id, "meetings/_agenda.html", "#agenda", 422, agenda_form=form)
        top = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
        db.session.add(AgendaItem(tenant_id=current_tenant.id, meeting_id=meeting.id, position=(top or 0) + 1,
                                  title=clean(form.title.data), speaker=clean(form.speaker.data)))
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_agenda.html", "#agenda")

    def delete_agenda(self, body_id, meeting_id, item_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        db.session.delete(self.child_or_404(AgendaItem, meeting, item_id))
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_agenda.html", "#agenda")

    def move_agenda(self, body_id, meeting_id, item_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        item = self.child_or_404(AgendaItem, meeting, item_id)
        move(item, AgendaItem.scoped().where(AgendaItem.meeting_id == meeting.id), request.form.get("direction"))
        return self._section(body, meeting_id, "meetings/_agenda.html", "#agenda")

    def save_attendance(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        members = {m.person_id for m in self.members(body)}
        try:
            marked = {int(v) for v in request.form.getlist("present")}
        except ValueError:
            marked = {-1}
        if not marked <= members:
            return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", 422,
                                 attendance_error=_("В отметке есть человек не из состава: обновите страницу "
                                                    "и отметьте присутствующих снова."))
        rows = {a.person_id: a for a in db.session.scalars(
            Attendance.scoped().where(Attendance.meeting_id == meeting.id))}
        for person_id in members:
            row = rows.get(person_id)
            if row is None:
                db.session.add(Attendance(tenant_id=current_tenant.id, meeting_id=meeting.id, person_id=person_id,
                                          present=person_id in marked))
            else:  # a guest of this meeting who has joined the composition since becomes a member's row
                row.is_guest = False
                row.present = person_id in marked
        evidence.activity_changed("meeting", meeting.id)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", attendance_saved=True)

    def add_guest(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        members = self.members(body)
        taken = {m.person_id for m in members} | set(db.session.scalars(
            select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)))
        form = GuestForm()
        form.person_id.exclude = taken
        form.person_id.first_school_id = body.school_id
        if not form.validate_on_submit():
            return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", 422, guest_form=form)
        db.session.add(Attendance(tenant_id=current_tenant.id, meeting_id=meeting.id, person_id=form.person_id.data,
                                  present=True, is_guest=True))
        evidence.activity_changed("meeting", meeting.id)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance")

    def add_external_guest(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        form = ExternalGuestForm()
        if not form.validate_on_submit():
            return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", 422,
                                 external_form=form)
        db.session.add(Attendance(tenant_id=current_tenant.id, meeting_id=meeting.id, person_id=None, present=True,
                                  is_guest=True, guest_name=clean(form.guest_name.data),
                                  guest_org=clean(form.guest_org.data), guest_position=clean(form.guest_position.data)))
        evidence.activity_changed("meeting", meeting.id)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance")

    def delete_guest(self, body_id, meeting_id, attendance_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        row = self.child_or_404(Attendance, meeting, attendance_id)
        if not row.is_guest:
            abort(404)
        db.session.delete(row)
        evidence.activity_changed("meeting", meeting.id)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance")

    def add_decision(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        form = self.decision_form(body, self.members(body), request.form)
        if not form.validate_on_submit():
            return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions", 422, decision_form=form)
        decision = Decision(tenant_id=current_tenant.id, meeting_id=meeting.id, text=form.text.data.strip(),
                            responsible_id=form.responsible_id.data, due_date=form.due_date.data,
                            status=form.status.data, status_note=clean(form.status_note.data))
        db.session.add(decision)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions", fresh_decision=decision.id)

    def edit_decision(self, body_id, meeting_id, decision_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        decision = self.child_or_404(Decision, meeting, decision_id)
        members = self.members(body)
        if request.method == "GET":
            form = self.decision_form(body, members, obj=decision)
            template = "meetings/_decision_edit.html" if is_htmx() else "meetings/decision_edit.html"
            return render_template(template, screens=self, body=body, meeting=meeting, decision=decision,
                                   form=form, conflict=None)
        form = self.decision_form(body, members, request.form)
        conflict = None
        if form.validate_on_submit():
            if (conflict := version_conflict(form, decision)) is None:
                decision.text = form.text.data.strip()
                decision.responsible_id = form.responsible_id.data
                decision.due_date = form.due_date.data
                decision.status = form.status.data
                decision.status_note = clean(form.status_note.data)
                conflict = commit_versioned(form, decision)
                if conflict is None:
                    return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions",
                                         fresh_decision=decision.id)
        status = 409 if conflict else 422
        if not is_htmx():
            return render_template("meetings/decision_edit.html", screens=self, body=body, meeting=meeting,
                                   decision=decision, form=form, conflict=conflict), status
        return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions", status,
                             editing_decision={"decision": decision, "form": form, "conflict": conflict})

    def decision_to_plan(self, body_id, meeting_id, decision_id):
        """The decision becomes an item of this year's plan or next year's draft, linked both ways."""
        from oms.models import Direction
        from oms.models.plan import academic_start_year
        from oms.services.decisions import to_plan_item
        from oms.services.plans import PlanError

        body, meeting = self._editable_meeting(body_id, meeting_id)
        decision = self.child_or_404(Decision, meeting, decision_id)
        require("plan.edit")
        start = academic_start_year(clock.today())
        year = request.form.get("year", type=int)
        direction = db.session.scalar(Direction.scoped().where(Direction.id == request.form.get("direction_id",
                                                                                                 type=int)))
        month = request.form.get("month", type=int)
        if year not in (start, start + 1) or direction is None or month not in range(1, 13):
            flash(_("Выберите год плана, направление и месяц."), "error")
            return redirect(self.url("meeting", body, meeting_id=meeting.id) + "#decisions")
        decision.meeting = meeting
        try:
            item = to_plan_item(decision, body, year, direction.id, month)
        except PlanError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(self.url("meeting", body, meeting_id=meeting.id) + "#decisions")
        db.session.commit()
        flash(_("Решение стало пунктом плана; его исполнение теперь следует за пунктом."), "success")
        return redirect(url_for("evidence.item", plan_item_id=item.id))

    def delete_decision(self, body_id, meeting_id, decision_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        decision = self.child_or_404(Decision, meeting, decision_id)
        refs = references(decision)
        if refs:
            return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions", 409,
                                 decisions_error=refusal(_("Решение «%(text)s»", text=shorten(decision.text)),
                                                         refs))
        db.session.delete(decision)
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions")
