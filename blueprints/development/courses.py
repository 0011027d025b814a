"""Courses (повышение квалификации): the district's list, records per person, teachers' proposals."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import joinedload

from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import Course, Person
from oms.models.base import utcnow
from oms.models.development import COURSE_FORMS, COURSE_STATUSES
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.text import clean, fold
from oms.views import render_page_or_partial

from . import bp
from .common import (PER_PAGE, all_schools, choice_arg, form_page, go, list_filters, one_or_404, own_person,
                     page_number, person_or_404)
from .forms import CourseForm, ProposeCourseForm, RejectForm

INSTITUTE_WORDS = ("институт", "ипк", "иро", "академи", "университет", "центр")


def provider_suggestions() -> list[str]:
    """The district's partners that teach (the regional institute first), then providers already used."""
    partners = current_tenant.partner_list
    teaching = [p for p in partners if any(w in fold(p) for w in INSTITUTE_WORDS)]
    used = db.session.scalars(
        select(Course.provider).where(Course.tenant_id == current_tenant.id, Course.provider != "")
        .group_by(Course.provider).order_by(func.count(Course.id).desc()).limit(40)).all()
    seen, out = set(), []
    for name in teaching + partners + list(used):
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _fill(course: Course, form) -> None:
    course.title = clean(form.title.data)
    course.provider = clean(form.provider.data)
    course.hours = form.hours.data
    course.date_from = form.date_from.data
    course.date_to = form.date_to.data
    course.form = form.form.data
    course.certificate = clean(form.certificate.data)


def _add(person: Person, form, back: str, **review) -> Course:
    """A new course of the person from the form, saved; `back` is where a repeated submission is sent."""
    course = Course(tenant_id=current_tenant.id, person_id=person.id, **review)
    _fill(course, form)
    db.session.add(course)
    remember_result(back)
    db.session.commit()
    return course


def course_or_404(course_id) -> Course:
    return one_or_404(Course, course_id, options=[joinedload(Course.person).joinedload(Person.school)])


# ---- the district's list -----------------------------------------------------------------------

def _filters():
    return list_filters(year=request.args.get("year", type=int),
                        provider=request.args.get("provider", "").strip()[:300],
                        form=choice_arg("form", COURSE_FORMS), status=choice_arg("status", COURSE_STATUSES))


def courses_query(f):
    stmt = Course.scoped().join(Person, Person.id == Course.person_id)
    for word in fold(f["q"]).split():
        stmt = stmt.where(or_(Course.search_key.contains(word, autoescape=True),
                              Person.search_key.contains(word, autoescape=True)))
    if f["school"]:
        stmt = stmt.where(Person.school_id == f["school"])
    if f["year"]:
        stmt = stmt.where(extract("year", Course.date_to) == f["year"])
    if f["provider"]:
        stmt = stmt.where(Course.provider == f["provider"])
    if f["form"]:
        stmt = stmt.where(Course.form == f["form"])
    if f["status"]:
        stmt = stmt.where(Course.status == f["status"])
    return stmt


@bp.route("/courses/")
def courses():
    require("development.view")
    f = _filters()
    stmt = courses_query(f)
    totals = db.session.execute(stmt.with_only_columns(func.count(Course.id), func.sum(Course.hours))
                                .order_by(None)).one()
    page = db.paginate(stmt.options(joinedload(Course.person).joinedload(Person.school))
                       .order_by(Course.date_to.desc(), Course.id.desc()),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    years = db.session.scalars(
        select(extract("year", Course.date_to)).where(Course.tenant_id == current_tenant.id).distinct()).all()
    providers = db.session.scalars(
        select(Course.provider).where(Course.tenant_id == current_tenant.id, Course.provider != "")
        .group_by(Course.provider).order_by(Course.provider)).all()
    return render_page_or_partial(
        "development/courses.html", "development/_courses_table.html", page=page, f=f,
        filtered=any(f.values()), total_hours=totals[1] or 0, schools=all_schools(),
        years=sorted({int(y) for y in years if y is not None}, reverse=True), providers=providers, COURSE_FORMS=COURSE_FORMS,
        COURSE_STATUSES=COURSE_STATUSES)


# ---- a person's records -------------------------------------------------------------------------

@bp.route("/people/<int:person_id>/courses/new", methods=["GET", "POST"])
def course_new(person_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    form = CourseForm()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        back = url_for("development.person", person_id=person.id)
        course = _add(person, form, back, status="confirmed", reviewed_by_id=current_user.id, reviewed_at=utcnow())
        flash(_("Курс «%(title)s» добавлен.", title=course.title), "success")
        return go(back)
    status = 422 if request.method == "POST" else 200
    return form_page("development/course_form.html", "development/_course_form.html", status, form=form,
                     person=person, course=None, conflict=None, providers=provider_suggestions())


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def course_edit(course_id: int):
    course = course_or_404(course_id)
    require("development.edit")
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        conflict = save_versioned(form, course, lambda: _fill(course, form))
        if conflict is None:
            flash(_("Запись о курсе сохранена."), "success")
            return go(url_for("development.person", person_id=course.person_id))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/course_form.html", "development/_course_form.html", status, form=form,
                     person=course.person, course=course, conflict=conflict, providers=provider_suggestions())


@bp.route("/courses/<int:course_id>/delete", methods=["POST"])
def course_delete(course_id: int):
    course = Course.get_or_404(course_id)
    require("development.edit")
    person_id, title = course.person_id, course.title
    db.session.delete(course)
    db.session.commit()
    flash(_("Запись о курсе «%(title)s» удалена.", title=title), "success")
    return go(url_for("development.person", person_id=person_id))


@bp.route("/courses/<int:course_id>/confirm", methods=["POST"])
def course_confirm(course_id: int):
    course = Course.get_or_404(course_id)
    require("development.edit")
    if course.status == "confirmed":
        flash(_("Эта запись уже подтверждена."), "warning")
    else:
        course.status = "confirmed"
        course.review_note = ""
        course.reviewed_by_id = current_user.id
        course.reviewed_at = utcnow()
        db.session.commit()
        flash(_("Курс «%(title)s» подтверждён и учтён в истории педагога.", title=course.title), "success")
    if request.form.get("back") == "proposed":
        return go(url_for("development.courses", status="proposed"))
    return go(url_for("development.person", person_id=course.person_id))


@bp.route("/courses/<int:course_id>/reject", methods=["GET", "POST"])
def course_reject(course_id: int):
    course = course_or_404(course_id)
    require("development.edit")
    form = RejectForm()
    if course.status != "proposed":
        flash(_("Отклонить можно только запись, которая ждёт подтверждения."), "warning")
        return go(url_for("development.person", person_id=course.person_id))
    if form.validate_on_submit():
        course.status = "rejected"
        course.review_note = clean(form.reason.data)
        course.reviewed_by_id = current_user.id
        course.reviewed_at = utcnow()
        db.session.commit()
        flash(_("Запись «%(title)s» отклонена; педагог увидит причину.", title=course.title), "success")
        return go(url_for("development.courses", status="proposed"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/course_reject.html", "development/_course_reject.html", status, form=form,
                     course=course)


# ---- the teacher's proposals ----------------------------------------------------------------------

@bp.route("/me/courses/new", methods=["GET", "POST"])
def course_propose():
    person = own_person()
    if person is None:
        abort(404)
    require("course.propose", person)
    form = ProposeCourseForm()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        _add(person, form, url_for("development.me"), status="proposed", proposed_by_id=current_user.id)
        flash(_("Запись о курсе отправлена методисту на подтверждение."), "success")
        return go(url_for("development.me"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/course_propose.html", "development/_course_propose.html", status, form=form,
                     person=person, providers=provider_suggestions())


@bp.route("/me/courses/<int:course_id>/withdraw", methods=["POST"])
def course_withdraw(course_id: int):
    person = own_person()
    if person is None:
        abort(404)
    course = one_or_404(Course, course_id, Course.person_id == person.id)
    if course.status != "proposed":
        flash(_("Рассмотренную запись отозвать нельзя."), "warning")
    else:
        db.session.delete(course)
        db.session.commit()
        flash(_("Предложение отозвано."), "success")
    return go(url_for("development.me"))

