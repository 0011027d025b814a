"""The overview, the district's register of teachers' development, a person's card and the teacher's own view."""
import io

from flask import current_app, make_response, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import and_, not_, select
from sqlalchemy.orm import joinedload

from oms.audit import record
from oms.extensions import db
from oms.models import Attestation, Course, Deficit, Mentorship, Person
from oms.models.development import (ATTESTATION_CATEGORIES, COURSE_FORMS, COURSE_STATUSES, DEFICIT_SOURCES,
                                    DEFICIT_STATUSES, STEP_KINDS, STEP_STATUSES)
from oms.models.people import CATEGORIES, CATEGORY_LABELS
from oms.permissions import can, require
from oms.services.development import (facts_for, has_active_mentor, has_open_deficit, has_recent_course,
                                      as_date, is_course_overdue, is_teacher, renewal_cutoff, with_attestation_due,
                                      route_steps_of, upcoming_window)
from oms.tenancy import current_tenant
from oms.text import in_russian
from oms.views import render_page_or_partial
from oms.xlsx import content_disposition, row_values

from . import bp
from .plan_link import item_status_label, item_url, plan_items_by_id
from .common import (PER_PAGE, all_schools, choice_arg, list_filters, of_people, own_person, page_number, person_or_404,
                     today)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLAGS = {
    "no_course": _l("Без курсов более 3 лет (или ни разу)"),
    "deficits": _l("С открытыми дефицитами"),
    "young": _l("Молодые специалисты"),
    "young_no_mentor": _l("Молодые специалисты без наставника"),
    "attestation": _l("Аттестация в ближайшие 6 месяцев"),
}


@bp.route("/")
def index():
    if not can("development.view"):
        return redirect(url_for("development.me"))
    proposed = db.session.scalars(
        Course.scoped().where(Course.status == "proposed")
        .options(joinedload(Course.person).joinedload(Person.school))
        .order_by(Course.created_at, Course.id).limit(20)).all()
    return render_template("development/index.html", proposed=proposed, COURSE_FORMS=COURSE_FORMS)


def _people_filters():
    return list_filters(flag=choice_arg("flag", FLAGS))


def people_query(f, day):
    stmt = of_people(Person.scoped(), f)
    if f["flag"] == "no_course":
        stmt = stmt.where(is_teacher(), not_(has_recent_course(day)))
    elif f["flag"] == "deficits":
        stmt = stmt.where(has_open_deficit())
    elif f["flag"] == "young":
        stmt = stmt.where(Person.is_young_specialist.is_(True))
    elif f["flag"] == "young_no_mentor":
        stmt = stmt.where(Person.is_young_specialist.is_(True), not_(has_active_mentor(day)))
    elif f["flag"] == "attestation":
        start, end = upcoming_window(day)
        stmt, due = with_attestation_due(stmt)
        stmt = stmt.where(is_teacher(), and_(due >= start, due < end))
    return stmt.order_by(Person.last_name, Person.first_name, Person.middle_name, Person.id)


@bp.route("/people/")
def people():
    require("development.view")
    day = today()
    f = _people_filters()
    page = db.paginate(people_query(f, day).options(joinedload(Person.school)), page=page_number(),
                       per_page=PER_PAGE, error_out=False)
    facts = facts_for([p.id for p in page.items], day)
    return render_page_or_partial(
        "development/people.html", "development/_people_table.html", page=page, f=f, facts=facts,
        FLAGS=FLAGS, schools=all_schools(), filtered=any(f.values()), today=day,
        cutoff=renewal_cutoff(day), is_course_overdue=is_course_overdue, CATEGORIES=CATEGORY_LABELS)


EXPORT_HEADER = ["№", "ФИО", "Образовательная организация", "Должность", "Последние курсы окончены",
                 "Нужны курсы (правило трёх лет)", "Открытых дефицитов", "Наставник", "Молодой специалист",
                 "Квалификационная категория", "Следующая аттестация — не позднее"]
EXPORT_WIDTHS = [6, 36, 36, 26, 16, 14, 12, 28, 12, 22, 18]


@bp.route("/people/export.xlsx")
def people_export():
    """The register as filtered on the page (e.g. the teachers who need a course), as a spreadsheet."""
    require("development.view")
    day = today()
    f = _people_filters()
    people = db.session.scalars(people_query(f, day).options(joinedload(Person.school))).all()
    facts = facts_for([p.id for p in people], day)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Развитие педагогов")
    for i, width in enumerate(EXPORT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(EXPORT_HEADER))
    for n, p in enumerate(people, start=1):
        fx = facts[p.id]
        overdue = p.school_id is not None and is_course_overdue(fx["last_course"], day)
        ws.append(row_values([n, p.full_name, p.school.name if p.school else "", p.position, fx["last_course"],
                              "да" if overdue else "нет", fx["open_deficits"],
                              ", ".join(name for _pair, name in fx["mentors"]),
                              "да" if p.is_young_specialist else "нет",
                              CATEGORIES.get(p.category, "") if p.category else "без категории", fx["due"]]))
    buf = io.BytesIO()
    wb.save(buf)
    db.session.commit()  # end the read transaction before the audit write (SQLite locking)
    flag = in_russian(FLAGS[f["flag"]]) if f["flag"] else ""  # the file and the audit trail are in Russian
    record("export", summary=f"Развитие педагогов: {len(people)} записей в XLSX" + (f" ({flag})" if flag else ""))
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    name = flag or "Развитие педагогов"
    response.headers["Content-Disposition"] = content_disposition(f"{name} {current_tenant.name}.xlsx")
    return response


def _person_context(person: Person, day):
    courses = db.session.scalars(Course.scoped().where(Course.person_id == person.id)
                                 .order_by(Course.date_to.desc(), Course.id.desc())).all()
    deficits = db.session.scalars(Deficit.scoped().where(Deficit.person_id == person.id)
                                  .options(joinedload(Deficit.area))
                                  .order_by(Deficit.status.desc(), Deficit.found_on.desc(), Deficit.id)).all()
    steps = route_steps_of(person.id)
    mentorships = db.session.scalars(
        Mentorship.scoped().where((Mentorship.mentee_id == person.id) | (Mentorship.mentor_id == person.id))
        .options(joinedload(Mentorship.mentor).joinedload(Person.school),
                 joinedload(Mentorship.mentee).joinedload(Person.school), joinedload(Mentorship.body))
        .order_by(Mentorship.date_from.desc(), Mentorship.id.desc())).all()
    attestations = db.session.scalars(Attestation.scoped().where(Attestation.person_id == person.id)
                                      .order_by(Attestation.passed_on.desc(), Attestation.id.desc())).all()
    due_stmt, due_expr = with_attestation_due(select(Person.id))
    due = as_date(db.session.scalar(due_stmt.with_only_columns(due_expr).where(Person.id == person.id)))
    confirmed = [c for c in courses if c.status == "confirmed"]
    last_course = max((c.date_to for c in confirmed), default=None)
    registry_url = (url_for("people.detail", person_id=person.id)
                    if "people.detail" in current_app.view_functions else None)
    steps_by_deficit = {}
    for step in steps:
        steps_by_deficit.setdefault(step.deficit_id, []).append(step)
    window_end = upcoming_window(day)[1]
    return dict(person=person, has_mentor=any(m.mentee_id == person.id and m.is_active(day) for m in mentorships),
                due_soon=due is not None and day <= due < window_end, registry_url=registry_url, plan_items=plan_items_by_id([s.plan_item_id for s in steps
                if getattr(s, "plan_item_id", None)]), item_status_label=item_status_label, item_url=item_url,
                courses=courses, deficits=deficits, steps_by_deficit=steps_by_deficit,
                loose_steps=steps_by_deficit.get(None, []), mentorships=mentorships, attestations=attestations,
                due=due, last_course=last_course, overdue=person.school_id is not None
                and is_course_overdue(last_course, day), cutoff=renewal_cutoff(day), today=day,
                COURSE_FORMS=COURSE_FORMS, COURSE_STATUSES=COURSE_STATUSES, DEFICIT_SOURCES=DEFICIT_SOURCES,
                DEFICIT_STATUSES=DEFICIT_STATUSES, STEP_KINDS=STEP_KINDS, STEP_STATUSES=STEP_STATUSES,
                ATTESTATION_CATEGORIES=ATTESTATION_CATEGORIES, CATEGORIES=CATEGORY_LABELS)


@bp.route("/people/<int:person_id>/")
def person(person_id: int):
    person = person_or_404(person_id)
    require("development.person", person)
    if not can("development.view"):
        return redirect(url_for("development.me"))
    return render_template("development/person.html", **_person_context(person, today()))


@bp.route("/me")
def me():
    """The teacher's own development: courses, deficits, route, mentor, attestation."""
    require("district.view")
    person = own_person()
    if person is None:
        return render_template("development/no_profile.html")
    return render_template("development/me.html", **_person_context(person, today()))

