import io

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from oms.audit import record_and_commit
from oms.extensions import db
from oms.models import Attendance, Body, BodyMember, FunctionAssignee, Person, School, User
from oms.models.people import CATEGORIES
from oms.models.structure import MEMBER_ROLES
from oms.permissions import can, require
from oms.tenancy import current_tenant
from oms.views import is_htmx
from oms.xlsx import content_disposition, row_values

from . import bp
from .forms import PersonForm, SelfForm
from .links import body_url
from .queries import NO_SCHOOL, PeopleFilter, filter_choices, people_query
from .render import page_or_partial

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def district_members_only():
    require("district.view")


def _person_or_404(person_id) -> Person:
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        abort(404)
    person = db.session.scalar(Person.scoped().where(Person.id == person_id)
                               .options(joinedload(Person.school), joinedload(Person.user)))
    if person is None:
        abort(404)
    return person


def _schools():
    return db.session.scalars(School.scoped().order_by(School.name)).all()


def _free_users(person: Person | None = None):
    """The district's accounts not linked to another person: a profile is linked to one account."""
    taken = Person.scoped().with_only_columns(Person.user_id).where(Person.user_id.is_not(None))
    if person is not None and person.id:
        taken = taken.where(Person.id != person.id)
    return db.session.scalars(User.scoped().where(User.id.not_in(taken)).order_by(User.full_name)).all()


# ---- list, export ----------------------------------------------------------------------------

@bp.route("/")
def index():
    f = PeopleFilter.from_args(request.args)
    page = db.paginate(people_query(f), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    mine = db.session.scalar(Person.scoped().with_only_columns(Person.id).where(Person.user_id == current_user.id))
    return page_or_partial("people/index.html", "people/_table.html", page=page, f=f, mine=mine,
                                  NO_SCHOOL=NO_SCHOOL, **filter_choices())


@bp.route("/export.xlsx")
def export():
    require("people.export")
    f = PeopleFilter.from_args(request.args)
    people = db.session.scalars(people_query(f)).all()
    with_contacts = can("people.contacts")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Педагоги")
    header = ["№", "Фамилия", "Имя", "Отчество", "Образовательная организация", "Должность", "Предметы",
              "Квалификационная категория", "Дата категории", "Стаж, лет", "Молодой специалист", "Образование"]
    widths = [6, 18, 14, 18, 40, 28, 30, 22, 14, 10, 12, 30]
    if with_contacts:
        header += ["Телефон", "Электронная почта"]
        widths += [18, 26]
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(header))
    for n, p in enumerate(people, start=1):
        row = [n, p.last_name, p.first_name, p.middle_name, p.school.name if p.school else "", p.position,
               p.subjects, CATEGORIES.get(p.category, "") if p.category else "", p.category_date,
               p.experience_years, "да" if p.is_young_specialist else "нет", p.education]
        if with_contacts:
            row += [p.phone, p.email]
        ws.append(row_values(row))
    buf = io.BytesIO()
    wb.save(buf)
    # A GET reads in a deferred transaction: end it, so the audit write starts a fresh one (SQLite locking).
    db.session.commit()
    record_and_commit("export", summary=f"Педагоги: {len(people)} записей в XLSX")
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(f"Педагоги {current_tenant.name}.xlsx")
    return response


# ---- one person --------------------------------------------------------------------------------

@bp.route("/me")
def me():
    person_id = db.session.scalar(Person.scoped().with_only_columns(Person.id).where(Person.user_id == current_user.id))
    if person_id is None:
        return render_template("people/no_profile.html")
    return redirect(url_for("people.detail", person_id=person_id))


@bp.route("/<int:person_id>")
def detail(person_id: int):
    person = _person_or_404(person_id)
    memberships = db.session.scalars(
        BodyMember.scoped().where(BodyMember.person_id == person.id)
        .options(joinedload(BodyMember.body).joinedload(Body.school))
    ).all()
    memberships.sort(key=lambda m: (m.body.kind.position, m.body.name))
    return render_template("people/detail.html", person=person, memberships=memberships,
                           MEMBER_ROLES=MEMBER_ROLES, CATEGORIES=CATEGORIES, body_url=body_url,
                           show_contacts=can("people.contacts", person))


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("people.edit")
    form = PersonForm(schools=_schools(), users=_free_users())
    if request.method == "GET" and request.args.get("school_id", "").isdigit():
        form.school_id.data = request.args["school_id"]
    if form.validate_on_submit():
        person = Person(tenant_id=current_tenant.id)
        form.fill(person)
        db.session.add(person)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.last_name.errors.append("Педагог с таким ФИО уже есть в этой организации.")
        else:
            flash(f"Запись «{person.full_name}» добавлена.", "success")
            return redirect(url_for("people.detail", person_id=person.id))
    status = 422 if request.method == "POST" else 200
    return render_template("people/form.html", form=form, person=None, full=True), status


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    person = _person_or_404(person_id)
    if can("people.edit"):
        form, full = PersonForm(obj=person, schools=_schools(), users=_free_users(person), person=person), True
    elif can("person.edit_self", person):
        form, full = SelfForm(obj=person), False
    else:
        require("people.edit")  # records the refusal and answers 403
    if form.validate_on_submit():
        if form.submitted_version() != person.version:
            return _conflict(form, person, full)
        form.fill(person)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            return _conflict(form, _person_or_404(person_id), full)
        except IntegrityError:
            db.session.rollback()
            form.last_name.errors.append("Педагог с таким ФИО уже есть в этой организации.")
        else:
            flash("Изменения сохранены.", "success")
            return redirect(url_for("people.detail", person_id=person.id))
    if request.method == "GET":
        form.version.data = person.version
    status = 422 if request.method == "POST" else 200
    return render_template("people/form.html", form=form, person=person, full=full), status


def _conflict(form, person: Person, full: bool):
    """Someone saved the record meanwhile: show theirs beside ours; saving again keeps ours."""
    current = {
        "last_name": person.last_name, "first_name": person.first_name, "middle_name": person.middle_name,
        "school_id": person.school.label if person.school else "—", "position": person.position,
        "subjects": person.subjects, "category": CATEGORIES.get(person.category, ""),
        "category_date": person.category_date.strftime("%d.%m.%Y") if person.category_date else "",
        "experience_years": "" if person.experience_years is None else str(person.experience_years),
        "young": "да" if person.is_young_specialist else "нет",
        "education": person.education, "phone": person.phone, "email": person.email, "notes": person.notes,
        "user_id": person.user.email if person.user else "—",
    }
    rows = [(form[name].label.text, value) for name, value in current.items() if name in form]
    form.version.data = person.version
    return render_template("people/form.html", form=form, person=person, full=full, conflict=rows), 409


# ---- delete --------------------------------------------------------------------------------------

def _blockers(person: Person) -> list[str]:
    pid = person.id
    counts = db.session.execute(db.select(
        BodyMember.scoped().with_only_columns(func.count()).where(BodyMember.person_id == pid).scalar_subquery(),
        Attendance.scoped().with_only_columns(func.count()).where(Attendance.person_id == pid).scalar_subquery(),
        FunctionAssignee.scoped().with_only_columns(func.count())
        .where(FunctionAssignee.person_id == pid).scalar_subquery(),
    )).one()
    out = []
    if counts[0]:
        out.append(f"состоит в объединениях или советах ({counts[0]})")
    if counts[1]:
        out.append(f"отмечен(а) в списках присутствия на заседаниях ({counts[1]})")
    if counts[2]:
        out.append(f"выполняет функции службы ({counts[2]})")
    responsible = _plan_responsibilities(pid)
    if responsible:
        out.append(f"отвечает за мероприятия плана ({responsible})")
    return out


def _plan_responsibilities(person_id: int) -> int:
    """Plan items the person is responsible for, when the plan feature provides them."""
    try:
        from oms.models.plan import PlanItemResponsible
    except ImportError:
        return 0
    if not hasattr(PlanItemResponsible, "person_id"):
        return 0
    return db.session.scalar(PlanItemResponsible.scoped().with_only_columns(func.count())
                             .where(PlanItemResponsible.person_id == person_id)) or 0


@bp.route("/<int:person_id>/delete", methods=["GET", "POST"])
def delete(person_id: int):
    require("people.edit")
    person = _person_or_404(person_id)
    blockers = _blockers(person)
    if request.method == "POST" and not blockers:
        name = person.full_name
        db.session.delete(person)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            person = _person_or_404(person_id)
            blockers = ["на запись ссылаются другие данные (например, мероприятия плана)"]
        else:
            flash(f"Запись «{name}» удалена.", "success")
            if is_htmx():
                response = current_app.response_class(status=204)
                response.headers["HX-Redirect"] = url_for("people.index")
                return response
            return redirect(url_for("people.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("people/delete.html", person=person, blockers=blockers), status
