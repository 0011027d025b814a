"""Attestation: who is due soon (or overdue), and each person's attestation history.

The latest attestation sets the person's category and its date in the registry (Person.category,
Person.category_date); the next one is due five years later unless the record says otherwise.
"""
from flask import flash, request, url_for
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from oms.concurrency import remember_result, submit_once
from oms.conflicts import is_stale, snapshot
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import Attestation, Person
from oms.models.base import search_filter
from oms.models.development import ATTESTATION_CATEGORIES, add_months
from oms.models.people import CATEGORIES
from oms.permissions import require
from oms.services.development import (apply_latest_attestation, default_next_due, facts_for, is_teacher,
                                      with_attestation_due)
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import render_page_or_partial

from . import bp
from .common import PER_PAGE, all_schools, form_page, go, page_number, person_or_404, today
from .forms import AttestationForm

PERIODS = {"soon": "В ближайшие 6 месяцев", "overdue": "Срок прошёл", "year": "В ближайшие 12 месяцев",
           "all": "Все со сроком"}
ATTESTATION_SNAPSHOT = [("category", "Результат", lambda v: ATTESTATION_CATEGORIES.get(v, v)),
                        ("passed_on", "Дата", ru_date), ("order_number", "Приказ", None),
                        ("next_due", "Следующая — не позднее", ru_date)]


def _filters():
    args = request.args
    period = args.get("period", "soon")
    category = args.get("category", "")
    return {"q": args.get("q", "").strip()[:100], "school": args.get("school", type=int),
            "period": period if period in PERIODS else "soon",
            "category": category if category in ATTESTATION_CATEGORIES or category == "none" else ""}


@bp.route("/attestation/")
def attestation():
    require("development.view")
    day = today()
    f = _filters()
    stmt, due = with_attestation_due(Person.scoped())
    stmt = stmt.where(is_teacher(), due.is_not(None))
    if f["period"] == "soon":
        stmt = stmt.where(due >= day, due < add_months(day, 6))
    elif f["period"] == "year":
        stmt = stmt.where(due >= day, due < add_months(day, 12))
    elif f["period"] == "overdue":
        stmt = stmt.where(due < day)
    if f["q"]:
        stmt = stmt.where(*search_filter(Person, f["q"]))
    if f["school"]:
        stmt = stmt.where(Person.school_id == f["school"])
    if f["category"] == "none":
        stmt = stmt.where(Person.category == "")
    elif f["category"]:
        stmt = stmt.where(Person.category == f["category"])
    page = db.paginate(stmt.options(joinedload(Person.school)).order_by(due, Person.last_name, Person.id),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    facts = facts_for([p.id for p in page.items], day)
    return render_page_or_partial(
        "development/attestation.html", "development/_attestation_table.html", page=page, f=f, facts=facts,
        today=day, schools=all_schools(), PERIODS=PERIODS, CATEGORIES=CATEGORIES,
        ATTESTATION_CATEGORIES=ATTESTATION_CATEGORIES,
        filtered=bool(f["q"] or f["school"] or f["category"] or f["period"] != "soon"))


def _fill(record: Attestation, form: AttestationForm) -> None:
    record.category = form.category.data
    record.passed_on = form.passed_on.data
    record.order_number = clean(form.order_number.data)
    record.next_due = form.next_due.data or default_next_due(form.passed_on.data)
    record.note = clean(form.note.data)


@bp.route("/people/<int:person_id>/attestations/new", methods=["GET", "POST"])
def attestation_new(person_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    form = AttestationForm()
    if request.method == "GET" and person.category in ATTESTATION_CATEGORIES:
        form.category.data = person.category
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        record = Attestation(tenant_id=current_tenant.id, person_id=person.id)
        _fill(record, form)
        db.session.add(record)
        db.session.flush()
        apply_latest_attestation(person)
        remember_result(url_for("development.person", person_id=person.id, _anchor="attestation"))
        db.session.commit()
        flash("Аттестация записана; категория в карточке педагога обновлена по последней аттестации.", "success")
        return go(url_for("development.person", person_id=person.id, _anchor="attestation"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/attestation_form.html", "development/_attestation_form.html", status,
                     form=form, person=person, record=None, conflict=None)


def record_or_404(attestation_id) -> Attestation:
    record = Attestation.get_or_404(attestation_id)
    return db.session.scalar(Attestation.scoped().where(Attestation.id == record.id)
                             .options(joinedload(Attestation.person).joinedload(Person.school)))


@bp.route("/attestations/<int:attestation_id>/edit", methods=["GET", "POST"])
def attestation_edit(attestation_id: int):
    record = record_or_404(attestation_id)
    require("development.edit")
    form = AttestationForm(obj=record) if request.method == "GET" else AttestationForm()
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        if is_stale(record, form):
            conflict = snapshot(record, ATTESTATION_SNAPSHOT)
            form.version.data = record.version
        else:
            _fill(record, form)
            try:
                db.session.flush()
                apply_latest_attestation(record.person)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                record = record_or_404(attestation_id)
                conflict = snapshot(record, ATTESTATION_SNAPSHOT)
                form.version.data = record.version
            else:
                flash("Аттестация сохранена.", "success")
                return go(url_for("development.person", person_id=record.person_id, _anchor="attestation"))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/attestation_form.html", "development/_attestation_form.html", status,
                     form=form, person=record.person, record=record, conflict=conflict)


@bp.route("/attestations/<int:attestation_id>/delete", methods=["POST"])
def attestation_delete(attestation_id: int):
    record = record_or_404(attestation_id)
    require("development.edit")
    person = record.person
    db.session.delete(record)
    db.session.flush()
    apply_latest_attestation(person)
    db.session.commit()
    flash("Запись об аттестации удалена.", "success")
    return go(url_for("development.person", person_id=person.id, _anchor="attestation"))
