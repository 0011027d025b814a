"""The members of a body and their roles (chair, secretary, leader, members)."""
import functools

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload

from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.models import BodyMember, Person, School
from oms.models.people import full_name, short_name
from oms.permissions import require
from oms.current import current_tenant_id
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import is_htmx

from .common import ROLE_LABELS, ROLE_ORDER
from .forms import MemberEditForm, MemberForm

SINGLE_ROLES = {"chair", "secretary"}  # one per body


@functools.cache
def _member_rows_statement():
    """member_rows' select, built once (its parameters: tenant_id, body_id)."""
    return (BodyMember.scoped_by_param().where(BodyMember.body_id == bindparam("body_id"))
            .join(Person, Person.id == BodyMember.person_id).outerjoin(School, School.id == Person.school_id)
            .with_only_columns(BodyMember.id, BodyMember.role, BodyMember.role_title, BodyMember.person_id,
                               Person.last_name, Person.first_name, Person.middle_name, Person.position,
                               Person.school_id, School.short_name, School.name)
            .order_by(BodyMember.id))


class SchoolLabel:
    __slots__ = ("label",)

    def __init__(self, short_name, name):
        self.label = short_name or name


class PersonRow:
    """A member's person as the list shows them."""

    __slots__ = ("full_name", "short_name", "position", "school_id", "school")

    def __init__(self, names, position, school_id, school):
        self.full_name, self.short_name = full_name(*names), short_name(*names)
        self.position, self.school_id, self.school = position, school_id, school


class MemberRow:
    """A member as the list (and the composition by position) reads them: BodyMember's shown attributes."""

    __slots__ = ("id", "role", "role_title", "person_id", "person", "sort_name")

    def __init__(self, id, role, role_title, person_id, person, sort_name):
        self.id, self.role, self.role_title, self.person_id = id, role, role_title, person_id
        self.person, self.sort_name = person, sort_name


class MemberScreens:
    """Member routes of BodyScreens: add, change the role, remove."""

    def role_choices(self):
        return [(r, ROLE_LABELS[r]) for r in self.roles]

    def members(self, body) -> list[BodyMember]:
        rows = db.session.scalars(
            BodyMember.scoped().where(BodyMember.body_id == body.id)
            .options(selectinload(BodyMember.person).selectinload(Person.school))
        ).all()
        return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.last_name, m.person.first_name))

    def member_rows(self, body) -> list["MemberRow"]:
        """The members as the page lists them (in the order of members()): one select of the shown columns."""
        schools: dict[int, SchoolLabel] = {}
        rows = []
        for (member_id, role, role_title, person_id, last_name, first_name, middle_name, position, school_id,
             school_short, school_name) in db.session.execute(
                _member_rows_statement(), {"tenant_id": current_tenant_id(), "body_id": body.id}):
            school = None
            if school_id is not None:
                school = schools.get(school_id) or schools.setdefault(school_id, SchoolLabel(school_short, school_name))
            person = PersonRow((last_name, first_name, middle_name), position, school_id, school)
            rows.append(MemberRow(member_id, role, role_title, person_id, person, (last_name, first_name)))
        return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), *m.sort_name))

    def member_form(self, body, members, formdata=None):
        form = MemberForm(formdata=formdata) if formdata is not None else MemberForm(formdata=None)
        form.role.choices = self.role_choices()
        if formdata is None:
            form.role.data = "member"
        form.person_id.exclude = {m.person_id for m in members}
        form.person_id.first_school_id = body.school_id
        return form

    def members_context(self, body, members=None, **extra):
        members = members if members is not None else self.member_rows(body)
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
                return _("%(role)s уже есть: %(name)s. Сначала смените его роль.", role=ROLE_LABELS[role],
                         name=holder.person.full_name)
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
        conflict, status = None, 422
        if form.validate_on_submit():
            conflict = version_conflict(form, member)
            problem = self._role_conflict(body, members, form.role.data, member=member)
            if self._demotes_self(member, form.role.data):
                problem = _("Вы не можете снять с себя роль руководителя: обратитесь к методисту.")
            if conflict is not None:
                status = 409
            elif problem:
                form.role.errors.append(problem)
            else:
                def apply():
                    member.role = form.role.data
                    member.role_title = clean(form.role_title.data)
                conflict = commit_versioned(form, member, apply)
                if conflict is None:
                    return self.members_response(body)
                status = 409
                members = self.members(body)
        if not is_htmx():
            return render_template("bodies/member_edit.html", screens=self, body=body, member=member,
                                   form=form, conflict=conflict), status
        return self.members_response(body, status, members=members,
                                     editing_member={"member": member, "form": form, "conflict": conflict},
                                     can_edit=True)

    def delete_member(self, body_id, member_id):
        body = self.body_or_404(body_id)
        require(self.edit_action, body)
        member = self._member_or_404(body, member_id)
        if self._demotes_self(member):
            return self.members_response(
                body, 422, members_error=_("Вы не можете исключить себя из руководителей: обратитесь к методисту."))
        db.session.delete(member)
        db.session.commit()
        return self.members_response(body)
