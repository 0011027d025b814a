from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy.orm import joinedload

from blueprints.plan.lookups import my_person_id
from oms.audit import annotate
from oms.extensions import db
from oms.models import Body, BodyMember, Person, School, User
from oms.models.people import CATEGORIES, CATEGORY_LABELS
from oms.models.structure import MEMBER_ROLE_LABELS
from oms.permissions import can, require
from oms.tenancy import current_tenant
from oms.xlsx import row_values

from . import bp, deletion, records
from .forms import PersonForm, SelfForm
from .links import body_url
from .queries import NO_SCHOOL, PeopleFilter, filter_choices, list_options, people_query
from .render import page_or_partial

PER_PAGE = 50
DUPLICATE_NAME = _l("Педагог с таким ФИО уже есть в этой организации.")


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
    page = db.paginate(people_query(f).options(*list_options()), page=request.args.get("page", 1, type=int),
                       per_page=PER_PAGE,
                       error_out=False)
    mine = my_person_id()
    return page_or_partial("people/index.html", "people/_table.html", page=page, f=f, mine=mine,
                                  NO_SCHOOL=NO_SCHOOL, **filter_choices())


@bp.route("/export.xlsx")
def export():
    require("people.export")
    f = PeopleFilter.from_args(request.args)
    people = db.session.scalars(people_query(f)).all()
    with_contacts = can("people.contacts")
    header = ["№", "Фамилия", "Имя", "Отчество", "Образовательная организация", "Должность", "Предметы",
              "Квалификационная категория", "Дата категории", "Стаж, лет", "Молодой специалист", "Образование"]
    widths = [6, 18, 14, 18, 40, 28, 30, 22, 14, 10, 12, 30]
    if with_contacts:
        header += ["Телефон", "Электронная почта"]
        widths += [18, 26]
    wb, ws = records.new_sheet("Педагоги", header, widths)
    for n, p in enumerate(people, start=1):
        row = [n, p.last_name, p.first_name, p.middle_name, p.school.name if p.school else "", p.position,
               p.subjects, CATEGORIES.get(p.category, "") if p.category else "", p.category_date,
               p.experience_years, "да" if p.is_young_specialist else "нет", p.education]
        if with_contacts:
            row += [p.phone, p.email]
        ws.append(row_values(row))
    return records.xlsx_response(wb, f"Педагоги {current_tenant.name}.xlsx",
                                 audit_summary=f"Педагоги: {len(people)} записей в XLSX")


# ---- one person --------------------------------------------------------------------------------

@bp.route("/me")
def me():
    person_id = my_person_id()
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
                           MEMBER_ROLES=MEMBER_ROLE_LABELS, CATEGORIES=CATEGORY_LABELS, body_url=body_url,
                           show_contacts=can("people.contacts", person))


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("people.edit")
    form = PersonForm(schools=_schools(), users=_free_users())
    if request.method == "GET" and request.args.get("school_id", "").isdigit():
        form.school_id.data = request.args["school_id"]
    if form.validate_on_submit():
        person = Person(tenant_id=current_tenant.id)
        if records.save(form, person, "last_name", DUPLICATE_NAME):
            flash(_("Запись «%(name)s» добавлена.", name=person.full_name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=None, full=True), records.form_status()


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
        try:
            saved = records.save(form, person, "last_name", DUPLICATE_NAME)
        except records.Stale as stale:
            return render_template("people/form.html", form=form, person=person, full=full,
                                   conflict=stale.conflict), 409
        if saved:
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=person, full=full), records.form_status()


# ---- delete --------------------------------------------------------------------------------------

@bp.route("/<int:person_id>/delete", methods=["GET", "POST"])
def delete(person_id: int):
    require("people.edit")
    person = _person_or_404(person_id)
    blockers = deletion.blockers(person)
    if request.method == "POST" and not blockers:
        name = person.full_name
        with force_locale("ru"):  # the audit trail is Russian
            along = deletion.consequences(person)
        annotate(person, **{key: ", ".join(texts) for key, texts in
                            (("taken_along", along.deleted), ("unlinked", along.unlinked)) if texts})
        if records.delete(person):
            flash(_("Запись «%(name)s» удалена.", name=name), "success")
            return records.go(url_for("people.index"))
        person = _person_or_404(person_id)
        blockers = [_("на запись ссылаются другие данные (например, мероприятия плана)")]
    goes = None if blockers else deletion.consequences(person)
    return render_template("people/delete.html", person=person, blockers=blockers, goes=goes), records.form_status()
