"""Courses (повышение квалификации): the district's list, records per person, teachers' proposals."""
from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from oms.concurrency import remember_result, submit_once
from oms.conflicts import is_stale, snapshot
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import Course, Person
from oms.models.base import utcnow
from oms.models.development import COURSE_FORMS, COURSE_STATUSES
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.text import clean, fold
from oms.views import render_page_or_partial

from . import bp
from .common import PER_PAGE, all_schools, form_page, go, own_person, page_number, person_or_404
from .forms import CourseForm, ProposeCourseForm, RejectForm

COURSE_SNAPSHOT = [("title", "Название", None), ("provider", "Организация", None), ("hours", "Часов", None),
                   ("date_from", "Начало", ru_date), ("date_to", "Окончание", ru_date),
                   ("form", "Форма", lambda v: COURSE_FORMS.get(v, v)), ("certificate", "Удостоверение", None)]
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


def course_or_404(course_id) -> Course:
    course = Course.get_or_404(course_id)
    return db.session.scalar(Course.scoped().where(Course.id == course.id)
                             .options(joinedload(Course.person).joinedload(Person.school)))


# ---- the district's list -----------------------------------------------------------------------

def _filters():
    args = request.args
    form = args.get("form", "")
    status = args.get("status", "")
    return {"q": args.get("q", "").strip()[:100], "school": args.get("school", type=int),
            "year": args.get("year", type=int), "provider": args.get("provider", "").strip()[:300],
            "form": form if form in COURSE_FORMS else "", "status": status if status in COURSE_STATUSES else ""}


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
        course = Course(tenant_id=current_tenant.id, person_id=person.id, status="confirmed",
                        reviewed_by_id=current_user.id, reviewed_at=utcnow())
        _fill(course, form)
        db.session.add(course)
        remember_result(url_for("development.person", person_id=person.id))
        db.session.commit()
        flash(f"Курс «{course.title}» добавлен.", "success")
        return go(url_for("development.person", person_id=person.id))
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
        if is_stale(course, form):
            conflict = snapshot(course, COURSE_SNAPSHOT)
            form.version.data = course.version
        else:
            _fill(course, form)
            try:
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                course = course_or_404(course_id)
                conflict = snapshot(course, COURSE_SNAPSHOT)
                form.version.data = course.version
            else:
                flash("Запись о курсе сохранена.", "success")
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
    flash(f"Запись о курсе «{title}» удалена.", "success")
    return go(url_for("development.person", person_id=person_id))


@bp.route("/courses/<int:course_id>/confirm", methods=["POST"])
def course_confirm(course_id: int):
    course = Course.get_or_404(course_id)
    require("development.edit")
    if course.status == "confirmed":
        flash("Эта запись уже подтверждена.", "warning")
    else:
        course.status = "confirmed"
        course.review_note = ""
        course.reviewed_by_id = current_user.id
        course.reviewed_at = utcnow()
        db.session.commit()
        flash(f"Курс «{course.title}» подтверждён и учтён в истории педагога.", "success")
    if request.form.get("back") == "proposed":
        return go(url_for("development.courses", status="proposed"))
    return go(url_for("development.person", person_id=course.person_id))


@bp.route("/courses/<int:course_id>/reject", methods=["GET", "POST"])
def course_reject(course_id: int):
    course = course_or_404(course_id)
    require("development.edit")
    form = RejectForm()
    if course.status != "proposed":
        flash("Отклонить можно только запись, которая ждёт подтверждения.", "warning")
        return go(url_for("development.person", person_id=course.person_id))
    if form.validate_on_submit():
        course.status = "rejected"
        course.review_note = clean(form.reason.data)
        course.reviewed_by_id = current_user.id
        course.reviewed_at = utcnow()
        db.session.commit()
        flash(f"Запись «{course.title}» отклонена; педагог увидит причину.", "success")
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
        course = Course(tenant_id=current_tenant.id, person_id=person.id, status="proposed",
                        proposed_by_id=current_user.id)
        _fill(course, form)
        db.session.add(course)
        remember_result(url_for("development.me"))
        db.session.commit()
        flash("Запись о курсе отправлена методисту на подтверждение.", "success")
        return go(url_for("development.me"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/course_propose.html", "development/_course_propose.html", status, form=form,
                     person=person, providers=provider_suggestions())


@bp.route("/me/courses/<int:course_id>/withdraw", methods=["POST"])
def course_withdraw(course_id: int):
    course = Course.get_or_404(course_id)
    person = own_person()
    if person is None or course.person_id != person.id:
        abort(404)
    if course.status != "proposed":
        flash("Рассмотренную запись отозвать нельзя.", "warning")
    else:
        db.session.delete(course)
        db.session.commit()
        flash("Предложение отозвано.", "success")
    return go(url_for("development.me"))

