"""Members and meetings of a body, shared by the council's and the associations' screens.

`BodyScreens` registers the same routes on a blueprint — members, meetings,
agenda, attendance, decisions, printable minutes — for the bodies of given
categories, guarded by one permission action. Every child is loaded through
its parent from the URL (a meeting through its body, a decision through its
meeting), so an id of another body's row answers 404.
"""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from oms.conflicts import is_stale, snapshot
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import AgendaItem, Attendance, Body, BodyMember, Decision, Meeting, Person
from oms.models.structure import DECISION_STATUSES
from oms.permissions import can, require
from oms.references import references, refusal
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import is_htmx

from .forms import AgendaForm, DecisionForm, GuestForm, MeetingForm, MemberEditForm, MemberForm

ROLE_LABELS = {"chair": "Председатель", "deputy": "Заместитель председателя", "secretary": "Секретарь",
               "leader": "Руководитель", "member": "Член"}
ROLE_ORDER = {"chair": 0, "leader": 0, "deputy": 1, "secretary": 2, "member": 3}
SINGLE_ROLES = {"chair", "secretary"}
MEETING_SNAPSHOT = [("number", "Номер", None), ("held_on", "Дата", ru_date), ("topic", "Тема", None),
                    ("venue", "Место", None), ("minutes", "Ход заседания", None)]
DECISION_SNAPSHOT = [("text", "Решение", None), ("due_date", "Срок", ru_date),
                     ("status", "Исполнение", lambda s: DECISION_STATUSES.get(s, s)), ("status_note", "Отметка", None)]


def people_choices(first_school_id=None, exclude=()) -> dict[str, list]:
    """The district's people as option groups: the given school first, then specialists, then other schools."""
    people = db.session.scalars(
        Person.scoped().options(joinedload(Person.school)).order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    groups: dict[str, list] = {}
    first, specialists = [], []
    for p in people:
        if p.id in exclude:
            continue
        label = p.full_name + (f" — {p.position}" if p.position else "")
        if first_school_id is not None and p.school_id == first_school_id:
            first.append((p.id, label))
        elif p.school_id is None:
            specialists.append((p.id, label))
        else:
            groups.setdefault(p.school.label, []).append((p.id, label))
    ordered = {}
    if first:
        school = next(p.school for p in people if p.school_id == first_school_id)
        ordered[f"{school.label} (своя организация)"] = first
    if specialists:
        ordered["Специалисты (без организации)"] = specialists
    for label in sorted(groups):
        ordered[label] = groups[label]
    return ordered


class BodyScreens:
    def __init__(self, bp, arg: str, categories: tuple[str, ...], edit_action: str, roles: tuple[str, ...],
                 detail_endpoint: str, member_noun: str):
        self.bp = bp
        self.arg = arg
        self.categories = categories
        self.edit_action = edit_action
        self.roles = roles
        self.detail_endpoint = detail_endpoint
        self.member_noun = member_noun
        self._register()

    # ---- lookups ---------------------------------------------------------------------------

    def url(self, name: str, body, **kwargs) -> str:
        return url_for(f"{self.bp.name}.{name}", **{self.arg: body.id}, **kwargs)

    def detail_url(self, body) -> str:
        return url_for(self.detail_endpoint, **{self.arg: body.id})

    def body_or_404(self, body_id) -> Body:
        body = db.session.scalar(Body.scoped().where(Body.id == body_id)
                                 .options(selectinload(Body.school), selectinload(Body.parent)))
        if body is None or body.kind.category not in self.categories:
            abort(404)
        return body

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

    def can_edit(self, body) -> bool:
        return can(self.edit_action, body)

    def role_choices(self):
        return [(r, ROLE_LABELS[r]) for r in self.roles]

    def members(self, body) -> list[BodyMember]:
        rows = db.session.scalars(
            BodyMember.scoped().where(BodyMember.body_id == body.id)
            .options(selectinload(BodyMember.person).selectinload(Person.school))
        ).all()
        return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.last_name, m.person.first_name))

    # ---- members ---------------------------------------------------------------------------

    def member_form(self, body, members, formdata=None):
        form = MemberForm(formdata=formdata) if formdata is not None else MemberForm(formdata=None)
        form.role.choices = self.role_choices()
        if formdata is None:
            form.role.data = "member"
        form.person_id.set_choices(people_choices(body.school_id, {m.person_id for m in members}))
        return form

    def members_context(self, body, members=None, **extra):
        members = members if members is not None else self.members(body)
        can_edit = extra.pop("can_edit", None)
        if can_edit is None:
            can_edit = self.can_edit(body)
        context = dict(screens=self, body=body, members=members, can_edit=can_edit, ROLE_LABELS=ROLE_LABELS,
                       member_form=None, editing_member=None, members_error=None)
        if can_edit:
            context["member_form"] = self.member_form(body, members)
        context.update({k: v for k, v in extra.items() if v is not None})
        return context

    def members_response(self, body, status=200, **extra):
        if is_htmx():
            return render_template("bodies/_members.html", **self.members_context(body, **extra)), status
        if status < 400:
            return redirect(self.detail_url(body) + "#members")
        if extra.get("members_error"):
            flash(extra["members_error"], "error")
            return redirect(self.detail_url(body) + "#members")
        return self.detail_page(body, status=status, **extra)

    def detail_page(self, body, status=200, **extra):
        """The body's full page (with a form that failed, if any): each blueprint renders its own."""
        raise NotImplementedError

    def _role_conflict(self, body, members, role, member=None) -> str | None:
        if role in SINGLE_ROLES:
            holder = next((m for m in members if m.role == role and m is not member), None)
            if holder is not None:
                return (f"{ROLE_LABELS[role]} уже есть: {holder.person.full_name}. "
                        "Сначала смените его роль.")
        return None

    def _demotes_self(self, member, new_role=None) -> bool:
        """A leader may not take the leader's role away from themselves: they would lose the association."""
        if current_user.role != "leader" or member.person.user_id != current_user.id:
            return False
        return member.role in ("leader", "chair") and new_role not in ("leader", "chair")

    def add_member(self, body_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        members = self.members(body)
        form = self.member_form(body, members, request.form)
        if form.validate_on_submit():
            problem = self._role_conflict(body, members, form.role.data)
            if problem:
                form.role.errors.append(problem)
            else:
                db.session.add(BodyMember(tenant_id=current_tenant.id, body_id=body.id,
                                          person_id=form.person_id.data, role=form.role.data,
                                          role_title=clean(form.role_title.data)))
                db.session.commit()
                return self.members_response(body, fresh_member=form.person_id.data)
        return self.members_response(body, 422, members=members, member_form=form, can_edit=True)

    def _member_or_404(self, body, member_id) -> BodyMember:
        member = db.session.scalar(
            BodyMember.scoped().where(BodyMember.id == member_id, BodyMember.body_id == body.id)
            .options(selectinload(BodyMember.person)))
        if member is None:
            abort(404)
        return member

    def edit_member(self, body_id, member_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        member = self._member_or_404(body, member_id)
        if request.method == "GET":
            form = MemberEditForm(obj=member)
            form.role.choices = self.role_choices()
            template = "bodies/_member_edit.html" if is_htmx() else "bodies/member_edit.html"
            return render_template(template, screens=self, body=body, member=member, form=form)
        form = MemberEditForm()
        form.role.choices = self.role_choices()
        members = self.members(body)
        if form.validate_on_submit():
            problem = self._role_conflict(body, members, form.role.data, member=member)
            if self._demotes_self(member, form.role.data):
                problem = "Вы не можете снять с себя роль руководителя: обратитесь к методисту."
            if problem:
                form.role.errors.append(problem)
            else:
                member.role = form.role.data
                member.role_title = clean(form.role_title.data)
                db.session.commit()
                return self.members_response(body)
        if not is_htmx():
            return render_template("bodies/member_edit.html", screens=self, body=body, member=member,
                                   form=form), 422
        return self.members_response(body, 422, members=members, editing_member={"member": member, "form": form},
                                     can_edit=True)

    def delete_member(self, body_id, member_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        member = self._member_or_404(body, member_id)
        if self._demotes_self(member):
            return self.members_response(
                body, 422, members_error="Вы не можете исключить себя из руководителей: обратитесь к методисту.")
        db.session.delete(member)
        db.session.commit()
        return self.members_response(body)

    # ---- meetings list and decisions of a body ----------------------------------------------

    def meetings_of(self, body) -> list[dict]:
        meetings = db.session.scalars(
            Meeting.scoped().where(Meeting.body_id == body.id).order_by(Meeting.held_on.desc(), Meeting.id.desc())
        ).all()
        today = date.today()
        stats = {}
        for meeting_id, total, open_, overdue in db.session.execute(
            select(Decision.meeting_id, func.count(Decision.id),
                   func.sum(case((Decision.status == "open", 1), else_=0)),
                   func.sum(case(((Decision.status == "open") & (Decision.due_date < today), 1), else_=0)))
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .where(Meeting.body_id == body.id, Decision.tenant_id == current_tenant.id)
            .group_by(Decision.meeting_id)
        ):
            stats[meeting_id] = {"total": total, "open": open_ or 0, "overdue": overdue or 0}
        empty = {"total": 0, "open": 0, "overdue": 0}
        return [{"meeting": m, **stats.get(m.id, empty)} for m in meetings]

    def open_decisions(self, body) -> list[Decision]:
        return db.session.scalars(
            Decision.scoped().join(Meeting, Meeting.id == Decision.meeting_id)
            .where(Meeting.body_id == body.id, Decision.status == "open")
            .options(joinedload(Decision.meeting), selectinload(Decision.responsible))
            .order_by(Decision.due_date.is_(None), Decision.due_date, Decision.id)
        ).all()

    def body_context(self, body, **extra) -> dict:
        """What the body's own page shows: members, meetings, open decisions."""
        can_edit = self.can_edit(body)
        context = self.members_context(body, can_edit=can_edit, **extra)
        context.update(meetings=self.meetings_of(body), open_decisions=self.open_decisions(body),
                       today=date.today())
        return context

    # ---- meetings ----------------------------------------------------------------------------

    def _next_number(self, body) -> str:
        numbers = db.session.scalars(select(Meeting.number).where(Meeting.body_id == body.id,
                                                                  Meeting.tenant_id == current_tenant.id)).all()
        digits = [int(n) for n in numbers if (n or "").isdigit()]
        return str(max(digits, default=0) + 1)

    def new_meeting(self, body_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        if request.method == "GET":
            form = MeetingForm(formdata=None)
            form.number.data = self._next_number(body)
            form.held_on.data = date.today()
            return render_template("meetings/new.html", screens=self, body=body, form=form)
        form = MeetingForm()
        if form.validate_on_submit():
            meeting = Meeting(tenant_id=current_tenant.id, body_id=body.id, number=clean(form.number.data),
                              held_on=form.held_on.data, topic=clean(form.topic.data), venue=clean(form.venue.data),
                              is_held=form.is_held.data, minutes=(form.minutes.data or "").strip())
            db.session.add(meeting)
            db.session.commit()
            flash(f"Заседание № {meeting.number} от {ru_date(meeting.held_on)} создано: "
                  "добавьте повестку, участников и решения.", "success")
            target = self.url("meeting", body, meeting_id=meeting.id)
            if is_htmx():
                response = current_response(status=204)
                response.headers["HX-Redirect"] = target
                return response
            return redirect(target)
        return render_template("meetings/new.html", screens=self, body=body, form=form), 422

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
        guests = [a for a in meeting.attendance if a.is_guest]
        guests.sort(key=lambda a: a.person.last_name)
        attended_count = sum(1 for m in members if m.person_id in present and present[m.person_id].present)
        context = dict(screens=self, body=body, meeting=meeting, members=members, present=present, guests=guests,
                       attended_count=attended_count,
                       can_edit=can_edit, today=date.today(), STATUSES=DECISION_STATUSES, ROLE_LABELS=ROLE_LABELS,
                       agenda_form=None, guest_form=None, decision_form=None, editing_decision=None,
                       attendance_error=None, fresh_decision=None)
        if can_edit:
            member_ids = {m.person_id for m in members}
            context["agenda_form"] = AgendaForm(formdata=None)
            guest_form = GuestForm(formdata=None)
            guest_form.person_id.set_choices(people_choices(body.school_id, member_ids | set(present)))
            context["guest_form"] = guest_form
            context["decision_form"] = self.decision_form(body, members)
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
        groups = {"Состав": [(m.person_id, m.person.full_name) for m in members]} if members else {}
        others = people_choices(body.school_id, {m.person_id for m in members})
        groups.update(others)
        form.responsible_id.set_choices(groups)
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
        absent = [m for m in members if m.person_id not in context["present"]
                  or not context["present"][m.person_id].present]
        attended = [m for m in members if m.person_id in context["present"] and context["present"][m.person_id].present]
        return render_template("meetings/minutes.html", head=head, secretary=secretary, absent=absent,
                               attended=attended, **context)

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
            if is_stale(meeting, form):
                conflict = snapshot(meeting, MEETING_SNAPSHOT)
                form.version.data = meeting.version
            else:
                meeting.number = clean(form.number.data)
                meeting.held_on = form.held_on.data
                meeting.topic = clean(form.topic.data)
                meeting.venue = clean(form.venue.data)
                meeting.is_held = form.is_held.data
                meeting.minutes = (form.minutes.data or "").strip()
                try:
                    db.session.commit()
                except StaleDataError:
                    db.session.rollback()
                    meeting = self.meeting_or_404(body, meeting_id)
                    conflict = snapshot(meeting, MEETING_SNAPSHOT)
                    form.version.data = meeting.version
                else:
                    if is_htmx():
                        return render_template("meetings/_head.html", screens=self, body=body, meeting=meeting,
                                               can_edit=True)
                    flash("Сведения о заседании сохранены.", "success")
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
        if refs:
            flash(refusal(meeting.audit_label, refs), "error")
            target = self.url("meeting", body, meeting_id=meeting.id)
        else:
            label = meeting.audit_label
            db.session.delete(meeting)
            db.session.commit()
            flash(f"{label} удалено вместе с повесткой и решениями.", "success")
            target = self.detail_url(body) + "#meetings"
        if is_htmx():
            response = current_response(status=204)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)

    # ---- sections of a meeting page ----------------------------------------------------------

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
        items = db.session.scalars(AgendaItem.scoped().where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position, AgendaItem.id)).all()
        index = items.index(item)
        other = index - 1 if request.form.get("direction") == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            for position, row in enumerate(items, start=1):
                row.position = position
            db.session.commit()
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
                                 attendance_error="В отметке есть человек не из состава: обновите страницу "
                                                  "и отметьте присутствующих снова.")
        rows = {a.person_id: a for a in db.session.scalars(
            Attendance.scoped().where(Attendance.meeting_id == meeting.id))}
        for person_id in members:
            row = rows.get(person_id)
            if row is None:
                db.session.add(Attendance(tenant_id=current_tenant.id, meeting_id=meeting.id, person_id=person_id,
                                          present=person_id in marked))
            elif not row.is_guest:
                row.present = person_id in marked
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", attendance_saved=True)

    def add_guest(self, body_id, meeting_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        members = self.members(body)
        taken = {m.person_id for m in members} | set(db.session.scalars(
            select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)))
        form = GuestForm()
        form.person_id.set_choices(people_choices(body.school_id, taken))
        if not form.validate_on_submit():
            return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance", 422, guest_form=form)
        db.session.add(Attendance(tenant_id=current_tenant.id, meeting_id=meeting.id, person_id=form.person_id.data,
                                  present=True, is_guest=True))
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_attendance.html", "#attendance")

    def delete_guest(self, body_id, meeting_id, attendance_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        row = self.child_or_404(Attendance, meeting, attendance_id)
        if not row.is_guest:
            abort(404)
        db.session.delete(row)
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
            if is_stale(decision, form):
                conflict = snapshot(decision, DECISION_SNAPSHOT)
                form.version.data = decision.version
            else:
                decision.text = form.text.data.strip()
                decision.responsible_id = form.responsible_id.data
                decision.due_date = form.due_date.data
                decision.status = form.status.data
                decision.status_note = clean(form.status_note.data)
                try:
                    db.session.commit()
                except StaleDataError:
                    db.session.rollback()
                    decision = self.child_or_404(Decision, meeting, decision_id)
                    conflict = snapshot(decision, DECISION_SNAPSHOT)
                    form.version.data = decision.version
                else:
                    return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions",
                                         fresh_decision=decision.id)
        status = 409 if conflict else 422
        if not is_htmx():
            return render_template("meetings/decision_edit.html", screens=self, body=body, meeting=meeting,
                                   decision=decision, form=form, conflict=conflict), status
        return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions", status,
                             editing_decision={"decision": decision, "form": form, "conflict": conflict})

    def delete_decision(self, body_id, meeting_id, decision_id):
        body, meeting = self._editable_meeting(body_id, meeting_id)
        db.session.delete(self.child_or_404(Decision, meeting, decision_id))
        db.session.commit()
        return self._section(body, meeting_id, "meetings/_decisions.html", "#decisions")

    # ---- routes ------------------------------------------------------------------------------

    def _register(self):
        m = "/<body>/meetings/<int:meeting_id>"
        routes = [
            ("/<body>/members", "add_member", self.add_member, ["POST"]),
            ("/<body>/members/<int:member_id>/edit", "edit_member", self.edit_member, ["GET", "POST"]),
            ("/<body>/members/<int:member_id>/delete", "delete_member", self.delete_member, ["POST"]),
            ("/<body>/meetings/new", "new_meeting", self.new_meeting, ["GET", "POST"]),
            (m + "/", "meeting", self.meeting, ["GET"]),
            (m + "/minutes", "minutes", self.minutes, ["GET"]),
            (m + "/edit", "edit_meeting", self.edit_meeting, ["GET", "POST"]),
            (m + "/delete", "delete_meeting", self.delete_meeting, ["POST"]),
            (m + "/agenda", "add_agenda", self.add_agenda, ["POST"]),
            (m + "/agenda/<int:item_id>/delete", "delete_agenda", self.delete_agenda, ["POST"]),
            (m + "/agenda/<int:item_id>/move", "move_agenda", self.move_agenda, ["POST"]),
            (m + "/attendance", "save_attendance", self.save_attendance, ["POST"]),
            (m + "/guests", "add_guest", self.add_guest, ["POST"]),
            (m + "/guests/<int:attendance_id>/delete", "delete_guest", self.delete_guest, ["POST"]),
            (m + "/decisions", "add_decision", self.add_decision, ["POST"]),
            (m + "/decisions/<int:decision_id>/edit", "edit_decision", self.edit_decision, ["GET", "POST"]),
            (m + "/decisions/<int:decision_id>/delete", "delete_decision", self.delete_decision, ["POST"]),
        ]
        for rule, endpoint, method, methods in routes:
            self.bp.add_url_rule(rule.replace("<body>", f"<int:{self.arg}>"), endpoint,
                                 self._view(method, endpoint), methods=methods)

    def _view(self, method, endpoint):
        arg = self.arg

        def view(**kwargs):
            kwargs["body_id"] = kwargs.pop(arg)
            return method(**kwargs)

        view.__name__ = f"{self.bp.name}_{endpoint}"
        return view


def current_response(status=200):
    from flask import current_app

    return current_app.response_class(status=status)
