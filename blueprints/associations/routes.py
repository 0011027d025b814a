from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from blueprints.council.common import htmx_redirect
from blueprints.council.screens import BodyScreens
from blueprints.structure.placement import placement_errors
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import Body, BodyKind, BodyMember, Meeting, Person, School
from oms.models.base import search_filter
from oms.models.structure import ASSOCIATION_CATEGORIES, LEVEL_LABELS
from oms.permissions import require
from oms.references import references, refusal
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import is_htmx, render_page_or_partial

from . import bp
from .forms import AssociationEditForm, AssociationForm

PER_PAGE = 25


class AssociationScreens(BodyScreens):
    def detail_page(self, body, status=200, **extra):
        edit_form = extra.pop("edit_form", None)
        conflict = extra.pop("conflict", None)
        context = self.body_context(body, **extra)
        leads = current_user.role == "leader" and context["can_edit"]
        return render_template("associations/detail.html", edit_form=edit_form, conflict=conflict, leads=leads,
                               LEVELS=LEVEL_LABELS, **context), status


screens = AssociationScreens(bp, "association_id", ASSOCIATION_CATEGORIES, "association.edit",
                             ("leader", "secretary", "member"), "associations.detail")


def association_kinds() -> list[BodyKind]:
    return db.session.scalars(
        BodyKind.scoped().where(BodyKind.category.in_(ASSOCIATION_CATEGORIES))
        .order_by(BodyKind.level, BodyKind.position, BodyKind.id)
    ).all()


def all_schools() -> list[School]:
    return db.session.scalars(School.scoped().order_by(School.short_name, School.name)).all()


def _filters():
    args = request.args
    return {
        "q": args.get("q", "").strip()[:100],
        "level": args.get("level", "") if args.get("level", "") in LEVEL_LABELS else "",
        "school": args.get("school", type=int),
        "kind": args.get("kind", type=int),
        "subject": args.get("subject", "").strip()[:200],
    }


@bp.route("/")
def index():
    require("district.view")
    f = _filters()
    stmt = Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id).where(BodyKind.category.in_(ASSOCIATION_CATEGORIES))
    if f["q"]:
        stmt = stmt.where(*search_filter(Body, f["q"]))
    if f["level"]:
        stmt = stmt.where(BodyKind.level == f["level"])
    if f["school"]:
        stmt = stmt.where(Body.school_id == f["school"])
    if f["kind"]:
        stmt = stmt.where(Body.kind_id == f["kind"])
    if f["subject"]:
        stmt = stmt.where(Body.subject == f["subject"])
    stmt = stmt.order_by(BodyKind.level, BodyKind.position, Body.name, Body.id)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    ids = [b.id for b in page.items]
    leaders, members, meetings, mine = _row_facts(ids)
    subjects = db.session.scalars(
        select(Body.subject).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Body.tenant_id == current_tenant.id, BodyKind.category.in_(ASSOCIATION_CATEGORIES), Body.subject != "")
        .distinct().order_by(Body.subject)
    ).all()
    filtered = any(f.values())
    schools = all_schools()
    return render_page_or_partial(
        "associations/index.html", "associations/_table.html", page=page, f=f, filtered=filtered,
        leaders=leaders, members=members, meetings=meetings, mine=mine, kinds=association_kinds(),
        schools=schools, school_by_id={s.id: s for s in schools}, subjects=subjects, LEVELS=LEVEL_LABELS)


def _row_facts(ids):
    """Leaders, member and meeting counts of the listed associations, and which the user leads: four queries."""
    leaders: dict[int, list[Person]] = {}
    if not ids:
        return leaders, {}, {}, set()
    for body_id, person in db.session.execute(
        select(BodyMember.body_id, Person).join(Person, Person.id == BodyMember.person_id)
        .where(BodyMember.body_id.in_(ids), BodyMember.role.in_(("leader", "chair")))
        .order_by(Person.last_name)
    ):
        leaders.setdefault(body_id, []).append(person)
    members = dict(db.session.execute(
        select(BodyMember.body_id, func.count(BodyMember.id)).where(BodyMember.body_id.in_(ids))
        .group_by(BodyMember.body_id)).all())
    meetings = dict(db.session.execute(
        select(Meeting.body_id, func.count(Meeting.id)).where(Meeting.body_id.in_(ids))
        .group_by(Meeting.body_id)).all())
    mine = set(db.session.scalars(
        select(BodyMember.body_id).join(Person, Person.id == BodyMember.person_id)
        .where(BodyMember.body_id.in_(ids), BodyMember.role.in_(("leader", "chair")),
               Person.user_id == current_user.id)))
    return leaders, members, meetings, mine


def _fill_create_choices(form):
    groups = {}
    for kind in association_kinds():
        groups.setdefault(str(LEVEL_LABELS.get(kind.level, kind.level)), []).append((kind.id, kind.name))
    form.kind_id.set_choices(groups)
    form.school_id.set_choices([(s.id, s.label) for s in all_schools()])


def default_parent(kind, school) -> Body | None:
    """Where a new association sits in the org chart: its school's council, else the district's service."""
    bodies = db.session.scalars(Body.scoped().order_by(Body.position, Body.id)).all()
    if kind.level == "school" and school is not None:
        council = next((b for b in bodies if b.kind.category == "school_council" and b.school_id == school.id), None)
        if council is not None:
            return council
    return next((b for b in bodies if b.kind.category == "service" and b.kind.level == "municipal"
                 and b.parent_id is None), None)


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("association.create")
    form = AssociationForm()
    _fill_create_choices(form)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        kind = BodyKind.get_or_404(form.kind_id.data)
        school = School.get_or_404(form.school_id.data) if form.school_id.data else None
        errors = placement_errors(kind, None, school)
        for name, message in errors.items():
            getattr(form, name).errors.append(message)
        if not errors:
            parent = default_parent(kind, school)
            body = Body(tenant_id=current_tenant.id, kind_id=kind.id, name=clean(form.name.data),
                        subject=clean(form.subject.data), school_id=school.id if school else None,
                        parent_id=parent.id if parent else None)
            db.session.add(body)
            db.session.flush()
            remember_result(screens.detail_url(body))
            db.session.commit()
            flash(_("«%(name)s» создано. Добавьте руководителя и участников.", name=body.name), "success")
            return redirect(screens.detail_url(body))
    status = 422 if request.method == "POST" else 200
    return render_template("associations/new.html", form=form), status


@bp.route("/<int:association_id>/")
def detail(association_id: int):
    require("district.view")
    return screens.detail_page(screens.body_or_404(association_id))


@bp.route("/<int:association_id>/edit", methods=["GET", "POST"])
def edit(association_id: int):
    body = screens.body_or_404(association_id)
    require("association.manage", body)
    if request.method == "GET":
        form = AssociationEditForm(obj=body)
        form.school_id.set_choices([(s.id, s.label) for s in all_schools()])
        template = "associations/_edit.html" if is_htmx() else "associations/edit.html"
        return render_template(template, body=body, form=form, conflict=None)
    form = AssociationEditForm()
    form.school_id.set_choices([(s.id, s.label) for s in all_schools()])
    conflict = None
    if form.validate_on_submit():
        school = School.get_or_404(form.school_id.data) if form.school_id.data else None
        bodies = db.session.scalars(Body.scoped()).all()
        parent = body.parent if body.parent_id else None
        errors = placement_errors(body.kind, parent, school, body=body, bodies=bodies)
        if errors.pop("parent_id", None):
            # moved to another school: it leaves the old school's council for its new school's (or the service)
            parent = default_parent(body.kind, school)
        if errors:
            for name, message in errors.items():
                getattr(form, name).errors.append(message)
        elif (conflict := version_conflict(form, body)) is None:
            body.name = clean(form.name.data)
            body.subject = clean(form.subject.data)
            body.school_id = school.id if school else None
            body.parent_id = parent.id if parent else None
            conflict = commit_versioned(form, body)
            if conflict is None:
                flash(_("Сведения об объединении сохранены."), "success")
                target = screens.detail_url(body)
                return htmx_redirect(target) if is_htmx() else redirect(target)
    status = 409 if conflict else 422
    template = "associations/_edit.html" if is_htmx() else "associations/edit.html"
    return render_template(template, body=body, form=form, conflict=conflict), status


@bp.route("/<int:association_id>/delete", methods=["POST"])
def delete(association_id: int):
    body = screens.body_or_404(association_id)
    require("association.manage", body)
    body = db.session.scalar(Body.scoped().where(Body.id == body.id).options(selectinload(Body.members)))
    refs = references(body)
    if refs:
        flash(refusal(body.name, refs), "error")
        target = screens.detail_url(body)
    else:
        name = body.name
        db.session.delete(body)
        db.session.commit()
        flash(_("«%(name)s» удалено.", name=name), "success")
        target = url_for("associations.index")
    return htmx_redirect(target) if is_htmx() else redirect(target)
